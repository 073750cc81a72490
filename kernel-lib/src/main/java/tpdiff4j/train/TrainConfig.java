package tpdiff4j.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tpdiff4j.Refusals;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.schedule.Tabulation;

/**
 * Everything that defines a training run besides the model and the data, an immutable value saved as JSON in
 * every checkpoint. A checkpoint resumes only under an equal configuration. Two independent choices make the
 * method: the {@code pyramid} (any boundaries, window convention, rate factors and number of stages K; K = 1 is
 * vanilla diffusion at full frame rate) and the {@code coupling} of data and noise ({@link NoiseCoupling#NONE},
 * the batch aligner {@code tpdiff4j.align.BatchNoiseAligner}, or the user's own), so vanilla with alignment
 * (Immiscible Diffusion) is just a one-stage pyramid with the aligner.
 *
 * <p>Saving: the pyramid is written with {@link TemporalPyramid#toJson()}. A schedule made of Java functions
 * ({@code Schedules.of}), or a class of one's own that implements {@code NoiseSchedule} (whose {@code toJson()} is
 * not called), has no JSON form; it is written as {@code Schedules.tabulated} with the table size chosen
 * by {@link Tabulation} (default tolerance {@value Tabulation#DEFAULT_TOLERANCE} on gamma, sigma and their
 * derivatives), and the achieved figure goes into the JSON as {@code "scheduleTable"}. Training itself uses the
 * functions.
 *
 * @param prediction    what the network predicts: EPSILON (DDIM-type) or VELOCITY ({@code gammaDot x0 + sigmaDot eps},
 *                      {@code eps - x0} for flow matching)
 * @param pyramid       the temporal pyramid trained (its schedule is the noise schedule); K = 1 is vanilla
 * @param coupling      how each batch's noise is paired with its data before noising
 * @param stageDraw     how a step picks its stage
 * @param batchSize     clips per step
 * @param learningRate  AdamW learning rate
 * @param weightDecay   AdamW decoupled weight decay
 * @param beta1         AdamW beta1
 * @param beta2         AdamW beta2
 * @param clipNorm      global gradient-norm clip (0 = off)
 * @param emaDecay      EMA decay of the weights in [0, 1)
 * @param seed          seed of all training randomness (data, stages, times, noise); step n uses a generator seeded
 *                      from (seed, n), so the RNG state of a run is just (seed, step)
 * @param timeDraw      how the stage-local time {@code t'} of each clip is drawn ({@link StageTimeDraw#uniform()}:
 *                      the paper's {@code t' ~ U(0, 1]})
 * @param lossWeights   factor on each stage's loss ({@link StageLossWeights#equal()}: the paper's, all 1)
 */
