package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.Schedules;

class JumpMomentsTest {

    private static final TemporalPyramid P = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);

    @Test
    void correctedMatchesTheTrainingStartAndTheOthersDoNot() {
        int n = 4000;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray d = m.ones(new Shape(1, 2, 1, 2, 2), DataType.FLOAT64);   // stage 0 has 8 / 4 = 2 frames
            JumpMoments c = JumpMoments.measure(P, 0, JumpRule.CORRECTED, d, n, 7);
            JumpMoments none = JumpMoments.measure(P, 0, JumpRule.NONE, d, n, 7);
            JumpMoments printed = JumpMoments.measure(P, 0, JumpRule.PAPER_PRINTED, d, n, 7);
            // exact sampling: the RMS of 8 sample means and variances sits near the floors; 4x covers the spread
            assertTrue(c.meanError() < 4 * c.meanFloor(), "corrected mean error " + c);
            assertTrue(c.varianceError() < 4 * c.varianceFloor(), "corrected variance error " + c);
            assertEquals(0, c.blockCorrelation(), 4 / Math.sqrt(n));
            // no renoise: the repeated frames keep identical noise (correlation 1) and half the variance is missing
            assertEquals(1, none.blockCorrelation(), 1e-9);
            assertEquals(0.5, none.varianceError(), 4 * none.varianceFloor());
            // printed: the scale is off, so the mean is biased far beyond Monte-Carlo error
            assertTrue(printed.meanError() > 10 * printed.meanFloor(), "printed " + printed);
        }
    }

    @Test
    void wrongFrameCountIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray d = m.ones(new Shape(1, 4, 1, 2, 2), DataType.FLOAT64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JumpMoments.measure(P, 0, JumpRule.CORRECTED, d, 10, 1));
            assertTrue(e.getMessage().contains("expected [1, 2"), e.getMessage());
        }
    }
}
