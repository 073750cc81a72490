package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianAndQuantilesFollowLinearInterpolation() {
        assertEquals(3.0, Stats.median(5, 1, 3));
        assertEquals(2.5, Stats.median(4, 1, 3, 2));
        // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75
        assertEquals(1.75, Stats.quantile(0.25, 4, 3, 2, 1), 1e-15);
        assertEquals(1.0, Stats.min(3, 1, 2));
        assertEquals(3.0, Stats.max(3, 1, 2));
        assertEquals(2.0, Stats.mean(3, 1, 2), 1e-15);
    }

    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, 32 / 7 (not the population's 32 / 8)
        assertEquals(Math.sqrt(32.0 / 7), Stats.std(2, 4, 4, 4, 5, 5, 7, 9), 1e-15);
        assertEquals(0.0, Stats.std(3, 3), 0);
        assertThrows(IllegalArgumentException.class, () -> Stats.std(1));
    }

    @Test
    void emptyOrNonFiniteSamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, Stats::median);
        assertThrows(IllegalArgumentException.class, () -> Stats.median(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(1.5, 1, 2));
    }
}
