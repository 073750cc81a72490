package tpdiff4j.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import tpdiff4j.experiment.Budget;
import tpdiff4j.experiment.QualityCurve;
import tpdiff4j.experiment.SideBySide;
import tpdiff4j.metrics.FrechetDistance;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.TrainListener;

import tpdiff4j.train.Trainer;

/**
 * Training efficiency (the benchmark report's training section; the paper's FVD-versus-GPU-hours comparison,
 * v1 Fig. 5): for each seed, in fresh JVMs ({@link SeedProcess}), vanilla and TPDiff with alignment (and
 * TPDiff without alignment when the preset asks) train the headline model (same initial weights, same data stream,
 * same seed) for the same wall-clock budget, side by side: at the same time, one JVM and core per arm, when the preset
 * trains its arms in parallel ({@link Preset#armsInParallel()}), else in one JVM with their slices interleaved round
 * robin. The budget is cut into {@code evalPoints} equal slices; before the first and after every slice the run's
 * EMA weights are evaluated (timer stopped): {@code evalClips} clips sampled with 30 steps (vanilla 30, TPDiff
 * 10/10/10, or 30 split over the race's stages: 8/8/7/7 for {@link Preset#stages()} = 4) from the same noise seed, scored by the Frechet distance of their sprite motion features to
 * {@code realClips} real clips ({@link tpdiff4j.metrics.MotionFeatures}, lower is better).
 *
 * <p>Per seed: seconds per step of each arm (steps after the trainer's warm-up), the step-time ratio TPDiff / vanilla,
 * and the time-to-quality ratio: the first time TPDiff's curve reaches vanilla's final quality, divided by the first
 * time vanilla's own curve reaches it ({@link QualityCurve#timeToReach}). When TPDiff never gets there, its whole
 * budget stands in as a lower bound and {@code train.timeToQualityReached} counts it out. The same ratio is taken
 * against training steps and against cumulative analytic FLOPs: steps times the arm's expected forward + backward
 * FLOPs per step under its stage draw ({@link Bed#stepFlops}), a hardware-independent measure of work.
 *
 * <p>The metric's own noise: vanilla's final EMA weights are scored again with {@code noiseSeeds - 1} further sampling
 * seeds; the sample standard deviation of these {@code noiseSeeds} distances is the noise band. Flattening criterion:
 * vanilla's curve counts as flattened when its last evaluation improves on the one before by less than that band
 * (reported per seed as met or not met); where it is not met, longer budgets would lower vanilla's final quality and
 * the time-to-quality ratio measures an earlier point of the race. The target, vanilla's final quality, is one such
 * evaluation, so it carries that noise: the ratio is also taken against a target one noise sd lower (harder) and one
 * higher (easier), per seed and as medians ({@code train.timeToQualityRatio.harderTarget}, {@code .easierTarget}), to
 * show how far the noise of a single evaluation moves it.
 */
final class TrainBench {

    static final long REAL_SEED = 900_001L;
    static final long SAMPLE_SEED = 4242L;
    /** Stride between the sampling seeds of the noise measurement (a prime, so the clip seeds never coincide). */
    static final long NOISE_SEED_STRIDE = 104_729L;
    /** Quality recorded when samples or distance are not finite (a diverged run): far worse than any real value. */
    static final double DIVERGED = 1e6;

    private TrainBench() {
    }

    /**
     * One run's outcome.
     *
     * @param flopsPerStep expected analytic forward + backward FLOPs of one of its steps
     * @param noise        distances of the final EMA weights under {@code noiseSeeds} sampling seeds (vanilla only; empty
     *                     for the other arms)
     */
    record Run(BenchArm mode, long seed, QualityCurve curve, double secondsPerStep, long steps, double flopsPerStep,
               double[] noise) {
    }

    /** The arms the preset trains, vanilla first. */
    static List<BenchArm> modes(Preset p) {
        return p.unaligned() ? List.of(BenchArm.VANILLA, BenchArm.TPDIFF_ALIGNED, BenchArm.TPDIFF_UNALIGNED)
                : List.of(BenchArm.VANILLA, BenchArm.TPDIFF_ALIGNED);
    }

    /**
     * At most this many seeds are trained a second time because their first process slowed down: a retry costs a seed's
     * whole time (about 7 minutes in the full preset), and one keeps the full run within its 40 minutes.
     */
    static final int MAX_RETRIES = 1;

