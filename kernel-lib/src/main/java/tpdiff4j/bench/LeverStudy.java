package tpdiff4j.bench;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.experiment.Budget;
import tpdiff4j.experiment.QualityCurve;
import tpdiff4j.experiment.SideBySide;
import tpdiff4j.nn.Compute;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageLossWeights;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.TrainListener;
import tpdiff4j.train.Trainer;

/**
 * Which training levers change TPDiff's quality per step: every arm trains the same model (same initial weights,
 * same data stream) for the same number of steps (or the same wall-clock seconds), side by side ({@link SideBySide}), and is scored like the
 * benchmark's training section (EMA weights, {@code evalClips} clips sampled with 30 Euler steps, vanilla 30 and
 * TPDiff 10/10/10 (8/8/7/7 with four stages), Frechet distance of sprite motion features, lower is better). Quality at equal steps does not
 * depend on machine load, so the study may run on a busy machine.
 *
 * <p>Arms: vanilla; TPDiff as in the paper (uniform K = 3, batch alignment, stages and stage times uniform); and one
 * change each: stages by window length, stages by cost ({@code q = 1}), stage times logit-normal(0, 1) and power 2
 * (towards each stage's noisy start), the global time logit-normal(0, 1) (stages by its mass over their windows,
 * times from it inside each window: the pyramid's counterpart of vanilla with logit-normal times), stage loss factors
 * (0.5, 1, 2), learning rate x2, EMA decay 0.99 and none; stages by window length with learning rate x2; and four
 * stages instead of three ({@code "stages 4"}: 2, 4, 8 and 16 frames, sampled 8/8/7/7). Vanilla
 * arms: as is, and with learning rate x2 and x3, EMA decay 0.99 and none, and logit-normal(0, 1) times.
 * Besides the quality it prints each arm's mean loss per stage over the second half of its run.
 *
 * <p>Arguments: {@code model=attention} (a {@link tpdiff4j.nn.ModelConfig} preset), {@code steps=600} or
 * {@code seconds=S} (a wall-clock budget per arm instead; then run it on a quiet machine),
 * {@code lr=0.001} (the base learning rate of every arm; the levers "lr x2" and "lr x3" multiply it),
 * {@code evalPoints=2}, {@code seeds=1000} (comma-separated), {@code evalClips=64}, {@code realClips=128},
 * {@code arms=name,...} (default all). Set {@code TPDIFF4J_THREADS=1} on a shared machine.
 */
public final class LeverStudy {

    private LeverStudy() {
    }

    /** The arms by name: how each changes the paper's TPDiff configuration (vanilla is separate). */
    static Map<String, UnaryOperator<TrainConfig>> levers() {
        Map<String, UnaryOperator<TrainConfig>> m = new LinkedHashMap<>();
        m.put("paper", c -> c);
        m.put("draw window", c -> c.withStageDraw(StageDraw.byWindowLength()));
        m.put("draw cost", c -> c.withStageDraw(StageDraw.byCost(1)));
        m.put("time logitnormal", c -> c.withTimeDraw(StageTimeDraw.logitNormal(0, 1)));
        m.put("time power2", c -> c.withTimeDraw(StageTimeDraw.power(2)));
        m.put("global logitnormal", RaceTimes.LOGIT_NORMAL::apply);
        m.put("loss 0.5/1/2", c -> c.withLossWeights(StageLossWeights.of(0.5, 1, 2)));
        m.put("lr x2", c -> c.withLearningRate(2 * c.learningRate()));
        m.put("lr x3", c -> c.withLearningRate(3 * c.learningRate()));
        m.put("ema 0.99", c -> c.withEmaDecay(0.99));
        m.put("ema none", c -> c.withEmaDecay(0));
        m.put("draw window + lr x2", c -> c.withStageDraw(StageDraw.byWindowLength()).withLearningRate(2 * c.learningRate()));
        m.put("stages 4", c -> c.withPyramid(TemporalPyramid.uniform(c.pyramid().schedule(), 4, c.pyramid().frames())));
        return m;
    }

    /**
     * Arms that change vanilla's configuration, for the levers that are not TPDiff's own (a learning rate, weight
     * average or time draw that helps TPDiff may help vanilla as much; a fair race tunes them for both). On vanilla's
     * one stage the logit-normal time draw is the usual one for flow matching over the whole time axis.
     */
    static Map<String, UnaryOperator<TrainConfig>> vanillaLevers() {
        Map<String, UnaryOperator<TrainConfig>> m = new LinkedHashMap<>();
        m.put("vanilla", c -> c);
        for (String lever : List.of("lr x2", "lr x3", "ema 0.99", "ema none", "time logitnormal")) {
            m.put("vanilla " + lever, levers().get(lever));
        }
        return m;
    }

    /** Every arm's name: the vanilla arms, then the levers. */
    static List<String> armNames() {
        List<String> known = new ArrayList<>(vanillaLevers().keySet());
        known.addAll(levers().keySet());
        return known;
    }

