package tpdiff4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the headline table: a measured number of the report beside its reference, their ratio and the goal.
 *
 * @param key        report key of the measured number
 * @param what       what the number means (direction included)
 * @param measured   the measured value (NaN if not measured)
 * @param reference  the reference value (NaN if there is none)
 * @param source     where the reference comes from
 * @param goal       the goal as text ("&lt;= 0.5"), empty if none
 * @param met        TRUE/FALSE against the goal, null if no goal or not measured
 */
public record HeadlineRow(String key, String what, double measured, double reference, String source, String goal,
                         Boolean met) {

    /** measured / reference, NaN if either is missing. */
    public double ratio() {
        return Double.isFinite(measured) && Double.isFinite(reference) && reference != 0 ? measured / reference : Double.NaN;
    }

    /**
     * The headline comparisons of a report: the required keys of {@link Report} and the paper's efficiency
     * numbers (v1 Fig. 5 and Table 1, ICLR Table 2) or the cost-model bounds (docs/derivation.md section 12) beside
     * them; the step-cost exponents of both regimes (the headline model with full space-time attention, the second
     * row with factorized attention) beside the exponents of their analytic FLOPs.
     */
    public static List<HeadlineRow> of(Report r) {
        List<HeadlineRow> c = new ArrayList<>();
        double ttq = r.get("train.timeToQualityRatio");
        c.add(atMost(r, "train.timeToQualityRatio", "training wall-clock to vanilla's final quality, TPDiff / vanilla",
                References.TRAIN_TIME_RATIO_FM, "paper: 2.13x faster (v1 Fig. 5, flow matching)", 0.5));
        c.add(atMost(r, "train.flopsToQualityRatio", "analytic training FLOPs to vanilla's final quality, TPDiff / vanilla",
                References.TRAIN_TIME_RATIO_FM, "paper: 2.13x fewer GPU hours (v1 Fig. 5, flow matching)", 0.5));
        double step = r.get("train.stepTimeRatio");
        c.add(new HeadlineRow("train.stepTimeRatio", "seconds per training step, TPDiff / vanilla (headline model)",
                step, r.get("train.predictedStepTimeRatio"),
                "cost model sum_k w_k (F_k/F)^p (w_k: the race's stage draw) at the measured exponent p = " + Table.fmt(r.get("scaling.train.exponent")),
                "<= " + Table.fmt(0.5), Double.isNaN(step) ? null : step <= 0.5));
        double p = r.get("scaling.train.exponent");
        c.add(new HeadlineRow("scaling.train.exponent", "training step cost ~ F^p over 4 to 16 frames, headline model "
                + "(full space-time attention)", p, r.get("scaling.train.flopExponent"), "exponent of the analytic FLOPs",
                ">= " + Table.fmt(1.8), Double.isNaN(p) ? null : p >= 1.8));
        c.add(new HeadlineRow(ScalingBench.FACTORIZED + "train.exponent", "the same, second row (factorized attention)",
                r.get(ScalingBench.FACTORIZED + "train.exponent"), r.get(ScalingBench.FACTORIZED + "train.flopExponent"),
                "exponent of the analytic FLOPs", "", null));
        c.add(new HeadlineRow(ScalingBench.FACTORIZED + "train.stepTimeRatio",
                "seconds per training step, TPDiff / vanilla, second row (factorized attention)",
                r.get(ScalingBench.FACTORIZED + "train.stepTimeRatio"),
                r.get(ScalingBench.FACTORIZED + "train.predictedStepTimeRatio"),
                "cost model at its measured exponent", "", null));
        c.add(atMost(r, "train.qualityRatio", "final Frechet distance of motion features, TPDiff / vanilla (same budget)",
                1.0, "vanilla's quality (goal: not worse)", 1.0));
        c.add(new HeadlineRow(ScalingBench.LARGE + "train.exponent", "the same, third row (headline model on 32x32 clips, "
                + "batch 1)", r.get(ScalingBench.LARGE + "train.exponent"), r.get(ScalingBench.LARGE + "train.flopExponent"),
                "exponent of the analytic FLOPs", "", null));
        c.add(new HeadlineRow(ScalingBench.LARGE + "train.stepTimeRatio",
                "seconds per training step, TPDiff / vanilla, third row (32x32 clips, batch 1)",
                r.get(ScalingBench.LARGE + "train.stepTimeRatio"), r.get(ScalingBench.LARGE + "train.flopRatio"),
                "ratio of the analytic FLOPs", "", null));
        c.add(atLeast(r, "sample.speedup30", "sampling latency at 30 steps (10/10/10), batch 1, vanilla / TPDiff",
                References.SAMPLE_SPEEDUP_MINIFLUX, "paper: 1.71x MiniFlux-vid, 1.49x AnimateDiff (v1 Table 1)", 1.9));
        c.add(atLeast(r, "sample.speedup30.b16", "same at batch 16",
                r.get("sample.bound.measuredExponent"), "cost-model bound at the measured sampling exponent", 1.9));
        c.add(atLeast(r, "sample.large.speedup30", "same at batch 1 on 32x32 clips (64 tokens per frame)",
                r.get("sample.bound.quadratic"), "cost-model bound for quadratic cost", 1.9));
        // a race with four stages samples its model with 8/8/7/7 steps: there the sampling goal applies to that pyramid
        boolean fourStageRace = Derived.raceStages(r) == 4;
        double k4b1 = r.get("sample.k4.speedup.b1");
        c.add(new HeadlineRow("sample.k4.speedup.b1", "K = 4 stages (8/8/7/7 steps), batch 1, vanilla / TPDiff"
                + (fourStageRace ? " (the pyramid of this page's race)" : ""), k4b1, Double.NaN, "",
                fourStageRace ? ">= " + Table.fmt(1.9) : "", fourStageRace && !Double.isNaN(k4b1) ? k4b1 >= 1.9 : null));
        c.add(new HeadlineRow("sample.k4.speedup", "K = 4 stages (8/8/7/7 steps), batch 16, vanilla / TPDiff",
                r.get("sample.k4.speedup"), References.SAMPLE_SPEEDUP_K4, "ICLR Table 2: 1.65x", "", null));
        c.add(new HeadlineRow("sample.alloc211.speedup", "steps 2-1-1 (15/8/7), batch 16, vanilla / TPDiff",
                r.get("sample.alloc211.speedup"), References.SAMPLE_SPEEDUP_211, "ICLR Table 2: 1.62x", "", null));
        c.add(new HeadlineRow("sample.alloc112.speedup", "steps 1-1-2 (7/8/15), batch 16, vanilla / TPDiff",
                r.get("sample.alloc112.speedup"), References.SAMPLE_SPEEDUP_112, "ICLR Table 2: 1.36x", "", null));
        for (int n : new int[] {64, 256, 1024}) {
            c.add(atMost(r, "assignment.n" + n + ".ratioToScipy", "linear assignment n = " + n + " (uniform costs), tpdiff4j / scipy",
                    1.0, "scipy.optimize.linear_sum_assignment on the same matrix", 1.0));
        }
        c.add(atMost(r, "align.overheadFraction", "batch noise alignment time / TPDiff training step time", 0.03,
                "goal: at most 3% of a step", 0.03));
        double cold = r.get("kernel.coldStartSeconds");
        c.add(new HeadlineRow("kernel.coldStartSeconds", "kernel launch to first execute_reply (jupyter_client)",
                cold, r.get("kernel.ipython.coldStartSeconds"), "Debian's IPython kernel, same run", "<= 2 s",
                Double.isNaN(cold) ? null : cold <= 2.0));
        c.add(new HeadlineRow("kernel.cellRoundTripMillis", "median trivial-cell round trip, settled (jupyter_client)",
                r.get("kernel.cellRoundTripMillis"), r.get("kernel.ipython.cellRoundTripMillis"),
                "Debian's IPython kernel, cells alternating in the same run", "", null));
        c.add(atMost(r, "kernel.cellRoundTripRatioToIPython", "median trivial-cell round trip, tpdiff4j / IPython",
                2.0, "goal: at most twice IPython's", 2.0));
        c.add(new HeadlineRow("kernel.cellRoundTripAfterStartRatioToIPython",
                "the same right after the start (the JIT not warm yet), tpdiff4j / IPython",
                r.get("kernel.cellRoundTripAfterStartRatioToIPython"), Double.NaN, "", "", null));
        c.add(new HeadlineRow("notebooks.seconds", "headless run of all notebooks (environment/notebook --execute)",
                r.get("notebooks.seconds"), Double.NaN, "", "", null));
        return c;
    }

    private static HeadlineRow atLeast(Report r, String key, String what, double ref, String source, double goal) {
        double v = r.get(key);
        return new HeadlineRow(key, what, v, ref, source, ">= " + Table.fmt(goal), Double.isNaN(v) ? null : v >= goal);
    }

    private static HeadlineRow atMost(Report r, String key, String what, double ref, String source, double goal) {
        double v = r.get(key);
        return new HeadlineRow(key, what, v, ref, source, "<= " + Table.fmt(goal), Double.isNaN(v) ? null : v <= goal);
    }
}