    /**
     * The preset as this machine can run it: arms that should train in parallel need a core each; with fewer cores
     * they train round robin in one process instead, with a warning on {@code log} (the race then takes about
     * {@code arms} times its planned training time).
     */
    static Preset forCores(Preset p, int cores, PrintStream log) {
        if (!p.armsInParallel() || cores >= p.arms()) {
            return p;
        }
        log.printf(Locale.ROOT, "[bench] WARNING: the preset trains its %d arms in parallel, but this machine has %d core(s); they"
                + " train round robin instead, which takes %d times the planned training time%n", p.arms(), cores, p.arms());
        return p.withArmsInParallel(false);
    }

    /**
     * Trains every seed in a fresh JVM ({@link SeedProcess}) and summarizes. A seed is trained once more, in another
     * fresh process, when one of its runs slowed down between evaluation slices ({@link SeedProcess#slowed}) or,
     * after all seeds, when its vanilla step was more than {@link Derived#SLOW_SEED} times slower than the fastest
     * seed's; at most {@link #MAX_RETRIES} seeds are retried, and of two attempts the one at full speed counts (else the
     * faster). {@code train.processes} counts the processes, meta {@code retriedSeeds} names the retried seeds and
     * {@code slowedSeeds} those whose counted attempt slowed down all the same ({@link #slowedSeeds}). A retry is left
     * out when it would end after {@code deadline} (epoch seconds; NaN: no deadline), judged by the longest attempt so
     * far, with the seeds still to come: meta {@code retriesSkipped} names those seeds, and the whole run keeps to its time plan.
     */
    static void run(Preset p, Report r, PrintStream log, boolean quiet, double deadline) {
        p = forCores(p, Runtime.getRuntime().availableProcessors(), log);
        r.meta("trainArmsInParallel", new com.google.gson.JsonPrimitive(p.armsInParallel()));
        List<Map<BenchArm, Run>> bySeed = new ArrayList<>();
        java.util.Set<Long> retried = new java.util.LinkedHashSet<>();
        java.util.Set<Long> skipped = new java.util.LinkedHashSet<>();
        int processes = 0;
        double longest = 0; // seconds of the longest seed process so far
        for (int s = 0; s < p.seeds(); s++) {
            long seed = 1000L + s;
            long t0 = System.nanoTime();
            Map<BenchArm, Run> runs = SeedProcess.run(p, seed, quiet);
            longest = Math.max(longest, (System.nanoTime() - t0) / 1e9);
            processes++;
            if (SeedProcess.slowed(runs) && retried.size() < MAX_RETRIES) {
                // the retry and the seeds still to come must all end by the deadline
                if (!retryFits(deadline, System.currentTimeMillis() / 1e3, longest, p.seeds() - s)) {
                    log.printf(Locale.ROOT, "[bench] train seed %d: the process slowed down, but a retry (about %.0f s) would overrun the"
                            + " run's time plan; it counts as it is%n", seed, longest);
                    skipped.add(seed);
                } else {
                    log.printf(Locale.ROOT, "[bench] train seed %d: the process slowed down during the run (slowest slice %.2fx the fastest);"
                            + " training it again in a fresh process%n", seed, maxSlowdown(runs));
                    retried.add(seed);
                    t0 = System.nanoTime();
                    runs = better(runs, SeedProcess.run(p, seed, quiet));
                    longest = Math.max(longest, (System.nanoTime() - t0) / 1e9);
                    processes++;
                }
            }
            bySeed.add(runs);
        }
        double fastest = fastestVanillaStep(bySeed);
        for (int s = 0; s < bySeed.size() && retried.size() < MAX_RETRIES; s++) {
            long seed = 1000L + s;
            if (slowerThanFastest(bySeed.get(s), fastest) && !retried.contains(seed)) {
                if (!retryFits(deadline, System.currentTimeMillis() / 1e3, longest, 1)) {
                    log.printf(Locale.ROOT, "[bench] train seed %d: vanilla's step took %.2fx as long as in the fastest seed, but a retry"
                            + " would overrun the run's time plan; it counts as it is%n", seed,
                            bySeed.get(s).get(BenchArm.VANILLA).secondsPerStep() / fastest);
                    skipped.add(seed);
                    continue;
                }
                log.printf(Locale.ROOT, "[bench] train seed %d: vanilla's step took %.2fx as long as in the fastest seed; training it again"
                        + " in a fresh process%n", seed, bySeed.get(s).get(BenchArm.VANILLA).secondsPerStep() / fastest);
                retried.add(seed);
                bySeed.set(s, better(bySeed.get(s), SeedProcess.run(p, seed, quiet)));
                processes++;
            }
        }
        r.put("train.processes", processes);
        JsonArray named = new JsonArray();
        retried.forEach(named::add);
        r.meta("retriedSeeds", named);
        JsonArray left = new JsonArray();
        skipped.forEach(left::add);
        r.meta("retriesSkipped", left);
        JsonArray slow = new JsonArray();
        slowedSeeds(bySeed).forEach(slow::add);
        r.meta("slowedSeeds", slow);
        summarize(p, bySeed, r);
    }

