package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * The time conditioning computed once for a run's times gives the forward pass and the sampler the same results as
 * computing it at every step. Tolerances: the rows come from a matrix product over all times at once instead of one
 * row, and for batches above 1 the modulation becomes the LayerNorm's own affine instead of a multiply and an add;
 * both change float32 rounding only (relative 1e-7 per operation): outputs of order 1 agree to 1e-5, after one pass
 * and after a pyramid run (measured: 9.5e-7 on samples of magnitude 5 after 10/10/10 Euler steps).
 */
class TimeConditioningTest {

    @BeforeAll
    static void oneThread() {
        Compute.useThreads(1);
    }

    private static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void rowsGiveTheForwardPassItsOwnConditioning() {
        double[] times = {1.0, 0.75, 0.5, 0.25, 0.0};
        for (ModelConfig cfg : new ModelConfig[] {
                ModelConfig.tiny(8, 1, 16, 16),
                ModelConfig.tiny(8, 1, 16, 16).withAttention(ModelConfig.Attention.FULL),
                ModelConfig.tiny(8, 1, 16, 16).withConditioning(ModelConfig.Conditioning.ADDITIVE)}) {
            try (NDManager m = NDManager.newBaseManager()) {
                SpaceTimeTransformer net = ForwardEquivalenceTest.randomized(cfg, m);
                TimeConditioning table = net.timeConditioning(m, times);
                for (int batch : new int[] {1, 3}) {
                    NDArray x = GaussianNoise.normal(m, new Shape(batch, 4, 1, 16, 16), DataType.FLOAT32, batch);
                    NDArray pos = net.positions(m, 4);
                    for (double t : times) {
                        NDArray tt = m.full(new Shape(batch), (float) t);
                        NDArray plain = net.forward(new ParameterStore(), new NDList(x, tt, pos), false).singletonOrThrow();
                        NDList in = new NDList(x, tt, pos);
                        in.addAll(table.rows(t));
                        NDArray fast = net.forward(new ParameterStore(), in, false).singletonOrThrow();
                        float scale = plain.abs().max().getFloat();
                        assertTrue(scale > 0.1f, "the output must not vanish: " + scale);
                        assertTrue(maxAbsDiff(plain, fast) <= 1e-5f * Math.max(1f, scale),
                                cfg + " batch " + batch + " t " + t + ": " + maxAbsDiff(plain, fast));
                    }
                }
                // another time's rows give another output: the rows are used, not ignored
                NDArray x = GaussianNoise.normal(m, new Shape(1, 4, 1, 16, 16), DataType.FLOAT32, 9);
                NDList in = new NDList(x, m.full(new Shape(1), 0.5f), net.positions(m, 4));
                in.addAll(table.rows(0.25));
                NDArray wrong = net.forward(new ParameterStore(), in, false).singletonOrThrow();
                NDArray right = net.forward(new ParameterStore(), new NDList(x, m.full(new Shape(1), 0.25f),
                        net.positions(m, 4)), false).singletonOrThrow();
                assertTrue(maxAbsDiff(wrong, right) < 1e-5f, "the rows, not t, set the conditioning");
                NDArray atHalf = net.forward(new ParameterStore(), new NDList(x, m.full(new Shape(1), 0.5f),
                        net.positions(m, 4)), false).singletonOrThrow();
                assertTrue(maxAbsDiff(atHalf, right) > 1e-3f, "t matters to the output");
            }
        }
    }

