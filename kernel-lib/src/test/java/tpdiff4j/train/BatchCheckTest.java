package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.ModelConfig;

/**
 * A training step checks the clips its data set returns before they meet the weights: device, type and shape, each
 * refused with a sentence naming what came back and what is allowed, before the step changes anything.
 */
class BatchCheckTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /** Sprite clips, changed by {@code change} after the data set made them in the step's manager. */
    record Changed(VideoDataset inner, UnaryOperator<NDArray> change) implements VideoDataset {
        @Override
        public VideoSpec spec() {
            return inner.spec();
        }

        @Override
        public void fill(long seed, float[] out, int offset) {
            inner.fill(seed, out, offset);
        }

        @Override
        public NDArray batch(NDManager manager, int batchSize, long seed) {
            return change.apply(inner.batch(manager, batchSize, seed));
        }
    }

    private static String refusedStep(UnaryOperator<NDArray> change) {
        SpriteVideos sprites = SpriteVideos.builder().withFrames(8).withSize(16).build();
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))
                .withConfig(TrainConfig.flowMatching(3, 8, 3).withBatchSize(2)).withData(new Changed(sprites, change))
                .withProgress(false).build()) {
            Map<String, float[]> before = TrainerTest.weights(t);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::step);
            assertEquals(0, t.stepCount(), "a refused step is not counted");
            TrainerTest.weights(t).forEach((k, v) -> assertArrayEquals(before.get(k), v, "weights unchanged: " + k));
            return e.getMessage();
        }
    }

    /** Float64 clips met float32 weights inside PyTorch ("expected m1 and m2 to have the same dtype"). */
    @Test
    void float64ClipsAreRefusedByName() {
        String m = refusedStep(x -> x.toType(DataType.FLOAT64, false));
        assertTrue(m.contains("data.batch(") && m.contains("FLOAT64") && m.contains("allowed: FLOAT32"), m);
    }

    /** One clip fewer than the batch size trained silently on a smaller batch. */
    @Test
    void clipsOfAnotherShapeAreRefusedByName() {
        String m = refusedStep(x -> x.get("0:1"));
        assertTrue(m.contains("(1, 8, 1, 16, 16)") && m.contains("allowed: (2, 8, 1, 16, 16)"), m);
    }

    /**
     * Clips on another device than the weights (a data set holding its clips in a manager of its own) fail inside
     * PyTorch on a GPU. This machine has one device, so the clips are a stand-in that reports a GPU DJL does not see.
     */
    @Test
    void clipsOnAnotherDeviceAreRefusedByName() {
        Device other = Device.gpu(ai.djl.engine.Engine.getInstance().getGpuCount());
        NDArray elsewhere = (NDArray) Proxy.newProxyInstance(NDArray.class.getClassLoader(), new Class<?>[] {NDArray.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getDevice" -> other;
                    case "getDataType" -> DataType.FLOAT32;
                    case "getShape" -> new Shape(2, 8, 1, 16, 16);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainChecks.batch(elsewhere, Device.cpu(), new long[] {2, 8, 1, 16, 16}));
        assertTrue(e.getMessage().contains("on " + other + "; the weights are on " + Device.cpu()), e.getMessage());
    }
}
