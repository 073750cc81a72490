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

    /** A bar found in the image: its columns and its rows. */
    private record Bar(int left, int right, int top, int bottom) {}

    /**
     * The bars of fill {@code rgb}, left to right: in each column, the first run of that fill from the top (the box of
     * a legend below the plot, in the same fill, is a second run in the columns of a bar).
     */
    private static List<Bar> bars(BufferedImage img, int rgb) {
        List<Bar> bars = new ArrayList<>();
        int left = -1, top = Integer.MAX_VALUE, bottom = -1;
        for (int x = 0; x <= img.getWidth(); x++) {
            int colTop = -1, colBottom = -1;
            for (int y = 0; x < img.getWidth() && y < img.getHeight(); y++) {
                if (img.getRGB(x, y) != rgb) {
                    if (colTop >= 0) break;
                    continue;
                }
                if (colTop < 0) colTop = y;
                colBottom = y;
            }
            if (colTop >= 0) {
                if (left < 0) left = x;
                top = Math.min(top, colTop);
                bottom = Math.max(bottom, colBottom);
            } else if (left >= 0) {
                bars.add(new Bar(left, x - 1, top, bottom));
                left = -1;
                top = Integer.MAX_VALUE;
                bottom = -1;
            }
        }
        return bars;
    }

    /** The plot's border: grey, and darker than its grid lines, which are light grey and dashed. */
    private static boolean border(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return r == g && g == b && r < 0xb0;
    }

    /**
     * The rows of a bar's label, scanning from the row next to the bar's end away from it ({@code step} -1: up, +1:
     * down): past the gap between bar and label, then the rows with text, to the first row without.
     *
     * @return the first and the last row of the label in the direction of the scan; null where no label is found
     */
    private static int[] labelRows(BufferedImage img, Bar bar, int from, int step) {
        int y = from, blank = 0;
        while (y >= 0 && y < img.getHeight() && textPixels(img, bar.left(), bar.right(), y, y) == 0) {
            if (++blank > 12) return null;   // the label stands a few pixels (gap and descent) from the bar
            y += step;
        }
        int first = y;
        while (y >= 0 && y < img.getHeight() && textPixels(img, bar.left(), bar.right(), y, y) > 0) y += step;
        return new int[] {first, y - step};
    }

    /**
     * The label of the longest bar stands at its end, beyond which XChart's own range leaves a few pixels only: the
     * PNG widens the y axis so that every label, above a bar of 0 or more and below a negative one, stands inside the
     * plot, clear of its border. So in a tall plot and a short one, with titles, a legend below the plot, a y title
     * too long for the plot (drawn smaller), and in a grid.
     */
    @Test
    void theLabelsOfTheLongestBarsStandInsideThePlot() {
        String[] c = {"corrected", "printed", "none"};
        Figure[] figures = {
            Figure.bar(c, new double[] {0.47, 0.9, 0.2}).title("noise weight").size(600, 400),
            Figure.bar(c, new double[] {-0.3, 0.47, 0.1}).yTitle("a y title longer than the short plot it runs along")
                    .size(360, 200),
            Figure.bar(c, new double[] {-1, -2, -0.5}).title("all negative").size(500, 300),
            Figure.bar(c, new double[] {12, 250, 3}).xTitle("rule").yTitle("count").size(500, 300),
            Figure.of(Trace.bar(c, new double[] {3, -4, 1}).name("weights")).title("with a legend").size(500, 320),
            Figure.grid(2, Figure.bar(c, new double[] {1, 2, 3}).title("a"), Figure.bar(c, new double[] {-2, 1, 0.5})
                    .title("b")).size(700, 240)};
        int fill = Colors.awt(null, 0).getRGB();
        for (Figure f : figures) {
            BufferedImage img = PngRenderer.render(f);
            List<Bar> bars = bars(img, fill);
            assertEquals(3 * f.panels().size(), bars.size(), f + ": every bar drawn");
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                // the plot's border, above and below, where no label stands: between this bar and the next
                Bar next = bars.get(i % 3 < 2 ? i + 1 : i - 1);
                int gx = bar.left() < next.left() ? (bar.right() + next.left()) / 2 : (next.right() + bar.left()) / 2;
                int plotTop = bar.top(), plotBottom = bar.bottom();
                while (plotTop > 0 && !border(img.getRGB(gx, plotTop))) plotTop--;
                while (plotBottom < img.getHeight() - 1 && !border(img.getRGB(gx, plotBottom))) plotBottom++;
                String where = f + ", bar " + i + " (x " + bar.left() + " to " + bar.right() + ", y " + bar.top() + " to "
                        + bar.bottom() + ") in a plot from y = " + plotTop + " to " + plotBottom;
                int[] above = labelRows(img, bar, bar.top() - 1, -1), below = labelRows(img, bar, bar.bottom() + 1, 1);
                assertTrue(above != null || below != null, "a label at the end of " + where);
                if (above != null) assertTrue(above[1] > plotTop, "the label above, from y = " + above[1] + ", " + where);
                if (below != null) assertTrue(below[1] < plotBottom, "the label below, to y = " + below[1] + ", " + where);
            }
        }
    }
}