    @Test
    void badTimesAndRowsAreRefusedByName() {
        ModelConfig cfg = ModelConfig.tiny(8, 1, 16, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer net = ForwardEquivalenceTest.randomized(cfg, m);
            TimeConditioning table = net.timeConditioning(m, new double[] {0.5, 0.0});
            assertTrue(table.covers(-0.0) && table.covers(0.5) && !table.covers(0.4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.rows(0.4));
            assertTrue(e.getMessage().contains("t = 0.4") && e.getMessage().contains("[0.0, 0.5]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.timeConditioning(m, new double[] {0.5, 1.5}));
            assertTrue(e.getMessage().contains("times[1] = 1.5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.timeConditioning(m, new double[] {0.5, 0.5}));
            assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.timeConditioning(m, new double[0]));
            NDArray x = GaussianNoise.normal(m, new Shape(1, 4, 1, 16, 16), DataType.FLOAT32, 1);
            NDList in = new NDList(x, m.full(new Shape(1), 0.5f), net.positions(m, 4));
            in.addAll(table.rows(0.5).subNDList(1)); // one row short
            e = assertThrows(IllegalArgumentException.class, () -> net.forward(new ParameterStore(), in, false));
            assertTrue(e.getMessage().contains("inputs after (x, t, pos)"), e.getMessage());
        }
    }

    /** A denoiser without a network or a prediction type is refused when made, not at its first prediction. */
    @Test
    void aDenoiserWithoutNetworkOrTypeIsRefusedByName() {
        IllegalArgumentException noNet = assertThrows(IllegalArgumentException.class,
                () -> new NetDenoiser(null, PredictionType.VELOCITY));
        assertTrue(noNet.getMessage().startsWith("net = null; allowed:"), noNet.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            StageNetwork net = ForwardEquivalenceTest.randomized(ModelConfig.tiny(8, 1, 16, 16), m);
            IllegalArgumentException noType = assertThrows(IllegalArgumentException.class,
                    () -> new NetDenoiser(net, null, Schedules.flowMatching()));
            assertTrue(noType.getMessage().startsWith("type = null; allowed:"), noType.getMessage());
        }
    }

    /** The network's denoiser prepared for a run's times: the same predictions, and only a SpaceTimeTransformer's. */
    @Test
    void aPreparedDenoiserPredictsAsTheNetworkDoes() {
        ModelConfig cfg = ModelConfig.tiny(8, 1, 16, 16).withAttention(ModelConfig.Attention.FULL);
        try (NDManager m = NDManager.newBaseManager()) {
            NetDenoiser plain = new NetDenoiser(ForwardEquivalenceTest.randomized(cfg, m), PredictionType.VELOCITY);
            NDArray x = GaussianNoise.normal(m, new Shape(2, 8, 1, 16, 16), DataType.FLOAT32, 3);
            try (NDManager run = m.newSubManager()) {
                Denoiser prepared = plain.forTimes(new double[] {0.9, 0.6, 0.6, 7.0}, run); // a repeat, one out of range
                assertNotSame(plain, prepared);
                for (double t : new double[] {0.9, 0.6, 0.3}) { // 0.3 was not prepared: computed as before
                    assertTrue(maxAbsDiff(plain.predict(x, t), prepared.predict(x, t)) < 1e-5f, "t = " + t);
                }
                assertSame(plain, plain.forTimes(new double[] {2.0}, run), "no time in [0, 1]: nothing to prepare");
            }
        }
    }

    /** The pyramid sampler prepares its model once, for the times of every stage's grid, and samples as before. */
    @Test
    void thePyramidSamplerPreparesOnceForItsWholeGrid() {
        ModelConfig cfg = ModelConfig.tiny(16, 1, 16, 16).withAttention(ModelConfig.Attention.FULL);
        TemporalPyramid pyramid = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        PyramidSampler sampler = PyramidSampler.of(pyramid, Solvers.euler(), 4, 4, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            NetDenoiser net = new NetDenoiser(ForwardEquivalenceTest.randomized(cfg, m), PredictionType.VELOCITY);
            List<double[]> prepared = new ArrayList<>();
            Denoiser watched = new Denoiser() {
                @Override
                public NDArray predict(NDArray x, double t) {
                    return net.predict(x, t);
                }

                @Override
                public PredictionType type() {
                    return net.type();
                }

                @Override
                public Denoiser forTimes(double[] times, NDManager manager) {
                    prepared.add(times.clone());
                    return net.forTimes(times, manager);
                }
            };
            Shape full = new Shape(1, 16, 1, 16, 16);
            NDArray fast = sampler.sample(watched, m, full, DataType.FLOAT32, 5);
            NDArray slow = sampler.sample(Denoiser.of(net.type(), net::predict), m, full, DataType.FLOAT32, 5);
            assertEquals(1, prepared.size(), "prepared once per run");
            assertEquals(3 * 5, prepared.get(0).length, "every grid time of the three stages (4 steps: 5 times each)");
            for (int k = 0; k < 3; k++) {
                double[] grid = sampler.grid(k).times();
                assertEquals(grid[0], prepared.get(0)[5 * k]);
            }
            float scale = slow.abs().max().getFloat();
            assertTrue(scale > 0.1f, "the sample must not vanish: " + scale);
            assertTrue(maxAbsDiff(fast, slow) < 1e-5f * Math.max(1f, scale), "max |fast - slow| = " + maxAbsDiff(fast, slow));
        }
    }
}
