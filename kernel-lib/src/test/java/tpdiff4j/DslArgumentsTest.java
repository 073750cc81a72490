package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.align.CouplingStatistics;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.FlopCount;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.SpaceTimeTransformer;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.StageEndpoints;
import tpdiff4j.pyramid.TemporalOps;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.TrainingPairSampler;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.sample.StageSnapshots;
import tpdiff4j.sample.VideoFrames;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageLossWeights;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;

/**
 * Mistyped arguments to the notebook-facing factories and methods: each is refused at the call with an
 * {@link IllegalArgumentException} whose message names the parameter, the value given and what is allowed, instead of
 * a {@code NegativeArraySizeException}, a DJL error from deep inside, or a silent reading of the value. Every case
 * here was one of those before.
 */
class DslArgumentsTest extends WithNDManager {

    static final TemporalPyramid P3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
    static final ModelConfig TINY = ModelConfig.tiny(16, 1, 8, 8);
    static final Denoiser ZERO = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.zerosLike());

    /** A case: its label, the call (given the test's manager), and the fragments its message must contain. */
    static Arguments refused(String label, Function<NDManager, Object> call, String... fragments) {
        return Arguments.of(label, call, fragments);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Integer.MAX_VALUE steps: steps + 1 times overflowed to a NegativeArraySizeException
                refused("TimeGrid.uniform(1, 0, Integer.MAX_VALUE)", m -> TimeGrid.uniform(1, 0, Integer.MAX_VALUE),
                        "steps = 2147483647", "allowed: 1 <= steps <= 1000000"),
                refused("TimeGrid.uniformLogSnr(.., Integer.MAX_VALUE)", m -> TimeGrid.uniformLogSnr(
                        Schedules.cosine(1000), 0.99, 0.01, Integer.MAX_VALUE), "steps = 2147483647", "allowed: 1 <= steps"),
                // DJL's -1 placeholder: a NegativeArraySizeException
                refused("GaussianNoise.normal(shape (-1, 3))", m -> GaussianNoise.normal(m, new Shape(-1, 3),
                        DataType.FLOAT32, 1), "shape = (-1, 3)", "size -1 on axis 0", "allowed: sizes >= 0"),
                // the pyramid sampler drew noise of a negative batch (NegativeArraySizeException) or sampled 0 clips
                refused("PyramidSampler.sample(batch -1)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        new Shape(-1, 16, 1, 4, 4), DataType.FLOAT32, 0), "fullShape = (-1, 16, 1, 4, 4)",
                        "allowed: [N, 16, ...] with every size >= 1"),
                refused("PyramidSampler.sample(batch 0)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        new Shape(0, 16, 1, 4, 4), DataType.FLOAT32, 0), "fullShape = (0, 16, 1, 4, 4)", "every size >= 1"),
                refused("PyramidSampler.sample(null shape)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        null, DataType.FLOAT32, 0), "fullShape = null", "allowed: "),
                // DJL's "The shape must be >= -1"
                refused("VideoSampler.sample(batch -3)", m -> VideoSampler.vanilla(Schedules.flowMatching(),
                        Solvers.euler(), 2).sample(ZERO, m, -3, new VideoSpec(16, 1, 4, 4), 0), "fullShape = (-3, 16, 1, 4, 4)",
                        "batch = -3", "allowed: [B, F, C, H, W] with every size >= 1"),
                // a null mode was taken as SUBSAMPLE
                refused("TemporalOps.down(x, 2, null)", m -> TemporalOps.down(m.zeros(new Shape(1, 4, 1)), 2, null),
                        "mode = null", "allowed: [SUBSAMPLE, AVERAGE]"),
                // FlopCount: a NaN probability gave a NaN count, weights not summing to 1 a count that is no expectation
                refused("FlopCount.expectedTrainingStep(NaN, 0.5, 0.5)", m -> FlopCount.expectedTrainingStep(TINY, 8, P3,
                        new double[] {Double.NaN, 0.5, 0.5}), "probabilities = [NaN, 0.5, 0.5]", "allowed: values in [0, 1]"
                        + " that sum to 1"),
                refused("FlopCount.expectedTrainingStep(0.2, 0.2, 0.2)", m -> FlopCount.expectedTrainingStep(TINY, 8, P3,
                        new double[] {0.2, 0.2, 0.2}), "probabilities = [0.2, 0.2, 0.2] (sum 0.6", "sum to 1"),
                refused("FlopCount.sampling(null pyramid)", m -> FlopCount.sampling(TINY, 1, null, 10),
                        "pyramid = null", "allowed: a TemporalPyramid"),
                refused("FlopCount.sampling(16-frame model, 32-frame pyramid)", m -> FlopCount.sampling(TINY, 1,
                        TemporalPyramid.uniform(Schedules.flowMatching(), 3, 32), 10, 10, 10),
                        "pyramid frames = 32 for a model of 16 frames; allowed: "),
                refused("FlopCount.expectedTrainingStep(16-frame model, 8-frame pyramid)", m -> FlopCount.expectedTrainingStep(
                        TINY, 8, TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8), new double[] {0.5, 0.5}),
                        "pyramid frames = 8 for a model of 16 frames"),
                // a negative batch gave a negative number of bytes
                refused("ModelConfig.attentionBytes(-1, 16)", m -> TINY.attentionBytes(-1, 16), "batch = -1, frames = 16",
                        "allowed: batch >= 1 and frames >= 1"),
                // null arguments were NullPointerExceptions (some with a message of another form)
                refused("Solvers.rungeKutta(null)", m -> Solvers.rungeKutta(null), "tableau = null", "allowed: a ButcherTableau"),
                refused("Denoiser.of(null, f)", m -> Denoiser.of(null, (x, t) -> x), "type = null", "allowed: a PredictionType"),
                refused("solver.solve(.., grid null)", m -> Solvers.euler().solve(ZERO, Schedules.flowMatching(),
                        m.zeros(new Shape(1, 2)), null), "grid = null", "allowed: a TimeGrid"),
                refused("StageEndpoints.of(null pyramid)", m -> StageEndpoints.of(null, 0, m.zeros(new Shape(1, 16)),
                        m.zeros(new Shape(1, 4))), "p = null", "allowed: a TemporalPyramid"),
                refused("StageEndpoints.target(null, t)", m -> StageEndpoints.of(P3, 0, m.zeros(new Shape(1, 16)),
                        m.zeros(new Shape(1, 4))).target(null, 0.9), "type = null", "allowed: one of [EPSILON"),
                refused("TrainingPairSampler.sampleClips(.., null, ..)", m -> TrainingPairSampler.of(P3,
                        PredictionType.VELOCITY).sampleClips(m.zeros(new Shape(1, 16)), 0, null, 1), "tPrime = null",
                        "allowed: one stage time"),
                refused("BatchNoiseAligner.couple(null, noise)", m -> BatchNoiseAligner.l2().couple(null,
                        m.zeros(new Shape(2, 3))), "data = null", "allowed: two arrays"),
                refused("new SpaceTimeTransformer(cfg, null)", m -> new SpaceTimeTransformer(TINY, null), "manager = null",
                        "allowed: a ModelConfig"),
                // a NaN in the data was reported as a NaN entry of a cost matrix the caller never wrote
                refused("BatchNoiseAligner.couple(NaN data)", m -> BatchNoiseAligner.l2().couple(
                        m.create(new float[] {Float.NaN, 0, 1, 1}, new Shape(2, 2)), m.zeros(new Shape(2, 2))),
                        "data item 0 and noise item", "NaN", "allowed: finite values in data and noise"),
                // the noise of the wrong width was reported as "point 0 has a different dimension than point 0"
                refused("CouplingStatistics (noise of width 3)", m -> CouplingStatistics.meanSquaredDistance(
                        new double[][] {{0, 0}, {1, 1}}, new double[][] {{0, 1, 2}, {1, 0, 2}}, new int[] {0, 1}),
                        "noise[0] has 3 coordinates", "allowed: 2, the dimension of data[0]"));
    }

    /**
     * One form for every refusal of a value: {@code name = value; allowed: what is allowed}. These said
     * {@code name = value: must be ...}, {@code must not be null} or {@code each must be ...} in words of their own.
     */
    static Stream<Arguments> form() {
        TrainConfig tc = TrainConfig.flowMatching(3, 16, 1);
        ModelConfig t = TINY;
        return Stream.of(
                refused("ModelConfig channels 2", m -> ModelConfig.tiny(16, 2, 8, 8), "channels = 2; allowed: 1 or 3"),
                refused("ModelConfig frames 0", m -> ModelConfig.tiny(0, 1, 8, 8), "frames = 0; allowed: at least 1"),
                refused("ModelConfig.withPatch(3)", m -> t.withPatch(3), "patch = 3; allowed: a side that divides height 8"),
                refused("ModelConfig.withHeads(3)", m -> t.withHeads(3), "dim = 32 with heads = 3; allowed: a dim divisible"),
                refused("ModelConfig.withAttention(null)", m -> t.withAttention(null), "attention = null; allowed: one of [FACTORIZED, FULL]"),
                refused("ModelConfig.withConditioning(null)", m -> t.withConditioning(null), "conditioning = null; allowed: one of [ADALN, ADDITIVE]"),
                refused("ModelConfig.preset(Tiny)", m -> ModelConfig.preset("Tiny", 16, 1, 8, 8), "preset = Tiny; allowed: one of [tiny, small, attention]"),
                refused("ModelConfig.preset(name, null spec)", m -> ModelConfig.preset("tiny", null), "spec = null; allowed: "),
                refused("FlopCount.forward(null)", m -> FlopCount.forward(null, 1, 16), "cfg = null; allowed: a ModelConfig"),
                refused("FlopCount.forward(batch 0)", m -> FlopCount.forward(t, 0, 16), "batch = 0, frames = 16; allowed: batch >= 1"),
                refused("TrainConfig.withBatchSize(0)", m -> tc.withBatchSize(0), "batchSize = 0; allowed: at least 1"),
                refused("TrainConfig.withPrediction(X0)", m -> tc.withPrediction(PredictionType.X0), "prediction = X0; allowed: EPSILON or VELOCITY"),
                refused("StageDraw.weights(1, NaN)", m -> StageDraw.weights(1, Double.NaN), "stage weights = [1.0, NaN]; allowed: finite values >= 0"),
                refused("StageDraw.weights(0, 0)", m -> StageDraw.weights(0, 0), "stage weights = [0.0, 0.0]; allowed: at least one weight > 0"),
                refused("new StageDraw(uniform, weights)", m -> new StageDraw("uniform", new double[] {1}), "weights = [1.0] with rule uniform; allowed: none"),
                refused("StageLossWeights.of(-1)", m -> StageLossWeights.of(-1), "stage loss weights = [-1.0]; allowed: finite values >= 0"),
                refused("StageLossWeights.of(0, 0)", m -> StageLossWeights.of(0, 0), "stage loss weights = [0.0, 0.0]; allowed: at least one factor > 0"),
                refused("TrainConfig.withLossWeights(2 of 3)", m -> tc.withLossWeights(StageLossWeights.of(1, 1)), "stage loss weights = [1.0, 1.0] have 2 entries; allowed: one per stage"),
                refused("new StageTimeDraw(uniform, 1, 0)", m -> new StageTimeDraw("uniform", 1, 0), "shape = 1.0, scale = 0.0 for rule uniform; allowed: 0 and 0"),
                refused("new StageSnapshots(-1)", m -> new StageSnapshots(-1), "index = -1; allowed: >= 0"),
                refused("VideoFrames.images(scale 0)", m -> VideoFrames.images(m.zeros(new Shape(1, 2, 1, 2, 2)), 0, 0), "scale = 0; allowed: at least 1"),
                refused("VideoFrames.images(index 1)", m -> VideoFrames.images(m.zeros(new Shape(1, 2, 1, 2, 2)), 1, 1), "index = 1; allowed: 0 <= index < 1"),
                refused("LinearAssignment.solve(null)", m -> tpdiff4j.align.LinearAssignment.solve((double[][]) null), "cost = null; allowed: "),
                refused("LinearAssignment.solve(ragged)", m -> tpdiff4j.align.LinearAssignment.solve(new double[][] {{1, 2}, {3}}), "cost[1] has 1 columns but cost[0] has 2; allowed: a rectangular matrix"),
                refused("BatchNoiseAligner.of(null)", m -> BatchNoiseAligner.of(null), "cost = null; allowed: Cost.L2 or Cost.SQUARED_L2"),
                refused("CouplingStatistics (partner repeats)", m -> CouplingStatistics.meanSquaredDistance(new double[][] {{0}, {1}},
                        new double[][] {{0}, {1}}, new int[] {0, 0}), "partner[1] = 0 repeats an earlier entry; allowed: a permutation of 0..1"),
                refused("Schedules.tabulated(null, 8)", m -> Schedules.tabulated(null, 8), "schedule = null; allowed: a NoiseSchedule"),
                refused("new Stage(-1, ...)", m -> new tpdiff4j.pyramid.Stage(-1, 1, 0, 16, 1), "index = -1; allowed: >= 0"),
                refused("new Stage(window reversed)", m -> new tpdiff4j.pyramid.Stage(0, 0.2, 0.5, 16, 1),
                        "stage 0 has window [end, start] = [0.5, 0.2]; allowed: 0 <= end < start <= 1"),
                refused("TimeGrid.t(6) of 5 steps", m -> TimeGrid.uniform(1, 0, 5).t(6), "i = 6; allowed: 0 <= i <= 5"),
                refused("TimeGrid.t(-1)", m -> TimeGrid.uniform(1, 0, 5).t(-1), "i = -1; allowed: 0 <= i <= 5"),
                refused("StageLossWeights.factor(3) of 3", m -> StageLossWeights.of(1, 2, 3).factor(3),
                        "stage = 3; allowed: 0 <= stage <= 2"),
                // was read as NoiseCoupling.NONE: an aligner not yet assigned trained unaligned
                refused("TrainingPairSampler.builder.withCoupling(null)", m -> TrainingPairSampler.builder(P3,
                        PredictionType.VELOCITY).withCoupling(null), "coupling = null; allowed: a NoiseCoupling"),
                // the public JSON readers of the draws: a NullPointerException or a Gson error, also through TrainConfig
                refused("StageDraw.fromJsonObject({})", m -> StageDraw.fromJsonObject(new com.google.gson.JsonObject()),
                        "stage draw JSON = {} has no rule; allowed: "),
                refused("StageDraw.fromJsonObject(weights [\"a\"])", m -> StageDraw.fromJsonObject(com.google.gson.JsonParser
                        .parseString("{\"rule\":\"weights\",\"weights\":[\"a\"]}").getAsJsonObject()),
                        "stage draw JSON = {\"rule\":\"weights\",\"weights\":[\"a\"]} is malformed"),
                refused("StageTimeDraw.fromJsonObject(null)", m -> StageTimeDraw.fromJsonObject(null),
                        "stage time draw JSON = null has no rule; allowed: "),
                refused("StageLossWeights.fromJson([\"a\"])", m -> StageLossWeights.fromJson(com.google.gson.JsonParser
                        .parseString("[1, \"a\"]").getAsJsonArray()), "stage loss weights JSON [1,\"a\"]: entry 1 = \"a\"; allowed: numbers"),
                refused("TrainConfig.fromJsonObject(stageDraw {})", m -> {
                    com.google.gson.JsonObject o = TrainConfig.flowMatching(3, 16, 1).toJsonObject();
                    o.add("stageDraw", new com.google.gson.JsonObject());
                    return TrainConfig.fromJsonObject(o);
                }, "stage draw JSON = {} has no rule"),
                // was taken as "do not resume": a run meant to continue started afresh
                refused("Trainer.builder().withResumeFrom(null)", m -> tpdiff4j.train.Trainer.builder().withResumeFrom(null),
                        "resume folder = null; allowed: "),
                refused("new ButcherTableau(a null)", m -> new tpdiff4j.ode.ButcherTableau("x", null, new double[] {1},
                        new double[] {0}, 1), "a = null; allowed: "),
                // the aligner pairs within a batch: with one clip it did nothing, without a word
                refused("TrainConfig aligned with batchSize 1", m -> TrainConfig.flowMatching(3, 16, 1).withBatchSize(1)
                        .withCoupling(BatchNoiseAligner.l2()), "batchSize = 1 with coupling aligned(L2); allowed: batchSize >= 2"),
                refused("TrainConfig aligned, then batchSize 1", m -> TrainConfig.flowMatching(3, 16, 1)
                        .withCoupling(BatchNoiseAligner.squaredL2()).withBatchSize(1), "batchSize = 1 with coupling"),
                refused("StageEndpoints.xt(t outside the window)", m -> StageEndpoints.of(P3, 0, m.zeros(new Shape(1, 16)),
                        m.zeros(new Shape(1, 4))).xt(0.1), "t = 0.1 is outside stage 0's window; allowed: 0.5857"),
                refused("StageEndpoints.of(eps at full rate)", m -> StageEndpoints.of(P3, 1, m.zeros(new Shape(1, 16)),
                        m.zeros(new Shape(1, 16))), "eps has shape (1, 16); allowed: (1, 8)"),
                refused("TemporalOps.down(16 frames, 3)", m -> TemporalOps.down(m.zeros(new Shape(1, 16)), 3),
                        "x has 16 frames (shape (1, 16)), not divisible by the rate factor r = 3; allowed: "),
                refused("StageTimeDraw.draw(null, 1, 0)", m -> StageTimeDraw.uniform().draw(null, 1, 0),
                        "rng = null; allowed: a SplittableRandom"),
                refused("Compute.useThreads(0)", m -> {
                    tpdiff4j.nn.Compute.useThreads(0);
                    return null;
                }, "threads = 0; allowed: at least 1"),
                refused("ProgressStreams.declareInPlace(null)", m -> {
                    tpdiff4j.ode.ProgressStreams.declareInPlace(null);
                    return null;
                }, "stream = null; allowed: a PrintStream"),
                refused("GaussianOracle.of(4-frame video, 8-frame pyramid)", m -> tpdiff4j.oracle.GaussianOracle.of(
                        tpdiff4j.oracle.GaussianVideo.ar1(4, 0.5, 1), TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8)),
                        "pyramid frames = 8; allowed: 4, the video's frame count (the two must agree)"),
                refused("GaussianPoints.of(mean of 2, std of 1)", m -> tpdiff4j.oracle.GaussianPoints.of(new double[2],
                        new double[] {1}), "mean.length = 2, std.length = 1; allowed: arrays of the same length, at least 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("form")
    void refusalsShareOneForm(String label, Function<NDManager, Object> call, String[] fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> call.apply(manager), label);
        assertTrue(ex.getMessage().startsWith(fragments[0]), () -> label + ": expected to start with '" + fragments[0]
                + "', got: " + ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedAtTheCallNamingParameterValueAndAllowed(String label, Function<NDManager, Object> call, String[] fragments) {
        try (NDManager m = manager.newSubManager()) {
            Executable e = () -> {
                Object r = call.apply(m);
                if (r instanceof NDArray a) {
                    a.close();
                }
            };
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e, label);
            for (String f : fragments) {
                assertTrue(ex.getMessage().contains(f), () -> label + ": '" + f + "' missing in: " + ex.getMessage());
            }
        }
    }
}
