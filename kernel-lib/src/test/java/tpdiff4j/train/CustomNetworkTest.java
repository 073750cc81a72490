package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.StageNetwork;

/** A block of one's own trains through the same Trainer, with EMA, checkpoints and resume. */
class CustomNetworkTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    static Trainer trainer(TrainConfig c, Path ckpt, Path resume) {
        Trainer.Builder b = Trainer.builder().withConfig(c).withData(DATA).withProgress(false).withNetwork(m -> AffineBlock.network(m, 8));
        if (ckpt != null) {
            b.withCheckpoints(ckpt, 0);
        }
        if (resume != null) {
            b.withResumeFrom(resume);
        }
        return b.build();
    }

    @Test
    void affineBlockLearnsAndResumesBitEqual(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.flowMatching(2, 8, 4).withBatchSize(4).withLearningRate(0.05)
                .withCoupling(BatchNoiseAligner.l2());
        float[] straight;
        TrainResult r;
        try (Trainer t = trainer(c, null, null)) {
            r = t.train(30);
            straight = t.model().namedParameters().get("a").getArray().toFloatArray();
            // the denoiser wraps the custom network for sampling
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray y = t.denoiser().predict(m.ones(new Shape(1, 4, 1, 16, 16)), 0.5);
                assertEquals(new Shape(1, 4, 1, 16, 16), y.getShape());
            }
        }
        double[] l = r.losses();
        double early = (l[0] + l[1] + l[2]) / 3, late = (l[27] + l[28] + l[29]) / 3;
        // the velocity target eps_k - x~_k is best fitted by a < 0; from a = 0.1 the loss must fall clearly
        assertTrue(late < 0.9 * early, "loss falls: " + early + " -> " + late);
        assertTrue(straight[0] < 0.1f, "a moved towards negative values: " + straight[0]);
        try (Trainer t = trainer(c, dir, null)) {
            t.train(15);
        }
        String json = Files.readString(Checkpoint.latest(dir).resolve("config.json"));
        assertTrue(json.contains("\"network\": \"affine\""), json);
        try (Trainer t = trainer(c, dir, dir)) {
            t.train(15);
            assertArrayEquals(straight, t.model().namedParameters().get("a").getArray().toFloatArray());
        }
    }

    @Test
    void aNetworkForAnotherFrameCountIsRefused() {
        TrainConfig c = TrainConfig.flowMatching(1, 8, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().withConfig(c)
                .withData(DATA).withProgress(false).withNetwork(m -> AffineBlock.network(m, 16)).build());
        assertTrue(e.getMessage().contains("16 frames"), e.getMessage());
    }
    @Test
    void aNetworkWithoutWeightsIsRefusedAndTheTrainersManagerIsClosed() {
        NDManager[] given = new NDManager[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(DATA).withProgress(false)
                .withNetwork(m -> {
                    given[0] = m;
                    m.ones(new Shape(1000)); // a buffer of the network's, on the trainer's manager
                    return tpdiff4j.nn.StageNetwork.of("identity", ai.djl.nn.Blocks.identityBlock(), 8);
                }).build());
        assertEquals("the network has no parameters to train", e.getMessage());
        // the manager was made inside build() and never handed out: if it stayed open, its arrays (here the
        // buffer) would stay in native memory for good, once more with every corrected re-run of the cell
        assertTrue(given[0] != null && !given[0].isOpen(), "the failed trainer's manager is still open");
    }

    @Test
    void aFrameWiseNetworkTrainsEveryStageWithAlignmentAndSamplesThePyramid() {
        FrameMlp[] made = new FrameMlp[1];
        TrainConfig c = TrainConfig.flowMatching(2, 8, 3).withBatchSize(4).withLearningRate(3e-3)
                .withCoupling(BatchNoiseAligner.l2());
        try (Trainer t = Trainer.builder().withConfig(c).withData(DATA).withProgress(false).withNetwork(m -> {
                    StageNetwork n = FrameMlp.network(m, 8, 1);
                    made[0] = (FrameMlp) n.block();
                    return n;
                }).build(); NDManager m = t.manager().newSubManager()) {
            double[] l = t.train(60).losses();
            double early = java.util.Arrays.stream(l, 0, 10).average().orElseThrow();
            double late = java.util.Arrays.stream(l, 50, 60).average().orElseThrow();
            // an untrained network predicts about 0 for a velocity target of variance ~2; a few dozen steps of the
            // per-frame layers learn much of -x_t's part of it
            assertTrue(late < 0.8 * early, "loss falls: " + early + " -> " + late);
            assertEquals(java.util.Set.of(4L, 8L), made[0].framesSeen, "both stages' frame counts were trained");
            NDArray v = t.withEmaWeights(() -> tpdiff4j.sample.VideoSampler.pyramid(t.pyramid(),
                    tpdiff4j.ode.Solvers.euler(), 3, 3).sample(t.denoiser(), m, 2, DATA.spec(), 5));
            assertEquals(new Shape(2, 8, 1, 16, 16), v.getShape());
            assertTrue(!v.isNaN().any().getBoolean(), "finite samples");
        }
    }

    /** Returns one frame, the clip's mean over frames times a weight: broadcasting would hide it in the loss. */
    static final class FrameMean extends ai.djl.nn.AbstractBlock {
        final ai.djl.nn.Parameter a = addParameter(ai.djl.nn.Parameter.builder().setName("a")
                .setType(ai.djl.nn.Parameter.Type.WEIGHT).optShape(new Shape(1, 1)).build());

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in,
                boolean training, ai.djl.util.PairList<String, Object> params) {
            NDArray x = in.get(0);
            return new ai.djl.ndarray.NDList(x.mean(new int[] {1}, true).mul(ps.getValue(a, x.getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return new Shape[] {in[0]};
        }
    }

    @Test
    void anOutputOfAnotherShapeIsRefusedWithBothShapesNotBroadcastIntoTheLoss() {
        TrainConfig c = TrainConfig.flowMatching(1, 8, 1).withBatchSize(2);
        try (Trainer t = Trainer.builder().withConfig(c).withData(DATA).withProgress(false).withNetwork(m -> {
                    FrameMean b = new FrameMean();
                    b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8, 1, 16, 16), new Shape(1), new Shape(8));
                    return tpdiff4j.nn.StageNetwork.of("frame-mean", b, 8);
                }).build(); NDManager m = t.manager().newSubManager()) {
            float a = t.model().namedParameters().get("a").getArray().getFloat(0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::step);
            for (String x : new String[] {"network 'frame-mean' returned an array of shape (2, 1, 1, 16, 16) for x of shape"
                    + " (2, 8, 1, 16, 16) (training step 1, pyramid stage 0 of 1", "expected one array of shape (2, 8, 1, 16, 16)",
                    "any frame count that divides 8"}) {
                assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
            }
            assertEquals(0, t.stepCount(), "the refused step is not counted");
            assertEquals(a, t.model().namedParameters().get("a").getArray().getFloat(0), 0f, "nor applied");
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                    () -> t.denoiser().predict(m.zeros(new Shape(3, 4, 1, 16, 16)), 0.5));
            assertTrue(p.getMessage().contains("returned an array of shape (3, 1, 1, 16, 16) for x of shape (3, 4, 1, 16, 16)"
                    + " (a prediction at t = 0.5)") && p.getMessage().contains("here 4 of the 8 full-rate frames"), p.getMessage());
        }
    }

    /** An MLP over the whole clip flattened: built for the full rate only, it cannot take a lower stage's clip. */
    static final class FlatClip extends ai.djl.nn.AbstractBlock {
        final ai.djl.nn.Block layer = addChildBlock("layer", ai.djl.nn.core.Linear.builder().setUnits(8 * 256).build());

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in,
                boolean training, ai.djl.util.PairList<String, Object> params) {
            NDArray x = in.get(0);
            NDArray y = layer.forward(ps, new ai.djl.ndarray.NDList(x.reshape(x.getShape().get(0), -1)), training).singletonOrThrow();
            return new ai.djl.ndarray.NDList(y.reshape(x.getShape()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return new Shape[] {in[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager m, ai.djl.ndarray.types.DataType type, Shape... in) {
            layer.initialize(m, type, new Shape(1, 8 * 256));
        }
    }

    @Test
    void aNetworkForTheFullRateOnlyIsToldThatAStageGivesFewerFrames() {
        java.util.function.Function<NDManager, tpdiff4j.nn.StageNetwork> flat = m -> {
            FlatClip b = new FlatClip();
            b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8, 1, 16, 16), new Shape(1), new Shape(8));
            return tpdiff4j.nn.StageNetwork.of("flat", b, 8);
        };
        try (Trainer vanilla = Trainer.builder().withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2))
                .withData(DATA).withProgress(false).withNetwork(flat).build()) {
            assertTrue(Double.isFinite(vanilla.step()), "at the full rate it runs");
        }
        TrainConfig lowStage = TrainConfig.flowMatching(2, 8, 1).withBatchSize(2).withStageDraw(StageDraw.weights(1, 0));
        try (Trainer t = Trainer.builder().withConfig(lowStage).withData(DATA).withProgress(false).withNetwork(flat).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::step);
            for (String x : new String[] {"network 'flat' failed on x of shape (2, 4, 1, 16, 16) (training step 1, pyramid"
                    + " stage 0 of 2", "here 4 of the 8 full-rate frames", "any frame count that divides 8"}) {
                assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
            }
            assertTrue(e.getCause() instanceof ai.djl.engine.EngineException, "the engine's error is the cause: " + e.getCause());
            assertEquals(0, t.stepCount());
        }
    }

    @Test
    void aBlockWithRunningStatisticsIsRefusedByParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.nn.Block bn = ai.djl.nn.norm.BatchNorm.builder().optAxis(2).build();
            bn.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8, 1, 16, 16));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tpdiff4j.nn.StageNetwork.of("bn", bn, 8));
            assertTrue(e.getMessage().startsWith("parameter runningMean of block bn (type RUNNING_MEAN) takes no gradient")
                    && e.getMessage().contains("LayerNorm or GroupNorm"), e.getMessage());
        }
    }

    @Test
    void aNonFiniteGradientUnderAFiniteLossIsNotApplied(@TempDir Path dir) {
        TrainConfig c = TrainConfig.flowMatching(2, 8, 4).withBatchSize(4).withLearningRate(0.05).withClipNorm(1.0)
                .withCoupling(BatchNoiseAligner.l2());
        try (Trainer t = Trainer.builder().withConfig(c).withData(DATA).withProgress(false)
                .withNetwork(m -> SqrtBiasBlock.network(m, 8)).withCheckpoints(dir, 1).build()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> t.train(1));
            assertTrue(e.getMessage().startsWith("training step 1: the loss is finite but 1 of the 2 gradient entries"
                    + " are not") && e.getMessage().contains("neither the learning rate nor gradient clipping"),
                    e.getMessage());
            assertEquals(0, t.stepCount(), "the step was not counted");
            java.util.Map<String, float[]> w = TrainerTest.weights(t);
            for (float[] v : w.values()) {
                assertEquals(1, v.length);
                assertTrue(v[0] == 0.1f || v[0] == 0f, "weights stay at their start: " + v[0]);
            }
            // training again repeats step 1 (here the derivative is infinite every time, so it is refused again)
            ArithmeticException again = assertThrows(ArithmeticException.class, () -> t.train(1));
            assertTrue(again.getMessage().startsWith("training step 1: the loss is finite but 1 of the 2"), again.getMessage());
        }
    }
}