    /** The comma-separated arm names of {@code arms=}, each checked against {@link #armNames()}. */
    static List<String> armNames(String csv) {
        List<String> known = armNames();
        List<String> names = List.of(csv.split(","));
        for (String n : names) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException("arms = '" + n + "'; allowed: arm names from " + String.join(", ", known));
            }
        }
        return names;
    }

    public static void main(String[] args) {
        String model = "attention";
        long steps = 600;
        double seconds = 0;
        int evalPoints = 2, evalClips = 64, realClips = 128;
        List<Long> seeds = List.of(1000L);
        List<String> only = null;
        double learningRate = TrainConfig.flowMatching(1, 16, 0).learningRate(); // the library's default, 1e-3
        for (String a : args) {
            int eq = a.indexOf('=');
            String k = eq < 0 ? a : a.substring(0, eq), v = eq < 0 ? "" : a.substring(eq + 1);
            switch (k) {
                case "model" -> model = v;
                case "steps" -> steps = Args.number(k, v, "a whole number of steps", Long::parseLong);
                case "seconds" -> seconds = Args.number(k, v, "a number of seconds", Double::parseDouble);
                case "lr" -> learningRate = Args.number(k, v, "a learning rate", Double::parseDouble);
                case "evalPoints" -> evalPoints = Args.number(k, v, "a whole number of evaluations", Integer::parseInt);
                case "evalClips" -> evalClips = Args.number(k, v, "a whole number of clips", Integer::parseInt);
                case "realClips" -> realClips = Args.number(k, v, "a whole number of clips", Integer::parseInt);
                case "seeds" -> seeds = java.util.Arrays.stream(v.split(","))
                        .map(x -> Args.number(k, x, "seeds as whole numbers separated by commas", Long::parseLong)).toList();
                case "arms" -> only = armNames(v);
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'; allowed: model=, steps=, seconds=, lr=,"
                        + " evalPoints=, evalClips=, realClips=, seeds=a,b, arms=" + String.join(",", armNames()));
            }
        }
        Compute.configureFromEnvironment();
        Preset p = new Preset("levers", model, "tiny", 16, 8, learningRate, seeds.size(), 1, evalPoints, evalClips, realClips, 2,
                false, 0, new int[0], 0, 0, 16, 0, false, RaceTimes.UNIFORM, 3);
        for (long seed : seeds) {
            runSeed(p, seed, seconds > 0 ? Budget.seconds(seconds) : Budget.steps(steps), only, System.out);
        }
    }

    static void runSeed(Preset p, long seed, Budget budget, List<String> only, PrintStream log) {
        SpriteVideos data = Bed.data(p.frames());
        List<Trainer> trainers = new ArrayList<>();
        List<List<double[]>> stageLoss = new ArrayList<>();
        try (NDManager m = Compute.newManager()) {
            double[][] real = Bed.realFeatures(data, m, p.realClips(), TrainBench.REAL_SEED);
            List<SideBySide.Lane> lanes = new ArrayList<>();
            Map<String, TrainConfig> arms = new LinkedHashMap<>();
            TrainConfig vanilla = BenchArm.VANILLA.config(p.frames(), seed).withBatchSize(p.batch())
                    .withLearningRate(p.learningRate());
            vanillaLevers().forEach((name, f) -> arms.put(name, f.apply(vanilla)));
            TrainConfig paper = BenchArm.TPDIFF_ALIGNED.config(p.frames(), seed).withBatchSize(p.batch())
                    .withLearningRate(p.learningRate());
            levers().forEach((name, f) -> arms.put(name, f.apply(paper)));
            for (Map.Entry<String, TrainConfig> a : arms.entrySet()) {
                if (only != null && !only.contains(a.getKey())) {
                    continue;
                }
                List<double[]> losses = new ArrayList<>(); // {step, frames, loss} of every step
                stageLoss.add(losses);
                TrainListener l = pr -> losses.add(new double[] {pr.step(), pr.frames(), pr.loss()});
                Trainer t = Trainer.builder().withModel(Bed.model(p, p.frames())).withConfig(a.getValue()).withData(data)
                        .withProgress(false).withListener(l).build();
                trainers.add(t);
                VideoSampler s = Bed.sampler(p.frames(), Bed.steps30(a.getValue().stages()));
                lanes.add(new SideBySide.Lane(a.getKey(), t, tr -> TrainBench.emaQuality(p, s, tr, real, m, TrainBench.SAMPLE_SEED)));
            }
            SideBySide.Run run = SideBySide.run(lanes, budget, p.evalPoints(), log);
            for (int i = 0; i < run.outcomes().size(); i++) {
                SideBySide.Outcome o = run.outcomes().get(i);
                QualityCurve c = o.curve();
                Map<Integer, double[]> byFrames = new java.util.TreeMap<>(); // frames -> {sum, count} over the second half
                for (double[] x : stageLoss.get(i)) {
                    if (x[0] > o.steps() / 2) {
                        double[] sum = byFrames.computeIfAbsent((int) x[1], k -> new double[2]);
                        sum[0] += x[2];
                        sum[1]++;
                    }
                }
                StringBuilder sl = new StringBuilder();
                byFrames.forEach((f, v) -> sl.append(String.format(Locale.ROOT, " F%d:%.4f(n=%d)", f, v[0] / v[1], (long) v[1])));
                log.printf(Locale.ROOT, "RESULT seed=%d arm=%s steps=%s seconds=%s secondsPerStep=%.5f quality=%s stageLoss=%s%n",
                        seed, o.name(), java.util.Arrays.toString(c.steps()), java.util.Arrays.toString(c.seconds()),
                        o.secondsPerStep(), java.util.Arrays.toString(c.qualities()), sl.toString().trim());
            }
        } finally {
            trainers.forEach(Trainer::close);
        }
    }
}
