package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.schedule.Schedules;

/** Settings that would turn training into NaN are refused up front; a non-finite loss stops training loudly. */
class TrainValidationTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    private static void refused(Supplier<TrainConfig> make, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        for (String x : expected) {
            assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
        }
    }

    @Test
    void aTimeBudgetAndACheckpointIntervalMustMakeSense(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().withCheckpoints(dir, -5));
        assertTrue(e.getMessage().contains("every >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().withCheckpoints(null, 10));
        assertTrue(e.getMessage().contains("a folder"), e.getMessage());
        tpdiff4j.data.SpriteVideos data = tpdiff4j.data.SpriteVideos.builder().withFrames(8).withSize(16).build();
        try (Trainer t = Trainer.builder().withNetwork(m -> AffineBlock.network(m, 8))
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(data).withProgress(false).build()) {
            for (double s : new double[] {Double.NaN, -1}) {
                e = assertThrows(IllegalArgumentException.class, () -> t.train(5, s));
                assertTrue(e.getMessage().startsWith("maxSeconds = " + s), e.getMessage());
            }
            assertEquals(0, t.stepCount(), "nothing trained");
            assertEquals(0, t.train(5, 0).steps(), "a budget of 0 s trains nothing");
        }
    }

    @Test
    void theEndOfRunLineCountsThisCallsStepsAndNamesTheTrainersStep() {
        TrainResult second = new TrainResult(2, 5, 0.04, 1.5, 1.6, false, new double[] {1.4, 1.6},
                new double[] {0.02, 0.02}, 0);
        assertEquals("done: 2 steps, 0.020 s/step, mean loss 1.5000 (trainer at step 5)", ProgressLine.summary(second));
        TrainResult stopped = new TrainResult(1, 9, 0.5, 2, 2, true, new double[] {2}, new double[] {0.5}, 0);
        assertEquals("interrupted: 1 step, 0.500 s/step, mean loss 2.0000 (trainer at step 9)",
                ProgressLine.summary(stopped));
        // a call with no step (train(0) on a resumed trainer) has no time per step and no mean loss: no NaN printed
        TrainResult none = new TrainResult(0, 5, 0, Double.NaN, Double.NaN, false, new double[0], new double[0], 0);
        assertEquals("done: 0 steps (trainer at step 5)", ProgressLine.summary(none));
        // the printed line of an interrupted call says how many steps it was asked for: train(100) from step 8
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        line.onStep(new TrainProgress(9, 108, 2, 2, 8, 2, 49.5));
        line.onEnd(stopped);
        assertTrue(buf.toString(java.nio.charset.StandardCharsets.UTF_8).endsWith(
                "\ninterrupted: 1 of 100 steps, 0.500 s/step, mean loss 2.0000 (trainer at step 9)\n"), buf.toString());
        // what a notebook shows for a cell ending in train(...): numbers, not array identities
        assertEquals("TrainResult: 2 steps in 0.04 s (trainer at step 5), 0.0200 s/step, 0.0200 after warm-up,"
                + " mean loss 1.5000, smoothed 1.6000", second.toString());
        assertTrue(stopped.toString().endsWith(", interrupted"), stopped.toString());
    }

    @Test
    void optimizerSettingsMustBeFiniteAndInRange() {
        TrainConfig c = TrainerTest.vanilla();
        refused(() -> c.withLearningRate(Double.POSITIVE_INFINITY), "learningRate = Infinity", "finite");
        refused(() -> c.withLearningRate(Double.NaN), "learningRate = NaN");
        refused(() -> c.withEmaDecay(1.0), "emaDecay = 1.0", "0 <= emaDecay < 1");
        refused(() -> new TrainConfig(c.prediction(), c.pyramid(), c.coupling(), c.stageDraw(), c.batchSize(),
                c.learningRate(), Double.NaN, c.beta1(), c.beta2(), c.clipNorm(), c.emaDecay(), c.seed()), "weightDecay = NaN", ">= 0");
        refused(() -> new TrainConfig(c.prediction(), c.pyramid(), c.coupling(), c.stageDraw(), c.batchSize(),
                c.learningRate(), c.weightDecay(), 1.0, c.beta2(), c.clipNorm(), c.emaDecay(), c.seed()), "beta1 = 1.0", "0 <= beta1 < 1");
        refused(() -> new TrainConfig(c.prediction(), c.pyramid(), c.coupling(), c.stageDraw(), c.batchSize(),
                c.learningRate(), c.weightDecay(), c.beta1(), Double.NaN, c.clipNorm(), c.emaDecay(), c.seed()), "beta2 = NaN");
        refused(() -> new TrainConfig(c.prediction(), c.pyramid(), c.coupling(), c.stageDraw(), c.batchSize(),
                c.learningRate(), c.weightDecay(), c.beta1(), c.beta2(), Double.POSITIVE_INFINITY, c.emaDecay(), c.seed()),
                "clipNorm = Infinity");
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        // lr = 1e30 is finite and accepted, but the first update throws the weights to ~1e30 and the next loss overflows
        TrainConfig wild = TrainerTest.vanilla().withLearningRate(1e30);
        try (Trainer t = Trainer.builder().withModel(TrainerTest.MODEL).withConfig(wild).withData(TrainerTest.DATA)
                .withProgress(false).withCheckpoints(dir, 1).build()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> t.train(10));
            long good = t.stepCount();
            assertTrue(e.getMessage().matches("loss = (NaN|-?Infinity) at training step " + (good + 1)
                    + " \\(pyramid stage 0 of 1, stage 0 the noisiest\\); allowed: a finite loss\\..*"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("learning rate too high (1.0E30)"),
                    e.getMessage());
            Map<String, float[]> w = TrainerTest.weights(t);
            w.forEach((k, v) -> {
                for (float x : v) {
                    assertTrue(Float.isFinite(x), "weights stay as after the last good step: " + k);
                }
            });
            assertEquals(good, Checkpoint.latestStep(dir), "the last good step is the current checkpoint");
        }
    }

    @Test
    void aSlowStepShowsSecondsPerStepAndALongRunItsTimeLeftInMinutesOrHours() {
        // a big model: 25 s a step would read "0.0 steps/s"
        assertEquals("step 3/40  loss 1.0000  (smoothed 1.2000)  F=16  25.0 s/step  ETA 15m25s",
                ProgressLine.format(new TrainProgress(3, 40, 1.0, 1.2, 16, 0.04, 925)));
        assertEquals("step 3/9000  loss 1.0000  (smoothed 1.2000)  F=8  2.5 steps/s  ETA 1h00m",
                ProgressLine.format(new TrainProgress(3, 9000, 1.0, 1.2, 8, 2.5, 3601)));
        assertEquals("step 1  loss 1.0000  (smoothed 1.0000)  F=8  1.0 steps/s  ETA 42s",
                ProgressLine.format(new TrainProgress(1, -1, 1.0, 1.0, 8, 1.0, 42)));
    }

    @Test
    void aModelWhoseAttentionAloneOutgrowsTheMachineIsRefusedBeforeAnyWeightNamingWhatToShrink() {
        tpdiff4j.nn.ModelConfig big = tpdiff4j.nn.ModelConfig.attention(32, 1, 32, 32).withPatch(2);
        TrainConfig config = TrainConfig.flowMatching(4, 32, 1).withBatchSize(8);
        // 2 blocks x 4 heads x 8 clips x (32 frames x 256 tokens)^2 x 4 bytes = 16 GiB at full rate
        assertEquals(16.0 * (1L << 30), big.attentionBytes(8, 32), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.refuseBeyondMemory(big, config, 8.0 * (1L << 30)));
        for (String x : new String[] {"model too big", "batch 8", "32 frames", "16.00 GiB", "8.00 GiB",
                "withBatchSize", "withPatch", "FACTORIZED"}) {
            assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
        }
        Trainer.refuseBeyondMemory(big, config.withBatchSize(2), 8.0 * (1L << 30)); // 4 GiB: fits
        // a stage draw that never picks the full-rate stage needs only its largest stage's memory (16 frames)
        Trainer.refuseBeyondMemory(big, config.withStageDraw(StageDraw.weights(1, 1, 1, 0)), 8.0 * (1L << 30));
        // and the trainer itself refuses one on this machine (1 TiB: 128 frames of 1024 tokens), before allocating anything
        tpdiff4j.data.SpriteVideos data = tpdiff4j.data.SpriteVideos.builder().withFrames(128).withSize(32).build();
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withModel(tpdiff4j.nn.ModelConfig.attention(data.spec()).withPatch(1))
                .withConfig(TrainConfig.flowMatching(1, 128, 1).withBatchSize(8)).withData(data).withProgress(false).build());
        assertTrue(e.getMessage().startsWith("model too big for this machine"), e.getMessage());
    }

    /** Affine network whose forward pass fails as PyTorch's CPU allocator does, on the call numbered {@code failAt}. */
    private static final class AllocationFailure extends ai.djl.nn.AbstractBlock {
        final AffineBlock inner = new AffineBlock();
        final int failAt;
        int calls;
        boolean insideStep = true;

        AllocationFailure(int failAt) {
            this.failAt = failAt;
            addChildBlock("affine", inner);
        }

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in,
                boolean training, ai.djl.util.PairList<String, Object> params) {
            insideStep &= tpdiff4j.ode.StepInProgress.inside(Thread.currentThread());
            if (++calls == failAt) {
                throw new ai.djl.engine.EngineException("[enforce fail at alloc_cpu.cpp:119] err == 0. DefaultCPUAllocator:"
                        + " can't allocate memory: you tried to allocate 8589934592 bytes. Error code 12 (Cannot allocate memory)");
            }
            return inner.forward(ps, in, training, params);
        }

        @Override
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager m, ai.djl.ndarray.types.DataType type,
                ai.djl.ndarray.types.Shape... inputShapes) {
            inner.initialize(m, type, inputShapes);
        }

        @Override
        public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
            return new ai.djl.ndarray.types.Shape[] {inputShapes[0]};
        }
    }

    @Test
    void runningOutOfNativeMemoryInAStepSaysWhatToShrinkAndLeavesTheRunAsItWas() {
        tpdiff4j.data.SpriteVideos data = tpdiff4j.data.SpriteVideos.builder().withFrames(8).withSize(16).build();
        AllocationFailure[] made = new AllocationFailure[1];
        try (Trainer t = Trainer.builder().withNetwork(m -> {
                    AllocationFailure block = new AllocationFailure(2);
                    made[0] = block;
                    block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 8, 1, 16, 16),
                            new ai.djl.ndarray.types.Shape(1), new ai.djl.ndarray.types.Shape(8));
                    block.inner.a.getArray().set(new float[] {0.1f});
                    return tpdiff4j.nn.StageNetwork.of("affine-failing", block, 8);
                }).withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(data).withProgress(false).build()) {
            t.train(1);
            float a = t.model().namedParameters().values().iterator().next().getArray().getFloat(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(1));
            for (String x : new String[] {"training step 2 ran out of memory", "can't allocate memory", "not applied",
                    "as after step 1", "withBatchSize, now 2", "withPatch"}) {
                assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
            }
            assertTrue(e.getCause() instanceof ai.djl.engine.EngineException, "PyTorch's error is kept as the cause");
            assertEquals(1, t.stepCount(), "the failed step is not counted");
            assertEquals(a, t.model().namedParameters().values().iterator().next().getArray().getFloat(0), 0f,
                    "weights as after step 1");
            assertEquals(2, t.train(1).totalSteps(), "the next step runs");
            // every forward pass ran inside a step that a notebook's interrupt waits for instead of stopping it
            assertTrue(made[0].insideStep && made[0].calls == 3, "forward passes inside StepInProgress");
            assertFalse(tpdiff4j.ode.StepInProgress.inside(Thread.currentThread()), "and the section ends with the step");
        }
    }

    /**
     * A null listener or progress stream was taken and failed as a NullPointerException inside the first training
     * step, after the model was built; now the builder call itself names it.
     */
    @Test
    void aNullListenerOrProgressStreamIsRefusedAtTheBuilderCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().withListener(null));
        assertTrue(e.getMessage().startsWith("listener = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().withProgressStream(null));
        assertTrue(e.getMessage().startsWith("progress stream = null") && e.getMessage().contains("withProgress(false)"),
                e.getMessage());
    }

    /** A hand-edited or truncated config JSON names the missing key rather than failing with a NullPointerException. */
    @Test
    void aTrainConfigJsonWithoutAKeyNamesTheKey() {
        com.google.gson.JsonObject o = TrainConfig.flowMatching(3, 16, 1).toJsonObject();
        assertEquals(TrainConfig.flowMatching(3, 16, 1), TrainConfig.fromJsonObject(o.deepCopy()));
        o.remove("learningRate");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(o));
        assertTrue(e.getMessage().contains("field 'learningRate' is missing") && e.getMessage().contains("batchSize"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(null));
        assertTrue(e.getMessage().startsWith("train config JSON = null"), e.getMessage());
    }

    /**
     * The tabulation report beside a table is checked, not passed over: any value there, or one beside a built-in
     * schedule, was read and dropped without a word.
     */
    @Test
    void aScheduleTableTheWriterWouldNotWriteIsRefused() {
        TrainConfig function = TrainConfig.of(tpdiff4j.pyramid.TemporalPyramid.uniform(Schedules.of("quarter-circle",
                t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2)), 2, 8),
                tpdiff4j.ode.PredictionType.VELOCITY, 0);
        com.google.gson.JsonObject written = function.toJsonObject();
        assertTrue(written.has("scheduleTable"), written.toString());
        assertEquals(function, TrainConfig.fromJsonObject(written.deepCopy()));
        com.google.gson.JsonObject junk = written.deepCopy();
        junk.addProperty("scheduleTable", "made by hand");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(junk));
        assertTrue(e.getMessage().startsWith("train config JSON: field 'scheduleTable' = '\"made by hand\"'; allowed:"
                + " beside a tabulated schedule, the report TrainConfig.toJsonObject writes there: an object of the"
                + " numbers [checkPointsPerInterval, intervals, maxError, tolerance]"), e.getMessage());
        com.google.gson.JsonObject misspelt = written.deepCopy();
        misspelt.getAsJsonObject("scheduleTable").add("tolerence", misspelt.getAsJsonObject("scheduleTable").remove("tolerance"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(misspelt));
        assertTrue(e.getMessage().contains("field 'scheduleTable' = '{") && e.getMessage().contains("(this one has the"
                + " keys [checkPointsPerInterval, intervals, maxError, tolerence])"),
                e.getMessage());
        com.google.gson.JsonObject builtIn = TrainConfig.flowMatching(3, 16, 1).toJsonObject();
        builtIn.add("scheduleTable", written.get("scheduleTable"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(builtIn));
        assertTrue(e.getMessage().contains("field 'scheduleTable' = '{") && e.getMessage().contains("; allowed: no such"
                + " field beside a schedule of type '\"flowMatching\"'"), e.getMessage());
    }

    /**
     * A VELOCITY target needs gammaDot and sigmaDot at every time a step can draw. A schedule of functions without
     * derivatives gets them by finite differences, which are refused where the function is not smooth (sqrt(t) at 0,
     * sqrt(1 - t) at 1) or fail where the function does. Such a run used to build and then stop after some steps, when
     * a time near the bad point was first drawn (step 31 of this one); it is now refused when the trainer is built.
     */
    @Test
    void aVelocityTargetWhoseDerivativesCannotBeTakenIsRefusedWhenTheTrainerIsBuilt() {
        tpdiff4j.data.SpriteVideos data = tpdiff4j.data.SpriteVideos.builder().withFrames(8).withSize(16).build();
        tpdiff4j.schedule.NoiseSchedule root = Schedules.of("root", t -> Math.sqrt(1 - t), t -> Math.sqrt(t));
        TrainConfig velocity = TrainConfig.of(tpdiff4j.pyramid.TemporalPyramid.uniform(root, 2, 8),
                tpdiff4j.ode.PredictionType.VELOCITY, 1).withBatchSize(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withNetwork(m -> AffineBlock.network(m, 8)).withConfig(velocity).withData(data).withProgress(false)
                .build());
        assertTrue(e.getMessage().startsWith("prediction = VELOCITY with schedule 'root': the velocity target"
                + " gammaDot(t) x0 + sigmaDot(t) eps needs both derivatives at every time training draws, but"
                + " sigmaDot(0.0) cannot be computed: sigmaDot of schedule 'root' at t = 0.0 cannot be taken by finite"
                + " differences"), e.getMessage());
        assertTrue(e.getMessage().contains("Allowed: a schedule whose gammaDot and sigmaDot are finite numbers on"
                + " (0, 1] (infinite only at t = 0): give exact derivatives, Schedules.of(name, gamma, sigma, gammaDot,"
                + " sigmaDot)"), e.getMessage());

        // a function that fails between the points on which Schedules.of checks it: the first time whose stencil
        // (t +- 0.001, t +- 0.002) reaches the gap is named, with the function's own message
        tpdiff4j.schedule.NoiseSchedule gap = Schedules.of("gap", t -> 1 - t, t -> {
            if (t > 0.4014 && t < 0.4016) {
                throw new ArithmeticException("no sigma between 0.4014 and 0.4016");
            }
            return t;
        });
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(
                tpdiff4j.pyramid.TemporalPyramid.uniform(gap, 2, 8), tpdiff4j.ode.PredictionType.VELOCITY, 1)
                .requireTargets());
        assertTrue(e.getMessage().contains("with schedule 'gap'") && e.getMessage().contains("but sigmaDot(0.3975)"
                + " cannot be computed: no sigma between 0.4014 and 0.4016."), e.getMessage());
        assertTrue(e.getCause() instanceof ArithmeticException, "the function's own exception is the cause");

        // EPSILON targets need no derivative; exact derivatives that are infinite only at t = 0 are finite wherever
        // training draws; the library's schedules all pass
        TrainConfig.checkTargets(tpdiff4j.pyramid.TemporalPyramid.uniform(Schedules.of("root-eps",
                t -> Math.sqrt(1 - 0.99 * t), t -> Math.sqrt(t)), 2, 8), tpdiff4j.ode.PredictionType.EPSILON);
        TrainConfig.of(tpdiff4j.pyramid.TemporalPyramid.uniform(Schedules.of("root-exact", t -> 1 - t, Math::sqrt,
                t -> -1, t -> 0.5 / Math.sqrt(t)), 2, 8), tpdiff4j.ode.PredictionType.VELOCITY, 1).requireTargets();
        for (tpdiff4j.schedule.NoiseSchedule s : java.util.List.of(Schedules.flowMatching(), Schedules.vpCosine(),
                Schedules.cosine(1000), Schedules.linear(0.00085, 0.012, 1000), Schedules.scaledLinear(0.00085, 0.012,
                1000), Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2)))) {
            TrainConfig.checkTargets(tpdiff4j.pyramid.TemporalPyramid.uniform(s, 3, 16),
                    tpdiff4j.ode.PredictionType.VELOCITY);
        }
    }

    /** A key written with the value null is refused as null, with what the field allows, not reported as missing. */
    @Test
    void aTrainConfigKeyWrittenAsNullIsRefusedAsNull() {
        com.google.gson.JsonObject written = TrainConfig.flowMatching(3, 16, 1).toJsonObject();
        String[][] cases = {
            {"learningRate", "train config JSON: field 'learningRate' = 'null'; allowed: a number"},
            {"batchSize", "train config JSON: field 'batchSize' = 'null'; allowed: an integer in [-2147483648, 2147483647]"},
            {"seed", "train config JSON: field 'seed' = 'null'; allowed: an integer"},
            {"prediction", "train config JSON: field 'prediction' = 'null'; allowed: one of [EPSILON, X0, VELOCITY, V_PREDICTION]"},
            {"pyramid", "train config JSON: field 'pyramid' = 'null'; allowed: a JSON object"},
            {"coupling", "train config JSON: field 'coupling' = 'null'; allowed: a JSON object"},
        };
        for (String[] c : cases) {
            com.google.gson.JsonObject o = written.deepCopy();
            o.add(c[0], com.google.gson.JsonNull.INSTANCE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(o));
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("missing"), e.getMessage());
        }
        com.google.gson.JsonObject nested = written.deepCopy();
        nested.getAsJsonObject("pyramid").add("rateFactors", com.google.gson.JsonNull.INSTANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(nested));
        assertTrue(e.getMessage().contains("field 'rateFactors' = 'null'; allowed: "), e.getMessage());
    }

    /** The message names the null field itself, not a list of six fields followed by every value's toString. */
    @Test
    void aNullConfigFieldIsNamed() {
        TrainConfig c = TrainConfig.flowMatching(3, 16, 1);
        refused(() -> c.withPyramid(null), "pyramid = null; allowed:", "TemporalPyramid");
        refused(() -> c.withCoupling(null), "coupling = null; allowed:", "NoiseCoupling.NONE");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.vanilla(Schedules.flowMatching(), null, 16, 1));
        assertTrue(e.getMessage().startsWith("prediction = null; allowed:"), e.getMessage());
        assertFalse(e.getMessage().contains("stage 0"), "no pyramid dump: " + e.getMessage());
    }

    /** A network factory that returns null, and a null checkpoint folder, are named instead of a NullPointerException. */
    @Test
    void aNullNetworkOrCheckpointFolderIsNamed() {
        tpdiff4j.data.SpriteVideos data = tpdiff4j.data.SpriteVideos.builder().withFrames(8).withSize(16).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withNetwork(m -> null).withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(data)
                .withProgress(false).build());
        assertTrue(e.getMessage().startsWith("the network factory of withNetwork returned null"), e.getMessage());
        try (Trainer t = Trainer.builder().withNetwork(m -> AffineBlock.network(m, 8))
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(data).withProgress(false).build()) {
            e = assertThrows(IllegalArgumentException.class, () -> t.saveCheckpoint(null));
            assertTrue(e.getMessage().startsWith("dir = null"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.loadCheckpoint(null));
            assertTrue(e.getMessage().startsWith("dir = null"), e.getMessage());
        }
    }
}
