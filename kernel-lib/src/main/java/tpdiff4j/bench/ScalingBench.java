package tpdiff4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.Arrays;
import tpdiff4j.ode.Denoiser;

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
    /** Untimed calls per shape first: PyTorch CPU kernels are several times slower on the first calls of a shape. */
    static final int WARMUP = 6;

    private ScalingBench() {
    }

    static void run(Preset p, Report r, PrintStream log) {
        int[] frames = p.scalingFrames();
        double[] train = new double[frames.length], sample = new double[frames.length], fwdBwd = new double[frames.length];
        Table t = Table.of("scaling", "Step cost against frames (" + p.modelSize() + " model, 16x16; training batch "
                + p.batch() + ", sampling batch " + SAMPLE_BATCH + "), medians", "frames", "training step ms",
                "sampling step ms", "forward + backward ms", "rest of the training step ms (optimizer, EMA, data)");
        for (int i = 0; i < frames.length; i++) {
            int f = frames[i];
            try (Trainer tr = Bed.trainer(p, f, BenchArm.VANILLA, 1)) {
                train[i] = Stats.median(Timing.millis(tr::step, WARMUP, p.scalingSteps()));
                fwdBwd[i] = Stats.median(Timing.millis(() -> forwardBackward(tr, p.batch(), f), WARMUP, p.scalingSteps()));
                Denoiser den = tr.denoiser();
                try (NDManager m = tr.manager().newSubManager()) { // the model's device
                    NDArray x = m.randomNormal(new Shape(SAMPLE_BATCH, f, Bed.CHANNELS, Bed.SIZE, Bed.SIZE));
                    sample[i] = Stats.median(Timing.millis(() -> {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray y = x.duplicate();
                            y.attach(sub);
                            den.predict(y, 0.5);
                        }
                    }, WARMUP, p.scalingSteps()));
                }
            }
            r.put("scaling.train.msF" + f, train[i]);
            r.put("scaling.sample.msF" + f, sample[i]);
            r.put("scaling.train.forwardBackwardMsF" + f, fwdBwd[i]);
            t = t.row(f, train[i], sample[i], fwdBwd[i], train[i] - fwdBwd[i]);
            log.printf("[bench] scaling F=%d: training step %.1f ms (forward + backward %.1f ms), sampling step %.1f ms%n",
                    f, train[i], fwdBwd[i], sample[i]);
        }
        int full = java.util.Arrays.binarySearch(frames, p.frames());
        if (full >= 0) {
            r.put("scaling.train.forwardBackwardFraction", fwdBwd[full] / train[full]);
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

    /**
     * The network part of a training step alone: forward on a random batch {@code [B, F, C, H, W]} at random times
     * under a GradientCollector, backward of the mean squared output. The gradients it leaves are never applied (the
     * trainer is closed after the scan).
     */
    static void forwardBackward(Trainer tr, int batch, int frames) {
        try (NDManager sub = tr.manager().newSubManager()) {
            NDArray x = sub.randomNormal(new Shape(batch, frames, Bed.CHANNELS, Bed.SIZE, Bed.SIZE));
            NDArray t = sub.randomUniform(0f, 1f, new Shape(batch));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = tr.model().block().forward(new ParameterStore(sub, false),
                        new NDList(x, t, tr.model().positions(sub, frames)), true).singletonOrThrow();
                gc.backward(pred.square().mean());
            }
        }
    }
}
