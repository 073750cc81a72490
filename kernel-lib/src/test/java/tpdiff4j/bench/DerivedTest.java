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
    void predictionFromMeasuredStepTimesAveragesTheStages() {
        Report r = new Report().put("scaling.train.msF4", 1).put("scaling.train.msF8", 2).put("scaling.train.msF16", 4)
                .put("scaling.sample.msF4", 3).put("scaling.sample.msF8", 3).put("scaling.sample.msF16", 3);
        Derived.apply(r, 16);
        assertEquals((0.25 + 0.5 + 1) / 3, r.get("train.predictedFromStepTimes"), 1e-12);
        assertEquals(1.0, r.get("sample.bound.fromStepTimes"), 1e-12); // pure overhead: no gain
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
    void missingInputsLeaveDerivedNumbersOut() {
        Report r = new Report().put("scaling.train.msF16", 4);
        Derived.apply(r, 16);
        assertFalse(r.has("train.predictedFromStepTimes"));
        assertFalse(r.has("align.overheadFraction"));
        assertFalse(r.has("train.predictedStepTimeRatio"));
    }
}
