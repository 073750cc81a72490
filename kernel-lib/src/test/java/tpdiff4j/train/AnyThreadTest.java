package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.GaussianNoise;

/**
 * Training and sampling work on a thread that did not start the engine (a notebook's background thread, an executor).
 * PyTorch keeps autograd's on/off switch per thread, on by default, and DJL switches it off only on the thread that
 * creates the engine: on any other thread the optimizer's and the EMA swap's in-place writes into weights failed
 * ("a leaf Variable that requires grad is being used in an in-place operation"), and sampling recorded a graph.
 */
class AnyThreadTest {

    @Test
    void trainerStepsEmaSwapAndSamplingRunOnAFreshThread() throws InterruptedException {
        SpriteVideos data = SpriteVideos.builder().withFrames(4).withSize(16).build();
        TrainConfig cfg = TrainConfig.flowMatching(1, 4, 1).withBatchSize(2);
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(4, 1, 16, 16)).withConfig(cfg).withData(data)
                .withProgress(false).build()) {
            t.train(1); // this thread starts the engine here (autograd off on it)
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> graph = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    t.train(3);
                    t.withEmaWeights(() -> {
                        try (NDManager m = t.manager().newSubManager()) {
                            NDArray x = GaussianNoise.normal(m, new Shape(1, 4, 1, 16, 16), DataType.FLOAT32, 5);
                            graph.set(t.denoiser().predict(x, 0.5).hasGradient());
                        }
                        return null;
                    });
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "not-the-engine-thread");
            other.start();
            other.join();
            assertNull(failure.get(), () -> "training on another thread failed: " + failure.get());
            assertEquals(4, t.stepCount());
            assertFalse(graph.get(), "a sampling prediction on another thread recorded an autograd graph");
        }
    }
}
