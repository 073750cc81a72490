package tpdiff4j.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.experiment.Budget;
import tpdiff4j.experiment.QualityCurve;
import tpdiff4j.experiment.SideBySide;
import tpdiff4j.metrics.FrechetDistance;
import tpdiff4j.nn.Compute;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.TrainListener;

import tpdiff4j.train.Trainer;

/**
 * Training efficiency (the benchmark report's training section; the paper's FVD-versus-GPU-hours comparison,
 * v1 Fig. 5): for each seed,
 * vanilla, TPDiff with alignment and TPDiff without alignment train the same model (same initial weights, same
 * data stream, same seed) for the same wall-clock budget, side by side (slices interleaved round-robin). The
 * budget is cut into {@code evalPoints} equal slices; before the first and after every slice the run's EMA weights
 * are evaluated (timer stopped): {@code evalClips} clips sampled with 30 steps (vanilla 30, TPDiff 10/10/10) from
 * the same noise seed, scored by the Frechet distance of their sprite motion features to {@code realClips} real
 * clips ({@link tpdiff4j.metrics.MotionFeatures}, lower is better).
 *
 * <p>Per seed: seconds per step of each mode (steps after the trainer's warm-up), the step-time ratio
 * TPDiff / vanilla, and the time-to-quality ratio: the first time TPDiff's curve reaches vanilla's final quality,
 * divided by the first time vanilla's own curve reaches it ({@link QualityCurve#timeToReach}). When TPDiff never gets
 * there, its whole budget stands in as a lower bound and {@code train.timeToQualityReached} counts it out.
 */
final class TrainBench {

    static final BenchArm[] MODES = {BenchArm.VANILLA, BenchArm.TPDIFF_ALIGNED, BenchArm.TPDIFF_UNALIGNED};
    static final long REAL_SEED = 900_001L;
    static final long SAMPLE_SEED = 4242L;
    /** Quality recorded when samples or distance are not finite (a diverged run): far worse than any real value. */
    static final double DIVERGED = 1e6;

    private TrainBench() {
    }

    /** One run's outcome. */
    record Run(BenchArm mode, long seed, QualityCurve curve, double secondsPerStep, long steps) {
    }

    static void run(Preset p, Report r, PrintStream log) {
        int f = p.frames();
        SpriteVideos data = Bed.data(f);
        List<Map<BenchArm, Run>> bySeed = new ArrayList<>();
        try (NDManager m = Compute.newManager()) { // Bed's trainers default to the same device
            double[][] real = Bed.realFeatures(data, m, p.realClips(), REAL_SEED);
            for (int s = 0; s < p.seeds(); s++) {
                bySeed.add(trainSeed(p, 1000L + s, real, m, log));
            }
        }
        summarize(p, bySeed, r);
    }

