package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
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

    @Test
    void aWideLineEndsAtItsLastPointAsInPlotly() {
        // the same red segment over [0.3, 0.7], drawn 1 and 14 pixels wide on the same axes (a thin black line fixes
        // them to [0, 1]): its ends must sit on the same pixel columns; round caps put a 14-pixel line's ends 7 pixels
        // beyond its data, which made stage windows look longer than they are
        int[] thin = redColumns(1), wide = redColumns(14);
        assertTrue(Math.abs(thin[0] - wide[0]) <= 1 && Math.abs(thin[1] - wide[1]) <= 1,
                "red pixel columns: width 1 " + thin[0] + ".." + thin[1] + ", width 14 " + wide[0] + ".." + wide[1]);
    }

    private static int[] redColumns(double width) {
        Figure f = Figure.of(Trace.line(new double[] {0, 1}, new double[] {0, 2}).color("black").width(1),
                Trace.line(new double[] {0.3, 0.7}, new double[] {1, 1}).color("red").width(width).dash("solid")).legend(false);
        BufferedImage img = PngRenderer.render(f);
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (r > 180 && g < 90 && b < 90) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        assertTrue(hi >= 0, "no red pixel drawn at width " + width);
        return new int[] {lo, hi};
    }

    /**
     * A log axis's labels under a German or Turkish default locale: the same image as under the root locale (the
     * decimal point of the linear axes and of the interactive figure), not 0,01 and 0,1.
     */
    @Test
    void logAxisLabelsDoNotFollowTheDefaultLocale() {
        Figure f = Figure.line(new double[] {1e-3, 1e-2, 0.1, 0.5}, new double[] {0.0015, 0.02, 0.35, 0.9})
                .xLog().yLog().title("σ²");
        java.util.Locale old = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.ROOT);
            BufferedImage root = PngRenderer.render(f);
            for (java.util.Locale l : new java.util.Locale[] {java.util.Locale.GERMANY, new java.util.Locale("tr", "TR")}) {
                java.util.Locale.setDefault(l);
                BufferedImage other = PngRenderer.render(f);
                assertArrayEquals(root.getRGB(0, 0, root.getWidth(), root.getHeight(), null, 0, root.getWidth()),
                        other.getRGB(0, 0, other.getWidth(), other.getHeight(), null, 0, other.getWidth()),
                        "pixels under " + l);
            }
        } finally {
            java.util.Locale.setDefault(old);
        }
    }
}
