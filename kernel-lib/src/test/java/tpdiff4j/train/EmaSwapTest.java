package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Ema#swap} through {@link Trainer#withEmaWeights}: an exact exchange, in place, undone by the second swap. */
class EmaSwapTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /**
     * Inside {@code withEmaWeights} the network holds the EMA weights bit for bit and the EMA the live ones, in the
     * same tensors as before (the optimizer and the flat parameter vector keep views of them); afterwards both are
     * back bit for bit. A copy is exact, so any difference is a bug, not rounding.
     */
    @Test
    void withEmaWeightsExchangesBothSetsExactlyAndInPlace() {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            t.train(3);
            Map<String, float[]> live = TrainerTest.weights(t), ema = floats(t.ema().arrays());
            double apart = 0;
            for (String k : live.keySet()) {
                for (int i = 0; i < live.get(k).length; i++) {
                    apart = Math.max(apart, Math.abs(live.get(k)[i] - ema.get(k)[i]));
                }
            }
            assertTrue(apart > 0, "after 3 steps the EMA differs from the live weights");
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            t.model().namedParameters().forEach((k, p) -> tensors.put(k, p.getArray()));
            t.withEmaWeights(() -> {
                Map<String, float[]> in = TrainerTest.weights(t), shadow = floats(t.ema().arrays());
                live.forEach((k, v) -> {
                    assertArrayEquals(ema.get(k), in.get(k), "network holds the EMA weights: " + k);
                    assertArrayEquals(v, shadow.get(k), "EMA holds the live weights: " + k);
                    assertSame(tensors.get(k), t.model().namedParameters().get(k).getArray(), "in place: " + k);
                });
                return null;
            });
            Map<String, float[]> after = TrainerTest.weights(t), emaAfter = floats(t.ema().arrays());
            live.forEach((k, v) -> {
                assertArrayEquals(v, after.get(k), "live weights back: " + k);
                assertArrayEquals(ema.get(k), emaAfter.get(k), "EMA back: " + k);
            });
            assertTrue(Double.isFinite(t.step()), "training goes on after the swaps");
        }
    }

    /**
     * Saving a checkpoint inside {@code withEmaWeights} (to keep the EMA model) writes the same files as outside: a
     * resume continues from the live weights, not from the EMA weights that the network holds there.
     */
    @Test
    void aCheckpointSavedInsideWithEmaWeightsHoldsTheLiveWeightsAndTheEma(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            t.train(3);
            Map<String, float[]> live = TrainerTest.weights(t), ema = floats(t.ema().arrays());
            java.nio.file.Path outside = t.saveCheckpoint(dir.resolve("outside"));
            java.nio.file.Path inside = t.withEmaWeights(() -> t.saveCheckpoint(dir.resolve("inside")));
            for (String f : new String[] {"weights.bin", "ema.bin", "optimizer.bin"}) {
                assertArrayEquals(java.nio.file.Files.readAllBytes(outside.resolve(f)),
                        java.nio.file.Files.readAllBytes(inside.resolve(f)), f);
            }
            assertBothEqual(live, TrainerTest.weights(t), ema, floats(t.ema().arrays()));
            try (Trainer r = TrainerTest.trainer(TrainerTest.vanilla(), null, dir.resolve("inside"))) {
                assertBothEqual(live, TrainerTest.weights(r), ema, floats(r.ema().arrays()));
                // loading inside withEmaWeights: the network holds the loaded EMA there, the live weights after
                Map<String, float[]> seen = r.withEmaWeights(() -> {
                    r.loadCheckpoint(dir.resolve("outside"));
                    return TrainerTest.weights(r);
                });
                assertBothEqual(ema, seen, live, TrainerTest.weights(r));
            }
        }
    }

    @Test
    void aNestedSwapKeepsTheEmaWeightsAndAStepInsideIsRefused() {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            t.train(3);
            Map<String, float[]> live = TrainerTest.weights(t), ema = floats(t.ema().arrays());
            Map<String, float[]> nested = t.withEmaWeights(() -> t.withEmaWeights(() -> TrainerTest.weights(t)));
            assertBothEqual(ema, nested, live, TrainerTest.weights(t));
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> t.withEmaWeights(() -> t.train(1)));
            assertTrue(e.getMessage().contains("inside withEmaWeights") && e.getMessage().contains("step 4"),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertEquals(3, t.stepCount(), "the refused step changed nothing");
            assertBothEqual(live, TrainerTest.weights(t), ema, floats(t.ema().arrays()));
            assertTrue(Double.isFinite(t.step()), "training goes on outside");
        }
    }

    /** Two pairs of weight sets are equal bit for bit, by parameter name: a with b, c with d. */
    private static void assertBothEqual(Map<String, float[]> a, Map<String, float[]> b, Map<String, float[]> c,
            Map<String, float[]> d) {
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
        c.forEach((k, v) -> assertArrayEquals(v, d.get(k), k));
        org.junit.jupiter.api.Assertions.assertEquals(a.keySet(), b.keySet());
        org.junit.jupiter.api.Assertions.assertEquals(c.keySet(), d.keySet());
    }

    private static Map<String, float[]> floats(Map<String, NDArray> arrays) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, a.toFloatArray()));
        return m;
    }
}
