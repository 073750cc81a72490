package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the PNG shows around the data, as the Plotly figure does (PlotlyLayoutTest): one colour bar for heatmaps on
 * one scale, and a value on every bar. Read from the pixels of the image.
 */
class PngLayoutTest {

    private static double[][] frameCovariance(double rho) {
        double[][] c = new double[8][8];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) c[i][j] = Math.pow(rho, Math.abs(i - j));
        return c;
    }

    private static boolean coloured(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 30;   // not white, grey or black
    }

    /**
     * Whether column {@code x} holds a colour bar: a run of at least 100 coloured pixels whose colour changes on most
     * rows (a heatmap's column changes colour only between its 8 cells).
     */
    private static boolean colourBarColumn(BufferedImage img, int x) {
        int run = 0, changes = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            int rgb = img.getRGB(x, y);
            if (!coloured(rgb)) {
                if (run >= 100 && changes > run / 2) return true;
                run = 0;
                changes = 0;
                continue;
            }
            if (run > 0 && rgb != img.getRGB(x, y - 1)) changes++;
            run++;
        }
        return run >= 100 && changes > run / 2;
    }

    /** @return the colour bars of the image, each as its first and last column */
    private static List<int[]> colourBars(BufferedImage img) {
        List<int[]> bars = new ArrayList<>();
        for (int x = 0; x < img.getWidth(); x++) {
            if (!colourBarColumn(img, x)) continue;
            if (!bars.isEmpty() && bars.get(bars.size() - 1)[1] == x - 1) bars.get(bars.size() - 1)[1] = x;
            else bars.add(new int[] {x, x});
        }
        return bars;
    }

    /**
     * Three covariance heatmaps on one colour scale (the same zRange) drew three identical colour bars, one beside
     * each panel; now the image has one, right of every heatmap. Heatmaps on their own ranges keep a bar each.
     */
    @Test
    void heatmapsOnOneScaleShareOneColourBarRightOfTheGrid() {
        Figure[] maps = new Figure[3];
        for (int k = 0; k < 3; k++) {
            maps[k] = Figure.of(Trace.heatmap(frameCovariance(0.5 + 0.2 * k)).zRange(0, 1)).title("c" + k)
                    .xTitle("frame").yTitle("frame");
        }
        BufferedImage img = PngRenderer.render(Figure.grid(3, maps).size(960, 360));
        List<int[]> bars = colourBars(img);
        assertEquals(1, bars.size(), "one colour bar for the three heatmaps");
        int lastHeatmapColumn = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            if (colourBarColumn(img, x)) continue;
            for (int y = 0; y < img.getHeight(); y++) if (coloured(img.getRGB(x, y))) lastHeatmapColumn = x;
        }
        assertTrue(bars.get(0)[0] > lastHeatmapColumn + 5,
                "the bar (from x = " + bars.get(0)[0] + ") stands clear of the heatmaps (to x = " + lastHeatmapColumn + ")");

        BufferedImage own = PngRenderer.render(Figure.grid(2, Figure.of(Trace.heatmap(frameCovariance(0.5)).zRange(0, 1)),
                Figure.of(Trace.heatmap(frameCovariance(0.9)).zRange(0, 2))).size(720, 360));
        assertEquals(2, colourBars(own).size(), "heatmaps on their own ranges keep a bar each");
    }

    private static boolean text(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return r < 110 && g < 110 && b < 110 && !coloured(rgb);
    }

    private static int textPixels(BufferedImage img, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int x = Math.max(0, x0); x <= Math.min(img.getWidth() - 1, x1); x++) {
            for (int y = Math.max(0, y0); y <= Math.min(img.getHeight() - 1, y1); y++) if (text(img.getRGB(x, y))) n++;
        }
        return n;
    }

    /**
     * The noise weight of the "none" rule is 0: its bar has no height, and the PNG showed nothing where it stands.
     * Each bar now has its value written just beyond its end, dark on white: above the two bars of 0.47 and above
     * the baseline where the bar of 0 stands; the tallest label stays inside the plot, under the figure title.
     */
    @Test
    void everyBarShowsItsValueSoZeroIsVisible() {
        BufferedImage img = PngRenderer.render(Figure.bar(new String[] {"corrected", "printed", "none"},
                new double[] {0.47, 0.47, 0}).title("noise weight").size(600, 400));
        int fill = Colors.awt(null, 0).getRGB();
        int top = Integer.MAX_VALUE, baseline = -1;
        List<int[]> bars = new ArrayList<>();
        for (int x = 0; x < img.getWidth(); x++) {
            boolean any = false;
            for (int y = 0; y < img.getHeight(); y++) {
                if (img.getRGB(x, y) != fill) continue;
                any = true;
                top = Math.min(top, y);
                baseline = Math.max(baseline, y);
            }
            if (!any) continue;
            if (!bars.isEmpty() && bars.get(bars.size() - 1)[1] == x - 1) bars.get(bars.size() - 1)[1] = x;
            else bars.add(new int[] {x, x});
        }
        assertEquals(2, bars.size(), "two bars of 0.47 drawn, the bar of 0 has no height");
        int c0 = (bars.get(0)[0] + bars.get(0)[1]) / 2, c1 = (bars.get(1)[0] + bars.get(1)[1]) / 2;
        int c2 = 2 * c1 - c0;   // the categories are equally spaced
        int label = TextSizes.TEXT_PX + 8;
        for (int c : new int[] {c0, c1}) {
            assertTrue(textPixels(img, c - 15, c + 15, top - label, top - 2) > 5, "the label above the bar at x = " + c);
        }
        assertTrue(textPixels(img, c2 - 15, c2 + 15, baseline - label, baseline - 2) > 5,
                "the label 0 above the baseline (y = " + baseline + ") at x = " + c2);
        assertTrue(top - label > TextSizes.FIGURE_TITLE_PX + 16, "room for the top label under the title");
    }
}
