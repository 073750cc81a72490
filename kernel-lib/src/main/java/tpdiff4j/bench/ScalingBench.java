package tpdiff4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tpdiff4j.ode.Denoiser;

import tpdiff4j.train.Trainer;

/**
 * Cost of one training step (batch {@code B}, forward, backward, AdamW, EMA) and of one sampling step (one network
 * call on 16 clips) as the frame count F grows, for two models: the headline model ({@link Preset#modelSize()}, full
 * space-time attention) and the second row ({@link Preset#factorizedModel()}, factorized attention). For each, the
 * power law {@code time = a F^p} is fitted over the scanned frame counts ({@link ExponentFit}) beside the exponent of
 * the analytic FLOPs ({@link tpdiff4j.nn.FlopCount}), and the step-time ratio TPDiff / vanilla is measured directly
 * (two trainers at F frames, steps interleaved, TPDiff's stages drawn as in the preset's race) beside its FLOP ratio.
 * The frame counts are timed round robin (every frame count's training step, forward and backward pass and sampling
 * call once a round, medians over the rounds), as TPDiff's training switches between its stages' frame counts from
 * step to step: a change of the machine's speed during the scan hits every frame count alike. (Timed one frame count
 * after the other, the first one ran in the process's first seconds and the fitted exponent moved by 0.15 between
 * runs; a small frame count now also pays for the caches that the larger one before it left cold, as in training.)
 * The pyramid pays most where p is large: with the paper's uniform stage draw its cost factor
 * {@code (1/K) sum_k (F_k/F)^p} falls from 1 (p = 0, pure overhead) to 7/12 (p = 1) and 21/48 (p = 2) for K = 3.
 *
 * <p>Numbers (headline model; the second row the same under {@code scaling.factorized.}): {@code scaling.train.msF<F>},
 * {@code scaling.sample.msF<F>}, {@code scaling.train.forwardBackwardMsF<F>} (medians), {@code scaling.train.exponent},
 * {@code scaling.train.r2}, {@code scaling.sample.exponent}, {@code scaling.sample.r2},
 * {@code scaling.train.flopExponent}, {@code scaling.train.attentionFlopShare}, {@code scaling.train.stepTimeRatio}, {@code scaling.train.flopRatio},
 * {@code scaling.train.forwardBackwardFraction}.
 */
final class ScalingBench {

    static final int SAMPLE_BATCH = 16;
    /** Untimed calls per shape first: PyTorch CPU kernels are several times slower on the first calls of a shape. */
    static final int WARMUP = 6;
    /** Key prefix of the second row. */
    static final String FACTORIZED = "scaling.factorized.";
    /** Key prefix of the third row (the headline model on larger clips). */
    static final String LARGE = "scaling.large.";
    /** Share of a step's analytic FLOPs in the attention products from which a row counts as attention-bound. */
    static final double ATTENTION_BOUND = 0.3;
    /** Measured exponent this far below the FLOP exponent: the fixed per-call cost of a step shows. */
    static final double OVERHEAD_GAP = 0.3;

    private ScalingBench() {
    }

    /**
     * Clips per timed sampling call: {@link #SAMPLE_BATCH}, or 1 for a row trained at batch 1 (the large-clip row,
     * whose batch of 16 would be memory-bound for the same reason its training batch is 1).
     */
    static int sampleBatch(Preset p) {
        return p.batch() == 1 ? 1 : SAMPLE_BATCH;
    }

    /** What one model's scan found. */
    record Row(String model, int size, ExponentFit train, ExponentFit sample, double flopExponent, double attentionShare,
               double stepTimeRatio,
               double flopRatio, double[] frames, double[] trainMs, double[] sampleMs) {
    }

    static void run(Preset p, Report r, PrintStream log) {
        Row head = scan(p, "scaling.", r, log);
        Row fac = scan(p.factorizedRow(), FACTORIZED, r, log);
        Row large = p.largeSize() > 0 ? scan(p.largeRow(), LARGE, r, log) : null;
        Table regime = Table.of("scaling", "Two regimes: step cost against frames and TPDiff's step (K = " + p.stages() + ", " + p.frames()
                        + " frames, batch " + p.batch() + ")", "model", "attention", "time exponent p", "FLOP exponent",
                "TPDiff / vanilla step time", "TPDiff / vanilla FLOPs", "cost model at p", "regime (attention share of FLOPs)");
        ChartSpec chart = ChartSpec.line("scaling-frames", "Training step cost against frames (log-log)", "frames F",
                "ms per step", true, true);
        for (Row row : large == null ? new Row[] {head, fac} : new Row[] {head, fac, large}) {
            String att = Bed.model(p.withModelSize(row.model()), p.frames()).attention().name().toLowerCase(java.util.Locale.ROOT);
            regime = regime.row(row.model() + " " + row.size() + "x" + row.size(), att, row.train().exponent(), row.flopExponent(), row.stepTimeRatio(),
                    row.flopRatio(), Bed.costFactor(p, row.train().exponent()),
                    regime(row.attentionShare(), row.train().exponent(), row.flopExponent()) + " ("
                            + Table.fmt(row.attentionShare()) + ")");
            double[] fit = Arrays.stream(row.frames()).map(row.train()::predict).toArray();
            chart = chart.with(ChartSpec.Series.line(row.model() + " " + row.size() + "x" + row.size() + " (" + att + ") training step", row.frames(), row.trainMs()))
                    .with(ChartSpec.Series.dashed("fit p = " + Table.fmt(row.train().exponent()), row.frames(), fit));
        }
        r.table(regime);
        r.chart(chart);
    }

