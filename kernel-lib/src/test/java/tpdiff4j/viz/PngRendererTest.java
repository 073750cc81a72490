package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PngRendererTest {

    @Test
    void aLogAxisUnderADecadeEndsOnLabelledValues() {
        // frames 4, 8, 16 of the benchmark's scaling chart: XChart labels 1..9 x 10^k, so the axis must reach 20
        Panel p = Figure.line(new double[] {4, 8, 16}, new double[] {11.8, 18.9, 46.1}).xLog().yLog().panels().get(0);
        assertArrayEquals(new double[] {4, 20}, PngRenderer.labelledLogBounds(p, true), 1e-12);
        assertArrayEquals(new double[] {10, 50}, PngRenderer.labelledLogBounds(p, false), 1e-12);
    }

    @Test
    void labelledValuesAtOrOutsideTheData() {
        assertEquals(10, PngRenderer.labelledAbove(10), 1e-12); // a labelled value stays
        assertEquals(0.3, PngRenderer.labelledBelow(0.3), 1e-15); // 0.3 / 0.1 is 2.9999999999999996 in binary
        assertEquals(0.3, PngRenderer.labelledAbove(0.3), 1e-15);
        assertEquals(100, PngRenderer.labelledAbove(91), 1e-12); // 10 x 10^1 is the next decade
        assertEquals(0.002, PngRenderer.labelledBelow(0.00234), 1e-15);
        assertEquals(3000, PngRenderer.labelledAbove(2001), 1e-9);
    }

    @Test
    void aDecadeOrMoreKeepsXChartsBounds() {
        Panel p = Figure.line(new double[] {1, 10, 100}, new double[] {1, 2, 3}).xLog().panels().get(0);
        assertNull(PngRenderer.labelledLogBounds(p, true));
        Panel empty = Figure.line(new double[] {-1, 0}, new double[] {1, 2}).xLog().panels().get(0);
        assertNull(PngRenderer.labelledLogBounds(empty, true));
    }
}