    /**
     * Whether {@code processes} seed processes (a retry and the seeds still to come) of {@code seconds} each (the
     * longest seed process so far), started at {@code now}, end by {@code deadline} (epoch seconds; NaN: no deadline,
     * always true).
     */
    static boolean retryFits(double deadline, double now, double seconds, int processes) {
        return Double.isNaN(deadline) || now + processes * seconds <= deadline;
    }

    /**
     * The seeds (1000 + index) whose counted attempt still slowed down: a slice slower than another by more than
     * {@link SeedProcess#SLOW_SLICE}, or vanilla's step more than {@link Derived#SLOW_SEED} times the fastest seed's (a
     * retry that slowed down as well, or a seed left over once the retries were used up).
     */
    static List<Long> slowedSeeds(List<Map<BenchArm, Run>> bySeed) {
        double fastest = fastestVanillaStep(bySeed);
        List<Long> slow = new ArrayList<>();
        for (int s = 0; s < bySeed.size(); s++) {
            if (SeedProcess.slowed(bySeed.get(s)) || slowerThanFastest(bySeed.get(s), fastest)) {
                slow.add(1000L + s);
            }
        }
        return slow;
    }

    /** The smallest vanilla seconds per step over the seeds. */
    private static double fastestVanillaStep(List<Map<BenchArm, Run>> bySeed) {
        return bySeed.stream().mapToDouble(x -> x.get(BenchArm.VANILLA).secondsPerStep()).min().orElseThrow();
    }

    /** Vanilla's step more than {@link Derived#SLOW_SEED} times the fastest seed's. */
    private static boolean slowerThanFastest(Map<BenchArm, Run> runs, double fastest) {
        return runs.get(BenchArm.VANILLA).secondsPerStep() > Derived.SLOW_SEED * fastest;
    }

    /** The largest {@link SeedProcess#slowdown} over the seed's runs (NaN-free: runs without enough slices count 1). */
    static double maxSlowdown(Map<BenchArm, Run> runs) {
        return runs.values().stream().mapToDouble(x -> SeedProcess.slowdown(x.curve())).filter(Double::isFinite).max().orElse(1);
    }

    /** Of two attempts at one seed: the one that did not slow down, else the one with the faster vanilla step. */
    static Map<BenchArm, Run> better(Map<BenchArm, Run> first, Map<BenchArm, Run> second) {
        boolean a = SeedProcess.slowed(first), b = SeedProcess.slowed(second);
        if (a != b) {
            return a ? second : first;
        }
        return second.get(BenchArm.VANILLA).secondsPerStep() < first.get(BenchArm.VANILLA).secondsPerStep() ? second : first;
    }

