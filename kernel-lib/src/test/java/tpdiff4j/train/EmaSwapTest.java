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

    private static Map<String, float[]> floats(Map<String, NDArray> arrays) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, a.toFloatArray()));
        return m;
    }
}
