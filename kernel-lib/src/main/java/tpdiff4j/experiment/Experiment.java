package tpdiff4j.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tpdiff4j.Refusals;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.metrics.VideoMetrics;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.StageNetwork;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.train.ProgressLine;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * A comparison of training set-ups on the same data, model, seed and budget. Each {@link Arm} is a temporal pyramid
 * (one stage: vanilla) with a noise coupling, a stage-draw rule, sampling steps per stage and a jump rule; all arms
 * start from the same initial weights (the model's seed) and see the same data stream (the experiment's seed).
 *
 * <pre>{@code
 * var exp = Experiment.of(data, ModelConfig.tiny(data.spec()))
 *         .arm("vanilla", TemporalPyramid.uniform(fm, 1, 16))
 *         .arm("tpdiff", TemporalPyramid.uniform(fm, 3, 16), BatchNoiseAligner.l2())
 *         .withBudget(Budget.seconds(60));
 * var res = exp.run(); res.table(); res.plot();
 * }</pre>
 *
 * <p>{@link #run} trains the arms side by side ({@link SideBySide}: round robin in {@code evalPoints} slices of the
 * budget), measures the EMA weights' {@link MotionQuality} on {@code evalClips} clips sampled from a fixed noise seed
 * before the first slice and after each, then samples {@code sampleClips} clips per arm from the EMA weights and
 * scores them against as many real clips with {@link VideoMetrics} (sprite metrics). The result holds curves, a
 * table, GIFs and figures ({@link ExperimentResult}).
 *
 * <p>JSON ({@link #toJson}): every schedule once under {@code "schedules"}, referenced by id from the arms'
 * pyramids; a schedule of Java functions is stored as a table (see {@code TrainConfig}) with the achieved tolerance
 * under {@code "scheduleTables"}. The dataset is code, not data: the JSON records its class, spec and
 * {@code toString()} (see {@code train.RecordedName}), and {@link #fromJson} takes the dataset and checks both its spec
 * and its {@code toString()}. A user's own coupling cannot be
 * rebuilt from JSON.
 *
 * @param data        the clips (shared)
 * @param model       the denoiser configuration (shared; its seed fixes the initial weights)
 * @param arms        the arms, unique names
 * @param budget      training budget per arm
 * @param evalPoints  evaluations along the way (slices of the budget)
 * @param evalClips   clips sampled per evaluation (and real clips compared against), at least 2
 * @param sampleClips final clips per arm for the table (and real clips), at least 2
 * @param samplingCalls calls of each arm's sampler for the final clips, at least 1: the arms are called in turn, as
 *                    many rounds, and the table shows the median time of each arm's calls (one call's time is at the
 *                    mercy of the machine's load); every call draws the same clips
 * @param prediction  what the network predicts (EPSILON or VELOCITY)
 * @param batchSize   clips per training step
 * @param learningRate AdamW learning rate
 * @param emaDecay    EMA decay of the weights
 * @param seed        seed of training data, noise and sampling
 * @param solver      sampling solver: "euler", "ddim", "heun" or "rk4"
 * @param progress    progress on {@code System.out} while it runs (not saved): a line per evaluation and, during
 *                    each slice of training, the trainer's progress line
 * @param scheduleTables tolerance figures of tabulated schedules read back from JSON, by schedule id (kept so that
 *                    a loaded experiment writes the same JSON)
 * @param networkName name of one's own network ({@link #withNetwork}), or null for the transformer of {@code model}
 * @param network     its factory (not saved), or null
 */
public record Experiment(VideoDataset data, ModelConfig model, List<Arm> arms, Budget budget, int evalPoints,
                         int evalClips, int sampleClips, int samplingCalls, PredictionType prediction, int batchSize,
                         double learningRate, double emaDecay, long seed, String solver, boolean progress,
                         Map<String, JsonObject> scheduleTables, String networkName,
                         Function<NDManager, StageNetwork> network) {

    static final String FORMAT = "tpdiff4j-experiment";
    static final List<String> SOLVERS = List.of("euler", "ddim", "heun", "rk4");
    /** Seed offsets of the real clips and of the sampling noise, so they never coincide with training batches. */
    static final long REAL_SEED = 0x5EED_0001L;
    static final long SAMPLE_SEED = 0x5EED_0002L;
    /** At most this many final clips per arm are kept for GIFs. */
    static final int SHOWN_CLIPS = 4;

    public Experiment {
        String allowed = "a data set and a model fitting its clips (ModelConfig.tiny(data.spec()))";
        Refusals.notNull(data, "data", allowed);
        Refusals.notNull(model, "model", allowed);
        VideoSpec s = data.spec();
        if (s.frames() != model.frames() || s.channels() != model.channels() || s.height() != model.height()
                || s.width() != model.width()) {
            throw new IllegalArgumentException("model = " + model.frames() + "x" + model.channels() + "x" + model.height()
                    + "x" + model.width() + "; allowed: a model that fits the data " + s
                    + " (ModelConfig.tiny(data.spec()))");
        }
        if (arms == null || arms.stream().anyMatch(java.util.Objects::isNull)) {
            throw Refusals.refuse("arms", arms,
                    "a list of arms without null (empty: add them later with arm(name, pyramid))");
        }
        arms = List.copyOf(arms);
        List<String> names = new ArrayList<>();
        for (Arm a : arms) {
            if (names.contains(a.name())) {
                throw new IllegalArgumentException("arm name = '" + a.name() + "', used twice; allowed: a name"
                        + " no other arm has");
            }
            if (a.pyramid().frames() != s.frames()) {
                throw new IllegalArgumentException("arm " + a.name() + ": pyramid for " + a.pyramid().frames()
                        + " frames; allowed: a pyramid for " + s.frames() + " frames, the data's clips");
            }
            try {
                TrainConfig.checkSamplable(a.pyramid(), prediction);
                TrainConfig.checkTargets(a.pyramid(), prediction);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("arm " + a.name() + ": " + e.getMessage(), e);
            }
            names.add(a.name());
        }
        positive("evalPoints", evalPoints);
        atLeastTwoClips("evalClips", evalClips);
        atLeastTwoClips("sampleClips", sampleClips);
        if (samplingCalls < 1) {
            throw Refusals.refuse("samplingCalls", samplingCalls, ">= 1 (3, the default, gives the median of three"
                    + " calls of each sampler; 1 a single call)");
        }
        Refusals.notNull(budget, "budget", "Budget.steps(n) or Budget.seconds(s)");
        if (solver == null || !SOLVERS.contains(solver)) {
            throw Refusals.refuse("solver", solver, String.valueOf(SOLVERS));
        }
        if (!solver.equals("ddim")) {   // the evaluations sample every arm with this solver between training slices
            for (Arm a : arms) {
                try {
                    TrainConfig.checkSlopes(a.pyramid(), "solver = " + solver, "the " + solver + " solver integrates"
                            + " dx/dt = gammaDot(t) x0 + sigmaDot(t) eps, whatever the network predicts, at the times of"
                            + " each stage's grid", "withSolver(\"ddim\"), which needs no derivative for an EPSILON"
                            + " network");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("arm " + a.name() + ": " + e.getMessage(), e);
                }
            }
        }
        // prediction, batch size, learning rate and EMA are checked by TrainConfig
        TrainConfig.flowMatching(1, s.frames(), seed).withPrediction(prediction).withBatchSize(batchSize)
                .withLearningRate(learningRate).withEmaDecay(emaDecay);
        scheduleTables = Map.copyOf(scheduleTables == null ? Map.of() : scheduleTables);
        if (networkName != null && networkName.isBlank()) {
            throw new IllegalArgumentException("network name = '" + networkName + "'; allowed: a non-blank, stable name for one's own network");
        }
        if (network != null) {
            Refusals.notNull(networkName, "network name", "a name for the network (withNetwork(name, factory))");
        }
    }

    /**
     * The Frechet distance fits a covariance to the clips (2 at least) and the final two-sample test needs one training
     * and one test clip per class; checked here so that a run does not fail after its training.
     */
    private static void atLeastTwoClips(String name, int v) {
        if (v < 2) {
            throw Refusals.refuse(name, v,
                    ">= 2 (the Frechet distance fits a covariance to the clips; a few dozen give numbers worth "
                    + "comparing)");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw Refusals.refuse(name, v, ">= 1");
        }
    }

    /**
     * No arms yet; budget 200 steps, 4 evaluations of 32 clips, 16 final clips timed over 3 calls per arm, velocity
     * prediction, batch 8, lr 1e-3, EMA 0.99 (short runs), seed 1, Euler sampling.
     */
    public static Experiment of(VideoDataset data, ModelConfig model) {
        return new Experiment(data, model, List.of(), Budget.steps(200), 4, 32, 16, 3, PredictionType.VELOCITY, 8, 1e-3,
                0.99, 1, "euler", true, Map.of(), null, null);
    }

    /** A copy with one more arm. */
    public Experiment arm(Arm a) {
        List<Arm> l = new ArrayList<>(arms);
        l.add(a);
        return withArms(l);
    }

    /** A copy with an arm training {@code pyramid} (one stage: vanilla) without coupling. */
    public Experiment arm(String name, TemporalPyramid pyramid) {
        return arm(Arm.of(name, pyramid));
    }

    /** A copy with an arm training {@code pyramid} with {@code coupling} (e.g. {@code BatchNoiseAligner.l2()}). */
    public Experiment arm(String name, TemporalPyramid pyramid, NoiseCoupling coupling) {
        return arm(Arm.of(name, pyramid).withCoupling(coupling));
    }

    /** A copy with these arms (unique names, pyramids for the data's frame count). */
    public Experiment withArms(List<Arm> a) {
        return new Experiment(data, model, a, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with another training budget per arm. */
    public Experiment withBudget(Budget b) {
        return new Experiment(data, model, arms, b, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with {@code n >= 1} evaluations along the way (slices of the budget). */
    public Experiment withEvalPoints(int n) {
        return new Experiment(data, model, arms, budget, n, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy sampling {@code n >= 2} clips per evaluation. */
    public Experiment withEvalClips(int n) {
        return new Experiment(data, model, arms, budget, evalPoints, n, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy sampling {@code n >= 2} final clips per arm for the table. */
    public Experiment withSampleClips(int n) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, n, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /**
     * A copy that calls each arm's sampler {@code n >= 1} times for the final clips, the arms in turn, and keeps the
     * median time of each arm (default 3; 1: a single call, noisy on a loaded machine). The clips and the metrics
     * are those of the first call: every call draws the same clips from the same seed.
     */
    public Experiment withSamplingCalls(int n) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, n, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy whose network predicts {@code EPSILON} or {@code VELOCITY}. */
    public Experiment withPrediction(PredictionType p) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, p, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with {@code b >= 1} clips per training step. */
    public Experiment withBatchSize(int b) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, b, learningRate, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with AdamW learning rate {@code lr}, finite and {@code > 0}. */
    public Experiment withLearningRate(double lr) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, lr, emaDecay, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with EMA decay {@code d} in [0, 1). */
    public Experiment withEmaDecay(double d) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, d, seed, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy with another seed of training data, noise and sampling. */
    public Experiment withSeed(long s) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, s, solver, progress, scheduleTables, networkName, network);
    }

    /** A copy sampling with solver {@code "euler"}, {@code "ddim"}, {@code "heun"} or {@code "rk4"}. */
    public Experiment withSolver(String name) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, name, progress, scheduleTables, networkName, network);
    }

    /**
     * A copy whose arms train one's own network instead of the transformer of {@link #model} (which then only
     * fixes the clip shape): {@code factory} gets a trainer's manager and returns an initialised network (see
     * {@link StageNetwork}); it is called once per arm and must give the same initial weights each time. The JSON
     * records {@code name} only: after {@link #fromJson}, pass the factory again with the same name.
     */
    public Experiment withNetwork(String name, Function<NDManager, StageNetwork> factory) {
        Refusals.notNull(factory, "factory", "a function that builds the network on a manager");
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, progress, scheduleTables, name, factory);
    }

    /**
     * A copy that shows its progress ({@code true}, the default: a line per evaluation, and during each slice of
     * training the trainer's progress line, rewritten in place in a notebook or a terminal) or prints nothing
     * ({@code false}).
     */
    public Experiment withProgress(boolean show) {
        return new Experiment(data, model, arms, budget, evalPoints, evalClips, sampleClips, samplingCalls, prediction, batchSize, learningRate, emaDecay, seed, solver, show, scheduleTables, networkName, network);
    }

    /**
     * The training configuration of an arm: its pyramid, coupling, stage draw, time draw and stage loss factors with
     * the shared settings.
     */
    public TrainConfig trainConfig(Arm a) {
        return TrainConfig.of(a.pyramid(), prediction, seed).withCoupling(a.coupling()).withStageDraw(a.stageDraw())
                .withTimeDraw(a.timeDraw()).withLossWeights(a.lossWeights())
                .withBatchSize(batchSize).withLearningRate(learningRate).withEmaDecay(emaDecay);
    }

    /** The sampler of an arm. */
    public PyramidSampler sampler(Arm a) {
        return PyramidSampler.of(a.pyramid(), solver(solver), a.stepsPerStage()).withJumpRule(a.jumpRule());
    }

    static Solver solver(String name) {
        Solver s = switch (name) {
            case "euler" -> Solvers.euler();
            case "ddim" -> Solvers.ddim();
            case "heun" -> Solvers.heun();
            case "rk4" -> Solvers.rk4();
            default -> throw Refusals.refuse("solver", name, String.valueOf(SOLVERS));
        };
        return s.withProgress(false);
    }

    /** Trains, evaluates and samples every arm; progress on {@code System.out} unless {@code withProgress(false)}. */
    public ExperimentResult run() {
        return run(progress ? System.out : null);
    }

    /**
     * As {@link #run()} with progress to {@code log} (null: none). While a slice trains, each arm shows the trainer's
     * progress line ({@link ProgressLine#part}: step, loss, rate and the time left in the slice, after the arm's
     * name), rewritten in place on a notebook's or a terminal's output and replaced by the slice's line when the
     * slice ends; on other streams (a log file) a whole line at most every ten seconds of a slice. The final clips of
     * the arms are sampled {@code samplingCalls} times in turn ({@link TimedInTurn}) and each arm's median time kept.
     *
     * <p>An interrupt stops after the training step under way, or at once during an evaluation or the final sampling
     * (without what that was computing); the result then says {@code complete = false}, keeps the curves measured
     * so far and the metrics of the arms sampled before it (an interrupt during the later timing calls keeps every
     * arm's metrics and the median of the calls that finished), and the thread's interrupt flag is set again.
     */
    public ExperimentResult run(PrintStream log) {
        if (arms.isEmpty()) {
            throw new IllegalStateException("the experiment has no arms; add some with arm(name, pyramid)");
        }
        budget.checkSlices(evalPoints); // before any trainer is built
        if (networkName != null && network == null) {
            throw new IllegalStateException("the experiment trains the network '" + networkName + "', which is code: call"
                    + " withNetwork(\"" + networkName + "\", factory) before run()");
        }
        if (log != null) {
            log.println("experiment: " + arms.size() + " arms, " + budgetText() + " each, on " + Compute.describe());
        }
        List<Trainer> trainers = new ArrayList<>();
        try (NDManager m = tpdiff4j.nn.Compute.newManager()) {
            double[][] real = MotionQuality.features(data.batch(m, evalClips, seed ^ REAL_SEED));
            List<SideBySide.Lane> lanes = new ArrayList<>();
            for (Arm a : arms) {
                Trainer.Builder tb = Trainer.builder().withConfig(trainConfig(a)).withData(data).withProgress(false);
                if (log != null) { // the slice's own line ends each part: the trainer's line shows the steps inside it
                    tb = tb.withListener(ProgressLine.part(log, "[" + a.name() + "] "));
                }
                Trainer t = (network != null ? tb.withNetwork(network) : tb.withModel(model)).build();
                trainers.add(t);
                if (network != null) {
                    requireSameStart(trainers.get(0), arms.get(0).name(), t, a.name());
                }
                PyramidSampler s = sampler(a);
                lanes.add(new SideBySide.Lane(a.name(), t, tr -> tr.withEmaWeights(() -> {
                    try (NDManager sub = m.newSubManager()) {
                        return MotionQuality.distance(real, MotionQuality.features(sampleChunks(s, tr, sub, evalClips)));
                    }
                })));
            }
            SideBySide.Run run = SideBySide.run(lanes, budget, evalPoints, log);
            boolean complete = run.complete();
            List<ArmResult> results = new ArrayList<>();
            ArmResult[] sampled = complete && !Thread.currentThread().isInterrupted()
                    ? sampleFinal(run, trainers, m, log) : new ArmResult[arms.size()];
            complete &= !Thread.currentThread().isInterrupted();
            for (int i = 0; i < arms.size(); i++) {
                SideBySide.Outcome o = run.outcomes().get(i);
                if (sampled[i] != null) {
                    results.add(sampled[i]);
                } else {
                    complete = false; // not sampled: curve and timings only
                    VideoSpec s = data.spec();
                    results.add(new ArmResult(o.name(), o.curve(), o.steps(), o.trainSeconds(), o.secondsPerStep(),
                            trainConfig(arms.get(i)).costFactor(2.0), Double.NaN, o.stopped() == null ? Map.of()
                            : Map.of(ArmResult.STOPPED_AT, (double) (o.steps() + 1)), new float[0],
                            new int[] {0, s.frames(), s.channels(), s.height(), s.width()}));
                }
            }
            return new ExperimentResult(this, results, Compute.describe(), complete);
        } finally {
            trainers.forEach(Trainer::close);
        }
    }

    /**
     * Refuses arms that start from different weights: a factory of one's own network that draws them from the
     * engine's shared random generator gives every call other ones, and the arms' curves would differ by their start.
     */
    private void requireSameStart(Trainer first, String firstArm, Trainer t, String arm) {
        if (t == first) {
            return;
        }
        java.util.Map<String, ai.djl.nn.Parameter> a = first.model().namedParameters(), b = t.model().namedParameters();
        for (String k : a.keySet()) {
            if (!b.containsKey(k) || !a.get(k).getArray().contentEquals(b.get(k).getArray())) {
                throw new IllegalArgumentException("the network factory of withNetwork(\"" + networkName + "\", ...)"
                        + " gave arm '" + arm + "' other initial weights than arm '" + firstArm + "' (parameter " + k
                        + (b.containsKey(k) ? " differs" : " is missing") + "); allowed: a factory that gives the same"
                        + " weights on every call, so that every arm starts alike. Seed the initialisation inside the"
                        + " factory, e.g. ai.djl.engine.Engine.getInstance().setRandomSeed(1) before block.initialize");
            }
        }
        if (b.size() != a.size()) {
            throw new IllegalArgumentException("the network factory of withNetwork(\"" + networkName + "\", ...) gave"
                    + " arm '" + arm + "' " + b.size() + " parameters but arm '" + firstArm + "' " + a.size()
                    + "; allowed: a factory that gives the same network on every call");
        }
    }

    /**
     * The final clips of every arm, sampled {@link #samplingCalls} times with the arms in turn: the first call of each
     * arm is scored (outside the clock), the others are timed only, and each arm's result holds its median time. An
     * arm left without a result (null) was not sampled before an interrupt.
     */
    private ArmResult[] sampleFinal(SideBySide.Run run, List<Trainer> trainers, NDManager m, PrintStream log) {
        int n = arms.size();
        ArmResult[] scored = new ArmResult[n];
        NDArray realFinal = data.batch(m, sampleClips, seed ^ REAL_SEED ^ 1);
        VideoMetrics metrics = VideoMetrics.DEFAULT.withSeed(seed);
        List<TimedInTurn.Sampling> samplers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PyramidSampler s = sampler(arms.get(i));
            Trainer t = trainers.get(i);
            samplers.add((arrays, call) -> t.withEmaWeights(() -> sampleChunks(s, t, arrays, sampleClips)));
        }
        // the same clips on every call: the first call's are scored
        TimedInTurn timed = TimedInTurn.sampling(samplingCalls, m, samplers,
                (arm, clips) -> scored[arm] = score(arms.get(arm), run.outcomes().get(arm), clips, realFinal, metrics));
        for (int i = 0; i < n; i++) {
            if (scored[i] != null) {
                ArmResult r = scored[i];
                scored[i] = new ArmResult(r.name(), r.curve(), r.steps(), r.trainSeconds(), r.secondsPerStep(),
                        r.costFactor(), timed.median(i), r.metrics(), r.clips(), r.shape());
                if (log != null) {
                    int c = timed.calls(i);
                    log.printf(java.util.Locale.ROOT, "[%s] sampled %d clips in %.2f s (%s)%n", r.name(), sampleClips,
                            timed.median(i), c == 1 ? "one call" : "median of " + c + " calls");
                }
            }
        }
        return scored;
    }

    /** An arm's result with the metrics of its final clips {@code gen}; its sampling time is filled in later. */
    private ArmResult score(Arm a, SideBySide.Outcome o, NDArray gen, NDArray real, VideoMetrics metrics) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (o.stopped() != null) {
            values.put(ArmResult.STOPPED_AT, (double) (o.steps() + 1));
        }
        boolean finite = !(gen.isNaN().any().getBoolean() || gen.isInfinite().any().getBoolean());
        if (finite) {
            flatten("", JsonParser.parseString(metrics.sprites(a.name(), real, gen.clip(-1f, 1f)).toJson()), values);
        } else { // a diverged sample has no metrics (they refuse it); the table shows how much of it is broken
            values.put(ArmResult.NON_FINITE, (double) gen.isNaN().logicalOr(gen.isInfinite()).countNonzero().getLong());
        }
        int shown = Math.min(SHOWN_CLIPS, sampleClips);
        NDArray keep = gen.get("0:" + shown).clip(-1f, 1f);
        long[] sh = keep.getShape().getShape();
        return new ArmResult(a.name(), o.curve(), o.steps(), o.trainSeconds(), o.secondsPerStep(),
                trainConfig(a).costFactor(2.0), Double.NaN, values, keep.toFloatArray(),
                new int[] {(int) sh[0], (int) sh[1], (int) sh[2], (int) sh[3], (int) sh[4]});
    }

    /** Numbers of a metric report's JSON, keys joined by '.', skipping names and arrays; nulls as NaN. */
    private static void flatten(String prefix, JsonElement e, Map<String, Double> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
                flatten(prefix.isEmpty() ? x.getKey() : prefix + "." + x.getKey(), x.getValue(), out);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            out.put(prefix, e.getAsDouble());
        } else if (e.isJsonNull() && !prefix.isEmpty()) {
            out.put(prefix, Double.NaN);
        }
    }

    /** {@code n} clips from the sampler in chunks of at most 16, from the experiment's sampling seed; in {@code m}. */
    private NDArray sampleChunks(PyramidSampler s, Trainer t, NDManager m, int n) {
        VideoSpec spec = data.spec();
        NDList parts = new NDList();
        for (int done = 0, chunk = 0; done < n; chunk++) {
            int b = Math.min(16, n - done);
            parts.add(s.sample(t.denoiser(), m, new Shape(spec.batchShape(b)), DataType.FLOAT32,
                    (seed ^ SAMPLE_SEED) + 7919L * chunk));
            done += b;
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    private String budgetText() {
        return budget.toString();
    }

    /** The experiment as JSON (see the class comment). */
    public String toJson() {
        return ExperimentJson.write(this).toString();
    }

    /**
     * Reads {@link #toJson()}; {@code data} must have the spec and the description ({@code toString()}) the JSON
     * records. A file written before data sets described their settings records only the data set's class (as
     * {@code SpriteVideos@1b2c3d4e}); it is read with a data set of that class and spec.
     */
    public static Experiment fromJson(String json, VideoDataset data) {
        return fromJson(json, data, new NoiseCoupling[0]);
    }

    /**
     * Reads {@link #toJson()} of an experiment whose arms use couplings of one's own: each is taken from
     * {@code couplings}, the one recorded the same way (its {@code toString()}, see {@link NoiseCoupling}).
     */
    public static Experiment fromJson(String json, VideoDataset data, NoiseCoupling... couplings) {
        String what = "experiment JSON";
        refuseResult(json, what);
        JsonElement root = ExperimentJson.withIdentityHashDescriptionRead(tpdiff4j.schedule.StrictJson.parse(json, what), data);
        Experiment e = ExperimentJson.read(root.isJsonObject() ? root.getAsJsonObject() : null, data, couplings);
        tpdiff4j.schedule.StrictJson.requireWrittenAsRead(what, root, tree -> ExperimentJson.write(
                ExperimentJson.read(tree.isJsonObject() ? tree.getAsJsonObject() : null, data, couplings)), "Experiment.toJson");
        return e;
    }

    /**
     * Refuses a document of another kind, above all the one {@link ExperimentResult#toJson} writes, which holds a
     * set-up under {@code "experiment"}: read as a set-up it would fail on its first result value that is not standard
     * JSON (a bare NaN) or on its missing {@code "format"}, and neither message says what the file is.
     */
    private static void refuseResult(String json, String what) {
        JsonElement root;
        try {
            root = tpdiff4j.schedule.StrictJson.parseWithNonFinite(json, what);
        } catch (IllegalArgumentException e) {
            return; // not JSON at all: the strict reader says where
        }
        tpdiff4j.schedule.DocumentKind.EXPERIMENT.require(root, what);
    }

    /** Equal when the JSON forms are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Experiment e && e.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        List<String> names = arms.stream().map(Arm::name).toList();
        return "Experiment" + names + " on " + data.spec() + ", " + budgetText();
    }
}
