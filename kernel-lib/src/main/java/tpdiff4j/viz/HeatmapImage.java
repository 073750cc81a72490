package tpdiff4j.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A heatmap panel drawn directly with Java2D (XChart's heatmap labels every cell, which does not scale to
 * a 64 x 64 matrix): cells coloured by Viridis (or grey for {@code "Greys"}) between the finite minimum and
 * maximum of {@code z}, or over the trace's {@code zRange}, row 0 at the bottom as in Plotly, a colour bar with
 * round ticks as Plotly places and writes them ({@link #barTicks}), ticks at the first, middle and last cell, and the
 * panel and axis titles. Heatmaps that share one colour
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
            String s = PngRenderer.tick(t.x[c]);
            int cx = left + (int) Math.round((c + 0.5) * pw / cols);
            g.drawString(s, cx - fm.stringWidth(s) / 2, top + ph + 14);
        }
        for (int r : new int[] {0, rows / 2, rows - 1}) {
            String s = PngRenderer.tick(t.y[r]);
            int cy = top + ph - (int) Math.round((r + 0.5) * ph / rows);
            g.drawString(s, left - 6 - fm.stringWidth(s), cy + 4);
        }
        if (ownBar) colourBar(g, t, left + pw + BAR_GAP, top, ph);
        g.setFont(TextSizes.title());
        if (xTitle != null) g.drawString(xTitle, left + (pw - g.getFontMetrics().stringWidth(xTitle)) / 2, h - 10);
        if (yTitle != null) {   // along the plot, smaller (or cut, visibly) where the plot is shorter than the title
            PngRenderer.AxisTitle fitted = PngRenderer.fitAxisTitle(TextSizes.title(), yTitle, ph);
            g.setFont(fitted.font());
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(fitted.text(), -(top + (ph + g.getFontMetrics().stringWidth(fitted.text())) / 2), 16);
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
     * the top, and the labels of its ticks ({@link #barTicks}) right of it, each centred on its value; a label that
     * would overlap the one below it is left out.
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
        FontMetrics fm = g.getFontMetrics();
        PngRenderer.Ticks ticks = barTicks(range[0], range[1], height);
        double[] v = ticks.values();
        int lastTop = Integer.MAX_VALUE;
        for (int i = 0; i < v.length; i++) {   // from the bottom up
            double u = range[1] > range[0] ? (v[i] - range[0]) / (range[1] - range[0]) : 0.5;
            int sy = y + (int) Math.round((1 - u) * (height - 1));
            int baseline = sy + (fm.getAscent() - fm.getDescent()) / 2;
            if (baseline > lastTop - 2) continue;
            g.drawString(ticks.labels().get(i), x + BAR_WIDTH + BAR_LABEL_GAP, baseline);
            lastTop = baseline - fm.getAscent();
        }
    }

    /** The width of the colour bar of {@code t}, {@code height} pixels tall, with its labels. */
    static int colourBarWidth(Trace t, int height, FontMetrics fm) {
        double[] range = range(t);
        int widest = 0;
        for (String label : barTicks(range[0], range[1], height).labels()) widest = Math.max(widest, fm.stringWidth(label));
        return BAR_WIDTH + BAR_LABEL_GAP + widest;
    }

    /** The least length of a colour bar per tick, in pixels, as plotly.js counts it for a vertical axis. */
    private static final int PX_PER_TICK = 40;
    /**
     * The magnitudes of values written with one exponent for the whole bar: below 10^-3 ({@code 1.5e-4}) and from
     * 10^6 on ({@code 2.5e+6}); between them, plain decimals.
     */
    private static final int SMALL_EXPONENT = -4, LARGE_EXPONENT = 6;

    /**
     * The ticks of a colour bar {@code length} pixels long over the values {@code lo} to {@code hi}, placed and written
     * as plotly.js does on its colour bars. The step is the smallest of 1, 2 or 5 times a power of ten that exceeds
     * {@code (hi - lo) / (n + 1)}, where {@code n = length / 40} kept between 4 and 9: on a long bar the ticks stand
     * about 40 pixels apart or more, and a bar over a range has from 2 to 11 of them. The ticks are the multiples of
     * the step in the range, the lowest first.
     * Each label is its tick's value to the decimals of the step, without trailing zeros, as plotly writes them:
     * {@code -0.04}, {@code -0.02}, {@code 0}, {@code 0.02}, {@code 0.04}, or {@code 0}, {@code 0.2}, ..., {@code 1};
     * the tick at zero reads {@code 0}. Where the largest magnitude of the range is below 10^-3 or from 10^6 on, every
     * label takes the exponent of that magnitude ({@code 1e-4}, {@code 1.5e-4}, ...). A range of one value ({@code lo == hi}, a
     * heatmap whose cells are all alike) has one tick, written as a bar's label is ({@link PlotlyJson#barLabel}).
     *
     * @throws IllegalArgumentException if {@code lo} or {@code hi} is not finite or {@code hi < lo}
     */
    static PngRenderer.Ticks barTicks(double lo, double hi, int length) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
            throw new IllegalArgumentException("colour bar range [" + lo + ", " + hi + "]; allowed: finite lo <= hi");
        }
        if (hi == lo) return new PngRenderer.Ticks(new double[] {lo}, java.util.List.of(PlotlyJson.barLabel(lo)));
        double n = Math.max(4, Math.min(9, length / (double) PX_PER_TICK)) + 1;
        double rough = (hi - lo) / n;
        int e = (int) Math.floor(Math.log10(rough));
        if (rough / pow10(e) < 1) e--;            // log10 rounded across a power of ten
        else if (rough / pow10(e) >= 10) e++;
        double r = rough / pow10(e);
        int m = r < 2 ? 2 : r < 5 ? 5 : 10;       // the step is m x 10^e
        if (m == 10) { m = 1; e++; }
        double step = m * pow10(e);
        long first = (long) Math.ceil(lo / step - 1e-9), last = (long) Math.floor(hi / step + 1e-9);
        double largest = Math.max(Math.abs(lo), Math.abs(hi));
        int magnitude = (int) Math.floor(Math.log10(largest) + 1e-9);
        int common = magnitude <= SMALL_EXPONENT || magnitude >= LARGE_EXPONENT ? magnitude : 0;
        String suffix = common == 0 ? "" : "e" + (common < 0 ? "-" : "+") + Math.abs(common);
        double[] values = new double[(int) (last - first + 1)];
        java.util.List<String> labels = new java.util.ArrayList<>(values.length);
        for (long k = first; k <= last; k++) {
            values[(int) (k - first)] = k * step;
            // k x m x 10^e exactly, to the decimals of the step (k x m digits, 10^(common - e) below the point),
            // trailing zeros dropped
            labels.add(k == 0 ? "0" : new java.math.BigDecimal(java.math.BigInteger.valueOf(k * m), common - e)
                    .stripTrailingZeros().toPlainString() + suffix);
        }
        return new PngRenderer.Ticks(values, labels);
    }

    /** 10^e, correctly rounded (a division for negative e: 1 / 10^5 is nearer 10^-5 than 0.1^5). */
    private static double pow10(int e) {
        return e >= 0 ? Math.pow(10, e) : 1 / Math.pow(10, -e);
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
}
