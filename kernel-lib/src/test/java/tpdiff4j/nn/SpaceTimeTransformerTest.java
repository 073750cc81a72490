package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

class SpaceTimeTransformerTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void outputShapeMatchesInputForEveryStageAndVariant() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        for (ModelConfig cfg : new ModelConfig[] {
                ModelConfig.tiny(16, 1, 16, 16),
                ModelConfig.tiny(16, 3, 32, 32).withAttention(ModelConfig.Attention.FULL),
                ModelConfig.tiny(16, 1, 16, 16).withConditioning(ModelConfig.Conditioning.ADDITIVE)}) {
            try (NDManager m = NDManager.newBaseManager()) {
                SpaceTimeTransformer net = ForwardEquivalenceTest.randomized(cfg, m);
                for (Stage st : p.stages()) {
                    Shape s = new Shape(2, st.frames(), cfg.channels(), cfg.height(), cfg.width());
                    NDArray x = GaussianNoise.normal(m, s, DataType.FLOAT32, 1);
                    NDArray y = net.forward(new ParameterStore(), new NDList(x,
                            m.create(new float[] {0.3f, 0.9f}), net.positions(m, st.frames())), false).singletonOrThrow();
                    assertEquals(s, y.getShape(), cfg + " stage " + st.index());
                    assertTrue(Float.isFinite(y.abs().sum().getFloat()));
                }
            }
        }
    }

    @Test
    void framesSitOnTheFullRateGrid() {
        ModelConfig cfg = ModelConfig.tiny(16, 1, 16, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer net = new SpaceTimeTransformer(cfg, m);
            assertArrayEquals(new float[] {0, 4, 8, 12}, net.positions(m, 4).toFloatArray());
            assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 12, 14}, net.positions(m, 8).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.positions(m, 5));
            assertTrue(e.getMessage().contains("frames = 5"));
            // clips longer than the network was built for (sampling 32 frames from a 16-frame model): the message says
            // that the model fixes the frame count
            IllegalArgumentException longer = assertThrows(IllegalArgumentException.class, () -> net.positions(m, 32));
            assertTrue(longer.getMessage().contains("frames = 32") && longer.getMessage().contains("a divisor of 16")
                    && longer.getMessage().contains("this network was built for"), longer.getMessage());
        }
    }

    @Test
    void positionsAndTimeChangeTheOutput() {
        ModelConfig cfg = ModelConfig.tiny(8, 1, 16, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer net = ForwardEquivalenceTest.randomized(cfg, m);
            NDArray x = GaussianNoise.normal(m, new Shape(1, 4, 1, 16, 16), DataType.FLOAT32, 3);
            NDArray t = m.create(new float[] {0.5f});
            ParameterStore ps = new ParameterStore();
            NDArray a = net.forward(ps, new NDList(x, t, net.positions(m, 4)), false).singletonOrThrow();
            NDArray b = net.forward(ps, new NDList(x, t, m.create(new float[] {0, 1, 2, 3})), false).singletonOrThrow();
            NDArray c = net.forward(ps, new NDList(x, m.create(new float[] {0.1f}), net.positions(m, 4)), false).singletonOrThrow();
            assertTrue(a.sub(b).abs().max().getFloat() > 1e-3, "temporal positions enter the network");
            assertTrue(a.sub(c).abs().max().getFloat() > 1e-3, "time enters the network");
            NDArray again = net.forward(ps, new NDList(x, t, net.positions(m, 4)), false).singletonOrThrow();
            assertArrayEquals(a.toFloatArray(), again.toFloatArray(), "deterministic");
        }
    }

    @Test
    void sameSeedSameWeightsAndBadShapesAreRefused() {
        ModelConfig cfg = ModelConfig.tiny(8, 1, 16, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer a = new SpaceTimeTransformer(cfg, m), b = new SpaceTimeTransformer(cfg, m);
            a.namedParameters().forEach((k, p) -> assertArrayEquals(p.getArray().toFloatArray(),
                    b.namedParameters().get(k).getArray().toFloatArray(), k));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.forward(new ParameterStore(),
                    new NDList(m.zeros(new Shape(1, 4, 3, 16, 16)), m.zeros(new Shape(1)), a.positions(m, 4)), false));
            assertTrue(e.getMessage().contains("[1, 4, 3, 16, 16]") || e.getMessage().contains("(1, 4, 3, 16, 16)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.tiny(8, 1, 18, 18));
        assertEquals(ModelConfig.tiny(8, 1, 16, 16), ModelConfig.fromJson(ModelConfig.tiny(8, 1, 16, 16).toJson()));
    }
}
