package tpdiff4j.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A heatmap panel drawn directly with Java2D (XChart's heatmap labels every cell, which does not scale to
 * a 64 x 64 matrix): cells coloured by Viridis (or grey for {@code "Greys"}) between the finite minimum and
 * maximum of {@code z}, or over the trace's {@code zRange}, row 0 at the bottom as in Plotly, a colour bar with its
 * end values, ticks at the first, middle and last cell, and the panel and axis titles. Heatmaps that share one colour
 * bar ({@link PlotlyJson#sharedScale}) are drawn without theirs, and the figure draws the one bar
 * ({@link #colourBar}) beside the grid.
 */
final class HeatmapImage {

    /** Left of the plot: the tick labels and the y title; below it: the tick labels and the x title. */
    private static final int LEFT = 70, BOTTOM = 50;
    /** Right of the plot: its colour bar and the bar's labels, or without a bar a small gap. */
    private static final int RIGHT_WITH_BAR = 80, RIGHT_WITHOUT_BAR = 16;
    /** The colour bar: its gap from the plot, its thickness, and the gap before its labels. */
    static final int BAR_GAP = 12, BAR_WIDTH = 12, BAR_LABEL_GAP = 4;

    private HeatmapImage() {}

    /** The plot area of a heatmap panel {@code w} x {@code h} pixels, in the panel. */
    static Rectangle plotArea(String title, boolean ownBar, int w, int h) {
        int top = top(title);
        return new Rectangle(LEFT, top, Math.max(1, w - LEFT - (ownBar ? RIGHT_WITH_BAR : RIGHT_WITHOUT_BAR)),
                Math.max(1, h - top - BOTTOM));
    }

    private static int top(String title) {
        return title != null ? 34 : 12;
    }

    /**
     * @param ownBar whether the panel draws its colour bar right of the plot; false where the figure draws one for
     *     several heatmaps
     */
    static BufferedImage render(Trace t, String title, String xTitle, String yTitle, boolean ownBar, int w, int h) {
        BufferedImage img = Images.blank(w, h);
        Graphics2D g = Images.graphics(img);
        g.setFont(TextSizes.text());
        FontMetrics fm = g.getFontMetrics();
        Rectangle plot = plotArea(title, ownBar, w, h);
        int left = plot.x, top = plot.y, pw = plot.width, ph = plot.height;
        double[] range = range(t);
        double lo = range[0], span = range[1] > lo ? range[1] - lo : 1;
        boolean grey = grey(t);
        int rows = t.z.length, cols = t.z[0].length;
        for (int r = 0; r < rows; r++) {
            int y0 = top + ph - (int) Math.round((r + 1) * (double) ph / rows);
            int y1 = top + ph - (int) Math.round(r * (double) ph / rows);
            for (int c = 0; c < cols; c++) {
                int x0 = left + (int) Math.round(c * (double) pw / cols), x1 = left + (int) Math.round((c + 1) * (double) pw / cols);
                double v = t.z[r][c];
                g.setColor(Double.isFinite(v) ? color((v - lo) / span, grey) : Color.WHITE);
                g.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        for (int c : new int[] {0, cols / 2, cols - 1}) {
            String s = number(t.x[c]);
            int cx = left + (int) Math.round((c + 0.5) * pw / cols);
            g.drawString(s, cx - fm.stringWidth(s) / 2, top + ph + 14);
        }
        for (int r : new int[] {0, rows / 2, rows - 1}) {
            String s = number(t.y[r]);
            int cy = top + ph - (int) Math.round((r + 0.5) * ph / rows);
            g.drawString(s, left - 6 - fm.stringWidth(s), cy + 4);
        }
        if (ownBar) colourBar(g, t, left + pw + BAR_GAP, top, ph);
        g.setFont(TextSizes.title());
        if (xTitle != null) g.drawString(xTitle, left + (pw - g.getFontMetrics().stringWidth(xTitle)) / 2, h - 10);
        if (yTitle != null) {
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yTitle, -(top + (ph + g.getFontMetrics().stringWidth(yTitle)) / 2), 16);
            g.setTransform(saved);
        }
        if (title != null) {
            g.setFont(TextSizes.title());
            g.drawString(title, (w - g.getFontMetrics().stringWidth(title)) / 2, 20);
        }
        g.dispose();
        return img;
    }

    /**
     * Draws the colour bar of heatmap {@code t}, {@code height} pixels tall from {@code (x, y)} down, its maximum at
     * the top, and its end values right of it.
     */
    static void colourBar(Graphics2D g, Trace t, int x, int y, int height) {
        double[] range = range(t);
        boolean grey = grey(t);
        for (int i = 0; i < height; i++) {
            g.setColor(color(1 - i / (double) Math.max(1, height - 1), grey));
            g.drawLine(x, y + i, x + BAR_WIDTH, y + i);
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(TextSizes.text());
        g.drawString(number(range[1]), x + BAR_WIDTH + BAR_LABEL_GAP, y + 10);
        g.drawString(number(range[0]), x + BAR_WIDTH + BAR_LABEL_GAP, y + height);
    }

    /** The width of the colour bar of {@code t} with its labels. */
    static int colourBarWidth(Trace t, FontMetrics fm) {
        double[] range = range(t);
        return BAR_WIDTH + BAR_LABEL_GAP + Math.max(fm.stringWidth(number(range[0])), fm.stringWidth(number(range[1])));
    }

    /** The values at the ends of the colour scale: the trace's zRange, else its finite minimum and maximum. */
    private static double[] range(Trace t) {
        if (!Double.isNaN(t.zMin)) return new double[] {t.zMin, t.zMax};   // a range shared with other heatmaps
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : t.z) for (double v : row) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }

    private static boolean grey(Trace t) {
        return t.colorscale.equalsIgnoreCase("Greys");
    }

    private static Color color(double u, boolean grey) {
        if (grey) {
            int v = (int) Math.round(255 * Math.min(1, Math.max(0, u)));
            return new Color(v, v, v);
        }
        return new Color(Colors.viridis(u));
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? "%.3g" : "%.2e", v);
    }
}
