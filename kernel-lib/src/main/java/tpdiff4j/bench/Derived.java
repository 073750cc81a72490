package tpdiff4j.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.StageDraw;

/**
 * Numbers that combine sections, computed when the report is assembled, and the generated notes on where the
 * measurements meet the goals.
 *
 * <ul>
 *   <li>{@code train.predictedStepTimeRatio = sum_k w_k (F_k/F)^p} at the fitted training exponent p, with the race's
 * stage-draw probabilities {@code w_k} (1/K for the paper's uniform draw; docs/derivation.md section 12), and
 * {@code scaling.factorized.train.predictedStepTimeRatio} the same for the factorized second row;</li>
 *   <li>{@code train.predictedFromStepTimes = sum_k w_k T(F_k) / T(F)} from the measured step times of the scan;</li>
 *   <li>{@code sample.bound.measuredExponent = 1 / ((1/K) sum_k (F_k/F)^p)} at the fitted sampling exponent;</li>
 *   <li>{@code sample.bound.fromStepTimes = 1 / ((1/K) sum_k T(F_k) / T(F))} from the measured sampling steps;</li>
 *   <li>{@code align.overheadFraction = align.msPerStep / (1000 train.tpdiff.secondsPerStep)};</li>
 *   <li>{@code train.stepTimeRatioOverScan = train.stepTimeRatio / scaling.train.stepTimeRatio}: the race's TPDiff /
 * vanilla step ratio against the one the step-cost scan timed with each arm alone before the race. Near 1 when both
 * arms ran at the speed the scan saw, or slowed alike; below 1 when a slowdown hit vanilla's full-rate steps harder
 * than TPDiff's shorter ones (the step-time ratio then flatters TPDiff), above 1 the other way.</li>
 * </ul>
 * Each is set only when its inputs are in the report.
 */
public final class Derived {

    private Derived() {
    }

