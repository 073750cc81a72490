package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DerivedTest {

    @Test
    void costModelPredictsTheTrainRatioAndTheSamplingBoundFromTheExponents() {
        Report r = new Report().put("scaling.train.exponent", 2.0).put("scaling.sample.exponent", 1.0);
        Derived.apply(r, 16);
        assertEquals(21.0 / 48, r.get("train.predictedStepTimeRatio"), 1e-12);
        assertEquals(12.0 / 7, r.get("sample.bound.measuredExponent"), 1e-12);
    }

    @Test
    void trainingFiguresWeightTheStagesWithTheRacesDrawAndSamplingStaysEqual() {
        double[] w = {0.3, 0.5, 0.2}; // stage 0 (4 frames) first
        Report r = new Report().put("scaling.train.exponent", 2.0).put("scaling.sample.exponent", 1.0)
                .put("scaling.train.msF4", 1).put("scaling.train.msF8", 2).put("scaling.train.msF16", 4)
                .put("scaling.sample.msF4", 1).put("scaling.sample.msF8", 2).put("scaling.sample.msF16", 4);
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (double x : w) {
            a.add(x);
        }
        r.meta("stageProbabilities", a);
        Derived.apply(r, 16);
        assertEquals(0.3 / 16 + 0.5 / 4 + 0.2, r.get("train.predictedStepTimeRatio"), 1e-12);
        assertEquals(0.3 / 16 + 0.5 / 4 + 0.2, r.get("train.quadraticStepTimeRatio"), 1e-12);
        assertEquals(0.3 / 4 + 0.5 / 2 + 0.2, r.get("train.linearStepTimeRatio"), 1e-12);
        assertEquals(0.3 / 4 + 0.5 / 2 + 0.2, r.get("train.predictedFromStepTimes"), 1e-12);
        // sampling at 10/10/10 steps gives every stage the same weight whatever the training draw
        assertEquals(12.0 / 7, r.get("sample.bound.measuredExponent"), 1e-12);
        assertEquals(12.0 / 7, r.get("sample.bound.fromStepTimes"), 1e-12);
        Report uniform = new Report();
        Derived.apply(uniform, 16);
        assertEquals(21.0 / 48, uniform.get("train.quadraticStepTimeRatio"), 1e-12);
        assertEquals(7.0 / 12, uniform.get("train.linearStepTimeRatio"), 1e-12);
    }

    @Test
    void aRaceWithFourStagesGetsItsOwnCostModelWhileSamplingStaysAtTenTenTen() {
        Report r = new Report().put("scaling.train.exponent", 1.0).put("scaling.sample.exponent", 1.0)
                .put("scaling.train.msF2", 0.5).put("scaling.train.msF4", 1).put("scaling.train.msF8", 2)
                .put("scaling.train.msF16", 4);
        r.meta("stages", new com.google.gson.JsonPrimitive(4));
        Derived.apply(r, 16);
        // uniform draw over 2, 4, 8 and 16 frames: (1/8 + 1/4 + 1/2 + 1) / 4 for linear cost, (1/64 + ... + 1) / 4 for quadratic
        assertEquals(15.0 / 32, r.get("train.linearStepTimeRatio"), 1e-12);
        assertEquals(85.0 / 256, r.get("train.quadraticStepTimeRatio"), 1e-12);
        assertEquals(15.0 / 32, r.get("train.predictedStepTimeRatio"), 1e-12);
        assertEquals(15.0 / 32, r.get("train.predictedFromStepTimes"), 1e-12);
        assertEquals(12.0 / 7, r.get("sample.bound.measuredExponent"), 1e-12, "sampling figures are the 10/10/10 ones");
        // the second row's note names the race's stage count beside its linear-cost ratio
        r.put(ScalingBench.FACTORIZED + "train.exponent", 0.5).put(ScalingBench.FACTORIZED + "train.stepTimeRatio", 0.63);
        Derived.apply(r, 16);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("(0.4688 for K = 4 and the race's stage draw, not 0.3320)"), notes);
    }

    @Test
    void predictionFromMeasuredStepTimesAveragesTheStages() {
        Report r = new Report().put("scaling.train.msF4", 1).put("scaling.train.msF8", 2).put("scaling.train.msF16", 4)
                .put("scaling.sample.msF4", 3).put("scaling.sample.msF8", 3).put("scaling.sample.msF16", 3);
        Derived.apply(r, 16);
        assertEquals((0.25 + 0.5 + 1) / 3, r.get("train.predictedFromStepTimes"), 1e-12);
        assertEquals(1.0, r.get("sample.bound.fromStepTimes"), 1e-12); // pure overhead: no gain
    }

    @Test
    void samplingSpeedUpsAreSetAgainstTheFlopRatio() {
        Report r = new Report().put("sample.speedup30", 1.56).put("sample.speedup30.b16", 1.8525).put("sample.bound.flops", 1.95);
        Derived.apply(r, 16);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("10/10/10 costs 1/1.950 of vanilla's 30 calls"), notes);
        assertTrue(notes.contains("Batch 1 reaches 0.8000 of it, batch 16 0.9500"), notes);
        Report none = new Report().put("sample.speedup30", 1.6).put("sample.speedup30.b16", 2.0);
        Derived.apply(none, 16);
        assertFalse(none.meta().getAsJsonArray("notes").toString().contains("analytic FLOPs, 10/10/10"));
    }

    @Test
    void theNetworkAloneIsSeparatedFromTheFixedWorkOfAStep() {
        Report r = new Report().put("scaling.train.forwardBackwardMsF4", 2).put("scaling.train.forwardBackwardMsF8", 4)
                .put("scaling.train.forwardBackwardMsF16", 10).put("scaling.train.msF16", 13)
                .put("scaling.train.flopRatio", 0.5).put("scaling.train.stepTimeRatio", 0.6);
        Derived.apply(r, 16);
        assertEquals((0.2 + 0.4 + 1) / 3, r.get("train.networkStepTimeRatio"), 1e-12);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("give a TPDiff step 0.5333 of a vanilla step's time against 0.5000 of its FLOPs"), notes);
        assertTrue(notes.contains("EMA, data and pairs, 3 ms at full rate) takes the whole step to 0.6000"), notes);
        Report none = new Report().put("scaling.train.flopRatio", 0.5).put("scaling.train.stepTimeRatio", 0.6);
        Derived.apply(none, 16);
        assertFalse(none.has("train.networkStepTimeRatio"));
        assertEquals(3, r.get("scaling.train.fixedMsPerStep"), 1e-12);
        assertFalse(none.meta().getAsJsonArray("notes").toString().contains("network's forward and backward pass alone"));
    }

    /** A pass timed longer than the whole step is timing noise: no negative milliseconds, no "remaining 0". */
    @Test
    void aPassTimedLongerThanTheStepIsReportedAsNoiseNotAsNegativeWork() {
        Report r = new Report().put("scaling.train.forwardBackwardMsF4", 2).put("scaling.train.forwardBackwardMsF8", 4)
                .put("scaling.train.forwardBackwardMsF16", 14).put("scaling.train.msF16", 13)
                .put("scaling.train.flopRatio", 0.5).put("scaling.train.stepTimeRatio", 0.6)
                .put("scaling.train.forwardBackwardFraction", 14.0 / 13);
        Derived.apply(r, 16);
        assertEquals(-1, r.get("scaling.train.fixedMsPerStep"), 1e-12);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertFalse(notes.contains("-1 ms"), notes);
        assertFalse(notes.contains("remaining"), notes);
        assertTrue(notes.contains("too small to measure in this scan, where the pass alone took 1 ms longer than the"
                + " whole step at full rate: timing noise) takes the whole step to 0.6000"), notes);
        assertTrue(notes.contains("alone took 1.077 of a whole step, so gradient clipping, AdamW, EMA, data and pair"
                + " building were lost in the timing noise of this run"), notes);
        Report fine = new Report().put("scaling.train.forwardBackwardFraction", 0.75);
        Derived.apply(fine, 16);
        assertTrue(fine.meta().getAsJsonArray("notes").toString().contains(
                "pass take 0.7500 of it, gradient clipping, AdamW, EMA, data and pair building the remaining 0.2500"));
    }

    @Test
    void alignmentOverheadIsAlignerTimeOverStepTime() {
        Report r = new Report().put("align.msPerStep", 1.5).put("train.tpdiff.secondsPerStep", 0.1)
                .put("train.tpdiffUnaligned.secondsPerStep", 0.098);
        Derived.apply(r, 16);
        assertEquals(0.015, r.get("align.overheadFraction"), 1e-12);
        assertEquals(0.02, r.get("align.stepTimeDifferenceFraction"), 1e-12);
        assertTrue(r.meta().getAsJsonArray("notes").toString().contains("met"));
    }

    @Test
    void eachRowIsPlacedInItsRegimeAndTheFactorizedRowIsExplained() {
        Report r = new Report().put("scaling.train.exponent", 1.2).put("train.stepTimeRatio", 0.5)
                .put("scaling.train.stepTimeRatio", 0.49).put("scaling.train.flopRatio", 0.51)
                .put("scaling.train.flopExponent", 1.3).put("scaling.train.attentionFlopShare", 0.45)
                .put("scaling.factorized.train.exponent", 0.5).put("scaling.factorized.train.flopExponent", 1.0)
                .put("scaling.factorized.train.attentionFlopShare", 0.1)
                .put("scaling.factorized.train.stepTimeRatio", 0.72).put("scaling.factorized.train.flopRatio", 0.6);
        Derived.apply(r, 16);
        // p = 1/2: (1/3)(sqrt(1/4) + sqrt(1/2) + 1)
        assertEquals((0.5 + Math.sqrt(0.5) + 1) / 3, r.get("scaling.factorized.train.predictedStepTimeRatio"), 1e-12);
        String notes = r.meta().getAsJsonArray("notes").toString();
        // headline: 45% of FLOPs in attention, measured exponent 1.2 within 0.3 of the FLOPs' 1.3
        assertTrue(notes.contains("full space-time attention (attention-bound)"), notes);
        // second row: 10% in attention, measured 0.5 far below the FLOPs' 1.0
        assertTrue(notes.contains("factorized attention (per-token-bound, per-call overhead visible)"), notes);
        assertEquals("regime not measured", ScalingBench.regime(0.5, Double.NaN, 1));
    }

    @Test
    void missingInputsLeaveDerivedNumbersOut() {
        Report r = new Report().put("scaling.train.msF16", 4);
        Derived.apply(r, 16);
        assertFalse(r.has("train.predictedFromStepTimes"));
        assertFalse(r.has("align.overheadFraction"));
        assertFalse(r.has("train.predictedStepTimeRatio"));
    }

    /** Seeds whose vanilla step ran slower than the fastest seed's by more than 1.25x are named with a caution. */
    @Test
    void aSeedThatRanInASlowedProcessIsNamed() {
        com.google.gson.JsonArray runs = com.google.gson.JsonParser.parseString("""
                [{"mode": "VANILLA", "seed": 1000, "secondsPerStep": 0.054},
                 {"mode": "TPDIFF_ALIGNED", "seed": 1000, "secondsPerStep": 0.032},
                 {"mode": "VANILLA", "seed": 1001, "secondsPerStep": 0.095},
                 {"mode": "VANILLA", "seed": 1002, "secondsPerStep": 0.060}]""").getAsJsonArray();
        Report r = new Report().detail("train", runs);
        Derived.apply(r, 16);
        assertEquals(0.095 / 0.054, r.get("train.vanilla.stepTimeSpread"), 1e-12);
        assertEquals("[1001]", r.meta().get("slowSeeds").toString(), "1.11x is within the margin, 1.76x is not");
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("Caution") && notes.contains("seed(s) [1001]"), notes);

        Report even = new Report().detail("train", com.google.gson.JsonParser.parseString("""
                [{"mode": "VANILLA", "seed": 1000, "secondsPerStep": 0.054},
                 {"mode": "VANILLA", "seed": 1001, "secondsPerStep": 0.058}]""").getAsJsonArray());
        Derived.apply(even, 16);
        assertFalse(even.meta().getAsJsonArray("notes").toString().contains("Caution"));
    }

    /**
     * A race whose every seed ran slower than the step-cost scan timed the same step alone: the per-seed spread cannot
     * see it, the comparison with the scan can. Figures of two full runs of this machine: at full speed the fastest
     * vanilla step was 48.8 ms against the scan's 46.1 ms; throttled, 90.0 ms against 43.5 ms.
     */
    @Test
    void aRaceOnASlowedMachineIsCaughtAgainstTheScan() {
        String throttled = """
                [{"mode": "VANILLA", "seed": 1000, "secondsPerStep": 0.0900},
                 {"mode": "VANILLA", "seed": 1001, "secondsPerStep": 0.0997},
                 {"mode": "VANILLA", "seed": 1002, "secondsPerStep": 0.1020}]""";
        Report slow = new Report().put("scaling.train.msF16", 43.5)
                .detail("train", com.google.gson.JsonParser.parseString(throttled).getAsJsonArray());
        Derived.apply(slow, 16);
        assertEquals(90.0 / 43.5, slow.get("train.vanilla.stepOverScan"), 1e-12);
        assertFalse(slow.meta().getAsJsonArray("slowSeeds").toString().contains("100"), "the seeds agree with each other");
        String notes = slow.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("Caution: the whole machine ran slower during the race") && notes.contains("2.069x"), notes);

        Report full = new Report().put("scaling.train.msF16", 46.13).detail("train", com.google.gson.JsonParser.parseString("""
                [{"mode": "VANILLA", "seed": 1000, "secondsPerStep": 0.04883},
                 {"mode": "VANILLA", "seed": 1002, "secondsPerStep": 0.05171}]""").getAsJsonArray());
        Derived.apply(full, 16);
        assertEquals(0.04883 / 0.04613, full.get("train.vanilla.stepOverScan"), 1e-12);
        assertFalse(full.meta().getAsJsonArray("notes").toString().contains("whole machine ran slower"));

        // did both arms slow alike? the race's step ratio against the scan's (the run of 1 December, 13:07: 0.4959
        // against 0.5390, vanilla's steps slowed more), a race whose ratio kept the scan's within 5 % (the recorded
        // page's 0.5466 against 0.5327), and one whose TPDiff steps slowed more
        Report flattering = slowRace(throttled, 0.4959, 0.5390);
        assertEquals(0.4959 / 0.5390, flattering.get("train.stepTimeRatioOverScan"), 1e-12);
        String said = flattering.meta().getAsJsonArray("notes").toString();
        assertTrue(said.contains("is 0.9200 of the scan's, 0.5390") && said.contains("flatters TPDiff too"), said);
        said = slowRace(throttled, 0.5466, 0.5327).meta().getAsJsonArray("notes").toString();
        assertTrue(said.contains("is 1.026 of the scan's") && said.contains("here they did, to within 5 %"), said);
        said = slowRace(throttled, 0.5900, 0.5390).meta().getAsJsonArray("notes").toString();
        assertTrue(said.contains("is 1.095 of the scan's") && said.contains("hit TPDiff's steps harder"), said);
        assertFalse(notes.contains("of the scan's,"), "without both step ratios the caution says nothing about them: " + notes);

        Report noScan = new Report().detail("train", com.google.gson.JsonParser.parseString(throttled).getAsJsonArray());
        Derived.apply(noScan, 16);
        assertFalse(noScan.has("train.vanilla.stepOverScan"));
        assertFalse(noScan.meta().getAsJsonArray("notes").toString().contains("whole machine ran slower"));
    }

    /** A race slowed against its scan (vanilla's step 90 ms, the scan's 43.5 ms) with the given step-time ratios. */
    private static Report slowRace(String runs, double raceRatio, double scanRatio) {
        Report r = new Report().put("scaling.train.msF16", 43.5).put("train.stepTimeRatio", raceRatio)
                .put("scaling.train.stepTimeRatio", scanRatio)
                .detail("train", com.google.gson.JsonParser.parseString(runs).getAsJsonArray());
        Derived.apply(r, 16);
        return r;
    }

    /** Seeds trained a second time (their first process slowed down) are named, with the rule that chose the attempt. */
    @Test
    void retriedSeedsAreNamed() {
        Report r = new Report();
        r.meta("retriedSeeds", com.google.gson.JsonParser.parseString("[1002]"));
        Derived.apply(r, 16);
        String notes = r.meta().getAsJsonArray("notes").toString();
        assertTrue(notes.contains("Seed(s) [1002] trained a second time") && notes.contains("full speed counts"), notes);
        assertFalse(notes.contains("as well"), "no seed slowed in the attempt that counts: " + notes);
        r.meta("slowedSeeds", com.google.gson.JsonParser.parseString("[1002]"));
        Derived.apply(r, 16);
        String slowed = r.meta().getAsJsonArray("notes").toString();
        assertTrue(slowed.contains("Seed(s) [1002] slowed down in the attempt that counts as well"), slowed);
        assertTrue(slowed.contains("alternate in short slices"), "round robin unless the report says otherwise: " + slowed);
        r.meta("trainArmsInParallel", new com.google.gson.JsonPrimitive(true));
        Derived.apply(r, 16);
        slowed = r.meta().getAsJsonArray("notes").toString();
        assertTrue(slowed.contains("one confined to a single process slows only that arm") && !slowed.contains("alternate in short slices"),
                "arms in processes of their own: a slowed process skews its seed's step-time ratio too: " + slowed);
        Report none = new Report();
        none.meta("retriedSeeds", new com.google.gson.JsonArray());
        Derived.apply(none, 16);
        assertFalse(none.meta().getAsJsonArray("notes").toString().contains("second time"));
    }
}
