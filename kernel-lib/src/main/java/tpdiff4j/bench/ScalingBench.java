package tpdiff4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.Arrays;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.train.TrainMode;
import tpdiff4j.train.Trainer;

/**
 * Cost of one training step (batch {@code B}, forward, backward, AdamW, EMA) and of one sampling step (one network
 * call on 16 clips) as the frame count F grows, with the power law {@code time = a F^p} fitted over F >= 8
 * ({@link ExponentFit}). The pyramid pays most where p is large: its cost factor {@code (1/K) sum_k (F_k/F)^p}
 * falls from 1 (p = 0, pure overhead) to 7/12 (p = 1) and 21/48 (p = 2) for K = 3.
 *
 * <p>Numbers: {@code scaling.train.msF<F>}, {@code scaling.sample.msF<F>} (medians), {@code scaling.train.exponent},
 * {@code scaling.train.r2}, {@code scaling.sample.exponent}, {@code scaling.sample.r2}.
 */
final class ScalingBench {

    static final int SAMPLE_BATCH = 16;

    private ScalingBench() {
    }

    static void run(Preset p, Report r, PrintStream log) {
        int[] frames = p.scalingFrames();
        double[] train = new double[frames.length], sample = new double[frames.length];
        Table t = Table.of("scaling", "Step cost against frames (" + p.modelSize() + " model, 16x16; training batch "
                + p.batch() + ", sampling batch " + SAMPLE_BATCH + "), medians", "frames", "training step ms",
                "sampling step ms", "training ms per frame", "sampling ms per frame");
        for (int i = 0; i < frames.length; i++) {
            int f = frames[i];
            try (Trainer tr = Bed.trainer(p, f, TrainMode.VANILLA, 1)) {
                train[i] = Stats.median(Timing.millis(tr::step, 3, p.scalingSteps()));
                Denoiser den = tr.denoiser();
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = m.randomNormal(new Shape(SAMPLE_BATCH, f, Bed.CHANNELS, Bed.SIZE, Bed.SIZE));
                    sample[i] = Stats.median(Timing.millis(() -> {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray y = x.duplicate();
                            y.attach(sub);
                            den.predict(y, 0.5);
                        }
                    }, 3, p.scalingSteps()));
                }
            }
            r.put("scaling.train.msF" + f, train[i]);
            r.put("scaling.sample.msF" + f, sample[i]);
            t = t.row(f, train[i], sample[i], train[i] / f, sample[i] / f);
            log.printf("[bench] scaling F=%d: training step %.1f ms, sampling step %.1f ms%n", f, train[i], sample[i]);
        }
        int[] idx = java.util.stream.IntStream.range(0, frames.length).filter(i -> frames[i] >= 8).toArray();
        double[] fx = Arrays.stream(idx).mapToDouble(i -> frames[i]).toArray();
        ExponentFit ft = ExponentFit.fit(fx, Arrays.stream(idx).mapToDouble(i -> train[i]).toArray());
        ExponentFit fs = ExponentFit.fit(fx, Arrays.stream(idx).mapToDouble(i -> sample[i]).toArray());
        r.put("scaling.train.exponent", ft.exponent()).put("scaling.train.r2", ft.r2());
        r.put("scaling.sample.exponent", fs.exponent()).put("scaling.sample.r2", fs.r2());
        r.table(t);
        r.table(Table.of("scaling", "Fitted power law time = a F^p over F >= 8", "step", "exponent p", "a (ms)", "R^2")
                .row("training", ft.exponent(), ft.prefactor(), ft.r2())
                .row("sampling", fs.exponent(), fs.prefactor(), fs.r2()));
        double[] all = Arrays.stream(frames).asDoubleStream().toArray();
        double[] fitT = Arrays.stream(all).map(ft::predict).toArray();
        double[] fitS = Arrays.stream(all).map(fs::predict).toArray();
        r.chart(ChartSpec.line("scaling-frames", "Step cost against frames (log-log)", "frames F", "ms per step", true, true)
                .with(ChartSpec.Series.line("training step", all, train))
                .with(ChartSpec.Series.dashed("fit p = " + Table.fmt(ft.exponent()), all, fitT))
                .with(ChartSpec.Series.line("sampling step (batch 16)", all, sample))
                .with(ChartSpec.Series.dashed("fit p = " + Table.fmt(fs.exponent()), all, fitS)));
        log.printf("[bench] scaling exponents: training %.3f (R2 %.3f), sampling %.3f (R2 %.3f)%n",
                ft.exponent(), ft.r2(), fs.exponent(), fs.r2());
    }
}