    /**
     * The regime of a row: "attention-bound" when at least {@link #ATTENTION_BOUND} of its analytic FLOPs at F frames
     * are attention products ({@code Q K^T}, {@code A V}), else "per-token-bound"; with ", per-call overhead visible"
     * when the measured time exponent is more than {@link #OVERHEAD_GAP} below the FLOP exponent (work that does not
     * grow with F, such as kernel launches and the optimizer, takes a visible share of a step).
     */
    static String regime(double attentionShare, double exponent, double flopExponent) {
        if (Double.isNaN(attentionShare) || Double.isNaN(exponent) || Double.isNaN(flopExponent)) {
            return "regime not measured";
        }
        String work = attentionShare >= ATTENTION_BOUND ? "attention-bound" : "per-token-bound";
        return exponent < flopExponent - OVERHEAD_GAP ? work + ", per-call overhead visible" : work;
    }

    /** {@link #regime(double, double, double)} from a report's keys under {@code prefix} ("scaling." or {@link #FACTORIZED}). */
    static String regime(Report r, String prefix) {
        return regime(r.get(prefix + "train.attentionFlopShare"), r.get(prefix + "train.exponent"),
                r.get(prefix + "train.flopExponent"));
    }

    /** Scans one model (the preset's {@code modelSize}) and writes its numbers under {@code prefix}. */
    static Row scan(Preset p, String prefix, Report r, PrintStream log) {
        int[] frames = p.scalingFrames();
        double[] train = new double[frames.length], sample = new double[frames.length], fwdBwd = new double[frames.length];
        double[] flops = new double[frames.length];
        Table t = Table.of("scaling", "Step cost against frames (" + p.modelSize() + " model, " + p.size() + "x" + p.size() + "; training batch "
                + p.batch() + ", sampling batch " + sampleBatch(p) + "), medians", "frames", "training step ms",
                "sampling step ms", "forward + backward ms", "rest of the training step ms (optimizer, EMA, data)",
                "training step GFLOPs (analytic)");
        // every frame count's training step, forward + backward and sampling call in one round robin: a change of the
        // machine's speed during the scan hits all frame counts alike instead of bending the fitted exponent (timed one
        // frame count after the other, the first was measured in the process's first seconds)
        List<Trainer> trainers = new ArrayList<>();
        List<NDManager> inputs = new ArrayList<>();
        try {
            List<Timing.Work> works = new ArrayList<>();
            for (int i = 0; i < frames.length; i++) {
                int f = frames[i];
                flops[i] = tpdiff4j.nn.FlopCount.forward(Bed.model(p, f), p.batch(), f).trainingStep();
                Trainer tr = Bed.trainer(p, f, BenchArm.VANILLA, 1);
                trainers.add(tr);
                Denoiser den = tr.denoiser();
                NDManager m = tr.manager().newSubManager(); // the model's device
                inputs.add(m);
                NDArray x = m.randomNormal(Bed.clips(p, sampleBatch(p), f));
                works.add(tr::step);
                works.add(() -> forwardBackward(tr, Bed.clips(p, p.batch(), f)));
                works.add(() -> {
                    try (NDManager sub = m.newSubManager()) {
                        NDArray y = x.duplicate();
                        y.attach(sub);
                        den.predict(y, 0.5).max().getFloat(); // ends when the device has (Bed.sampleOnce)
                    }
                });
            }
            double[][] ms = Timing.roundRobin(WARMUP, p.scalingSteps(), works.toArray(Timing.Work[]::new));
            for (int i = 0; i < frames.length; i++) {
                int f = frames[i];
                train[i] = Stats.median(ms[3 * i]);
                fwdBwd[i] = Stats.median(ms[3 * i + 1]);
                sample[i] = Stats.median(ms[3 * i + 2]);
                r.put(prefix + "train.msF" + f, train[i]);
                r.put(prefix + "sample.msF" + f, sample[i]);
                r.put(prefix + "train.forwardBackwardMsF" + f, fwdBwd[i]);
                t = t.row(f, train[i], sample[i], fwdBwd[i], train[i] - fwdBwd[i], flops[i] / 1e9);
                log.printf(Locale.ROOT, "[bench] scaling %s F=%d: training step %.1f ms (forward + backward %.1f ms), sampling step %.1f ms%n",
                        p.modelSize(), f, train[i], fwdBwd[i], sample[i]);
            }
        } finally {
            inputs.forEach(NDManager::close);
            trainers.forEach(Trainer::close);
        }
        int full = Arrays.binarySearch(frames, p.frames());
        if (full >= 0) {
            r.put(prefix + "train.forwardBackwardFraction", fwdBwd[full] / train[full]);
        }
        double[] fx = Arrays.stream(frames).asDoubleStream().toArray();
        ExponentFit ft = ExponentFit.fit(fx, train);
        ExponentFit fs = ExponentFit.fit(fx, sample);
        double flopExponent = ExponentFit.fit(fx, flops).exponent();
        r.put(prefix + "train.exponent", ft.exponent()).put(prefix + "train.r2", ft.r2());
        r.put(prefix + "sample.exponent", fs.exponent()).put(prefix + "sample.r2", fs.r2());
        r.put(prefix + "train.flopExponent", flopExponent);
        tpdiff4j.nn.FlopCount atF = tpdiff4j.nn.FlopCount.forward(Bed.model(p, p.frames()), p.batch(), p.frames());
        double share = atF.attention() / atF.total();
        r.put(prefix + "train.attentionFlopShare", share);
        double ratio = stepTimeRatio(p, log);
        double flopRatio = Bed.stepFlops(p, BenchArm.TPDIFF_ALIGNED) / Bed.stepFlops(p, BenchArm.VANILLA);
        r.put(prefix + "train.stepTimeRatio", ratio).put(prefix + "train.flopRatio", flopRatio);
        r.table(t);
        r.table(Table.of("scaling", "Fitted power law time = a F^p over F = " + Arrays.toString(frames) + " ("
                        + p.modelSize() + " model)", "step", "exponent p", "a (ms)", "R^2")
                .row("training", ft.exponent(), ft.prefactor(), ft.r2())
                .row("sampling", fs.exponent(), fs.prefactor(), fs.r2())
                .row("training FLOPs (analytic)", flopExponent, "", ""));
        log.printf(Locale.ROOT, "[bench] scaling %s exponents: training %.3f (R2 %.3f, FLOPs %.3f), sampling %.3f (R2 %.3f); "
                        + "TPDiff / vanilla step %.3f (FLOPs %.3f)%n", p.modelSize(), ft.exponent(), ft.r2(), flopExponent,
                fs.exponent(), fs.r2(), ratio, flopRatio);
        return new Row(p.modelSize(), p.size(), ft, fs, flopExponent, share, ratio, flopRatio, fx, train, sample);
    }

