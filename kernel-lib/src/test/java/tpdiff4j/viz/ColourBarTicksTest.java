package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ticks of the PNG's colour bars ({@link HeatmapImage#barTicks}), placed and written as plotly.js writes those of
 * its colour bars: a round step, each label to the decimals of the step without trailing zeros, and 0 for zero.
 * A bar 200 px long asks for a step above a sixth of the range (200 / 40 + 1 = 6 parts), one 300 px long above an
 * 8.5th.
 */
class ColourBarTicksTest {

    private static List<String> labels(double lo, double hi, int length) {
        return HeatmapImage.barTicks(lo, hi, length).labels();
    }

    /** The range of a score around zero: -0.05 once printed as -0.0500, its ticks now read -0.04, -0.02, 0, ... */
    @Test
    void aSmallRangeAroundZeroHasTwoDecimalsAndAPlainZero() {
        // step: 0.1 / 6 = 0.0167 rounds up to 0.02; multiples of 0.02 in [-0.05, 0.05]
        assertEquals(List.of("-0.04", "-0.02", "0", "0.02", "0.04"), labels(-0.05, 0.05, 200));
        PngRenderer.Ticks t = HeatmapImage.barTicks(-0.05, 0.05, 200);
        assertEquals(0.0, t.values()[2], 0.0, "the middle tick is zero itself");
        assertEquals(0.04, t.values()[4], 1e-15, "the tick values are the multiples of the step (to rounding)");
    }

    @Test
    void aUnitRangeHasOneDecimalAndAWholeOne() {
        // step 1 / 6 = 0.167 rounds up to 0.2: one decimal, and 1 written 1 as plotly does
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1"), labels(0, 1, 200));
    }

    @Test
    void aRangeOfHundredsHasNoDecimals() {
        // step 250 / 6 = 41.7 rounds up to 50
        assertEquals(List.of("0", "50", "100", "150", "200", "250"), labels(0, 250, 200));
    }

    @Test
    void aRangeCrossingZeroOffTheMiddleHasItsZeroTick() {
        // step 10 / 6 = 1.67 rounds up to 2; the multiples of 2 between -3 and 7
        assertEquals(List.of("-2", "0", "2", "4", "6"), labels(-3, 7, 200));
        // step 0.4 / 6 = 0.0667 rounds up to 0.1
        assertEquals(List.of("-0.1", "0", "0.1", "0.2"), labels(-0.15, 0.25, 200));
    }

    /** Below 10^-3 every label carries the exponent of the range, and its decimals follow the step. */
    @Test
    void tinyValuesShareOneExponentWithTheDecimalsOfTheStep() {
        // 200 px: step 4e-4 / 6 = 6.7e-5 rounds up to 1e-4, whole multiples of 10^-4
        assertEquals(List.of("1e-4", "2e-4", "3e-4", "4e-4", "5e-4"), labels(1e-4, 5e-4, 200));
        // 300 px: step 4e-4 / 8.5 = 4.7e-5 rounds up to 5e-5, half multiples: one decimal where it is not zero
        assertEquals(List.of("1e-4", "1.5e-4", "2e-4", "2.5e-4", "3e-4", "3.5e-4", "4e-4", "4.5e-4", "5e-4"),
                labels(1e-4, 5e-4, 300));
        // from 10^6 on too: step 2.5e6 / 6 = 4.2e5 rounds up to 5e5
        assertEquals(List.of("0", "0.5e+6", "1e+6", "1.5e+6", "2e+6", "2.5e+6"), labels(0, 2.5e6, 200));
    }

    /**
     * Whatever the range, no label reads -0, each is distinct, none ends in a zero after the point, and each reads
     * back as its tick's value.
     */
    @Test
    void labelsAreDistinctWithoutMinusZeroOrTrailingZeros() {
        double[][] ranges = {{-0.05, 0.05}, {0, 1}, {0, 250}, {1e-4, 5e-4}, {-3, 7}, {-1e-9, 1e-9}, {-7.3, -0.2},
            {0.1, 0.3}, {-123.4, 567.8}, {0.999, 1.001}};
        for (double[] r : ranges) {
            for (int length : new int[] {60, 150, 200, 333, 800}) {
                PngRenderer.Ticks t = HeatmapImage.barTicks(r[0], r[1], length);
                List<String> l = t.labels();
                String where = "range [" + r[0] + ", " + r[1] + "] on " + length + " px: " + l;
                assertTrue(l.size() >= 2 && l.size() <= 11, "2 to 11 ticks, " + where);
                assertEquals(l.size(), l.stream().distinct().count(), "distinct labels, " + where);
                for (int i = 0; i < l.size(); i++) {
                    double v = t.values()[i];
                    assertTrue(v >= r[0] - 1e-12 * Math.abs(r[0]) && v <= r[1] + 1e-12 * Math.abs(r[1]),
                            "tick " + v + " in the range, " + where);
                    assertTrue(!l.get(i).startsWith("-0") || l.get(i).matches("-0\\.\\d*[1-9]\\d*(e.*)?"),
                            "no negative zero, " + where);
                    if (v == 0) { assertEquals("0", l.get(i), where); continue; }
                    String mantissa = l.get(i).replaceAll("e.*", "");
                    assertTrue(!mantissa.contains(".") || !mantissa.endsWith("0"), "no trailing zero, " + where);
                    // the label is the tick's value, to the decimals it shows
                    assertEquals(v, Double.parseDouble(l.get(i)), Math.abs(v) * 1e-12, where);
                }
            }
        }
    }

    @Test
    void aRangeOfOneValueHasOneTickAndABackwardRangeIsRefused() {
        assertEquals(List.of("0.3"), labels(0.3, 0.3, 200));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeatmapImage.barTicks(1, 0, 200));
        assertTrue(e.getMessage().contains("[1.0, 0.0]") && e.getMessage().contains("lo <= hi"), e.getMessage());
    }
}
