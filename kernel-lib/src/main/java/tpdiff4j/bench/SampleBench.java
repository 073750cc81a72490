package tpdiff4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.pyramid.TemporalPyramid;

import tpdiff4j.train.Trainer;

/**
 * Sampling latency at 30 network calls (v1 Table 1's setting): vanilla (30 Euler steps at full rate) against the
 * pyramid with 10/10/10 steps, and the ablations K = 4 (8/8/7/7), steps 2-1-1 (15/8/7) and 1-1-2 (7/8/15) of ICLR
 * Table 2, at batch 1 and 16. After untimed warm-up rounds ({@link #WARM_UP_SECONDS}) the repetitions run
 * round-robin over the configurations (so a change of machine load hits all of them alike); medians. The latency does
 * not depend on the weights, so an untrained network of the preset's size is used.
 *
 * <p>Numbers: {@code sample.<config>.b<batch>.ms}; speed-ups vanilla / config: {@code sample.speedup30} (10/10/10,
 * batch 1), {@code sample.speedup30.b16}, {@code sample.k4.speedup}, {@code sample.alloc211.speedup},
 * {@code sample.alloc112.speedup} (batch 16; {@code .b1} variants for batch 1); the cost-model bounds for K = 3
 * 1/(7/12) (linear) and 1/(21/48) (quadratic) as {@code sample.bound.linear} and {@code sample.bound.quadratic},
 * and the ratio of the network's analytic forward FLOPs, vanilla / 10/10/10 at batch 1, as {@code sample.bound.flops}
 * (the column "analytic FLOP ratio" gives it for every configuration and batch).
 * The K - 1 = 2 stage jumps of the 10/10/10 pyramid (upsampling, rescaling, block noise drawn from the seed) are
 * also timed on their own, inside the same round robin: {@code sample.jumps.b<batch>.ms} per sample and
 * {@code sample.jumps.b<batch>.share}, their fraction of the 10/10/10 latency.
 */
final class SampleBench {

    /** Configuration name to steps per stage in sampling order. */
    static final Map<String, int[]> CONFIGS = new LinkedHashMap<>();

    /**
     * Seconds of untimed samples, round robin over the configurations, before the timed repetitions of a batch size
     * (at least one round). A fresh JVM runs its first thousand or so network calls slower: its heap is still growing,
     * and fresh heap pages fault in on first use. Measured on the project's 2-core machine at batch 1 (vanilla and
     * 10/10/10 alternating, default JVM options, one process each): after three warm-up rounds vanilla took 63-65 ms
     * and 10/10/10 42-45 ms, after 150 rounds 53-55 and 32-33 ms, a constant of about 0.3 ms on every call that
     * shrinks the pyramid's lead (a fixed young generation, {@code -Xmn64m} in {@code environment/bench}, removes most
     * of it from the start). Two seconds are about ten rounds at batch 1 and one at batch 16.
     */
    static final double WARM_UP_SECONDS = 2.0;

    /** Untimed round-robin samples of every configuration until {@link #WARM_UP_SECONDS} have passed. */
    private static void warmUp(Map<String, VideoSampler> samplers, Denoiser den, NDManager m, int f, int batch) {
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        int round = 0;
        do {
            for (VideoSampler s : samplers.values()) {
                Bed.sampleOnce(s, den, m, f, batch, 3 + round);
            }
            round++;
        } while (System.nanoTime() < end);
    }

    static {
        CONFIGS.put("vanilla", new int[] {30});
        CONFIGS.put("k3", Bed.steps30(3));
        CONFIGS.put("k4", Bed.steps30(4));
        CONFIGS.put("alloc211", new int[] {15, 8, 7});
        CONFIGS.put("alloc112", new int[] {7, 8, 15});
    }

    private SampleBench() {
    }