    /**
     * Trains the three modes of one seed side by side ({@link SideBySide}: slice e of every mode runs before slice
     * e + 1 of any, so a change of machine load during the run hits all modes alike).
     */
    static Map<BenchArm, Run> trainSeed(Preset p, long seed, double[][] real, NDManager m, PrintStream log) {
        List<Trainer> trainers = new ArrayList<>();
        try {
            List<SideBySide.Lane> lanes = new ArrayList<>();
            for (BenchArm mode : MODES) {
                String label = name(mode) + " seed " + seed;
                long[] firstBad = {-1};
                TrainListener watch = pr -> {
                    if (firstBad[0] < 0 && !Double.isFinite(pr.loss())) {
                        firstBad[0] = pr.step();
                        log.printf("[bench] WARNING: %s has a non-finite loss at step %d%n", label, pr.step());
                    }
                };
                Trainer t = Bed.trainer(p, p.frames(), mode, seed, watch);
                trainers.add(t);
                VideoSampler sampler = mode.pyramid() ? Bed.sampler(p.frames(), 10, 10, 10) : Bed.sampler(p.frames(), 30);
                lanes.add(new SideBySide.Lane(label, t, tr -> emaQuality(p, sampler, tr, real, m)));
            }
            PrintStream prefixed = new PrintStream(new java.io.FilterOutputStream(log) {
                private boolean lineStart = true;

                @Override
                public void write(int b) throws java.io.IOException {
                    if (lineStart) {
                        out.write("[bench] train ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    out.write(b);
                    lineStart = b == '\n';
                }
            }, true);
            SideBySide.Run run = SideBySide.run(lanes, Budget.seconds(p.trainSeconds()), p.evalPoints(), prefixed);
            prefixed.flush();
            if (!run.complete()) {
                Timing.checkInterrupt();
            }
            Map<BenchArm, Run> runs = new EnumMap<>(BenchArm.class);
            for (int k = 0; k < MODES.length; k++) {
                SideBySide.Outcome o = run.outcomes().get(k);
                runs.put(MODES[k], new Run(MODES[k], seed, o.curve(), o.secondsPerStep(), o.steps()));
            }
            return runs;
        } finally {
            trainers.forEach(Trainer::close);
        }
    }

    /** Quality of the trainer's EMA weights (the weights one samples with; they fluctuate less than the live ones). */
    static double emaQuality(Preset p, VideoSampler s, Trainer tr, double[][] real, NDManager m) {
        return tr.withEmaWeights(() -> quality(p, s, tr.denoiser(), real, m));
    }

    static double quality(Preset p, VideoSampler s, Denoiser den, double[][] real, NDManager m) {
        double[][] gen = Bed.generatedFeatures(s, den, m, p.frames(), p.evalClips(), SAMPLE_SEED);
        double q = gen == null ? Double.NaN : FrechetDistance.DEFAULT.between(real, gen);
        return Double.isFinite(q) ? q : DIVERGED;
    }

    static void summarize(Preset p, List<Map<BenchArm, Run>> bySeed, Report r) {
        int n = bySeed.size();
        double[] stepRatio = new double[n], ttq = new double[n], ttqUnaligned = new double[n], qRatio = new double[n];
        double[][] sps = new double[MODES.length][n], fin = new double[MODES.length][n];
        int reached = 0, reachedUnaligned = 0;
        Table t = Table.of("train", "Per seed (" + p.modelSize() + " model, " + p.frames() + " frames 16x16, batch "
                + p.batch() + ", " + Table.fmt(p.trainSeconds()) + " s per run)", "seed", "mode", "steps",
                "s per step", "step time / vanilla", "final Frechet", "time to vanilla's final quality (s)",
                "time-to-quality / vanilla");
        ChartSpec byTime = ChartSpec.line("train-quality-time", "Quality against training wall-clock",
                "training seconds", "Frechet distance (lower is better)", false, false);
        ChartSpec bySteps = ChartSpec.line("train-quality-steps", "Quality against training steps",
                "training steps", "Frechet distance (lower is better)", false, false);
        JsonArray raw = new JsonArray();
        Gson gson = new Gson();
        for (int s = 0; s < n; s++) {
            Map<BenchArm, Run> runs = bySeed.get(s);
            Run v = runs.get(BenchArm.VANILLA);
            double target = v.curve().finalQuality();
            double vTime = v.curve().timeToReach(target).orElse(v.curve().finalSeconds());
            for (int k = 0; k < MODES.length; k++) {
                Run run = runs.get(MODES[k]);
                sps[k][s] = run.secondsPerStep();
                fin[k][s] = run.curve().finalQuality();
                OptionalDouble reach = run.curve().timeToReach(target);
                double ratio = reach.orElse(run.curve().finalSeconds()) / vTime;
                if (MODES[k] == BenchArm.TPDIFF_ALIGNED) {
                    ttq[s] = ratio;
                    reached += reach.isPresent() ? 1 : 0;
                    stepRatio[s] = run.secondsPerStep() / v.secondsPerStep();
                    qRatio[s] = run.curve().finalQuality() / target;
                } else if (MODES[k] == BenchArm.TPDIFF_UNALIGNED) {
                    ttqUnaligned[s] = ratio;
                    reachedUnaligned += reach.isPresent() ? 1 : 0;
                }
                t = t.row(run.seed(), name(MODES[k]), run.steps(), run.secondsPerStep(),
                        run.secondsPerStep() / v.secondsPerStep(), run.curve().finalQuality(),
                        reach.isPresent() ? Table.fmt(reach.getAsDouble()) : "not reached (> " + Table.fmt(run.curve().finalSeconds()) + ")",
                        (reach.isPresent() ? "" : ">= ") + Table.fmt(ratio));
                String series = name(MODES[k]) + " s" + run.seed();
                byTime = byTime.with(ChartSpec.Series.line(series, run.curve().seconds(), run.curve().qualities()));
                bySteps = bySteps.with(ChartSpec.Series.line(series, run.curve().steps(), run.curve().qualities()));
                JsonObject o = new JsonObject();
                o.addProperty("mode", MODES[k].name());
                o.addProperty("seed", run.seed());
                o.addProperty("secondsPerStep", run.secondsPerStep());
                o.add("curve", gson.toJsonTree(run.curve().points()));
                raw.add(o);
            }
        }
        r.put("train.seeds", n).put("train.budgetSeconds", p.trainSeconds());
        for (int k = 0; k < MODES.length; k++) {
            r.put("train." + key(MODES[k]) + ".secondsPerStep", Stats.median(sps[k]));
            r.put("train." + key(MODES[k]) + ".finalFrechet", Stats.median(fin[k]));
        }
        r.put("train.stepTimeRatio", Stats.median(stepRatio));
        r.put("train.stepTimeRatio.min", Stats.min(stepRatio)).put("train.stepTimeRatio.max", Stats.max(stepRatio));
        r.put("train.timeToQualityRatio", Stats.median(ttq));
        r.put("train.timeToQualityRatio.min", Stats.min(ttq)).put("train.timeToQualityRatio.max", Stats.max(ttq));
        r.put("train.timeToQualitySpeedup", 1 / Stats.median(ttq));
        r.put("train.timeToQualityReached", reached);
        r.put("train.unaligned.timeToQualityRatio", Stats.median(ttqUnaligned));
        r.put("train.unaligned.timeToQualityReached", reachedUnaligned);
        r.put("train.qualityRatio", Stats.median(qRatio));
        r.put("train.unaligned.stepTimeRatio", Stats.median(sps[2]) / Stats.median(sps[0]));
        r.table(Table.of("train", "Medians over " + n + " seed(s) (spread: min .. max)", "quantity", "median", "min", "max")
                .row("time-to-quality ratio TPDiff / vanilla", Stats.median(ttq), Stats.min(ttq), Stats.max(ttq))
                .row("time-to-quality ratio TPDiff w/o alignment / vanilla", Stats.median(ttqUnaligned),
                        Stats.min(ttqUnaligned), Stats.max(ttqUnaligned))
                .row("step time ratio TPDiff / vanilla", Stats.median(stepRatio), Stats.min(stepRatio), Stats.max(stepRatio))
                .row("final quality ratio TPDiff / vanilla", Stats.median(qRatio), Stats.min(qRatio), Stats.max(qRatio)));
        r.table(t);
        r.chart(byTime).chart(bySteps);
        r.detail("train", raw);
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
