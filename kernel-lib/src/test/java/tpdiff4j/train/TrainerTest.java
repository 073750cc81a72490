package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.Schedules;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.WindowConvention;
import tpdiff4j.schedule.NoiseSchedule;

class TrainerTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();
    static final ModelConfig MODEL = ModelConfig.tiny(8, 1, 16, 16);

    static Trainer trainer(TrainConfig cfg, Path ckpt, Path resume) {
        Trainer.Builder b = Trainer.builder().withModel(MODEL).withConfig(cfg).withData(DATA).withProgress(false);
        if (ckpt != null) {
            b.withCheckpoints(ckpt, 0);
        }
        if (resume != null) {
            b.withResumeFrom(resume);
        }
        return b.build();
    }

    static TrainConfig vanilla() {
        return TrainConfig.flowMatching(1, 8, 7).withBatchSize(4);
    }

    static Map<String, float[]> weights(Trainer t) {
        Map<String, float[]> m = new LinkedHashMap<>();
        t.model().namedParameters().forEach((k, p) -> m.put(k, p.getArray().toFloatArray()));
        return m;
    }

    @Test
    void vanillaStepsReduceTheLossAndAreDeterministic() {
        try (Trainer a = trainer(vanilla(), null, null);
             Trainer b = trainer(vanilla(), null, null)) {
            double first = a.step();
            assertTrue(Double.isFinite(first));
            assertEquals(first, b.step(), 0.0, "same seed, same first loss");
            TrainResult r = a.train(40);
            b.train(40);
            assertEquals(41, a.stepCount());
            assertFalse(r.interrupted());
            assertTrue(r.meanLoss() < first, "loss falls: " + first + " -> " + r.meanLoss());
            Map<String, float[]> wa = weights(a), wb = weights(b);
            wa.forEach((k, v) -> assertArrayEquals(v, wb.get(k), k));
        }
    }

    @Test
    void epsilonPredictionStepRuns() {
        TrainConfig c = TrainConfig.vanilla(Schedules.linear(0.00085, 0.012, 1000), PredictionType.EPSILON, 8, 3)
                .withBatchSize(2);
        try (Trainer t = trainer(c, null, null)) {
            double l = t.step();
            // at init the output layer is zero, so the loss is E[eps^2] = 1 up to sampling error (N = 2*8*256)
            assertEquals(1.0, l, 4 * Math.sqrt(2.0 / 4096));
        }
    }

    /**
     * EPSILON on flow matching trains, but no sampler could use the network: they all start at t = 1, where
     * gamma = 0 and the noise is the whole sample. The trainer refuses it when built, naming the prediction, instead
     * of the sampler refusing it after the training.
     */
    @Test
    void epsilonOnFlowMatchingIsRefusedWhenTheTrainerIsBuilt() {
        TrainConfig c = TrainConfig.vanilla(Schedules.flowMatching(), PredictionType.EPSILON, 8, 3).withBatchSize(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(c, null, null));
        assertTrue(e.getMessage().startsWith("prediction = EPSILON with schedule 'flowMatching'; allowed: VELOCITY"),
                e.getMessage());
        assertTrue(e.getMessage().contains("gamma = 0.0 and sigma = 1.0"), e.getMessage());
        TrainConfig pyramid = c.withPyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8));
        e = assertThrows(IllegalArgumentException.class, () -> trainer(pyramid, null, null));
        assertTrue(e.getMessage().startsWith("prediction = EPSILON"), e.getMessage());
        assertEquals(c.withPrediction(PredictionType.VELOCITY), c.withPrediction(PredictionType.VELOCITY)
                .requireSamplable(), "VELOCITY on flow matching is what samplers expect");
        // the sampler refuses the same combination with its own words: this check runs before, not instead
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            tpdiff4j.ode.Denoiser eps = tpdiff4j.ode.Denoiser.of(PredictionType.EPSILON, (x, t) -> x.zerosLike());
            IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                    () -> tpdiff4j.pyramid.PyramidSampler.of(c.pyramid(), tpdiff4j.ode.Solvers.euler(), 3)
                            .sample(eps, m.randomNormal(new ai.djl.ndarray.types.Shape(1, 8, 1, 2, 2)), 1));
            assertTrue(late.getMessage().contains("EPSILON prediction to VELOCITY at t = 1.0"), late.getMessage());
        }
    }

    @Test
    void checkpointRoundTripAndResumeContinueTheSameRun(@TempDir Path dir) throws Exception {
        Map<String, float[]> straight;
        try (Trainer a = trainer(vanilla(), null, null)) {
            a.train(6);
            straight = weights(a);
        }
        try (Trainer b = trainer(vanilla(), dir, null)) {
            b.train(3);
            assertEquals(3, Checkpoint.latestStep(dir));
            assertTrue(Files.exists(Checkpoint.latest(dir).resolve("config.json")));
        }
        try (Trainer c = trainer(vanilla(), dir, dir)) {
            assertEquals(3, c.stepCount());
            c.train(3);
            Map<String, float[]> resumed = weights(c);
            straight.forEach((k, v) -> assertArrayEquals(v, resumed.get(k), "weight " + k + " after resume (bit-equal)"));
            String json = Files.readString(Checkpoint.latest(dir).resolve("config.json"));
            for (String key : new String[] {"\"model\"", "\"train\"", "\"pyramid\"", "\"coupling\"", "\"stageDraw\"", "\"optimizer\"", "\"rng\"", "\"step\": 6"}) {
                assertTrue(json.contains(key), "config.json has " + key);
            }
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("step-")).count(),
                    "older step folders are removed after the atomic switch");
        }
    }

    @Test
    void customPyramidAlignedLambdaScheduleResumesBitEqual(@TempDir Path dir) throws Exception {
        // a schedule of Java functions on a non-uniform, rate-4, convention-B pyramid with the aligner
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        TemporalPyramid p = TemporalPyramid.builder(quarter, 8).withBoundaries(0.4).withRateFactors(4)
                .withConvention(WindowConvention.B).build();
        TrainConfig cfg = TrainConfig.of(p, PredictionType.VELOCITY, 13).withBatchSize(3)
                .withCoupling(BatchNoiseAligner.l2()).withStageDraw(StageDraw.byWindowLength());
        int n = 3;
        Map<String, float[]> straight;
        double[] lossesStraight;
        try (Trainer a = trainer(cfg, null, null)) {
            lossesStraight = a.train(2 * n).losses();
            straight = weights(a);
        }
        try (Trainer b = trainer(cfg, dir, null)) {
            b.train(n);
        }
        String json = Files.readString(Checkpoint.latest(dir).resolve("config.json"));
        JsonObject train = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("train");
        assertEquals("batchAligner", train.getAsJsonObject("coupling").get("type").getAsString());
        assertEquals("windowLength", train.getAsJsonObject("stageDraw").get("rule").getAsString());
        JsonObject table = train.getAsJsonObject("scheduleTable");
        assertTrue(table.get("maxError").getAsDouble() <= table.get("tolerance").getAsDouble(), table.toString());
        TemporalPyramid saved = TemporalPyramid.fromJson(train.get("pyramid").toString());
        assertEquals(WindowConvention.B, saved.convention());
        assertArrayEquals(p.rateFactors(), saved.rateFactors());
        assertArrayEquals(p.boundaries(), saved.boundaries(), 0.0);
        for (int k = 0; k < 2; k++) {
            // convention B shifts the window by the log-SNR of the table, within the table's tolerance of the functions
            assertEquals(p.stage(k).start(), saved.stage(k).start(), 1e-5);
        }
        try (Trainer c = trainer(cfg, dir, dir)) {
            double[] lossesResumed = c.train(n).losses();
            Map<String, float[]> resumed = weights(c);
            straight.forEach((k, v) -> assertArrayEquals(v, resumed.get(k), "weight " + k + " after resume (bit-equal)"));
            assertArrayEquals(java.util.Arrays.copyOfRange(lossesStraight, n, 2 * n), lossesResumed, 0.0);
        }
    }

    @Test
    void theCheckpointsOwnConfigurationOfAFunctionScheduleResumesIt(@TempDir Path dir) throws Exception {
        // what the refusal message tells a user to do: build the trainer from the checkpoint's config.json
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        TrainConfig cfg = TrainConfig.of(TemporalPyramid.builder(quarter, 8).withBoundaries(0.6).build(),
                PredictionType.VELOCITY, 5).withBatchSize(2).withTimeDraw(StageTimeDraw.power(2));
        try (Trainer a = trainer(cfg, dir, null)) {
            a.train(2);
        }
        JsonObject saved = JsonParser.parseString(Files.readString(Checkpoint.latest(dir).resolve("config.json")))
                .getAsJsonObject();
        assertTrue(saved.getAsJsonObject("train").has("scheduleTable"), "the tabulation report is written");
        TrainConfig read = TrainConfig.fromJsonObject(saved.getAsJsonObject("train"));
        assertEquals(cfg, read, "a configuration read back equals the one written");
        assertEquals(cfg.hashCode(), read.hashCode());
        assertEquals(read, TrainConfig.fromJsonObject(read.toJsonObject()));
        try (Trainer b = trainer(read, dir, dir)) {
            assertEquals(2, b.stepCount(), "resumed from the checkpoint");
            b.train(1);
        }
        assertEquals(3, Checkpoint.latestStep(dir));
        // a different function is still a different configuration
        NoiseSchedule other = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2.1), t -> Math.sin(t * Math.PI / 2.1));
        TrainConfig changed = cfg.withPyramid(cfg.pyramid().withSchedule(other));
        assertNotEquals(cfg, changed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(changed, null, dir));
        assertTrue(e.getMessage().contains("train.pyramid.schedule"), e.getMessage());
    }

    @Test
    void anInterruptDuringAListenerOrACheckpointSaveStillStopsCleanlyWithTheCheckpoint(@TempDir Path dir)
            throws Exception {
        // the interrupt arrives while a listener runs, just before the checkpoint of step 4 is written
        try (Trainer t = Trainer.builder().withModel(MODEL).withConfig(vanilla()).withData(DATA).withProgress(false)
                .withCheckpoints(dir, 2).withListener(p -> {
                    if (p.step() == 4) {
                        Thread.currentThread().interrupt();
                    }
                }).build()) {
            TrainResult r = t.train(10);
            assertTrue(r.interrupted());
            assertEquals(4, r.steps(), "stopped at the next step boundary");
            assertEquals(4, Checkpoint.latestStep(dir), "the checkpoint of step 4 was written, not lost");
            assertTrue(Thread.interrupted(), "the interrupt is reported and passed on to the caller");
            // an interrupt in the middle of a save (after its first file): the save is done again, then reported
            int[] cancelled = {0};
            t.train(1);
            Path folder = Checkpoint.save(t, dir, (step, path) -> {
                if (step == SaveHook.Step.FILE_WRITTEN && cancelled[0]++ == 0) {
                    Thread.currentThread().interrupt();   // the next file's channel closes itself
                }
            });
            assertTrue(Thread.interrupted(), "the flag is set again after the save");
            assertEquals(5, Checkpoint.latestStep(dir));
            assertEquals(folder, Checkpoint.latest(dir));
            try (Trainer back = trainer(vanilla(), null, dir)) {
                Map<String, float[]> w = weights(t), b = weights(back);
                w.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
            }
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                assertEquals(java.util.List.of("latest", folder.getFileName().toString()),
                        left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
            }
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void trainResultKeepsLossesAndStepTimesAfterWarmup() {
        try (Trainer t = trainer(vanilla(), null, null)) {
            TrainResult first = t.train(2);
            assertEquals(2, first.warmupSteps(), "both steps are warm-up");
            assertTrue(Double.isNaN(first.secondsPerStepAfterWarmup()));
            TrainResult r = t.train(4);
            assertEquals(1, r.warmupSteps(), "the trainer's third step is the last warm-up step");
            assertEquals(4, r.losses().length);
            assertEquals(4, r.stepSeconds().length);
            double mean = (r.stepSeconds()[1] + r.stepSeconds()[2] + r.stepSeconds()[3]) / 3;
            assertEquals(mean, r.secondsPerStepAfterWarmup(), 1e-12);
            double sum = 0;
            for (double l : r.losses()) {
                sum += l;
            }
            assertEquals(r.meanLoss(), sum / 4, 1e-12);
        }
    }

    @Test
    void incompatibleCheckpointIsRefusedWithTheDifference(@TempDir Path dir) {
        try (Trainer b = trainer(vanilla(), dir, null)) {
            b.train(1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(vanilla().withBatchSize(2), null, dir));
        String nl = System.lineSeparator();
        assertTrue(e.getMessage().contains(" is incompatible with this trainer, field by field:" + nl
                + "  train.batchSize: 4 in the checkpoint vs. 2 in this trainer" + nl + "Build the trainer with the"
                + " checkpoint's configuration"), e.getMessage());
        // several differences: one line each, field, the checkpoint's value and this trainer's, in the files' order
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer(vanilla().withBatchSize(2).withLearningRate(0.01).withSeed(9), null, dir));
        assertTrue(e.getMessage().contains(":" + nl
                + "  train.batchSize: 4 in the checkpoint vs. 2 in this trainer" + nl
                + "  train.learningRate: 0.001 in the checkpoint vs. 0.01 in this trainer" + nl
                + "  train.seed: 7 in the checkpoint vs. 9 in this trainer" + nl + "Build"), e.getMessage());
        // a field that only one side has says so
        e = assertThrows(IllegalArgumentException.class, () -> trainer(vanilla()
                .withLossWeights(StageLossWeights.of(2.0)), null, dir));
        assertTrue(e.getMessage().contains(nl + "  train.lossWeights: absent in the checkpoint vs. [2.0] in this"
                + " trainer" + nl), e.getMessage());
    }

    private static Trainer resumeOn(tpdiff4j.data.VideoDataset data, Path dir) {
        return Trainer.builder().withModel(MODEL).withConfig(vanilla()).withData(data).withProgress(false)
                .withResumeFrom(dir).build();
    }

    @Test
    void resumingOnAnotherDataSetOfTheSameShapeIsRefused(@TempDir Path dir) throws Exception {
        try (Trainer b = trainer(vanilla(), dir, null)) {
            b.train(1);
        }
        // same clip shape, other clips: step n would draw other clips from the same seed
        SpriteVideos faster = SpriteVideos.builder().withFrames(8).withSize(16).withSpeed(2, 3).build();
        assertEquals(DATA.spec(), faster.spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resumeOn(faster, dir));
        assertTrue(e.getMessage().contains("the data set differs") && e.getMessage().contains(DATA.toString())
                && e.getMessage().contains(faster.toString()), e.getMessage());
        // an equal data set, built again, continues the run
        try (Trainer again = resumeOn(SpriteVideos.builder().withFrames(8).withSize(16).build(), dir)) {
            assertEquals(1, again.stepCount());
        }
        // a checkpoint written before data sets were recorded is compared by the clip shape alone
        Path cfg = Checkpoint.latest(dir).resolve("config.json");
        JsonObject o = JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
        o.remove("dataset");
        Files.writeString(cfg, o.toString());
        try (Trainer old = resumeOn(faster, dir)) {
            assertEquals(1, old.stepCount());
        }
    }

    /** A data set of one's own whose class keeps Object.toString (class name and identity hash). */
    static final class PlainData implements tpdiff4j.data.VideoDataset {
        @Override
        public tpdiff4j.data.VideoSpec spec() {
            return DATA.spec();
        }

        @Override
        public void fill(long seed, float[] out, int offset) {
            DATA.fill(seed, out, offset);
        }
    }

    @Test
    void aDataSetWithoutItsOwnToStringIsRecordedByItsClass(@TempDir Path dir) throws Exception {
        PlainData first = new PlainData(), second = new PlainData();
        assertNotEquals(first.toString(), second.toString(), "identity hashes differ, as between two processes");
        try (Trainer b = Trainer.builder().withModel(MODEL).withConfig(vanilla()).withData(first).withProgress(false)
                .withCheckpoints(dir, 0).build()) {
            b.train(1);
        }
        try (Trainer again = resumeOn(second, dir)) {
            assertEquals(1, again.stepCount());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resumeOn(DATA, dir));
        assertTrue(e.getMessage().contains("\"" + PlainData.class.getName() + "\""), e.getMessage());
    }

    @Test
    void interruptStopsAtAStepBoundaryAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        try (Trainer t = trainer(vanilla(), dir, null)) {
            t.train(2);
            long[] seen = new long[1];
            TrainListener stopper = p -> {
                seen[0] = p.step();
                if (p.step() == 4) {
                    Thread.currentThread().interrupt();
                }
            };
            try (Trainer u = Trainer.builder().withModel(MODEL).withConfig(vanilla()).withData(DATA).withProgress(false)
                    .withCheckpoints(dir, 0).withResumeFrom(dir).withListener(stopper).build()) {
                TrainResult r = u.train(100);
                assertTrue(r.interrupted());
                assertEquals(4, u.stepCount(), "stopped right after the step that saw the interrupt");
                assertEquals(2, r.steps());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is reported and passed on to the caller");
                TrainResult next = u.train(100);
                assertTrue(next.interrupted(), "a second call (a loop of train calls) stops at once");
                assertEquals(0, next.steps());
                assertEquals(4, u.stepCount());
                assertTrue(Thread.interrupted(), "and passes the interrupt on again");
                assertEquals(2, Checkpoint.latestStep(dir), "no checkpoint written on interrupt");
            }
        }
    }

    /**
     * The data fix the clip shape, so a mismatch names the part that differs from them: a model built for 16 frames
     * on 8-frame data with an 8-frame pyramid is the model's fault (the message used to ask for another pyramid), and
     * a 16-frame pyramid on 8-frame data with the right model is the pyramid's, with the frame count to use.
     */
    @Test
    void aShapeMismatchNamesThePartThatDiffersFromTheData() {
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withModel(ModelConfig.tiny(16, 1, 16, 16)).withConfig(vanilla()).withData(DATA).withProgress(false).build());
        assertTrue(model.getMessage().startsWith("model 16x1x16x16") && model.getMessage().contains(DATA.spec().toString())
                && model.getMessage().contains("ModelConfig.tiny(data.spec())"), model.getMessage());
        IllegalArgumentException pyramid = assertThrows(IllegalArgumentException.class,
                () -> trainer(TrainConfig.flowMatching(3, 16, 7), null, null));
        assertTrue(pyramid.getMessage().startsWith("pyramid frames = 16, but the data's clips have 8 frames")
                && pyramid.getMessage().contains("TemporalPyramid.uniform(schedule, K, 8)"), pyramid.getMessage());
    }
}