    static void run(Preset p, Report r, PrintStream log) {
        int f = p.frames();
        Map<String, VideoSampler> samplers = new LinkedHashMap<>();
        CONFIGS.forEach((k, steps) -> samplers.put(k, Bed.sampler(f, steps)));
        Table t = Table.of("sample", "Sampling latency, 30 network calls (" + p.modelSize() + " model, " + f
                + " frames 16x16), median of " + repsText(p) + " after warm-up, round robin", "configuration", "steps",
                "batch", "median ms", "min ms", "speed-up vs vanilla", "cost-model bound p=1", "cost-model bound p=2",
                "analytic FLOP ratio");
        List<String> categories = new ArrayList<>();
        Map<Integer, double[]> chart = new LinkedHashMap<>();
        TemporalPyramid jumpPyramid = Bed.pyramid(f, CONFIGS.get("k3").length);
        try (Trainer tr = Bed.trainer(p, f, BenchArm.VANILLA, 1); NDManager m = tr.manager().newSubManager()) {
            Denoiser den = tr.denoiser().withAnyPyramid(); // untrained weights, timed on every pyramid
            for (int batch : Preset.SAMPLE_BATCHES) {
                int reps = p.sampleReps(batch);
                Map<String, double[]> ms = new LinkedHashMap<>();
                for (Map.Entry<String, VideoSampler> e : samplers.entrySet()) {
                    ms.put(e.getKey(), new double[reps]);
                }
                warmUp(samplers, den, m, f, batch);
                NDArray[] ends = stageEnds(jumpPyramid, m, batch);
                jumpsOnce(jumpPyramid, ends, m, 3); // warm-up
                double[] jumpMs = new double[reps];
                for (int rep = 0; rep < reps; rep++) {
                    for (Map.Entry<String, VideoSampler> e : samplers.entrySet()) {
                        final int seed = rep;
                        ms.get(e.getKey())[rep] = Timing.millis(() -> Bed.sampleOnce(e.getValue(), den, m, f, batch, seed), 0, 1)[0];
                    }
                    final int seed = rep;
                    jumpMs[rep] = Timing.millis(() -> jumpsOnce(jumpPyramid, ends, m, seed), 0, 1)[0];
                }
                for (NDArray e : ends) {
                    e.close();
                }
                double vanilla = Stats.median(ms.get("vanilla"));
                double[] bars = new double[CONFIGS.size()];
                int i = 0;
                for (Map.Entry<String, int[]> e : CONFIGS.entrySet()) {
                    String name = e.getKey();
                    int[] steps = e.getValue();
                    double med = Stats.median(ms.get(name));
                    double speedup = vanilla / med;
                    TemporalPyramid pyr = Bed.pyramid(f, steps.length);
                    r.put("sample." + name + ".b" + batch + ".ms", med);
                    if (!name.equals("vanilla")) {
                        String key = name.equals("k3") ? "sample.speedup30" : "sample." + name + ".speedup";
                        r.put(batch == 1 ? key + (name.equals("k3") ? "" : ".b1") : key + (name.equals("k3") ? ".b16" : ""),
                                speedup);
                    }
                    t = t.row(name, stepsText(steps), batch, med, Stats.min(ms.get(name)), speedup,
                            1 / pyr.costFactor(1.0, steps), 1 / pyr.costFactor(2.0, steps),
                            Bed.samplingFlopRatio(p, batch, steps));
                    bars[i++] = med;
                    if (batch == Preset.SAMPLE_BATCHES[0]) {
                        categories.add(name + " " + stepsText(steps));
                    }
                }
                double jumps = Stats.median(jumpMs), share = jumps / Stats.median(ms.get("k3"));
                r.put("sample.jumps.b" + batch + ".ms", jumps).put("sample.jumps.b" + batch + ".share", share);
                t = t.row(String.format(java.util.Locale.ROOT, "k3: its %d stage jumps alone (%.1f%% of 10/10/10)",
                        jumpPyramid.size() - 1, 100 * share), "-", batch, jumps, Stats.min(jumpMs), Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN);
                chart.put(batch, bars);
                log.printf(Locale.ROOT, "[bench] sampling batch %d: vanilla %.1f ms, 10/10/10 %.1f ms (x%.2f), its jumps %.2f ms%n",
                        batch, vanilla, Stats.median(ms.get("k3")), vanilla / Stats.median(ms.get("k3")), jumps);
            }
        }
        TemporalPyramid k3 = TemporalPyramid.uniform(Bed.SCHEDULE, 3, f);
        r.put("sample.bound.linear", 1 / k3.costFactor(1.0)).put("sample.bound.quadratic", 1 / k3.costFactor(2.0))
                .put("sample.bound.flops", Bed.samplingFlopRatio(p, 1, CONFIGS.get("k3")));
        r.table(t);
        String[] cats = categories.toArray(new String[0]);
        ChartSpec c = ChartSpec.bar("sample-latency", "Sampling latency at 30 steps, relative to vanilla",
                "configuration", "latency / vanilla latency");
        for (Map.Entry<Integer, double[]> e : chart.entrySet()) {
            double v = e.getValue()[0];
            c = c.with(ChartSpec.Series.bars("batch " + e.getKey(), cats,
                    java.util.Arrays.stream(e.getValue()).map(x -> x / v).toArray()));
        }
        r.chart(c);
        if (p.largeSize() > 0) {
            largeRow(p.largeRow(), r, log);
        }
    }

