package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QualityCurveTest {

    private static QualityCurve curve(double... secondsAndQuality) {
        QualityCurve c = QualityCurve.empty("test");
        for (int i = 0; i < secondsAndQuality.length; i += 2) {
            c = c.with(secondsAndQuality[i], i * 10L, secondsAndQuality[i + 1]);
        }
        return c;
    }

    @Test
    void reachTimeIsLinearlyInterpolated() {
        QualityCurve c = curve(0, 10, 10, 6, 20, 2);
        assertEquals(15.0, c.timeToReach(4).getAsDouble(), 1e-12);  // 10 + (6 - 4) / (6 - 2) * 10
        assertEquals(10.0, c.timeToReach(6).getAsDouble(), 1e-12);  // exactly at a point
        assertEquals(0.0, c.timeToReach(11).getAsDouble(), 1e-12);  // already there at the start
        assertFalse(c.timeToReach(1.5).isPresent());
    }

    @Test
    void firstCrossingCountsOnANonMonotoneCurve() {
        QualityCurve c = curve(0, 10, 10, 3, 20, 5, 30, 1);
        assertEquals(10 * (10 - 4) / 7.0, c.timeToReach(4).getAsDouble(), 1e-12);
        assertEquals(1.0, c.finalQuality());
        assertEquals(30.0, c.finalSeconds());
    }

    @Test
    void timeToQualityRatioOfTwoRuns() {
        QualityCurve vanilla = curve(0, 10, 30, 6, 60, 4);
        QualityCurve tpdiff = curve(0, 10, 30, 5, 60, 3);
        double target = vanilla.finalQuality();
        double ratio = tpdiff.timeToReach(target).getAsDouble() / vanilla.timeToReach(target).getAsDouble();
        assertEquals(45.0 / 60.0, ratio, 1e-12); // 30 + (5 - 4) / (5 - 3) * 30 = 45
    }

    @Test
    void pointsMustBeInTimeOrder() {
        assertThrows(IllegalArgumentException.class, () -> curve(0, 1, 5, 1, 4, 1));
        assertThrows(IllegalStateException.class, () -> QualityCurve.empty("e").finalQuality());
    }
}