    /**
     * Adds the derived numbers and the notes to {@code r}, for a uniform pyramid over {@code frames}: the race's stage
     * count ({@code meta.stages}, 3 when absent) for the training figures, weighted with the race's stage-draw
     * probabilities ({@code meta.stageProbabilities}, uniform when absent); K = 3 at 10/10/10 steps, the stages
     * weighted equally, for the sampling figures.
     */
    public static void apply(Report r, int frames) {
        TemporalPyramid k3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, frames);
        int raceStages = raceStages(r);
        TemporalPyramid race = TemporalPyramid.uniform(Schedules.flowMatching(), raceStages, frames);
        double[] draw = stageProbabilities(r, race.size());
        StageDraw trainDraw = StageDraw.weights(draw);
        double[] equal = new double[k3.size()];
        java.util.Arrays.fill(equal, 1.0 / k3.size());
        r.put("train.linearStepTimeRatio", trainDraw.costFactor(race, 1.0));
        r.put("train.quadraticStepTimeRatio", trainDraw.costFactor(race, 2.0));
        if (r.has("scaling.train.exponent")) {
            r.put("train.predictedStepTimeRatio", trainDraw.costFactor(race, r.get("scaling.train.exponent")));
        }
        if (r.has(ScalingBench.FACTORIZED + "train.exponent")) {
            r.put(ScalingBench.FACTORIZED + "train.predictedStepTimeRatio",
                    trainDraw.costFactor(race, r.get(ScalingBench.FACTORIZED + "train.exponent")));
        }
        if (r.has("scaling.sample.exponent")) {
            r.put("sample.bound.measuredExponent", 1 / k3.costFactor(r.get("scaling.sample.exponent")));
        }
        fromStepTimes(r, race, draw, "scaling.train.msF", "train.predictedFromStepTimes", false);
        fromStepTimes(r, k3, equal, "scaling.sample.msF", "sample.bound.fromStepTimes", true);
        fromStepTimes(r, race, draw, "scaling.train.forwardBackwardMsF", "train.networkStepTimeRatio", false);
        if (r.has("scaling.train.msF" + frames) && r.has("scaling.train.forwardBackwardMsF" + frames)) {
            r.put("scaling.train.fixedMsPerStep", r.get("scaling.train.msF" + frames) - r.get("scaling.train.forwardBackwardMsF" + frames));
        }
        if (r.has("align.msPerStep") && r.has("train.tpdiff.secondsPerStep")) {
            r.put("align.overheadFraction", r.get("align.msPerStep") / (1000 * r.get("train.tpdiff.secondsPerStep")));
        }
        if (r.has("train.tpdiff.secondsPerStep") && r.has("train.tpdiffUnaligned.secondsPerStep")) {
            r.put("align.stepTimeDifferenceFraction", 1 - r.get("train.tpdiffUnaligned.secondsPerStep")
                    / r.get("train.tpdiff.secondsPerStep"));
        }
        if (r.has("train.stepTimeRatio") && r.has("scaling.train.stepTimeRatio") && r.get("scaling.train.stepTimeRatio") > 0) {
            r.put("train.stepTimeRatioOverScan", r.get("train.stepTimeRatio") / r.get("scaling.train.stepTimeRatio"));
        }
        vanillaStepChecks(r, frames);
        JsonArray notes = new JsonArray();
        notes(r).forEach(notes::add);
        r.meta("notes", notes);
    }

    /**
     * {@code train.vanilla.stepTimeSpread}: the slowest seed's vanilla seconds per step over the fastest seed's, from
     * the per-run records of the training section. Every seed trains the same model on the same machine, so a spread
     * well above 1 means the process slowed down during part of the run; {@code train.vanilla.slowSeeds} lists the
     * seeds more than {@link #SLOW_SEED} times slower than the fastest.
     *
     * <p>{@code train.vanilla.stepOverScan}: the fastest seed's vanilla step over the training step the step-cost scan
     * timed at full rate ({@code scaling.train.msF<F>}: the same model, batch and arm, one process, before the race).
     * The spread cannot see a machine that ran slower for the whole race; this ratio can. Above {@link #SLOW_RACE}
     * the notes carry a caution.
     */
    static void vanillaStepChecks(Report r, int frames) {
        if (!r.details().has("train") || !r.details().get("train").isJsonArray()) {
            return;
        }
        List<double[]> seedAndSeconds = new ArrayList<>();
        for (JsonElement e : r.details().getAsJsonArray("train")) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("mode") && o.get("mode").getAsString().equals(BenchArm.VANILLA.name())) {
                seedAndSeconds.add(new double[] {o.get("seed").getAsDouble(), o.get("secondsPerStep").getAsDouble()});
            }
        }
        if (seedAndSeconds.isEmpty()) {
            return;
        }
        double fastest = seedAndSeconds.stream().mapToDouble(x -> x[1]).min().orElseThrow();
        String scan = "scaling.train.msF" + frames;
        if (r.has(scan) && r.get(scan) > 0) {
            r.put("train.vanilla.stepOverScan", 1000 * fastest / r.get(scan));
        }
        if (seedAndSeconds.size() < 2) {
            return;
        }
        double slowest = seedAndSeconds.stream().mapToDouble(x -> x[1]).max().orElseThrow();
        r.put("train.vanilla.stepTimeSpread", slowest / fastest);
        JsonArray slow = new JsonArray();
        seedAndSeconds.stream().filter(x -> x[1] > SLOW_SEED * fastest).forEach(x -> slow.add((long) x[0]));
        r.meta("slowSeeds", slow);
    }

    /** A seed whose vanilla step is this many times slower than the fastest seed's ran in a slowed-down process. */
    static final double SLOW_SEED = 1.25;

    /**
     * How far the two arms slowed alike, from {@code train.stepTimeRatioOverScan}: a clause for the slowed-race
     * caution, empty when the scan's ratio is missing. At full speed on this machine the race's ratio stood 1.026
     * times the scan's (the two arms' processes share the machine); a race more than 5 % below the
     * scan's ratio is called flattering.
     */
    static String slowedAlike(Report r) {
        if (!r.has("train.stepTimeRatioOverScan")) {
            return "";
        }
        double q = r.get("train.stepTimeRatioOverScan");
        String verdict = q < 1 - FLATTERING ? "; here they did not: the slowdown hit vanilla's full-rate steps harder than "
                + "TPDiff's shorter ones, so the step-time ratio flatters TPDiff too"
                : q > 1 + FLATTERING ? "; here they did not: the slowdown hit TPDiff's steps harder than vanilla's"
                : "; here they did, to within " + Math.round(100 * FLATTERING) + " %";
        return String.format(java.util.Locale.ROOT, " (the race's TPDiff / vanilla step ratio, %s, is %s of the scan's, %s, "
                        + "where each arm ran alone before the race)%s",
                Table.fmt(r.get("train.stepTimeRatio")), Table.fmt(q), Table.fmt(r.get("scaling.train.stepTimeRatio")), verdict);
    }

    /** How far the race's step-time ratio may stand from the scan's before the two arms count as slowed unalike. */
    static final double FLATTERING = 0.05;

    /**
     * The race ran on a slowed machine when even its fastest seed's vanilla step took this many times the step the
     * scan timed alone before it (two processes sharing the machine at full speed cost less: 1.06 in the recorded
     * full run of 30 November, where the scan's step was 46.1 ms and the fastest race step 48.8 ms).
     */
    static final double SLOW_RACE = 1.3;

    /** TPDiff's stage-draw probabilities of the training race from the report's meta; 1/K each when absent. */
    static double[] stageProbabilities(Report r, int stages) {
        double[] w = new double[stages];
        if (r.meta().has("stageProbabilities") && r.meta().getAsJsonArray("stageProbabilities").size() == stages) {
            JsonArray a = r.meta().getAsJsonArray("stageProbabilities");
            for (int k = 0; k < stages; k++) {
                w[k] = a.get(k).getAsDouble();
            }
        } else {
            java.util.Arrays.fill(w, 1.0 / stages);
        }
        return w;
    }

    /** {@code sum_k w_k T(F_k) / T(F)} from the measured times under {@code prefix} (its inverse if asked). */
    private static void fromStepTimes(Report r, TemporalPyramid p, double[] w, String prefix, String key, boolean inverse) {
        double full = r.get(prefix + p.frames());
        double factor = 0;
        for (int k = 0; k < p.size(); k++) {
            factor += w[k] * r.get(prefix + p.stage(k).frames()) / full;
        }
        if (Double.isFinite(factor)) {
            r.put(key, inverse ? 1 / factor : factor);
        }
    }

    /** The number of TPDiff's stages in the report's training race ({@code meta.stages}; the paper's 3 when absent). */
    static int raceStages(Report r) {
        return r.meta().has("stages") ? r.meta().get("stages").getAsInt() : 3;
    }

    /** The clip length of the report's runs ({@code meta.sizes.frames}; the presets' 16 when absent). */
    static int frames(Report r) {
        return r.meta().has("sizes") && r.meta().getAsJsonObject("sizes").has("frames")
                ? r.meta().getAsJsonObject("sizes").get("frames").getAsInt() : 16;
    }

    /** Plain statements comparing the measured numbers with the goals and the cost model. */
    static List<String> notes(Report r) {
        List<String> n = new ArrayList<>();
        if (r.has("train.timeToQualityRatio")) {
            double v = r.get("train.timeToQualityRatio");
            n.add(String.format(java.util.Locale.ROOT,
                    "Training: TPDiff reached vanilla's final quality in %s%s of vanilla's time (%sx %s; goal >= 2x, paper "
                            + "2.13x); it got there within the budget in %s of %s seeds (the others count with their whole "
                            + "budget, a lower bound); its final quality is %s of vanilla's (goal <= 1).",
                    r.get("train.timeToQualityReached") < r.get("train.seeds") ? "at least " : "", Table.fmt(v),
                    Table.fmt(1 / v), v <= 0.5 ? "faster, goal met" : "faster, goal not met",
                    Table.fmt(r.get("train.timeToQualityReached")), Table.fmt(r.get("train.seeds")),
                    Table.fmt(r.get("train.qualityRatio"))));
        }
        if (r.has("train.timeToQualityRatio.harderTarget")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "The target, vanilla's final quality, is one evaluation of its final weights and carries the metric's "
                            + "own noise: against a target one noise sd lower (harder) the median time-to-quality ratio is "
                            + "%s, one noise sd higher (easier) %s (per seed in the noise table). A single run's ratio is "
                            + "no more certain than that.", Table.fmt(r.get("train.timeToQualityRatio.harderTarget")),
                    Table.fmt(r.get("train.timeToQualityRatio.easierTarget"))));
        }
        // arms trained at the same time in processes of their own, or round robin in one process
        boolean parallel = r.meta().has("trainArmsInParallel") && r.meta().get("trainArmsInParallel").getAsBoolean();
        String fairness = parallel
                ? "The arms train at the same time in processes of their own: a slowdown of the whole machine hits both"
                        + " arms' steps at once and leaves the seed's step-time ratio fair, one confined to a single process"
                        + " slows only that arm and skews the ratio (both arms' seconds and steps at every evaluation are in"
                        + " report.json, details.train)"
                : "The arms alternate in short slices, so a seed's step-time ratio stays fair";
        if (r.has("train.vanilla.stepOverScan") && r.get("train.vanilla.stepOverScan") > SLOW_RACE) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Caution: the whole machine ran slower during the race than before it: even the fastest seed's "
                            + "vanilla step took %sx the step the step-cost scan of this run timed (the same model, batch "
                            + "and arm, alone, before the race; above %sx is more than the arms' two processes sharing "
                            + "the machine explain). A throttled CPU or other work slows both arms, so vanilla made fewer "
                            + "steps in its budget than at full speed and ended at a worse quality, an easier target: the "
                            + "time-, FLOPs- and steps-to-quality ratios of this run are too optimistic for TPDiff, and "
                            + "its step-time ratio is fair only as far as both arms slowed alike%s. Repeat the run on a "
                            + "machine that holds its speed.",
                    Table.fmt(r.get("train.vanilla.stepOverScan")), Table.fmt(SLOW_RACE), slowedAlike(r)));
        }
        if (r.meta().has("slowSeeds") && r.meta().getAsJsonArray("slowSeeds").size() > 0) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Caution: vanilla's step took %sx longer in its slowest seed than in its fastest, although every "
                            + "seed trains the same model on the same machine: the benchmark process slowed down during "
                            + "seed(s) %s (per-seed table). %s. A slowed seed's vanilla also reaches a worse final "
                            + "quality in its budget and TPDiff gets there sooner: the time-, FLOPs- and steps-to-quality "
                            + "ratios of those seeds are too optimistic; trust the seeds that ran at full speed.",
                    Table.fmt(r.get("train.vanilla.stepTimeSpread")), r.meta().getAsJsonArray("slowSeeds"), fairness));
        }
        if (r.meta().has("retriedSeeds") && r.meta().getAsJsonArray("retriedSeeds").size() > 0) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Seed(s) %s trained a second time: in the first attempt the training process slowed down (a slice's "
                            + "steps more than %sx slower than another's, or vanilla's step more than %sx slower than in the "
                            + "fastest seed). Every seed trains in a fresh process; of two attempts the one at full speed "
                            + "counts, else the one with the faster vanilla step.", r.meta().getAsJsonArray("retriedSeeds"),
                    Table.fmt(SeedProcess.SLOW_SLICE), Table.fmt(SLOW_SEED)));
        }
        if (r.meta().has("retriesSkipped") && r.meta().getAsJsonArray("retriesSkipped").size() > 0) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Seed(s) %s slowed down and were not trained again: a retry would have ended after the run's time "
                            + "plan (the longest seed process so far set its expected length).",
                    r.meta().getAsJsonArray("retriesSkipped")));
        }
        if (r.meta().has("slowedSeeds") && r.meta().getAsJsonArray("slowedSeeds").size() > 0) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Seed(s) %s slowed down in the attempt that counts as well (a retry slowed down too, or the retries "
                            + "were used up). %s; the slowed arm made fewer steps in its budget than at full speed.",
                    r.meta().getAsJsonArray("slowedSeeds"), fairness));
        }
        if (r.has("train.flopsToQualityRatio") && r.has("train.stepsToQualityRatio")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Measured in work instead of seconds: TPDiff needed %s of vanilla's analytic training FLOPs to reach "
                            + "vanilla's final quality (a TPDiff step costs %s of a vanilla step in FLOPs) and %s of its "
                            + "steps; a steps ratio above 1 is the per-step sample efficiency TPDiff gives up for cheaper "
                            + "steps. FLOPs hold on any hardware; the wall-clock ratio adds what this machine makes of them.",
                    Table.fmt(r.get("train.flopsToQualityRatio")), Table.fmt(r.get("train.flopRatio")),
                    Table.fmt(r.get("train.stepsToQualityRatio"))));
        }
        if (r.has("train.metricNoise.sd") && r.has("train.vanillaFlattened")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "The quality metric's own noise (same final weights, different sampling seeds) is %s in Frechet "
                            + "distance, %s of vanilla's final value; vanilla's curve had flattened (last evaluation "
                            + "better than the one before it%s by less than that noise) in %s of %s seeds%s.",
                    Table.fmt(r.get("train.metricNoise.sd")), Table.fmt(r.get("train.metricNoise.relative")),
                    r.has("train.vanilla.lastSliceSteps") ? String.format(java.util.Locale.ROOT, ", %.0f steps earlier,",
                            r.get("train.vanilla.lastSliceSteps")) : "",
                    Table.fmt(r.get("train.vanillaFlattened")), Table.fmt(r.get("train.seeds")),
                    r.get("train.vanillaFlattened") < r.get("train.seeds")
                            ? "; where it had not, a longer budget would set a harder target" : ""));
        }
        if (r.has("train.stepTimeRatio") && r.has("scaling.train.exponent")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Headline model, full space-time attention (%s): a TPDiff training step costs %s of a vanilla step (%s in the step-cost scan, %s "
                            + "in analytic FLOPs); the cost model predicts %s at the measured exponent p = %s (%s from the "
                            + "measured step times at 16, 8 and 4 frames), against %s for pure attention (p = 2).",
                    ScalingBench.regime(r, "scaling."), Table.fmt(r.get("train.stepTimeRatio")),
                    Table.fmt(r.get("scaling.train.stepTimeRatio")), Table.fmt(r.get("scaling.train.flopRatio")),
                    Table.fmt(r.get("train.predictedStepTimeRatio")), Table.fmt(r.get("scaling.train.exponent")),
                    Table.fmt(r.get("train.predictedFromStepTimes")), Table.fmt(r.get("train.quadraticStepTimeRatio"))));
        }
        if (r.has("train.networkStepTimeRatio") && r.has("scaling.train.flopRatio") && r.has("scaling.train.stepTimeRatio")
                && r.has("scaling.train.fixedMsPerStep")) {
            double fixed = r.get("scaling.train.fixedMsPerStep");
            n.add(String.format(java.util.Locale.ROOT,
                    "Where the step-time ratio stands above the FLOPs: the network's forward and backward pass alone, "
                            + "timed at each stage's frame count, give a TPDiff step %s of a vanilla step's time against %s "
                            + "of its FLOPs (a pass over few frames runs at a lower FLOP rate: each operation's fixed "
                            + "cost weighs more); %s takes the whole step to %s in the step-cost scan.",
                    Table.fmt(r.get("train.networkStepTimeRatio")), Table.fmt(r.get("scaling.train.flopRatio")),
                    fixed > 0 ? "the fixed work of every step (clipping, AdamW, EMA, data and pairs, " + Table.fmt(fixed)
                            + " ms at full rate)"
                            : "the fixed work of every step (clipping, AdamW, EMA, data and pairs; too small to measure"
                            + " in this scan, where the pass alone took " + Table.fmt(-fixed) + " ms longer than the"
                            + " whole step at full rate: timing noise)",
                    Table.fmt(r.get("scaling.train.stepTimeRatio"))));
        }
        String fac = ScalingBench.FACTORIZED;
        if (r.has(fac + "train.exponent") && r.has(fac + "train.stepTimeRatio")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Second row, factorized attention (%s): its step cost grows as F^%s (FLOPs as F^%s) and a TPDiff "
                            + "step costs %s of a vanilla step (%s in FLOPs, %s by the cost model at its exponent). It gains "
                            + "less because little of its work is quadratic in the frame count: spatial attention, the "
                            + "projections and the MLP cost the same per token whatever F is, so fewer frames save only in "
                            + "proportion (%s for K = %d and the race's stage draw, not %s), and temporal attention over F frames is a small "
                            + "share; the per-call overhead of a step (kernel launches, optimizer and EMA over all "
                            + "weights, data) does not shrink with F at all. TPDiff pays off where attention over all "
                            + "frames dominates, as in the headline model and the paper's MiniFlux-vid.",
                    ScalingBench.regime(r, fac), Table.fmt(r.get(fac + "train.exponent")),
                    Table.fmt(r.get(fac + "train.flopExponent")), Table.fmt(r.get(fac + "train.stepTimeRatio")),
                    Table.fmt(r.get(fac + "train.flopRatio")), Table.fmt(r.get(fac + "train.predictedStepTimeRatio")),
                    Table.fmt(r.get("train.linearStepTimeRatio")), raceStages(r), Table.fmt(r.get("train.quadraticStepTimeRatio"))));
        }
        String large = ScalingBench.LARGE;
        if (r.has(large + "train.exponent") && r.has(large + "train.stepTimeRatio")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Third row, the headline model on 32x32 clips (%s, batch 1): 64 tokens per frame, so attention over "
                            + "all 1024 tokens of a clip takes %s of a step's FLOPs; its step cost grows as F^%s (FLOPs as "
                            + "F^%s) and a TPDiff step costs %s of a vanilla step (%s in FLOPs); sampling at batch 1 is "
                            + "%sx faster. This is the paper's regime, where the attention cost dominates; at 16x16 the "
                            + "headline model sits between the two (about half of its FLOPs are attention), and only a "
                            + "clip of this size is too slow to train to quality within this report's 40 minutes.",
                    ScalingBench.regime(r, large), Table.fmt(r.get(large + "train.attentionFlopShare")),
                    Table.fmt(r.get(large + "train.exponent")), Table.fmt(r.get(large + "train.flopExponent")),
                    Table.fmt(r.get(large + "train.stepTimeRatio")), Table.fmt(r.get(large + "train.flopRatio")),
                    Table.fmt(r.get("sample.large.speedup30"))));
        }
        if (r.has("scaling.train.forwardBackwardFraction")) {
            double fb = r.get("scaling.train.forwardBackwardFraction");
            n.add(fb < 1 ? String.format(java.util.Locale.ROOT,
                    "Profile of a vanilla training step at full rate: the network's forward and backward pass take %s of "
                            + "it, gradient clipping, AdamW, EMA, data and pair building the remaining %s.",
                    Table.fmt(fb), Table.fmt(1 - fb))
                    : String.format(java.util.Locale.ROOT,
                    "Profile of a vanilla training step at full rate: the network's forward and backward pass alone took "
                            + "%s of a whole step, so gradient clipping, AdamW, EMA, data and pair building were lost in "
                            + "the timing noise of this run.", Table.fmt(fb)));
        }
        if (r.has("sample.speedup30")) {
            n.add(String.format(java.util.Locale.ROOT,
                    "Sampling at 30 steps (10/10/10): %sx faster at batch 1 and %sx at batch 16; the cost-model bound at the "
                            + "measured sampling exponent is %sx (%sx from the measured step times), 1.71x for linear and 2.29x "
                            + "for quadratic cost; the paper reports 1.49x to 1.82x.",
                    Table.fmt(r.get("sample.speedup30")), Table.fmt(r.get("sample.speedup30.b16")),
                    Table.fmt(r.get("sample.bound.measuredExponent")), Table.fmt(r.get("sample.bound.fromStepTimes"))));
        }
        if (r.has("sample.speedup30") && r.has("sample.bound.flops")) {
            double flops = r.get("sample.bound.flops");
            n.add(String.format(java.util.Locale.ROOT,
                    "In the network's analytic FLOPs, 10/10/10 costs 1/%s of vanilla's 30 calls: a speed-up of %sx is "
                            + "what sampling would reach if its time followed the FLOPs. Batch 1 reaches %s of it, batch 16 %s "
                            + "(a call on few frames does little work per array operation, so at batch 1 the operations' "
                            + "fixed cost weighs more in the pyramid's short calls; softmax and the other element-wise "
                            + "work, left out of the FLOPs, grow with the frame count as well).",
                    Table.fmt(flops), Table.fmt(flops), Table.fmt(r.get("sample.speedup30") / flops),
                    Table.fmt(r.get("sample.speedup30.b16") / flops)));
        }
        StringBuilder a = new StringBuilder();
        for (int size : new int[] {64, 256, 1024}) {
            String k = "assignment.n" + size + ".ratioToScipy";
            if (r.has(k)) {
                a.append(a.length() == 0 ? "" : ", ").append("n = ").append(size).append(": ").append(Table.fmt(r.get(k)));
            }
        }
        if (a.length() > 0) {
            n.add("Linear assignment time relative to scipy (goal <= 1): " + a + ".");
        }
        if (r.has("align.overheadFraction")) {
            double v = r.get("align.overheadFraction");
            n.add(String.format(java.util.Locale.ROOT, "Alignment takes %s%% of a TPDiff training step (goal < 3%%: %s).",
                    Table.fmt(100 * v), v < 0.03 ? "met" : "not met"));
        }
        return n;
    }
}