    /**
     * Mean TPDiff (aligned) step time over mean vanilla step time at the preset's frame count: two trainers, warmed
     * up (the TPDiff one long enough to have met every stage), then {@code 4 scalingSteps} steps each, interleaved so
     * that a change of machine load hits both.
     */
    static double stepTimeRatio(Preset p, PrintStream log) {
        int n = 4 * p.scalingSteps();
        try (Trainer v = Bed.trainer(p, p.frames(), BenchArm.VANILLA, 1);
             Trainer tp = Bed.trainer(p, p.frames(), BenchArm.TPDIFF_ALIGNED, 1)) {
            Timing.millis(v::step, WARMUP, 0);
            Timing.millis(tp::step, 3 * WARMUP, 0);
            double[][] ms = Timing.interleaved(v::step, tp::step, 0, n);
            return java.util.Arrays.stream(ms[1]).sum() / java.util.Arrays.stream(ms[0]).sum();
        }
    }

    /**
     * The network part of a training step alone: forward on a random batch {@code [B, F, C, H, W]} at random times
     * under a GradientCollector, backward of the mean squared output. The gradients it leaves add to those of the
     * trainer's next step, which changes the weights that step makes but not its cost (the trainer serves only for
     * timing and is closed after the scan).
     */
    static void forwardBackward(Trainer tr, Shape clips) {
        long batch = clips.get(0);
        int frames = Math.toIntExact(clips.get(1));
        try (NDManager sub = tr.manager().newSubManager()) {
            NDArray x = sub.randomNormal(clips);
            NDArray t = sub.randomUniform(0f, 1f, new Shape(batch));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = tr.model().block().forward(new ParameterStore(sub, false),
                        new NDList(x, t, tr.model().positions(sub, frames)), true).singletonOrThrow();
                NDArray loss = pred.square().mean();
                gc.backward(loss);
                loss.getFloat(); // a read waits for everything queued before it, the backward pass included
            }
        }
    }
}
