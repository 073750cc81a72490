package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tpdiff4j.experiment.QualityCurve;

/** The training summary from hand-made curves (no training): ratios against time, steps and FLOPs, noise, flattening. */
class TrainBenchTest {

    private static QualityCurve curve(String label, double[][] pts) {
        QualityCurve c = QualityCurve.empty(label);
        for (double[] p : pts) {
            c = c.with(p[0], (long) p[1], p[2]);
        }
        return c;
    }

    static Map<BenchArm, TrainBench.Run> seed(double[] noise) {
        Map<BenchArm, TrainBench.Run> m = new EnumMap<>(BenchArm.class);
        // vanilla: final 3.9, reached at 30 s / 300 steps; its last evaluation improved by 0.1
        m.put(BenchArm.VANILLA, new TrainBench.Run(BenchArm.VANILLA, 1000, curve("v", new double[][] {
                {0, 0, 10}, {10, 100, 6}, {20, 200, 4}, {30, 300, 3.9}}), 0.1, 300, 3e9, noise));
        // TPDiff: crosses 3.9 between (10 s, 200 steps, 5) and (20 s, 400 steps, 3.5) at fraction 1.1 / 1.5
        m.put(BenchArm.TPDIFF_ALIGNED, new TrainBench.Run(BenchArm.TPDIFF_ALIGNED, 1000, curve("t", new double[][] {
                {0, 0, 10}, {10, 200, 5}, {20, 400, 3.5}, {30, 600, 3.0}}), 0.05, 600, 1.2e9, new double[0]));
        return m;
    }