    /**
     * Trains the given arms of one seed side by side ({@link SideBySide}: slice e of every arm runs before slice e + 1 of
     * any, so a change of machine load during the run hits all arms alike; with one arm, its slices are just its
     * evaluation points), then measures the metric's noise on vanilla's final EMA weights if vanilla is among them.
     * With a barrier (the other arms train in processes of their own at the same time), every evaluation waits for
     * theirs, so all arms start each slice together.
     */
    static Map<BenchArm, Run> trainSeed(Preset p, long seed, List<BenchArm> modes, EvaluationBarrier barrier, double[][] real,
                                        NDManager m, PrintStream log) {
        List<Trainer> trainers = new ArrayList<>();
        try {
            List<SideBySide.Lane> lanes = new ArrayList<>();
            List<VideoSampler> samplers = new ArrayList<>();
            for (BenchArm mode : modes) {
                String label = name(mode) + " seed " + seed;
                long[] firstBad = {-1};
                TrainListener watch = pr -> {
                    if (firstBad[0] < 0 && !Double.isFinite(pr.loss())) {
                        firstBad[0] = pr.step();
                        log.printf(Locale.ROOT, "[bench] WARNING: %s has a non-finite loss at step %d%n", label, pr.step());
                    }
                };
                Trainer t = Bed.trainer(p, p.frames(), mode, seed, watch);
                trainers.add(t);
                VideoSampler sampler = Bed.sampler(p.frames(), Bed.steps30(mode.pyramid() ? p.stages() : 1));
                samplers.add(sampler);
                lanes.add(new SideBySide.Lane(label, t, tr -> {
                    double q = emaQuality(p, sampler, tr, real, m, SAMPLE_SEED);
                    if (barrier != null) {
                        barrier.arrive(); // the arms in the other processes start their next slice with this one
                    }
                    return q;
                }));
            }
            // whole lines, each written at once: the children training a seed's arms in parallel share one output
            PrintStream prefixed = new PrintStream(new java.io.FilterOutputStream(log) {
                private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

                @Override
                public void write(int b) throws java.io.IOException {
                    if (line.size() == 0) {
                        line.write("[bench] train ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    line.write(b);
                    if (b == '\n') {
                        out.write(line.toByteArray());
                        out.flush();
                        line.reset();
                    }
                }
            }, true);
            SideBySide.Run run = SideBySide.run(lanes, Budget.seconds(p.trainSeconds()), p.evalPoints(), prefixed);
            prefixed.flush();
            if (!run.complete()) {
                Timing.checkInterrupt();
            }
            Map<BenchArm, Run> runs = new EnumMap<>(BenchArm.class);
            for (int k = 0; k < modes.size(); k++) {
                SideBySide.Outcome o = run.outcomes().get(k);
                double[] noise = new double[0];
                if (modes.get(k) == BenchArm.VANILLA) {
                    noise = new double[p.noiseSeeds()];
                    noise[0] = o.curve().finalQuality(); // the last evaluation: same weights, seed SAMPLE_SEED
                    for (int j = 1; j < noise.length; j++) {
                        Timing.checkInterrupt();
                        noise[j] = emaQuality(p, samplers.get(k), trainers.get(k), real, m, SAMPLE_SEED + NOISE_SEED_STRIDE * j);
                    }
                    log.printf(Locale.ROOT, "[bench] train metric noise, vanilla seed %d: %s (sd %.4f)%n", seed,
                            java.util.Arrays.toString(noise), Stats.std(noise));
                }
                runs.put(modes.get(k), new Run(modes.get(k), seed, o.curve(), o.secondsPerStep(), o.steps(),
                        Bed.stepFlops(p, modes.get(k)), noise));
            }
            return runs;
        } finally {
            trainers.forEach(Trainer::close);
        }
    }

    /** Quality of the trainer's EMA weights (the weights one samples with; they fluctuate less than the live ones). */
    static double emaQuality(Preset p, VideoSampler s, Trainer tr, double[][] real, NDManager m, long sampleSeed) {
        return tr.withEmaWeights(() -> quality(p, s, tr.denoiser(), real, m, sampleSeed));
    }

    static double quality(Preset p, VideoSampler s, Denoiser den, double[][] real, NDManager m, long sampleSeed) {
        double[][] gen = Bed.generatedFeatures(s, den, m, p.frames(), p.evalClips(), sampleSeed);
        double q = gen == null ? Double.NaN : FrechetDistance.DEFAULT.between(real, gen);
        return Double.isFinite(q) ? q : DIVERGED;
    }

    /**
     * The same curve with its time axis replaced by {@code steps * perStep} (perStep 1: steps; the expected FLOPs of
     * a step: cumulative FLOPs), so {@link QualityCurve#timeToReach} answers in that unit.
     */
    static QualityCurve against(QualityCurve c, double perStep) {
        return new QualityCurve(c.label(), c.points().stream()
                .map(q -> new QualityCurve.Point(q.steps() * perStep, q.steps(), q.quality())).toList());
    }

    /** Whether vanilla's last evaluation improves on the one before by less than {@code band}. */
    static boolean flattened(QualityCurve vanilla, double band) {
        List<QualityCurve.Point> pts = vanilla.points();
        if (pts.size() < 2) {
            return false;
        }
        return pts.get(pts.size() - 2).quality() - pts.get(pts.size() - 1).quality() < band;
    }

    /**
     * Ratio of the arm's cost to reach {@code target} over vanilla's, on the curves' own axis; with a flag whether the
     * arm reached it (if not, its last point stands in: a lower bound).
     */
    record Reach(double ratio, boolean reached, double at) {
        /**
         * Both curves are searched from their first evaluation after training began: an untrained network's samples
         * (noise through a zero-initialised output layer) can score better than a young model's, and would otherwise
         * "reach" a target at time 0.
         */
        static Reach of(QualityCurve arm, QualityCurve vanilla, double target) {
            double v = trained(vanilla).timeToReach(target).orElse(vanilla.finalSeconds());
            OptionalDouble a = trained(arm).timeToReach(target);
            double at = a.orElse(arm.finalSeconds());
            return new Reach(at / v, a.isPresent(), at);
        }
    }

    /**
     * Makes the training summary again from the raw runs a report keeps ({@code details.train}, with the preset in meta
     * {@code sizes} and {@code trainArmsInParallel}), replacing its numbers, tables and charts: a change to how the race
     * is summarized reaches the page of a recorded run without training it again. What the runs measured is not
     * touched. Returns false, changing nothing, for a report without a training race; and, saying why on {@code log},
     * for one whose preset or runs this version cannot read (an older report's): its recorded summary stays.
     */
    static boolean resummarize(Report r, PrintStream log) {
        if (!(r.details().get("train") instanceof JsonArray raw) || raw.isEmpty() || !r.meta().has("sizes")) {
            return false;
        }
        Report fresh = new Report();
        try {
            Preset p = new Gson().fromJson(r.meta().get("sizes"), Preset.class);
            if (r.meta().has("trainArmsInParallel")) {
                p = p.withArmsInParallel(r.meta().get("trainArmsInParallel").getAsBoolean());
            }
            summarize(p, runsFromDetails(raw), fresh);
        } catch (RuntimeException e) { // a preset that no longer validates, a run without a field
            Throwable why = e;
            while (why.getCause() != null) {
                why = why.getCause(); // Gson wraps the preset's own refusal, which names the value
            }
            log.println("[bench] the training race's recorded summary is kept: its raw runs could not be summarized again ("
                    + why + ")");
            return false;
        }
        r.removeTables("train");
        r.addAll(fresh);
        r.detail("train", fresh.details().get("train"));
        return true;
    }

    /** The runs of {@code details.train}, grouped by seed in their order (a run recorded before "steps" was kept: its last evaluation's steps). */
    static List<Map<BenchArm, Run>> runsFromDetails(JsonArray raw) {
        Gson gson = new Gson();
        Map<Long, Map<BenchArm, Run>> bySeed = new java.util.LinkedHashMap<>();
        for (com.google.gson.JsonElement e : raw) {
            JsonObject o = e.getAsJsonObject();
            BenchArm mode = BenchArm.valueOf(o.get("mode").getAsString());
            long seed = o.get("seed").getAsLong();
            List<QualityCurve.Point> pts = List.of(gson.fromJson(o.get("curve"), QualityCurve.Point[].class));
            long steps = o.has("steps") ? o.get("steps").getAsLong() : pts.get(pts.size() - 1).steps();
            Run run = new Run(mode, seed, new QualityCurve(name(mode) + " seed " + seed, pts), o.get("secondsPerStep").getAsDouble(),
                    steps, o.get("flopsPerStep").getAsDouble(), gson.fromJson(o.get("noise"), double[].class));
            bySeed.computeIfAbsent(seed, k -> new EnumMap<>(BenchArm.class)).put(mode, run);
        }
        return new ArrayList<>(bySeed.values());
    }

    /** The curve without its evaluation at step 0 (when it has one and more points). */
    static QualityCurve trained(QualityCurve c) {
        List<QualityCurve.Point> pts = c.points();
        return pts.size() > 1 && pts.get(0).steps() == 0 ? new QualityCurve(c.label(), pts.subList(1, pts.size())) : c;
    }

    static void summarize(Preset p, List<Map<BenchArm, Run>> bySeed, Report r) {
        List<BenchArm> modes = modes(p);
        int n = bySeed.size();
        double[] stepRatio = new double[n], ttq = new double[n], ttqUnaligned = new double[n], qRatio = new double[n];
        double[] ftq = new double[n], stq = new double[n], noiseSd = new double[n], vanillaFinal = new double[n];
        double[] lastSlice = new double[n], ttqHarder = new double[n], ttqEasier = new double[n];
        double[][] sps = new double[modes.size()][n], fin = new double[modes.size()][n];
        int reached = 0, reachedUnaligned = 0, flat = 0;
        Table t = Table.of("train", "Per seed (" + p.modelSize() + " model, " + p.frames() + " frames 16x16, batch "
                + p.batch() + ", " + p.times().label() + " times, " + Table.fmt(p.trainSeconds()) + " s per run, " + (p.armsInParallel()
                ? "the arms at the same time, one process and core each" : "the arms round robin in one process") + ")",
                "seed", "arm", "steps",
                "s per step", "step time / vanilla", "GFLOPs per step (analytic)", "final Frechet",
                "time to vanilla's final quality (s)", "time-to-quality / vanilla", "FLOPs-to-quality / vanilla",
                "steps-to-quality / vanilla");
        Table noiseTable = Table.of("train", "Metric noise and vanilla's flattening (band: sample standard deviation of "
                        + "the Frechet distance of vanilla's final EMA weights under " + p.noiseSeeds() + " sampling seeds; "
                        + "flattened: the last evaluation improves on the one before by less than the band)", "seed",
                "vanilla final Frechet", "noise sd", "last improvement", "flattened",
                "TPDiff time-to-quality / vanilla, target final - sd (harder)", "the same, target final + sd (easier)");
        ChartSpec byTime = ChartSpec.line("train-quality-time", "Quality against training wall-clock (lower is better)",
                "training seconds", "Frechet distance (log)", false, true);
        ChartSpec bySteps = ChartSpec.line("train-quality-steps", "Quality against training steps (lower is better)",
                "training steps", "Frechet distance (log)", false, true);
        ChartSpec byFlops = ChartSpec.line("train-quality-flops", "Quality against cumulative training FLOPs (analytic; lower is better)",
                "training TFLOPs (forward + backward)", "Frechet distance (log)", false, true);
        JsonArray raw = new JsonArray();
        Gson gson = new Gson();
        double xTime = 0, xSteps = 0, xFlops = 0;
        for (int s = 0; s < n; s++) {
            Map<BenchArm, Run> runs = bySeed.get(s);
            Run v = runs.get(BenchArm.VANILLA);
            double target = v.curve().finalQuality();
            vanillaFinal[s] = target;
            noiseSd[s] = Stats.std(v.noise());
            List<QualityCurve.Point> vp = v.curve().points();
            double lastGain = vp.size() < 2 ? Double.NaN : vp.get(vp.size() - 2).quality() - target;
            lastSlice[s] = vp.size() < 2 ? Double.NaN : vp.get(vp.size() - 1).steps() - vp.get(vp.size() - 2).steps();
            boolean isFlat = flattened(v.curve(), noiseSd[s]);
            flat += isFlat ? 1 : 0;
            Run tp = runs.get(BenchArm.TPDIFF_ALIGNED);
            // the target is one evaluation of vanilla's final weights: the ratio against a target one noise sd
            // lower and higher says how far that evaluation's own noise moves it (not where a noise evaluation
            // diverged: no target at or above a diverged sample's quality)
            boolean banded = target + noiseSd[s] < tpdiff4j.experiment.MotionQuality.DIVERGED;
            Reach harder = banded ? Reach.of(tp.curve(), v.curve(), target - noiseSd[s]) : null;
            Reach easier = banded ? Reach.of(tp.curve(), v.curve(), target + noiseSd[s]) : null;
            ttqHarder[s] = banded ? harder.ratio() : Double.NaN;
            ttqEasier[s] = banded ? easier.ratio() : Double.NaN;
            noiseTable = noiseTable.row(v.seed(), target, noiseSd[s], lastGain, isFlat ? "met" : "not met",
                    banded ? (harder.reached() ? "" : ">= ") + Table.fmt(harder.ratio()) : "n/a (diverged)",
                    banded ? (easier.reached() ? "" : ">= ") + Table.fmt(easier.ratio()) : "n/a (diverged)");
            QualityCurve vSteps = against(v.curve(), 1), vFlops = against(v.curve(), v.flopsPerStep());
            for (int k = 0; k < modes.size(); k++) {
                Run run = runs.get(modes.get(k));
                sps[k][s] = run.secondsPerStep();
                fin[k][s] = run.curve().finalQuality();
                Reach time = Reach.of(run.curve(), v.curve(), target);
                Reach flops = Reach.of(against(run.curve(), run.flopsPerStep()), vFlops, target);
                Reach steps = Reach.of(against(run.curve(), 1), vSteps, target);
                if (modes.get(k) == BenchArm.TPDIFF_ALIGNED) {
                    ttq[s] = time.ratio();
                    ftq[s] = flops.ratio();
                    stq[s] = steps.ratio();
                    reached += time.reached() ? 1 : 0;
                    stepRatio[s] = run.secondsPerStep() / v.secondsPerStep();
                    qRatio[s] = run.curve().finalQuality() / target;
                } else if (modes.get(k) == BenchArm.TPDIFF_UNALIGNED) {
                    ttqUnaligned[s] = time.ratio();
                    reachedUnaligned += time.reached() ? 1 : 0;
                }
                String bound = time.reached() ? "" : ">= ";
                t = t.row(run.seed(), name(modes.get(k)), run.steps(), run.secondsPerStep(),
                        run.secondsPerStep() / v.secondsPerStep(), run.flopsPerStep() / 1e9, run.curve().finalQuality(),
                        time.reached() ? Table.fmt(time.at()) : "not reached (> " + Table.fmt(time.at()) + ")",
                        bound + Table.fmt(time.ratio()), bound + Table.fmt(flops.ratio()), bound + Table.fmt(steps.ratio()));
                String series = name(modes.get(k)) + " s" + run.seed();
                double[] tflops = Arrays.stream(run.curve().steps()).map(x -> x * run.flopsPerStep() / 1e12).toArray();
                byTime = byTime.with(ChartSpec.Series.line(series, run.curve().seconds(), run.curve().qualities()));
                bySteps = bySteps.with(ChartSpec.Series.line(series, run.curve().steps(), run.curve().qualities()));
                byFlops = byFlops.with(ChartSpec.Series.line(series, tflops, run.curve().qualities()));
                xTime = Math.max(xTime, run.curve().finalSeconds());
                xSteps = Math.max(xSteps, run.steps());
                xFlops = Math.max(xFlops, tflops[tflops.length - 1]);
                JsonObject o = new JsonObject();
                o.addProperty("mode", modes.get(k).name());
                o.addProperty("seed", run.seed());
                o.addProperty("secondsPerStep", run.secondsPerStep());
                o.addProperty("flopsPerStep", run.flopsPerStep());
                o.addProperty("steps", run.steps());
                o.add("noise", gson.toJsonTree(run.noise()));
                o.add("curve", gson.toJsonTree(run.curve().points()));
                raw.add(o);
            }
        }
        double band = Stats.median(noiseSd), level = Stats.median(vanillaFinal);
        byTime = withBand(byTime, level, band, xTime);
        bySteps = withBand(bySteps, level, band, xSteps);
        byFlops = withBand(byFlops, level, band, xFlops);
        r.put("train.seeds", n).put("train.budgetSeconds", p.trainSeconds());
        for (int k = 0; k < modes.size(); k++) {
            r.put("train." + key(modes.get(k)) + ".secondsPerStep", Stats.median(sps[k]));
            r.put("train." + key(modes.get(k)) + ".finalFrechet", Stats.median(fin[k]));
        }
        r.put("train.stepTimeRatio", Stats.median(stepRatio));
        r.put("train.stepTimeRatio.min", Stats.min(stepRatio)).put("train.stepTimeRatio.max", Stats.max(stepRatio));
        r.put("train.timeToQualityRatio", Stats.median(ttq));
        r.put("train.timeToQualityRatio.min", Stats.min(ttq)).put("train.timeToQualityRatio.max", Stats.max(ttq));
        r.put("train.timeToQualitySpeedup", 1 / Stats.median(ttq));
        // seeds whose noise evaluations diverged have no band
        double[] harder = Arrays.stream(ttqHarder).filter(Double::isFinite).toArray();
        double[] easier = Arrays.stream(ttqEasier).filter(Double::isFinite).toArray();
        if (harder.length > 0) {
            r.put("train.timeToQualityRatio.harderTarget", Stats.median(harder));
            r.put("train.timeToQualityRatio.easierTarget", Stats.median(easier));
        }
        r.put("train.timeToQualityReached", reached);
        r.put("train.flopsToQualityRatio", Stats.median(ftq));
        r.put("train.flopsToQualityRatio.min", Stats.min(ftq)).put("train.flopsToQualityRatio.max", Stats.max(ftq));
        r.put("train.stepsToQualityRatio", Stats.median(stq));
        r.put("train.stepsToQualityRatio.min", Stats.min(stq)).put("train.stepsToQualityRatio.max", Stats.max(stq));
        r.put("train.flopRatio", Bed.stepFlops(p, BenchArm.TPDIFF_ALIGNED) / Bed.stepFlops(p, BenchArm.VANILLA));
        r.put("train.metricNoise.sd", band).put("train.metricNoise.relative", band / level);
        r.put("train.vanillaFlattened", flat);
        r.put("train.vanilla.lastSliceSteps", Stats.median(lastSlice));
        r.put("train.qualityRatio", Stats.median(qRatio));
        Table medians = Table.of("train", "Medians over " + n + " seed(s) (spread: min .. max)", "quantity", "median", "min", "max")
                .row("time-to-quality ratio TPDiff / vanilla", Stats.median(ttq), Stats.min(ttq), Stats.max(ttq))
                .row("FLOPs-to-quality ratio TPDiff / vanilla", Stats.median(ftq), Stats.min(ftq), Stats.max(ftq))
                .row("steps-to-quality ratio TPDiff / vanilla", Stats.median(stq), Stats.min(stq), Stats.max(stq))
                .row("step time ratio TPDiff / vanilla", Stats.median(stepRatio), Stats.min(stepRatio), Stats.max(stepRatio))
                .row("final quality ratio TPDiff / vanilla", Stats.median(qRatio), Stats.min(qRatio), Stats.max(qRatio))
                .row("metric noise sd (Frechet)", band, Stats.min(noiseSd), Stats.max(noiseSd));
        if (harder.length > 0) {
            medians = medians.row("time-to-quality ratio, target vanilla's final - noise sd (harder)", Stats.median(harder),
                            Stats.min(harder), Stats.max(harder))
                    .row("time-to-quality ratio, target vanilla's final + noise sd (easier)", Stats.median(easier),
                            Stats.min(easier), Stats.max(easier));
        }
        if (p.unaligned()) {
            r.put("train.unaligned.timeToQualityRatio", Stats.median(ttqUnaligned));
            r.put("train.unaligned.timeToQualityReached", reachedUnaligned);
            r.put("train.unaligned.stepTimeRatio", Stats.median(sps[2]) / Stats.median(sps[0]));
            medians = medians.row("time-to-quality ratio TPDiff w/o alignment / vanilla", Stats.median(ttqUnaligned),
                    Stats.min(ttqUnaligned), Stats.max(ttqUnaligned));
        }
        r.table(medians);
        r.table(t);
        r.table(noiseTable);
        r.chart(byTime).chart(bySteps).chart(byFlops);
        r.detail("train", raw);
    }

    /** Adds the noise band as two dashed lines: median vanilla final quality plus and minus the median noise sd. */
    static ChartSpec withBand(ChartSpec c, double level, double band, double xMax) {
        double[] x = {0, xMax};
        ChartSpec up = c.with(ChartSpec.Series.dashed("vanilla final + metric noise sd", x, new double[] {level + band, level + band}));
        // the charts have a log axis: a band reaching down to zero or below has no lower line
        return level - band > 0
                ? up.with(ChartSpec.Series.dashed("vanilla final - metric noise sd", x, new double[] {level - band, level - band}))
                : up;
    }

    static String name(BenchArm m) {
        return switch (m) {
            case VANILLA -> "vanilla";
            case TPDIFF_ALIGNED -> "TPDiff";
            case TPDIFF_UNALIGNED -> "TPDiff w/o alignment";
        };
    }

    static String key(BenchArm m) {
        return switch (m) {
            case VANILLA -> "vanilla";
            case TPDIFF_ALIGNED -> "tpdiff";
            case TPDIFF_UNALIGNED -> "tpdiffUnaligned";
        };
    }
}