public record TrainConfig(PredictionType prediction, TemporalPyramid pyramid, NoiseCoupling coupling,
                          StageDraw stageDraw, int batchSize, double learningRate, double weightDecay, double beta1,
                          double beta2, double clipNorm, double emaDecay, long seed, StageTimeDraw timeDraw,
                          StageLossWeights lossWeights) {

    public TrainConfig {
        java.util.List<String> missing = new java.util.ArrayList<>();
        Object[] values = {prediction, pyramid, coupling, stageDraw, timeDraw, lossWeights};
        String[] names = {"prediction", "pyramid", "coupling", "stageDraw", "timeDraw", "lossWeights"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.join(" = null, ", missing) + " = null; allowed: non-null values"
                    + " (PredictionType.VELOCITY or EPSILON, a TemporalPyramid, NoiseCoupling.NONE for no coupling, and"
                    + " StageDraw.uniform(), StageTimeDraw.uniform(), StageLossWeights.equal() for the paper's rules)");
        }
        lossWeights.check(pyramid.size());
        if (prediction != PredictionType.EPSILON && prediction != PredictionType.VELOCITY) {
            throw Refusals.refuse("prediction", prediction, "EPSILON or VELOCITY, the targets training supports");
        }
        stageDraw.probabilities(pyramid); // checks that given weights match the number of stages
        if (batchSize < 1) {
            throw Refusals.refuse("batchSize", batchSize, "at least 1");
        }
        if (batchSize == 1 && coupling instanceof tpdiff4j.align.BatchNoiseAligner) {   // was a silent no-op
            throw new IllegalArgumentException("batchSize = 1 with coupling " + Couplings.label(coupling) + "; allowed:"
                    + " batchSize >= 2, since the aligner pairs the noises of one batch with its clips and a single clip"
                    + " keeps its own noise (or NoiseCoupling.NONE for batches of 1)");
        }
        // learning rate, weight decay, betas, clip norm and EMA decay: finite and in range, named in the message
        TrainChecks.optimizer(learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay);
    }

    /** The paper's time draw and equal stage losses ({@link StageTimeDraw#uniform()}, {@link StageLossWeights#equal()}). */
    public TrainConfig(PredictionType prediction, TemporalPyramid pyramid, NoiseCoupling coupling, StageDraw stageDraw,
            int batchSize, double learningRate, double weightDecay, double beta1, double beta2, double clipNorm,
            double emaDecay, long seed) {
        this(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm,
                emaDecay, seed, StageTimeDraw.uniform(), StageLossWeights.equal());
    }

    /**
     * Trains {@code pyramid} (K = 1: vanilla) with no coupling and uniformly drawn stages. Defaults: batch 8, lr 1e-3,
     * wd 0.01, betas (0.9, 0.999), clip 1, EMA 0.999.
     */
    public static TrainConfig of(TemporalPyramid pyramid, PredictionType prediction, long seed) {
        return new TrainConfig(prediction, pyramid, NoiseCoupling.NONE, StageDraw.uniform(), 8, 1e-3, 0.01, 0.9,
                0.999, 1.0, 0.999, seed);
    }

    /** Vanilla diffusion (a one-stage pyramid) of {@code frames} frames on {@code schedule}. */
    public static TrainConfig vanilla(NoiseSchedule schedule, PredictionType prediction, int frames, long seed) {
        return of(TemporalPyramid.uniform(schedule, 1, frames), prediction, seed);
    }

    /** Flow matching ({@code gamma = 1 - t}, {@code sigma = t}), velocity prediction, uniform K-stage pyramid. */
    public static TrainConfig flowMatching(int stages, int frames, long seed) {
        return of(TemporalPyramid.uniform(Schedules.flowMatching(), stages, frames), PredictionType.VELOCITY, seed);
    }

    /** The noise schedule (the pyramid's). */
    public NoiseSchedule schedule() {
        return pyramid.schedule();
    }

    /** Number of stages K (1 = vanilla). */
    public int stages() {
        return pyramid.size();
    }

    /** Expected cost of a training step relative to a full-rate step under {@link #stageDraw} (cost ~ frames^p). */
    public double costFactor(double exponent) {
        return stageDraw.costFactor(pyramid, exponent);
    }

    /**
     * Checks that a network trained on this configuration can be sampled: {@link tpdiff4j.sample.VideoSampler} and
     * {@link tpdiff4j.pyramid.PyramidSampler} call the network first at the start of stage 0 (t = 1), and an EPSILON
     * prediction says nothing about the clip where the schedule's gamma is 0 there (flow matching:
     * {@code x_1 = eps}). {@link Trainer} checks this when it is built, so that such a run is refused before it
     * trains rather than when its first sample is drawn. Training the combination on its own is not wrong; only no
     * sampler of this library could use the result.
     *
     * @return this configuration
     * @throws IllegalArgumentException {@code prediction = EPSILON; allowed: VELOCITY ...} where gamma at the start of
     *                                  stage 0 is 0 (or 0 up to rounding)
     */
    public TrainConfig requireSamplable() {
        checkSamplable(pyramid, prediction);
        return this;
    }

    /** {@link #requireSamplable()} for a pyramid and a prediction type that are not (yet) one configuration. */
    public static void checkSamplable(TemporalPyramid pyramid, PredictionType prediction) {
        if (pyramid == null || prediction != PredictionType.EPSILON) {
            return;
        }
        NoiseSchedule s = pyramid.schedule();
        double t = pyramid.stage(0).start();
        try {
            tpdiff4j.ode.Predictions.coefficients(s, t, PredictionType.EPSILON, PredictionType.X0);
        } catch (IllegalArgumentException singular) {
            throw new IllegalArgumentException("prediction = EPSILON with schedule '" + s.name() + "'; allowed: VELOCITY"
                    + " (or EPSILON with a schedule whose gamma at t = " + t + " is not 0, e.g. Schedules.linear or"
                    + " scaledLinear). At t = " + t + ", where stage 0 and every sampler start, gamma = " + s.gamma(t)
                    + " and sigma = " + s.sigma(t) + ", so an EPSILON prediction carries no information about the"
                    + " clip: VideoSampler and PyramidSampler would refuse the trained network at their first step",
                    singular);
        }
    }

    /** Intervals of the grid on [0, 1] on which {@link #checkTargets} evaluates the schedule's derivatives. */
    static final int TARGET_GRID = 2000;

    /**
     * Checks that the training targets can be computed at every time a step can draw: a VELOCITY target is
     * {@code gammaDot(t) x0 + sigmaDot(t) eps}, and a schedule of Java functions without derivatives
     * ({@code Schedules.of(name, gamma, sigma)}) gets them by finite differences, which are refused where the
     * function is not smooth (an unbounded slope at an end, as {@code sqrt(t)} has at 0) or throw where the
     * function gives NaN or throws itself. {@link Trainer} checks this when it is built and an experiment when an arm
     * is added, so that such a run is refused before it trains, not after some steps when a time near the bad point
     * is drawn. EPSILON targets need no derivative and are not checked.
     *
     * <p>The check evaluates {@code gammaDot} and {@code sigmaDot} at {@code t = j / 2000} and at every stage's start
     * and end (a few milliseconds for a schedule of functions): both must be finite numbers, except at {@code t = 0},
     * which training never draws, where an infinite slope (the VP cosine schedule's sigmaDot) is allowed.
     *
     * @return this configuration
     * @throws IllegalArgumentException naming the schedule, the derivative, the time where it cannot be computed and
     *                                  what is allowed
     */
    public TrainConfig requireTargets() {
        checkTargets(pyramid, prediction);
        return this;
    }

    /** {@link #requireTargets()} for a pyramid and a prediction type that are not (yet) one configuration. */
    public static void checkTargets(TemporalPyramid pyramid, PredictionType prediction) {
        if (pyramid == null || prediction != PredictionType.VELOCITY) {
            return;
        }
        checkSlopes(pyramid, "prediction = VELOCITY", "the velocity target gammaDot(t) x0 + sigmaDot(t) eps needs both"
                + " derivatives at every time training draws", "train EPSILON");
    }

    /**
     * The check of {@link #requireTargets()} for any use of the schedule's derivatives on the pyramid's windows, such
     * as a sampler whose solver integrates the velocity {@code gammaDot(t) x0 + sigmaDot(t) eps} (Euler, Heun, RK4;
     * DDIM needs no derivative for an EPSILON network).
     *
     * @param who       the choice that needs the derivatives, e.g. {@code "solver = euler"}
     * @param need      why it needs them
     * @param otherWay  the alternative that needs none, e.g. {@code "train EPSILON"}
     * @throws IllegalArgumentException {@code who with schedule 'name': need, but sigmaDot(t) ...; Allowed: ...}
     */
    public static void checkSlopes(TemporalPyramid pyramid, String who, String need, String otherWay) {
        NoiseSchedule s = pyramid.schedule();
        java.util.TreeSet<Double> times = new java.util.TreeSet<>();
        for (int j = 0; j <= TARGET_GRID; j++) {
            times.add((double) j / TARGET_GRID);
        }
        for (tpdiff4j.pyramid.Stage st : pyramid.stages()) {
            times.add(st.start());
            times.add(st.end());
        }
        for (double t : times) {
            slope(s, "gammaDot", s::gammaDot, t, who, need, otherWay);
            slope(s, "sigmaDot", s::sigmaDot, t, who, need, otherWay);
        }
    }

    /** One derivative at {@code t}, refused where it cannot be computed or is not finite (see {@link #checkSlopes}). */
    private static void slope(NoiseSchedule s, String which, java.util.function.DoubleUnaryOperator slope, double t,
            String who, String need, String otherWay) {
        double d;
        RuntimeException cause = null;
        try {
            d = slope.applyAsDouble(t);
        } catch (RuntimeException e) {
            d = Double.NaN;
            cause = e;
        }
        if (t == 0 ? Double.isNaN(d) : !Double.isFinite(d)) {
            String why = which + "(" + t + ")" + (cause != null ? " cannot be computed: " + cause.getMessage() : " = " + d);
            throw new IllegalArgumentException(who + " with schedule '" + s.name() + "': " + need + ", but " + why
                    + ". Allowed: a schedule whose gammaDot and sigmaDot are finite numbers on (0, 1] (infinite only at"
                    + " t = 0): give exact derivatives, Schedules.of(name, gamma, sigma, gammaDot, sigmaDot), smooth the"
                    + " schedule where it is steep, or " + otherWay, cause);
        }
    }

    /** The same with another prediction target: {@code EPSILON} or {@code VELOCITY}. */
    public TrainConfig withPrediction(PredictionType p) {
        return new TrainConfig(p, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same on another pyramid (K = 1: vanilla); stage weights and loss factors given per stage must fit its K. */
    public TrainConfig withPyramid(TemporalPyramid p) {
        return new TrainConfig(prediction, p, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with another pairing of data and noise ({@link NoiseCoupling#NONE}: none). */
    public TrainConfig withCoupling(NoiseCoupling c) {
        return new TrainConfig(prediction, pyramid, c, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with another rule for a step's stage (see {@link StageDraw}). */
    public TrainConfig withStageDraw(StageDraw d) {
        return new TrainConfig(prediction, pyramid, coupling, d, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with {@code b >= 1} clips per step. */
    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, b, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with AdamW learning rate {@code lr}, finite and {@code > 0}. */
    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, lr, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with AdamW decoupled weight decay {@code wd}, finite and {@code >= 0} (0 = off). */
    public TrainConfig withWeightDecay(double wd) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, wd, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with AdamW moment decays, each in [0, 1). */
    public TrainConfig withBetas(double b1, double b2) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, b1, b2, clipNorm, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with the global gradient-norm clip {@code c}, finite and {@code >= 0} (0 = off). */
    public TrainConfig withClipNorm(double c) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, c, emaDecay, seed, timeDraw, lossWeights);
    }

    /** The same with EMA decay {@code d} in [0, 1). */
    public TrainConfig withEmaDecay(double d) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, d, seed, timeDraw, lossWeights);
    }

    /** The same with another seed of all training randomness. */
    public TrainConfig withSeed(long s) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, s, timeDraw, lossWeights);
    }

    /** The same with another draw of the stage-local time (see {@link StageTimeDraw}). */
    public TrainConfig withTimeDraw(StageTimeDraw d) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, d, lossWeights);
    }

    /** The same with other factors on the stages' losses (one per stage in sampling order; see {@link StageLossWeights}). */
    public TrainConfig withLossWeights(StageLossWeights w) {
        return new TrainConfig(prediction, pyramid, coupling, stageDraw, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed, timeDraw, w);
    }

    /** Short description, e.g. {@code "K=3 A [4, 2] coupling aligned(L2)"}. */
    public String label() {
        return "K=" + stages() + (stages() > 1 ? " " + pyramid.convention() + " " + java.util.Arrays.toString(pyramid.rateFactors()) : "")
                + " coupling " + Couplings.label(coupling) + (stageDraw.equals(StageDraw.uniform()) ? "" : " draw " + stageDraw)
                + (timeDraw.isUniform() ? "" : " time " + timeDraw) + (lossWeights.isEqual() ? "" : " loss " + lossWeights);
    }

    /** The update of a training step as {@link Trainer}, {@code AdamW} and {@code Ema} make it, for {@link #planJson}. */
    static final String OPTIMIZER_RULE = "step n = 1, 2, ... on the gradient g of all weights: if clipNorm > 0 and the"
            + " global L2 norm |g| > clipNorm, g <- g clipNorm / |g|; AdamW: m <- beta1 m + (1 - beta1) g,"
            + " v <- beta2 v + (1 - beta2) g^2, mhat = m / (1 - beta1^n), vhat = v / (1 - beta2^n),"
            + " w <- w - learningRate (mhat / (sqrt(vhat) + 1e-8) + weightDecay w); then the EMA of the weights,"
            + " starting from the initial weights: w_ema <- d_n w_ema + (1 - d_n) w with d_n = min(emaDecay,"
            + " (1 + n) / (10 + n)); samples use w_ema. The numbers are in trainConfig";

    /**
     * The plan of the pyramid ({@link TemporalPyramid#planJson}: windows, frames, each stage's sampling grid with
     * {@code stepsPerStage} steps, jumps, the stage-wise targets) for a trainer in another framework, completed with
     * what this configuration trains, so that the script follows the Java trainer and not the paper's defaults: the
     * plan's {@code "training"} object gets {@code "prediction"}, {@code "stageDraw"} (the rule) with
     * {@code "stageProbabilities"} (one per stage, sampling order), {@code "time"} by the {@link #timeDraw}
     * ({@link StageTimeDraw#formula()}), {@code "timeDraw"}, {@code "lossWeights"} (one factor per stage) with
     * {@code "loss"}, {@code "optimizer"} (gradient clip, AdamW and EMA as formulas) and {@code "coupling"}; and the
     * top level gets {@code "trainConfig"}, this configuration as
     * {@link #toJsonObject()} writes it (batch, optimizer, EMA, seed). See {@code docs/plan-format.md}.
     */
    public String planJson(int... stepsPerStage) {
        JsonObject plan = JsonParser.parseString(pyramid.planJson(stepsPerStage)).getAsJsonObject();
        JsonObject training = plan.getAsJsonObject("training");
        training.addProperty("prediction", prediction.name());
        training.addProperty("stage", "one stage k per batch, drawn with probability stageProbabilities[k]");
        training.add("stageDraw", stageDraw.toJsonObject());
        JsonArray probabilities = new JsonArray();
        for (double w : stageDraw.probabilities(pyramid)) {
            probabilities.add(w);
        }
        training.add("stageProbabilities", probabilities);
        training.addProperty("time", timeDraw.formula() + "; one t per clip");
        training.add("timeDraw", timeDraw.toJsonObject());
        JsonArray factors = new JsonArray();
        for (int k = 0; k < pyramid.size(); k++) {
            factors.add(lossWeights.factor(k));
        }
        training.add("lossWeights", factors);
        training.addProperty("loss", "lossWeights[k] * mean((model(x_t, t) - target)^2), the mean over every element of"
                + " the batch [B, F_k, C, H, W], k the batch's stage");
        training.addProperty("optimizer", OPTIMIZER_RULE);
        training.add("coupling", Couplings.toJson(coupling));
        plan.add("trainConfig", toJsonObject());
        return new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(plan);
    }

    /**
     * JSON object: prediction, pyramid ({@link TemporalPyramid#toJson()}, a function schedule tabulated, see the
     * class comment), scheduleTable (only then: intervals, maxError, tolerance), coupling, stageDraw, the numbers,
     * and timeDraw and lossWeights only where they differ from the paper's (so a default configuration's JSON is
     * the same as before these options existed, and older checkpoints resume).
     *
     * @throws IllegalArgumentException if a function schedule cannot be tabulated within the tolerance
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("prediction", prediction.name());
        NoiseSchedule s = pyramid.schedule();
        if (Tabulation.hasJson(s)) {
            o.add("pyramid", JsonParser.parseString(pyramid.toJson()));
        } else {
            Tabulation tab = Tabulation.of(s);
            o.add("pyramid", JsonParser.parseString(pyramid.withSchedule(tab.schedule()).toJson()));
            o.add("scheduleTable", tab.reportJson());
        }
        o.add("coupling", Couplings.toJson(coupling));
        o.add("stageDraw", stageDraw.toJsonObject());
        o.addProperty("batchSize", batchSize);
        o.addProperty("learningRate", learningRate);
        o.addProperty("weightDecay", weightDecay);
        o.addProperty("beta1", beta1);
        o.addProperty("beta2", beta2);
        o.addProperty("clipNorm", clipNorm);
        o.addProperty("emaDecay", emaDecay);
        o.addProperty("seed", seed);
        if (!timeDraw.isUniform()) {
            o.add("timeDraw", timeDraw.toJsonObject());
        }
        if (!lossWeights.isEqual()) {
            o.add("lossWeights", lossWeights.toJson());
        }
        return o;
    }

    /**
     * Reads {@link #toJsonObject()} (a coupling of one's own cannot be rebuilt: pass it to the other overload).
     *
     * @throws IllegalArgumentException as the other overload
     */
    public static TrainConfig fromJsonObject(JsonObject o) {
        return fromJsonObject(o, new NoiseCoupling[0]);
    }

    /**
     * Reads {@link #toJsonObject()}; a coupling of one's own, recorded by its {@code toString()} (see
     * {@link NoiseCoupling}), is taken from {@code own}: the one recorded the same way. The object must be one that
     * {@link #toJsonObject()} would write again as read; a field the writer leaves out while it holds its default (a
     * uniform {@code "timeDraw"}, equal {@code "lossWeights"}) may be spelt out. A {@code "scheduleTable"} report is
     * checked (only beside a tabulated schedule, in the form the writer gives it) and not kept: the configuration
     * read holds the table itself as its schedule, and a table needs no report to be written again.
     *
     * @throws IllegalArgumentException if the JSON names a coupling of one's own that {@code own} does not hold, or
     *                                  has a field that reading would drop or change (a misspelt key, {@code "8"} or
     *                                  {@code 8.5} for an integer, a name that is not one of the constants), named by
     *                                  its path with the value found and what is allowed
     */
    public static TrainConfig fromJsonObject(JsonObject o, NoiseCoupling... own) {
        Refusals.notNull(o, "train config JSON", "the object TrainConfig.toJsonObject() writes");
        String older = olderFormat(o);
        if (older != null) {
            throw new IllegalArgumentException("train config JSON " + older + " This version cannot read it; build the"
                    + " configuration anew: TrainConfig.of(pyramid, prediction, seed) with withCoupling, withStageDraw"
                    + " and the numbers (K = 1 for vanilla).");
        }
        tpdiff4j.schedule.DocumentKind.TRAIN_CONFIG.require(o, "train config JSON");
        TrainConfig c = read(o, own);
        tpdiff4j.schedule.StrictJson.requireWrittenAsRead("train config JSON", withoutScheduleTable(o),
                tree -> read(tree.getAsJsonObject(), own).identity(), "TrainConfig.toJsonObject");
        checkScheduleTable(o);
        return c;
    }

    /** The keys of the tabulation report ({@code Tabulation.reportJson}). */
    private static final java.util.Set<String> TABLE_KEYS = java.util.Set.of("intervals", "maxError", "tolerance",
            "checkPointsPerInterval");

    /**
     * Refuses a {@code "scheduleTable"} that the writer would not have written: one beside a schedule that is not a
     * table, or not in the report's form. The comparison with the written form leaves the report out (a
     * configuration read back holds the table itself and writes no report), so without this check any value there
     * was read and dropped without a word.
     */
    private static void checkScheduleTable(JsonObject o) {
        com.google.gson.JsonElement table = o.get("scheduleTable");
        if (table == null) {
            return;
        }
        com.google.gson.JsonElement type = o.getAsJsonObject("pyramid").getAsJsonObject("schedule").get("type");
        boolean tabulated = type.isJsonPrimitive() && type.getAsString().equals("tabulated");
        boolean form = table.isJsonObject() && table.getAsJsonObject().keySet().equals(TABLE_KEYS)
                && table.getAsJsonObject().entrySet().stream().allMatch(e -> e.getValue().isJsonPrimitive()
                && e.getValue().getAsJsonPrimitive().isNumber());
        if (!tabulated || !form) {
            throw wrongForm("scheduleTable", table, (tabulated ? "" : "no such field beside a schedule of type "
                    + tpdiff4j.schedule.StrictJson.excerpt(type.toString()) + "; it belongs only ") + "beside a"
                    + " tabulated schedule, the report TrainConfig.toJsonObject writes there: an object of the numbers "
                    + new java.util.TreeSet<>(TABLE_KEYS) + (table.isJsonObject() ? " (this one has the keys "
                    + new java.util.TreeSet<>(table.getAsJsonObject().keySet()) + ")" : ""));
        }
    }

    /** Reads the fields of {@link #toJsonObject()}, without the check that nothing else is there. */
    private static TrainConfig read(JsonObject o, NoiseCoupling... own) {
        return new TrainConfig(tpdiff4j.schedule.StrictJson.constant("train config JSON", PredictionType.class,
                        field(o, "prediction", "one of " + java.util.Arrays.toString(PredictionType.values())), "prediction"),
                TemporalPyramid.fromJson(object(o, "pyramid").toString()),
                Couplings.fromJson(object(o, "coupling"), own),
                StageDraw.fromJsonObject(object(o, "stageDraw")),
                (int) integer(o, "batchSize", Integer.MIN_VALUE, Integer.MAX_VALUE), number(o, "learningRate"),
                number(o, "weightDecay"), number(o, "beta1"), number(o, "beta2"),
                number(o, "clipNorm"), number(o, "emaDecay"), integer(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                o.has("timeDraw") ? StageTimeDraw.fromJsonObject(object(o, "timeDraw")) : StageTimeDraw.uniform(),
                o.has("lossWeights") ? StageLossWeights.fromJson(array(o, "lossWeights")) : StageLossWeights.equal());
    }

    /** The field {@code key} as a JSON object, or an error naming the field, its value and the form allowed. */
    private static JsonObject object(JsonObject o, String key) {
        return ofForm(o, key, com.google.gson.JsonElement::isJsonObject, "a JSON object, as TrainConfig.toJsonObject writes it")
                .getAsJsonObject();
    }

    /** The field {@code key} as a JSON array, or an error naming the field, its value and the form allowed. */
    private static JsonArray array(JsonObject o, String key) {
        return ofForm(o, key, com.google.gson.JsonElement::isJsonArray,
                "a JSON array of numbers, one per stage, as TrainConfig.toJsonObject writes it").getAsJsonArray();
    }

    /** The field {@code key} when {@code form} accepts it, else an error naming the field, its value and {@code allowed}. */
    private static com.google.gson.JsonElement ofForm(JsonObject o, String key,
            java.util.function.Predicate<com.google.gson.JsonElement> form, String allowed) {
        com.google.gson.JsonElement e = field(o, key, allowed);
        if (!form.test(e)) {
            throw wrongForm(key, e, allowed);
        }
        return e;
    }

    /**
     * The field {@code key} as a number (Gson also reads a number written as a string, which the written-as-read
     * check afterwards refuses by name), or an error naming the field, its value and the form allowed.
     */
    private static double number(JsonObject o, String key) {
        com.google.gson.JsonElement e = field(o, key, "a number, as TrainConfig.toJsonObject writes it");
        try {
            if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean()) {
                return e.getAsDouble();
            }
        } catch (NumberFormatException notANumber) {
            // named below
        }
        throw wrongForm(key, e, "a number, as TrainConfig.toJsonObject writes it");
    }

    /**
     * The field {@code key} as an integer in [{@code min}, {@code max}], or an error naming the field, its value and
     * the range allowed (Gson's {@code getAsInt} cut a value beyond the range to its low bits: a batch size of
     * 3000000000 became -1294967296).
     */
    private static long integer(JsonObject o, String key, long min, long max) {
        String allowed = "an integer in [" + min + ", " + max + "], as TrainConfig.toJsonObject writes it";
        com.google.gson.JsonElement e = field(o, key, allowed);
        java.math.BigDecimal v = null;
        try {
            if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean()) {
                v = e.getAsBigDecimal();
            }
        } catch (NumberFormatException notANumber) {
            // named below
        }
        if (v == null || v.compareTo(java.math.BigDecimal.valueOf(min)) < 0
                || v.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw wrongForm(key, e, allowed);
        }
        return v.longValue();   // a fraction is cut here and refused by the written-as-read check, with its value
    }

    private static IllegalArgumentException wrongForm(String key, com.google.gson.JsonElement e, String allowed) {
        return new IllegalArgumentException("train config JSON: field '" + key + "' = "
                + tpdiff4j.schedule.StrictJson.excerpt(e.toString()) + "; allowed: " + allowed);
    }

    /**
     * What makes a training configuration's JSON one of the form written before 29 November 2026, or null: it named a
     * mode ({@code VANILLA}, {@code TPDIFF_ALIGNED}, {@code TPDIFF_UNALIGNED}), a schedule ({@code scheduleJson}) and
     * a number of stages, where it now names a temporal pyramid, a noise coupling and a stage draw.
     */
    static String olderFormat(com.google.gson.JsonElement train) {
        if (train == null || !train.isJsonObject()) {
            return null;
        }
        JsonObject o = train.getAsJsonObject();
        if (o.has("pyramid") || !(o.has("mode") || o.has("scheduleJson"))) {
            return null;
        }
        return "was written by a tpdiff4j version before 29 November 2026: its training configuration names a mode ("
                + tpdiff4j.schedule.StrictJson.excerpt(o.get("mode") != null && o.get("mode").isJsonPrimitive()
                ? o.get("mode").getAsString() : String.valueOf(o.get("mode"))) + "), a schedule (scheduleJson)"
                + " and a number of stages (" + tpdiff4j.schedule.StrictJson.excerpt(String.valueOf(o.get("stages")))
                + "), where this version's names a temporal pyramid, a noise coupling and a stage draw (pyramid,"
                + " coupling, stageDraw).";
    }

    /** The field {@code key}, present and not null ({@code StrictJson.field}); {@code allowed} is for messages. */
    private static com.google.gson.JsonElement field(JsonObject o, String key, String allowed) {
        return tpdiff4j.schedule.StrictJson.field(o, key, "train config JSON", allowed);
    }

    /**
     * Equal when the JSON forms are, apart from the {@code "scheduleTable"} report (a function schedule compares by
     * its table, so a configuration read back from JSON, whose schedule is that table, equals the one written).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TrainConfig c && c.identity().equals(identity());
    }

    @Override
    public int hashCode() {
        return identity().hashCode();
    }

    /** {@link #toJsonObject()} without the tabulation report, which describes how a table was made, not the run. */
    JsonObject identity() {
        return withoutScheduleTable(toJsonObject());
    }

    /** A copy of a configuration's JSON without {@code "scheduleTable"} (see {@link #equals}). */
    static JsonObject withoutScheduleTable(JsonObject o) {
        JsonObject copy = o.deepCopy();
        copy.remove("scheduleTable");
        return copy;
    }
}