    @Test
    void armsInParallelFallBackToRoundRobinWithAWarningWhenCoresAreShort() {
        Preset full = Preset.full();
        assertTrue(full.armsInParallel() && full.arms() == 2, "the full preset trains its 2 arms in parallel");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(full, TrainBench.forCores(full, 2, log), "a core per arm: unchanged");
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        Preset one = TrainBench.forCores(full, 1, log);
        assertFalse(one.armsInParallel());
        assertEquals(full.withArmsInParallel(false), one, "only the set-up changes, not the budgets");
        String warning = out.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("WARNING") && warning.contains("2 arms in parallel") && warning.contains("1 core(s)")
                && warning.contains("round robin"), warning);
        Preset quick = Preset.quick();
        assertEquals(quick, TrainBench.forCores(quick, 1, log), "arms already in turns stay as they are");
    }

    @Test
    void ratiosAgainstTimeStepsAndFlopsAndTheNoiseBand() {
        Report r = new Report();
        TrainBench.summarize(Preset.quick(), List.of(seed(new double[] {3.9, 4.1, 3.7})), r);
        double f = 1.1 / 1.5;
        // interpolation is exact up to a few rounding steps of doubles of size ~100: 1e-12 relative
        assertEquals((10 + 10 * f) / 30, r.get("train.timeToQualityRatio"), 1e-12);
        assertEquals((200 + 200 * f) / 300, r.get("train.stepsToQualityRatio"), 1e-12);
        assertEquals((200 + 200 * f) * 1.2e9 / (300 * 3e9), r.get("train.flopsToQualityRatio"), 1e-12);
        assertEquals(0.5, r.get("train.stepTimeRatio"), 1e-15);
        assertEquals(0.2, r.get("train.metricNoise.sd"), 1e-12); // sd of 3.9, 4.1, 3.7
        // target 3.9 - 0.2 = 3.7: vanilla never gets there (its final 30 s stands in); TPDiff crosses between (10 s, 5)
        // and (20 s, 3.5) at fraction 1.3 / 1.5
        assertEquals((10 + 10 * 1.3 / 1.5) / 30, r.get("train.timeToQualityRatio.harderTarget"), 1e-12);
        // target 4.1: vanilla crosses between (10 s, 6) and (20 s, 4) at 1.9 / 2, TPDiff at 0.9 / 1.5 of the same slice
        assertEquals((10 + 10 * 0.9 / 1.5) / (10 + 10 * 1.9 / 2), r.get("train.timeToQualityRatio.easierTarget"), 1e-12);
        assertEquals(1, r.get("train.vanillaFlattened"));        // last gain 0.1 < 0.2
        assertEquals(100, r.get("train.vanilla.lastSliceSteps"), 0); // the criterion's spacing: 300 - 200 steps
        Derived.apply(r, 16);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("last evaluation better than the one before it, 100 steps earlier, by less than that noise"), notes);
        assertTrue(notes.contains("against a target one noise sd lower (harder) the median time-to-quality ratio is "
                + Table.fmt((10 + 10 * 1.3 / 1.5) / 30)), notes);
        assertEquals(1, r.get("train.timeToQualityReached"));
        assertFalse(r.has("train.unaligned.timeToQualityRatio"), "no unaligned arm in this preset");
        assertTrue(r.get("train.flopRatio") > 0.4375 && r.get("train.flopRatio") < 0.6, "" + r.get("train.flopRatio"));
        assertEquals(List.of("train-quality-time", "train-quality-steps", "train-quality-flops"),
                r.charts().stream().map(ChartSpec::id).toList());
        String table = r.tables("train").toString();
        assertTrue(table.contains("met"), table);
        assertTrue(table.contains("target final - sd (harder)") && table.contains(Table.fmt(16 / 19.5)), table);
    }

    /**
     * The report keeps the race's raw runs: the summary made again from them equals the one made at the end of the race,
     * and replaces an older summary's numbers and tables (a title this version no longer writes included); a run recorded
     * before its step count was kept takes its last evaluation's.
     */
    @Test
    void theSummaryIsMadeAgainFromTheRawRunsAReportKeeps() {
        Preset p = Preset.quick();
        Report r = new Report();
        r.meta("sizes", p.toJsonObject());
        TrainBench.summarize(p, List.of(seed(new double[] {3.9, 4.1, 3.7})), r);
        Report back = Report.fromJson(r.toJson());
        back.table(Table.of("train", "a table of an older summary", "x").row(1));
        back.put("train.timeToQualityRatio", 9);
        back.details().getAsJsonArray("train").forEach(o -> o.getAsJsonObject().remove("steps"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(said, true, StandardCharsets.UTF_8);
        assertTrue(TrainBench.resummarize(back, log));
        assertEquals(r.numbers(), back.numbers());
        assertEquals(r.tables("train").toString(), back.tables("train").toString());
        assertEquals(r.charts().stream().map(ChartSpec::id).toList(), back.charts().stream().map(ChartSpec::id).toList());
        assertEquals(r.details().get("train"), back.details().get("train"));
        assertFalse(TrainBench.resummarize(new Report(), log), "no race, nothing to make again");
        assertEquals("", said.toString(StandardCharsets.UTF_8));
        // an older report whose preset this version refuses (here: no stage count): its summary stays, and it says so
        Report old = Report.fromJson(r.toJson());
        old.meta().getAsJsonObject("sizes").remove("stages");
        String before = old.toJson();
        assertFalse(TrainBench.resummarize(old, log));
        assertEquals(before, old.toJson());
        String message = said.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("recorded summary is kept") && message.contains("stages"), message);
    }

    /**
     * An untrained network can score better than a young one (its samples are noise through a zero output layer);
     * the evaluation at step 0 must not count as reaching vanilla's final quality, for either arm.
     */
    @Test
    void theUntrainedEvaluationDoesNotReachTheTarget() {
        QualityCurve v = new QualityCurve("v", List.of(new QualityCurve.Point(0, 0, 26), new QualityCurve.Point(7, 100, 77),
                new QualityCurve.Point(15, 190, 74)));
        QualityCurve t = new QualityCurve("t", List.of(new QualityCurve.Point(0, 0, 25), new QualityCurve.Point(7, 130, 28),
                new QualityCurve.Point(15, 250, 20)));
        TrainBench.Reach reach = TrainBench.Reach.of(t, v, 74);
        assertTrue(reach.reached());
        assertEquals(7.0 / 15.0, reach.ratio(), 1e-12); // vanilla gets to 74 at its last point, TPDiff at its first trained one
        assertEquals(1.0, TrainBench.Reach.of(v, v, 74).ratio(), 1e-12);
    }

    @Test
    void vanillaHasNotFlattenedWhenItsLastGainExceedsTheNoise() {
        Report r = new Report();
        TrainBench.summarize(Preset.quick(), List.of(seed(new double[] {3.9, 3.92, 3.88})), r);
        assertEquals(0, r.get("train.vanillaFlattened"));
        assertTrue(r.tables("train").toString().contains("not met"));
    }

    @Test
    void aRetryIsLeftOutWhenItWouldOverrunTheRunsTimePlan() {
        assertTrue(TrainBench.retryFits(Double.NaN, 1e9, 1e6, 3), "no deadline: always");
        assertTrue(TrainBench.retryFits(1000, 400, 600, 1), "ends exactly at the deadline");
        assertFalse(TrainBench.retryFits(1000, 400.5, 600, 1), "half a second late");
        // the full preset's logit-normal run of 30 November: seed 1000's first attempt ended about 620 s into the run and took
        // 560 s; its retry and the two seeds after it would have ended at 2301 s, past the 2220 s left for training
        assertFalse(TrainBench.retryFits(2220, 621, 560, 3));
        assertTrue(TrainBench.retryFits(2220, 621, 525, 3), "at the 525 s a seed took in the uniform run, it fits");
        Report r = new Report();
        com.google.gson.JsonArray skipped = new com.google.gson.JsonArray();
        skipped.add(1002L);
        r.meta("retriesSkipped", skipped);
        Derived.apply(r, 16);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("Seed(s) [1002] slowed down and were not trained again: a retry would have ended after"
                + " the run's time plan"), notes);
    }
}
