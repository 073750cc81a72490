package tpdiff4j.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A heatmap panel drawn directly with Java2D (XChart's heatmap labels every cell, which does not scale to
 * a 64 x 64 matrix): cells coloured by Viridis (or grey for {@code "Greys"}) between the finite minimum and
 * maximum of {@code z}, or over the trace's {@code zRange}, row 0 at the bottom as in Plotly, a colour bar with its
 * end values, ticks at the first, middle and last cell, and the panel and axis titles.
 */
final class HeatmapImage {

    private HeatmapImage() {}

    static BufferedImage render(Trace t, String title, String xTitle, String yTitle, int w, int h) {
        BufferedImage img = Images.blank(w, h);
        Graphics2D g = Images.graphics(img);
        g.setFont(TextSizes.text());
        FontMetrics fm = g.getFontMetrics();
        int left = 70, right = 80, top = title != null ? 34 : 12, bottom = 50;
        int pw = Math.max(1, w - left - right), ph = Math.max(1, h - top - bottom);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : t.z) for (double v : row) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (lo > hi) { lo = 0; hi = 1; }
        if (!Double.isNaN(t.zMin)) { lo = t.zMin; hi = t.zMax; }   // a range shared with other heatmaps
        double span = hi > lo ? hi - lo : 1;
        boolean grey = t.colorscale.equalsIgnoreCase("Greys");
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
        int bx = left + pw + 12;
        for (int i = 0; i < ph; i++) {
            g.setColor(color(1 - i / (double) Math.max(1, ph - 1), grey));
            g.drawLine(bx, top + i, bx + 12, top + i);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(number(hi), bx + 16, top + 10);
        g.drawString(number(lo), bx + 16, top + ph);
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
