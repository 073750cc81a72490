package tpdiff4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.metrics.MetricReport;
import tpdiff4j.metrics.TensorErrors;
import tpdiff4j.metrics.VideoMetrics;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.PlacementCheck;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * Every tensor of training, sampling and the metrics' tensor work lives on the device of the model or manager it
 * was given: checked with {@link PlacementCheck} from inside each computation (the data set the trainer draws from,
 * the denoiser the samplers call), so a manager opened and closed on a hard-coded device in between is caught.
 */
class DevicePlacementTest {

    @BeforeAll
    static void oneThread() {
        Compute.useThreads(1);
    }

    /** A data set that runs the check whenever the trainer asks it for a batch (inside a training step). */
    record CheckedData(VideoDataset inner, PlacementCheck check) implements VideoDataset {
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
            check.verify("training step");
            NDArray x = inner.batch(manager, batchSize, seed);
            assertEquals(Compute.device(), x.getDevice(), "a training batch");
            return x;
        }
    }

    /** A denoiser that runs the check on every call (inside a sampler's step or stage). */
    record CheckedDenoiser(Denoiser inner, PlacementCheck check) implements Denoiser {
        @Override
        public NDArray predict(NDArray x, double t) {
            check.verify("sampling at t = " + t);
            NDArray out = inner.predict(x, t);
            assertEquals(x.getDevice(), out.getDevice(), "a prediction");
            return out;
        }

        @Override
        public PredictionType type() {
            return inner.type();
        }
    }

    @Test
    void trainingSamplingAndMetricsStayOnTheGivenDevice() {
        SpriteVideos sprites = SpriteVideos.builder().withFrames(8).withSize(16).build();
        try (NDManager given = Compute.newManager()) {
            PlacementCheck check = PlacementCheck.around(given);
            try (Trainer checked = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))
                    .withConfig(TrainConfig.flowMatching(3, 8, 3).withCoupling(tpdiff4j.align.BatchNoiseAligner.l2()).withBatchSize(2))
                    .withData(new CheckedData(sprites, check)).withProgress(false).build()) {
                // the trainer's own root manager is the one root the library may open, on the knob's device
                check.allow(checked.manager());
                assertEquals(Compute.device(), checked.manager().getDevice(), "the trainer's default device");
                checked.train(3);
                check.verify("after training");

                Denoiser den = new CheckedDenoiser(checked.denoiser(), check);
                Shape s = new Shape(2, 8, 1, 16, 16);
                NDArray vanilla = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.ddim(), 3)
                        .sample(den, given, s, 11);
                NDArray pyramid = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8),
                        Solvers.euler(), 2, 2).sample(den, given, s, 11);
                assertEquals(given, vanilla.getManager(), "samples belong to the given manager");
                assertEquals(given, pyramid.getManager(), "samples belong to the given manager");

                NDArray real = sprites.batch(given, 8, 5);
                NDArray fake = sprites.batch(given, 8, 6);
                MetricReport r = VideoMetrics.DEFAULT.sprites("placement", real, fake);
                assertEquals(8, r.generatedClips(), "the metrics ran");
                assertTrue(TensorErrors.maxAbs(vanilla, pyramid) > 0, "two samplers, two results");
                check.verify("after sampling and metrics");
            }
            // 3 training steps + 3 vanilla and 4 pyramid denoiser calls + 2 explicit checks: the hooks were reached
            assertTrue(check.checks() >= 12, "checks run: " + check.checks());
        }
    }

    /**
     * A denoiser asked to prepare a sampling run ({@code forTimes}, which the pyramid sampler calls on the run's
     * manager before the first step) on another device than the model's refuses by name, as a prediction does,
     * instead of mixing devices inside PyTorch. The other device here is a GPU index that DJL does not see: a manager
     * on it can be opened, and any tensor made on it would fail inside PyTorch.
     */
    @Test
    void preparingASamplingRunOnAnotherDeviceIsRefusedByName() {
        ai.djl.Device other = ai.djl.Device.gpu(ai.djl.engine.Engine.getInstance().getGpuCount());
        try (NDManager m = Compute.newManager(); NDManager elsewhere = NDManager.newBaseManager(other)) {
            Denoiser den = new tpdiff4j.nn.NetDenoiser(new tpdiff4j.nn.SpaceTimeTransformer(ModelConfig.tiny(8, 1, 16, 16), m),
                    tpdiff4j.ode.PredictionType.VELOCITY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> den.forTimes(new double[] {1.0, 0.5, 0.0}, elsewhere));
            assertTrue(e.getMessage().contains("the manager is on " + other) && e.getMessage().contains("weights are on "
                    + m.getDevice()), e.getMessage());
        }
    }

    @Test
    void aMissingGpuFailsWhenItIsChosenNotAtBuild() {
        // the first GPU index DJL does not see: gpu(0) on a CPU-only machine or with the CPU build of PyTorch
        ai.djl.Device absent = ai.djl.Device.gpu(ai.djl.engine.Engine.getInstance().getGpuCount());
        Trainer.Builder b = Trainer.builder();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.withDevice(absent));
        assertTrue(e.getMessage().contains("environment/setup --gpu") && e.getMessage().length() < 400,
                e.getMessage().length() + " characters: " + e.getMessage());
    }

    @Test
    void theCheckCatchesATensorOnAHardCodedDevice() {
        try (NDManager given = Compute.newManager()) {
            PlacementCheck check = PlacementCheck.around(given);
            given.zeros(new Shape(2));
            check.verify("a tensor in the given manager");
            try (NDManager stray = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                stray.zeros(new Shape(2));
                AssertionError e = assertThrows(AssertionError.class, () -> check.verify("a stray root"));
                assertTrue(e.getMessage().contains("root manager on cpu()"), e.getMessage());
            }
            check.verify("after the stray root closed");
        }
    }
}