    /** "80 at batch 1, 5 at batch 16": the repetitions behind each batch's medians. */
    static String repsText(Preset p) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ");
        for (int batch : Preset.SAMPLE_BATCHES) {
            j.add(p.sampleReps(batch) + " at batch " + batch);
        }
        return j.toString();
    }

    /**
     * The third row: the headline model on clips of {@link Preset#largeSize()} pixels (attention products about 80% of
     * a call's FLOPs), vanilla 30 steps against 10/10/10 at batch 1, round robin, medians. Keys
     * {@code sample.large.vanilla.b1.ms}, {@code sample.large.k3.b1.ms}, {@code sample.large.speedup30},
     * {@code sample.large.bound.flops}.
     */
    static void largeRow(Preset p, Report r, PrintStream log) {
        int f = p.frames();
        VideoSampler vanilla = Bed.sampler(f, CONFIGS.get("vanilla")), k3 = Bed.sampler(f, CONFIGS.get("k3"));
        Shape one = Bed.clips(p, 1, f);
        double[] v = new double[p.sampleReps()], k = new double[p.sampleReps()];
        try (Trainer tr = Bed.trainer(p, f, BenchArm.VANILLA, 1); NDManager m = tr.manager().newSubManager()) {
            Denoiser den = tr.denoiser().withAnyPyramid(); // untrained weights, timed on every pyramid
            Bed.sampleOnce(vanilla, den, m, one, 3);
            Bed.sampleOnce(k3, den, m, one, 3);
            for (int rep = 0; rep < p.sampleReps(); rep++) {
                final int seed = rep;
                v[rep] = Timing.millis(() -> Bed.sampleOnce(vanilla, den, m, one, seed), 0, 1)[0];
                k[rep] = Timing.millis(() -> Bed.sampleOnce(k3, den, m, one, seed), 0, 1)[0];
            }
        }
        double vm = Stats.median(v), km = Stats.median(k);
        double flops = Bed.samplingFlopRatio(p, 1, CONFIGS.get("k3"));
        r.put("sample.large.vanilla.b1.ms", vm).put("sample.large.k3.b1.ms", km).put("sample.large.speedup30", vm / km)
                .put("sample.large.bound.flops", flops);
        TemporalPyramid pyr = Bed.pyramid(f, 3);
        r.table(Table.of("sample", "Sampling latency on " + p.size() + "x" + p.size() + " clips (" + p.modelSize()
                        + " model, " + f + " frames, 64 tokens per frame), batch 1, median of " + p.sampleReps(),
                "configuration", "steps", "median ms", "min ms", "speed-up vs vanilla", "cost-model bound p=2",
                "analytic FLOP ratio")
                .row("vanilla", "30", vm, Stats.min(v), 1.0, 1.0, 1.0)
                .row("k3", "10/10/10", km, Stats.min(k), vm / km, 1 / pyr.costFactor(2.0, CONFIGS.get("k3")), flops));
        log.printf(Locale.ROOT, "[bench] sampling %dx%d batch 1: vanilla %.1f ms, 10/10/10 %.1f ms (x%.2f)%n", p.size(), p.size(),
                vm, km, vm / km);
    }

    /** Stand-ins for the ends of stages 0 .. K-2, {@code [batch, F_k, C, H, W]} (a jump's cost does not depend on values). */
    private static NDArray[] stageEnds(TemporalPyramid pyr, NDManager m, int batch) {
        NDArray[] ends = new NDArray[pyr.size() - 1];
        for (int k = 0; k < ends.length; k++) {
            ends[k] = GaussianNoise.normal(m, new Shape(batch, pyr.stage(k).frames(), Bed.CHANNELS, Bed.SIZE, Bed.SIZE),
                    DataType.FLOAT32, k);
        }
        return ends;
    }

    /**
     * The K-1 jumps of one pyramid sample, as the sampler applies them; their outputs are freed. Reading the last
     * one's maximum back ends the call when the device has finished them (see {@link Bed#sampleOnce}).
     */
    private static void jumpsOnce(TemporalPyramid pyr, NDArray[] ends, NDManager m, long seed) {
        try (NDManager sub = m.newSubManager()) {
            NDArray last = null;
            for (int k = 0; k < ends.length; k++) {
                ends[k].tempAttach(sub);
                last = pyr.jump(k).apply(ends[k], GaussianNoise.derive(seed, k + 1));
            }
            if (last != null) {
                last.max().getFloat();
            }
        }
    }

    static String stepsText(int[] steps) {
        StringBuilder s = new StringBuilder();
        for (int n : steps) {
            s.append(s.length() == 0 ? "" : "/").append(n);
        }
        return s.toString();
    }
}
