package tpdiff4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link Figure} as a bitmap for viewers that run no scripts: each panel is an XChart chart
 * (XY for lines, markers and histograms, category for bars) or, for heatmaps, a {@link HeatmapImage},
 * tiled in the figure's grid under the figure title. A panel that mixes bars, or a heatmap, with other traces has no
 * such chart: the image is refused (an {@link IllegalArgumentException} naming the traces) rather than drawn without
 * some of them. Heatmaps on one colour scale and range ({@link PlotlyJson#sharedScale}, the rule of the Plotly figure)
 * share one colour bar, drawn right of the grid, clear of every panel. Every bar carries its value at its end, outside
 * the bar, as in the Plotly figure ({@link PlotlyJson#barLabel}), so a bar of 0 reads as 0.
 *
 * <p>Histograms are drawn as filled step outlines of {@link Trace#binEdges()} and {@link Trace#binCounts}, the
 * same bins the Plotly JSON declares. On a log axis, points with a non-positive coordinate are left out
 * (as Plotly does), and {@code NaN} breaks a line; a panel with a trace that draws nothing carries the Plotly
 * figure's note.
 */
final class PngRenderer {

    private static final int TITLE_HEIGHT = TextSizes.FIGURE_TITLE_PX + 16;
    /** Right of a colour bar shared by the heatmaps of a grid, to the image's edge. */
    private static final int SHARED_BAR_PAD = 12;

    private PngRenderer() {}

    static BufferedImage render(Figure f) {
        int width = f.width(), height = f.height();
        int top = f.title() != null ? TITLE_HEIGHT : 0;
        int cols = f.cols(), rows = f.rows();
        List<Panel> panels = f.panels();
        BufferedImage img = Images.blank(width, height);
        Graphics2D g = Images.graphics(img);
        // heatmaps on one colour scale and range read against one colour bar, in a strip right of the grid
        Trace shared = PlotlyJson.sharedScale(panels);
        g.setFont(TextSizes.text());
        int cellH = (height - top) / rows;
        // the shared bar spans the plots of the heatmaps, from the highest top to the lowest bottom; its ticks, and so
        // the width of its labels, depend on that length
        int barTop = Integer.MAX_VALUE, barBottom = Integer.MIN_VALUE;
        for (int i = 0; i < panels.size(); i++) {
            if (!panels.get(i).has(Trace.Kind.HEATMAP)) continue;
            // the rows of a plot do not depend on the width of its cell
            java.awt.Rectangle plot = HeatmapImage.plotArea(panels.get(i).title, shared == null, width, cellH);
            int cy = top + (i / cols) * cellH;
            barTop = Math.min(barTop, cy + plot.y);
            barBottom = Math.max(barBottom, cy + plot.y + plot.height);
        }
        int strip = shared == null ? 0
                : HeatmapImage.colourBarWidth(shared, barBottom - barTop, g.getFontMetrics()) + SHARED_BAR_PAD;
        int cellW = (width - strip) / cols;
        if (f.title() != null) {
            g.setColor(Color.BLACK);
            g.setFont(TextSizes.figureTitle());
            int w = g.getFontMetrics().stringWidth(f.title());
            g.drawString(f.title(), Math.max(4, (width - w) / 2), TextSizes.FIGURE_TITLE_PX + 6);
        }
        for (int i = 0; i < panels.size(); i++) {
            BufferedImage cell = panel(panels.get(i), cellW, cellH, f.legend(), shared == null);
            int cx = (i % cols) * cellW, cy = top + (i / cols) * cellH;
            g.drawImage(cell, cx, cy, null);
            String empty = PlotlyJson.nothingToDraw(panels.get(i));
            if (empty != null) {   // the same note as in the Plotly figure, at the panel's centre
                g.setColor(new Color(0x99, 0, 0));
                g.setFont(TextSizes.text());
                int w = g.getFontMetrics().stringWidth(empty);
                g.drawString(empty, cx + Math.max(4, (cellW - w) / 2), cy + cellH / 2);
            }
        }
        if (shared != null) HeatmapImage.colourBar(g, shared, cols * cellW, barTop, barBottom - barTop);
        g.dispose();
        return img;
    }

    /**
     * @param ownBar whether a heatmap draws its colour bar beside it; false where the figure draws one for all its
     *     heatmaps
     */
    private static BufferedImage panel(Panel p, int w, int h, boolean legend, boolean ownBar) {
        if (p.has(Trace.Kind.HEATMAP)) {
            if (p.traces.size() > 1) { // drawing the heatmap alone would leave the other traces out of the image
                throw new IllegalArgumentException("PNG: a panel with a heatmap can hold only that heatmap, found "
                        + p.traces.size() + " traces ("
                        + p.traces.stream().map(x -> x.kind.name().toLowerCase(Locale.ROOT)).collect(
                                java.util.stream.Collectors.joining(", "))
                        + "); the Plotly figure draws them all, or put the heatmap in a panel of its own (Figure.grid)");
            }
            return HeatmapImage.render(p.traces.get(0), p.title, p.xTitle, p.yTitle, ownBar, w, h);
        }
        Chart<?, ?> chart = p.has(Trace.Kind.BAR) ? barChart(p, w, h) : xyChart(p, w, h);
        Styler s = chart.getStyler();
        // XChart writes the labels of log axes in the JVM's locale (0,01 under a German one), while the linear axes
        // (tick) and the interactive figure write 0.01: one notation in every figure, whatever the locale
        if (s instanceof org.knowm.xchart.style.AxesChartStyler axes) axes.setLocale(Locale.ROOT); // XY and bar charts
        s.setChartTitleFont(TextSizes.title());
        s.setLegendFont(TextSizes.text());
        if (s instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setAxisTitleFont(TextSizes.title());
            axes.setAxisTickLabelsFont(TextSizes.text());
        }
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendVisible(legend && p.traces.stream().anyMatch(t -> t.name != null && t.showLegend));
        // below the plot, in a row: inside the plot the legend hides data (XChart has no "best" position)
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        int legendWidth = p.traces.stream().filter(t -> t.name != null && t.showLegend)
                .mapToInt(t -> 40 + TextSizes.TEXT_PX * t.name.length() * 6 / 10).sum();   // about 0.6 em a letter
        s.setLegendLayout(legendWidth < w - 40 ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(true);
        Ticks xTicks = p.has(Trace.Kind.BAR) ? null : ticks(p, true);
        Ticks yTicks = ticks(p, false);
        Color labelColor = ((org.knowm.xchart.style.AxesChartStyler) s).getAxisTickLabelsColor();
        hideXChartTicks((org.knowm.xchart.style.AxesChartStyler) s, xTicks, yTicks);
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        AxisTitle fitted = fitAxisTitle(TextSizes.title(), p.yTitle, ((PlotArea) chart).plotBounds().getHeight());
        if (fitted.font().getSize2D() < TextSizes.TITLE_PX) { // drawn along a plot shorter than itself, it would be cut off
            ((org.knowm.xchart.style.AxesChartStyler) s).setAxisTitleFont(fitted.font());
            chart.setYAxisTitle(fitted.text());
            img = BitmapEncoder.getBufferedImage(chart);
        }
        if (chart instanceof BarChart bars && p.yRange == null && !p.yLog) {
            double[] y = labelRoom(p, bars.plotBounds().getHeight(), s.getPlotContentSize());
            if (y != null) {   // the labels at the ends of the tallest bars need room inside the plot
                ((org.knowm.xchart.style.AxesChartStyler) s).setYAxisMin(y[0]);
                ((org.knowm.xchart.style.AxesChartStyler) s).setYAxisMax(y[1]);
                img = BitmapEncoder.getBufferedImage(chart);
            }
        }
        drawTicks(img, chart, ((PlotArea) chart).plotBounds(), xTicks, yTicks, labelColor);
        if (chart instanceof BarChart bars) drawBarLabels(img, bars, p, labelColor);
        return img;
    }

    /** Pixels between the end of a bar and its label. */
    private static final int BAR_LABEL_GAP = 3;
    /** The smallest size of a bar's label, where the bars are too narrow for labels of the usual size. */
    private static final int MIN_LABEL_PX = 8;
    /** The least room between the labels of two bars side by side. */
    private static final int LABEL_SPACING = 6;

    /**
     * The y range of a bar chart (linear axis, no range of the caller's) that holds the bars and, in the plot, the
     * label at the end of each: above a bar of 0 or more, below a negative one; null where every bar is 0 (XChart's
     * own range) or the plot is too short for any room.
     *
     * @param plotHeight the height of the plot area in pixels, as XChart drew it with its own range
     * @param contentSize the part of the plot's height that XChart spans with the axis range (the rest is margin)
     */
    static double[] labelRoom(Panel p, double plotHeight, double contentSize) {
        double lo = 0, hi = 0;
        boolean up = false, down = false;
        for (Trace t : p.traces) {
            for (double v : t.y) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                if (v >= 0) up = true; else down = true;
            }
        }
        if (hi == lo) return null;
        double span = contentSize * plotHeight, margin = (plotHeight - span) / 2;
        // the part of the axis span that a label takes beyond the end of its bar, where the margin does not hold it
        double r = Math.max(0, labelHeight() + BAR_LABEL_GAP - margin) / span;
        double free = 1 - (up ? r : 0) - (down ? r : 0);
        if (free < 0.5) return null;
        double range = (hi - lo) / free;
        return new double[] {down ? lo - r * range : lo, up ? hi + r * range : hi};
    }

    private static int labelHeight() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            java.awt.FontMetrics fm = g.getFontMetrics(TextSizes.text());
            return fm.getAscent() + fm.getDescent();
        } finally {
            g.dispose();
        }
    }

    /**
     * Writes each bar's value ({@link PlotlyJson#barLabel}, the Plotly figure's label) at its end, outside the bar:
     * above a bar of 0 or more, below a negative one. A bar of 0 has no height, and its label shows it is there.
     * XChart's own labels stand inside the bar, dark on a dark fill. The bars stand where
     * XChart puts them: the categories share the plot's content width equally, and in each the bars of the series
     * stand side by side over the styler's fill of it.
     */
    private static void drawBarLabels(BufferedImage img, BarChart chart, Panel p, Color color) {
        org.knowm.xchart.style.CategoryStyler s = chart.getStyler();
        java.awt.geom.Rectangle2D plot = chart.plotBounds();
        int categories = p.traces.get(0).y.length, series = p.traces.size();
        double content = s.getPlotContentSize() * plot.getWidth();
        double step = content / categories, fill = s.getAvailableSpaceFill();
        double barWidth = s.isOverlapped() ? step * fill : step / series * fill;
        double left = plot.getX() + (plot.getWidth() - content) / 2 + step * (1 - fill) / 2;
        Graphics2D g = Images.graphics(img);
        g.setFont(TextSizes.text());
        g.setColor(color);
        // a label wider than its bar's share of the category would run into its neighbour's: all take a smaller size
        int widest = 0;
        for (Trace t : p.traces) {
            for (double v : t.y) widest = Math.max(widest, g.getFontMetrics().stringWidth(PlotlyJson.barLabel(v)));
        }
        double slot = s.isOverlapped() ? step : step / series;
        if (widest > slot - LABEL_SPACING) g.setFont(TextSizes.text().deriveFont((float) Math.max(MIN_LABEL_PX,
                Math.floor(TextSizes.TEXT_PX * (slot - LABEL_SPACING) / widest))));
        java.awt.FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < series; k++) {
            double[] y = p.traces.get(k).y;
            for (int c = 0; c < y.length && c < categories; c++) {
                String label = PlotlyJson.barLabel(y[c]);
                if (label.isEmpty() || (p.yLog && y[c] <= 0)) continue;   // no bar drawn
                double centre = left + step * c + (s.isOverlapped() ? 0 : k * barWidth) + barWidth / 2;
                int end = (int) Math.round(chart.getScreenYFromChart(y[c]));
                int baseline = y[c] >= 0 ? end - BAR_LABEL_GAP - fm.getDescent() : end + BAR_LABEL_GAP + fm.getAscent();
                baseline = Math.max(fm.getAscent(), Math.min(img.getHeight() - fm.getDescent(), baseline));
                g.drawString(label, (int) Math.round(centre - fm.stringWidth(label) / 2.0), baseline);
            }
        }
        g.dispose();
    }

    /**
     * The axis-title font and text for a y title drawn along a plot {@code plotHeight} pixels tall: {@code font} and
     * the whole title when it fits in the plot's height, else a smaller size that makes it fit (the y title runs along
     * the plot, centred on it; a longer one, in a short plot under a legend of several entries, ran out of the image at
     * both ends), but not below 8 pixels. A title that does not fit even at 8 pixels keeps as many of its first
     * characters as fit, followed by an ellipsis, so that what is cut shows as cut (the Plotly figure keeps it whole).
     */
    static AxisTitle fitAxisTitle(java.awt.Font font, String title, double plotHeight) {
        if (title == null || title.isEmpty()) {
            return new AxisTitle(font, title);
        }
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            double room = plotHeight - 4;
            double width = g.getFontMetrics(font).getStringBounds(title, g).getWidth();
            if (width <= room) {
                return new AxisTitle(font, title);
            }
            java.awt.Font smaller = font.deriveFont((float) Math.max(8, Math.floor(font.getSize2D() * room / width)));
            java.awt.FontMetrics fm = g.getFontMetrics(smaller);
            if (fm.getStringBounds(title, g).getWidth() <= room) {
                return new AxisTitle(smaller, title);
            }
            int keep = title.offsetByCodePoints(0, title.codePointCount(0, title.length()) - 1);
            while (keep > 0 && fm.getStringBounds(title.substring(0, keep).stripTrailing() + "\u2026", g).getWidth() > room) {
                keep = title.offsetByCodePoints(keep, -1);
            }
            return new AxisTitle(smaller, title.substring(0, keep).stripTrailing() + "\u2026");
        } finally {
            g.dispose();
        }
    }

    /** A y-axis title as drawn: its font and its text, shortened with an ellipsis when even 8 pixels are too large. */
    record AxisTitle(java.awt.Font font, String text) {}

    /** A chart that tells where its plot area was drawn (XChart keeps it in a protected field). */
    private interface PlotArea {
        java.awt.geom.Rectangle2D plotBounds();
    }

    private static final class XyChart extends XYChart implements PlotArea {
        XyChart(int w, int h) { super(w, h); }
        @Override public java.awt.geom.Rectangle2D plotBounds() { return plot.getBounds(); }
    }

    private static final class BarChart extends CategoryChart implements PlotArea {
        BarChart(int w, int h) { super(w, h); }
        @Override public java.awt.geom.Rectangle2D plotBounds() { return plot.getBounds(); }
    }

    /** Tick values and their labels, drawn by {@link #drawTicks} in place of XChart's. */
    record Ticks(double[] values, List<String> labels) {}

    /**
     * The ticks the Plotly figure has on the x (or y) axis of {@code p}, where it sets them: the caller's
     * ({@link Figure#xTicks}), else on a log axis those of {@link LogTicks}; null where plotly.js places its own
     * (a linear axis), and XChart places them in the PNG.
     */
    static Ticks ticks(Panel p, boolean x) {
        double[] own = x ? p.xTickValues : p.yTickValues;
        if (own != null) return new Ticks(own, List.of(x ? p.xTickLabels : p.yTickLabels));
        if (!(x ? p.xLog : p.yLog)) return null;
        LogTicks t = logTicks(p, x);
        return t == null ? null : new Ticks(t.doubles(), t.text());
    }

    /** The ticks of a log axis by the rule of the Plotly figure ({@link LogTicks}); null without positive data. */
    static LogTicks logTicks(Panel p, boolean x) {
        double[] range = x ? p.xRange : p.yRange;
        return range != null ? LogTicks.of(range, false) : LogTicks.of(p.positiveRange(x), true);
    }

    /**
     * XChart places ticks by a rule of its own (on a log axis powers of ten only, or every 1..9 times one): an axis
     * with {@link Ticks} keeps XChart's bounds and the room of its labels, but XChart's labels, tick marks and grid
     * lines are not drawn; {@link #drawTicks} draws the figure's instead.
     */
    private static void hideXChartTicks(org.knowm.xchart.style.AxesChartStyler s, Ticks x, Ticks y) {
        Color none = new Color(0, 0, 0, 0);
        if (x != null) {
            s.setXAxisLogarithmicDecadeOnly(false);   // XChart's labels keep their room: 1..9 x 10^k are as wide
            s.setXAxisTickLabelsColor(none);
            s.setXAxisTickMarksColor(none);
            s.setPlotGridVerticalLinesVisible(false);
        }
        if (y != null) {
            s.setYAxisLogarithmicDecadeOnly(false);
            // XChart makes room left of the plot for its widest label: make each hidden label as wide as the widest
            // drawn one (2×10⁻⁵ is wider than 0.00002), a literal in a number pattern on a log axis
            String widest = y.labels().stream().max(java.util.Comparator.comparingInt(String::length)).orElse("");
            if (s.isYAxisLogarithmic()) s.setYAxisDecimalPattern("'" + widest.replace("'", "''") + "'0");
            else s.setyAxisTickLabelsFormattingFunction(v -> widest + "0");
            s.setYAxisTickLabelsColor(none);
            s.setYAxisTickMarksColor(none);
            s.setPlotGridHorizontalLinesVisible(false);
        }
    }

    /**
     * Draws the figure's ticks: a grid line across the plot (on the background only, so it stays behind the
     * data) and the label outside it; a label that would overlap the one before it is left out.
     */
    private static void drawTicks(BufferedImage img, Chart<?, ?> chart, java.awt.geom.Rectangle2D plot, Ticks x,
            Ticks y, Color labelColor) {
        if (x == null && y == null) return;
        org.knowm.xchart.style.AxesChartStyler s = (org.knowm.xchart.style.AxesChartStyler) chart.getStyler();
        Graphics2D g = Images.graphics(img);
        g.setFont(s.getAxisTickLabelsFont());
        java.awt.FontMetrics fm = g.getFontMetrics();
        int grid = s.getPlotGridLinesColor().getRGB(), white = Color.WHITE.getRGB();
        int left = (int) Math.round(plot.getMinX()), right = (int) Math.round(plot.getMaxX());
        int top = (int) Math.round(plot.getMinY()), bottom = (int) Math.round(plot.getMaxY());
        int gap = s.getAxisTickPadding() + s.getAxisTickMarkLength();
        g.setColor(labelColor);
        if (x != null) {
            int lastRight = Integer.MIN_VALUE;
            List<String> labels = x.labels();
            double[] v = x.values();
            for (int i = 0; i < v.length; i++) {
                int sx = (int) Math.round(chart.getScreenXFromChart(v[i]));
                if (sx < left || sx > right) continue;
                for (int yy = top + 1; yy < bottom; yy++) if (img.getRGB(sx, yy) == white) img.setRGB(sx, yy, grid);
                int w = fm.stringWidth(labels.get(i));
                if (sx - w / 2 < lastRight + 4) continue;
                g.drawString(labels.get(i), sx - w / 2, bottom + gap + fm.getAscent());
                lastRight = sx - w / 2 + w;
            }
        }
        if (y != null) {
            int lastTop = Integer.MAX_VALUE;
            List<String> labels = y.labels();
            double[] v = y.values();
            for (int i = 0; i < v.length; i++) {
                int sy = (int) Math.round(chart.getScreenYFromChart(v[i]));
                if (sy < top || sy > bottom) continue;
                for (int xx = left + 1; xx < right; xx++) if (img.getRGB(xx, sy) == white) img.setRGB(xx, sy, grid);
                int baseline = sy + (fm.getAscent() - fm.getDescent()) / 2;
                if (baseline > lastTop - 2) continue;
                g.drawString(labels.get(i), left - gap - fm.stringWidth(labels.get(i)), baseline);
                lastTop = baseline - fm.getAscent();
            }
        }
        g.dispose();
    }

    private static XYChart xyChart(Panel p, int w, int h) {
        XYChart c = new XyChart(w, h);
        c.setTitle(nz(p.title));
        c.setXAxisTitle(nz(p.xTitle));
        c.setYAxisTitle(nz(p.yTitle));
        c.getStyler().setXAxisLogarithmic(p.xLog);
        c.getStyler().setYAxisLogarithmic(p.yLog);
        // a formatting function makes XChart place "nice" ticks; without it, equally spaced data get a tick
        // at every k-th data value (labels such as 0.3469387755); log axes get the ticks of LogTicks (panel())
        if (!p.xLog) c.getStyler().setxAxisTickLabelsFormattingFunction(PngRenderer::tick);
        if (!p.yLog) c.getStyler().setyAxisTickLabelsFormattingFunction(PngRenderer::tick);
        double[] xr = p.xRange != null ? p.xRange : p.xLog ? bounds(logTicks(p, true)) : null;
        double[] yr = p.yRange != null ? p.yRange : p.yLog ? bounds(logTicks(p, false)) : null;
        if (xr != null) { c.getStyler().setXAxisMin(xr[0]); c.getStyler().setXAxisMax(xr[1]); }
        if (yr != null) { c.getStyler().setYAxisMin(yr[0]); c.getStyler().setYAxisMax(yr[1]); }
        Names names = new Names();
        for (int k = 0; k < p.traces.size(); k++) {
            Trace t = p.traces.get(k);
            double[] x = t.x, y = t.y;
            if (t.kind == Trace.Kind.HISTOGRAM) {
                double[] e = t.binEdges(), n = t.binCounts(e);
                x = new double[2 * n.length + 2];
                y = new double[x.length];
                for (int b = 0; b < n.length; b++) {
                    x[2 * b + 1] = e[b]; y[2 * b + 1] = n[b];
                    x[2 * b + 2] = e[b + 1]; y[2 * b + 2] = n[b];
                }
                x[0] = e[0]; x[x.length - 1] = e[e.length - 1];
            }
            List<Double> xs = new ArrayList<>(x.length), ys = new ArrayList<>(y.length);
            double lastX = 1;
            for (int i = 0; i < x.length; i++) {
                boolean ok = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!p.xLog || x[i] > 0) && (!p.yLog || y[i] > 0);
                if (Double.isFinite(x[i]) && (!p.xLog || x[i] > 0)) lastX = x[i];
                xs.add(lastX);
                ys.add(ok ? y[i] : null);
            }
            if (ys.stream().allMatch(v -> v == null)) continue;
            XYSeries s = c.addSeries(names.of(t, k), xs, ys);
            Color color = alpha(Colors.awt(t.color, k), t.opacity);
            s.setShowInLegend(names.visible(t));
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setLineStyle(stroke(t, k));
            switch (t.kind) {
                case SCATTER -> { s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter); s.setMarker(marker(k)); }
                case HISTOGRAM -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
                    s.setFillColor(alpha(color, 0.6 * t.opacity));
                    s.setMarker(SeriesMarkers.NONE);
                }
                default -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    s.setMarker(t.markers ? marker(k) : SeriesMarkers.NONE);
                }
            }
        }
        breakEqualSpacing(c);
        c.getStyler().setMarkerSize((int) Math.round(p.traces.stream().mapToDouble(t -> t.size).max().orElse(6)));
        return c;
    }

    /**
     * XChart labels an axis whose data values are all equally spaced at every k-th data value (ticks such as
     * 0.3469387755 for t = i / 49). One invisible point between the first two distinct values on each axis
     * breaks that spacing, so XChart places round ticks as for any other data.
     */
    private static void breakEqualSpacing(XYChart c) {
        double[] xs = distinctPair(c, true), ys = distinctPair(c, false);
        if (xs == null || ys == null) return;
        double x = xs[0] + 0.3713 * (xs[1] - xs[0]), y = ys[0] + 0.3713 * (ys[1] - ys[0]);
        XYSeries s = c.addSeries("\u0000spacing", new double[] {x}, new double[] {y});
        s.setShowInLegend(false);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(new Color(0, 0, 0, 0));
        s.setMarkerColor(new Color(0, 0, 0, 0));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    /** @return the first two distinct finite drawn values on the axis, or null */
    private static double[] distinctPair(XYChart c, boolean x) {
        double first = Double.NaN;
        for (XYSeries s : c.getSeriesMap().values()) {
            double[] xd = s.getXData(), yd = s.getYData();
            for (int i = 0; i < xd.length; i++) {
                if (!Double.isFinite(xd[i]) || !Double.isFinite(yd[i])) continue;
                double d = x ? xd[i] : yd[i];
                if (Double.isNaN(first)) first = d;
                else if (d != first) return new double[] {first, d};
            }
        }
        return null;
    }

    private static double[] bounds(LogTicks t) {
        return t == null ? null : new double[] {t.lo, t.hi};
    }

    private static CategoryChart barChart(Panel p, int w, int h) {
        CategoryChart c = new BarChart(w, h);
        c.setTitle(nz(p.title));
        c.setXAxisTitle(nz(p.xTitle));
        c.setYAxisTitle(nz(p.yTitle));
        c.getStyler().setYAxisLogarithmic(p.yLog);
        if (!p.yLog) c.getStyler().setyAxisTickLabelsFormattingFunction(PngRenderer::tick);
        double[] yr = p.yRange != null ? p.yRange : p.yLog ? bounds(logTicks(p, false)) : null;
        if (yr != null) { c.getStyler().setYAxisMin(yr[0]); c.getStyler().setYAxisMax(yr[1]); }
        Names names = new Names();
        for (int k = 0; k < p.traces.size(); k++) {
            Trace t = p.traces.get(k);
            if (t.kind != Trace.Kind.BAR) {
                throw new IllegalArgumentException("PNG: a panel with bars can hold only bars, found a "
                        + t.kind.name().toLowerCase(Locale.ROOT) + " trace");
            }
            List<Double> ys = new ArrayList<>();
            for (double v : t.y) ys.add(v);
            CategorySeries s = c.addSeries(names.of(t, k), List.of(t.categories), ys);
            s.setFillColor(alpha(Colors.awt(t.color, k), t.opacity));
            s.setShowInLegend(names.visible(t));
        }
        return c;
    }

    /** The line of trace {@code k}: its dash ({@link Colors#dash}) with Plotly's pattern, in multiples of the width. */
    static BasicStroke stroke(Trace t, int k) {
        float w = (float) t.width;
        return switch (Colors.dash(t.dash, k)) {
            case "dash" -> new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6 * w, 3 * w}, 0);
            case "dot" -> new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, new float[] {w, 2 * w}, 0);
            case "dashdot" -> new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10,
                    new float[] {6 * w, 2 * w, w, 2 * w}, 0);
            // butt ends, as Plotly draws them: a line ends at its last point, not half its width beyond (a wide
            // line, such as a stage's window, would otherwise look longer than its data)
            default -> new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        };
    }

    /** The marker of trace {@code k}: XChart's shape for the Plotly symbol {@link Colors#symbol}. */
    static org.knowm.xchart.style.markers.Marker marker(int k) {
        return switch (Colors.symbol(k)) {
            case "square" -> SeriesMarkers.SQUARE;
            case "diamond" -> SeriesMarkers.DIAMOND;
            case "triangle-up" -> SeriesMarkers.TRIANGLE_UP;
            default -> SeriesMarkers.CIRCLE;
        };
    }

    private static Color alpha(Color c, double opacity) {
        return opacity >= 1 ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * opacity));
    }

    /** @return a short tick label: up to 4 significant digits, no trailing zeros */
    static String tick(Double v) {
        if (v == null || !Double.isFinite(v)) return "";
        if (v == 0 || Math.abs(v) < 1e-12) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(java.util.Locale.ROOT, "%.2e", v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String nz(String s) { return s == null ? "" : s; }

    /** XChart needs unique series names; a legend group shows its first member only. */
    private static final class Names {
        private final Set<String> used = new HashSet<>();
        private final Set<String> groups = new HashSet<>();

        String of(Trace t, int k) {
            String base = t.name != null ? t.name : "trace " + k;
            String n = base;
            for (int i = 2; !used.add(n); i++) n = base + " (" + i + ")";
            return n;
        }

        boolean visible(Trace t) {
            if (!t.showLegend || t.name == null) return false;
            return t.legendGroup == null || groups.add(t.legendGroup);
        }
    }
}
