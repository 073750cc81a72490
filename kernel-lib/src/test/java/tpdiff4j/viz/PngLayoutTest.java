package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the PNG shows around the data, as the Plotly figure does (PlotlyLayoutTest): one colour bar for heatmaps on
 * one scale. Read from the pixels of the image.
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
}
