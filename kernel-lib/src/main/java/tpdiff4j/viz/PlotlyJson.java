package tpdiff4j.viz;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Figure} as a Plotly figure object {@code {"data": [traces], "layout": {...}}}
 * (plotly.js 4 schema). Panel {@code i} (row-major) uses axes {@code x{i+1}}/{@code y{i+1}} ({@code x}/{@code y}
 * for the first) whose domains tile the grid; panel titles are paper-anchored annotations, and a panel with a trace
 * that draws nothing at all (every value {@code NaN}, say) says so in a note at its centre. Non-finite
 * numbers become {@code null}, which Plotly draws as a gap. The top of every figure is a band that holds plotly.js's
 * mode bar and no text.
 */
final class PlotlyJson {


    private static final int MARGIN_LEFT = 60;
    private static final int MARGIN_RIGHT = 20;
    private static final int COLORBAR_THICKNESS_PX = 12;
    /** A grid heatmap's colour bar: its offset, its thickness, padding and tick labels such as "1000" or "0.25". */
    private static final int COLORBAR_PX = 64;
    /** The tick labels of the y axis of the panel to the right, and the axis title when there is one. */
    private static final int NEIGHBOUR_TICKS_PX = 44;
    private static final int AXIS_TITLE_PX = 24;
    /**
     * A band at the top of every figure that holds plotly.js's mode bar (its toolbar, drawn at the top right while the
     * pointer is over the figure, about 26 px tall) and no text: a figure title or a panel title below it is never
     * covered by the bar, however long it is.
     */
    static final int MODEBAR_PX = 32;
    /**
     * Room above each panel before its title: a tick label at the top end of the y axis is centred on that end, so
     * half of it stands above the panel (the "15" of a log-SNR axis cut at 15), then a gap.
     */
    static final int ABOVE_PANEL_PX = TextSizes.TEXT_PX / 2 + 6;
    /** The height of one line of the figure title, and of a panel title. */
    private static final int FIGURE_TITLE_LINE_PX = TextSizes.FIGURE_TITLE_PX + 10;
    private static final int PANEL_TITLE_LINE_PX = TextSizes.TITLE_PX + 6;

    private PlotlyJson() {}

    /**
     * The label at the end of a bar, in the Plotly figure and in the PNG: the value to 3 significant digits without
     * trailing zeros ({@code 0}, {@code 0.438}, {@code 1}, {@code 12.5}), in exponent notation from 1000 on and below
     * 1e-6 ({@code 1.23e+3}, {@code 1.5e-7}), as plotly.js's {@code .3~g} format writes it; empty for a value that
     * draws no bar ({@code NaN}, infinite).
     */
    static String barLabel(double v) {
        if (!Double.isFinite(v)) return "";
        if (v == 0) return "0";
        BigDecimal r = new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros();
        int e = r.precision() - r.scale() - 1;   // the decimal exponent: r = m x 10^e with 1 <= |m| < 10
        if (e >= -6 && e < 3) return r.toPlainString();
        return r.movePointLeft(e).toPlainString() + "e" + (e < 0 ? "-" : "+") + Math.abs(e);
    }

    /**
     * The heatmap whose colour scale every heatmap of {@code panels} shares, when there are several and all have the
     * same colour scale ({@link #sameColourScale}) and the same {@link Trace#zRange}; null otherwise. Such heatmaps
     * read against one colour bar, drawn once right of the grid: a bar beside each panel would repeat the same scale
     * and crowd the panels. The PNG ({@link PngRenderer}) decides by this rule too.
     */
    static Trace sharedScale(List<Panel> panels) {
        List<Trace> maps = panels.stream().flatMap(p -> p.traces.stream()).filter(t -> t.kind == Trace.Kind.HEATMAP).toList();
        if (maps.size() < 2) return null;
        Trace first = maps.get(0);
        for (Trace t : maps) {
            if (Double.isNaN(t.zMin) || !sameColourScale(t.colorscale, first.colorscale)
                    || t.zMin != first.zMin || t.zMax != first.zMax) return null;
        }
        return first;
    }

    /**
     * Whether plotly.js draws the colour scales {@code a} and {@code b} alike: a named scale
     * ({@link Trace#COLORSCALES}) is the same in any letter case ({@code Viridis}, {@code viridis}); a scale written out
     * (its colours listed) is compared by its text.
     */
    static boolean sameColourScale(String a, String b) {
        boolean named = Trace.COLORSCALES.stream().anyMatch(n -> n.equalsIgnoreCase(a));
        return named ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    /** @return whether some heatmap panel of a grid has a panel to its right (its colour bar sits in between) */
    private static boolean barBesideAPanel(List<Panel> panels, int cols) {
        if (panels.size() < 2) return false;
        for (int i = 0; i < panels.size(); i++) {
            if (i % cols < cols - 1 && i + 1 < panels.size() && panels.get(i).has(Trace.Kind.HEATMAP)) return true;
        }
        return false;
    }

    static JsonObject figure(Figure f) {
        JsonArray data = new JsonArray();
        JsonObject layout = new JsonObject();
        JsonArray annotations = new JsonArray();
        List<Panel> panels = f.panels();
        int cols = f.cols(), rows = f.rows();
        boolean yTitles = panels.stream().anyMatch(p -> p.yTitle != null);
        double gapX = yTitles ? 0.15 : 0.09;
        Trace shared = sharedScale(panels);
        if (shared == null && barBesideAPanel(panels, cols)) {
            // a heatmap's colour bar stands right of its panel: the gap holds it and the neighbour's tick labels
            double plotWidth = Math.max(100, f.width() - MARGIN_LEFT - MARGIN_RIGHT);
            double needed = (COLORBAR_PX + NEIGHBOUR_TICKS_PX + (yTitles ? AXIS_TITLE_PX : 0)) / plotWidth;
            gapX = Math.min(Math.max(gapX, needed), 0.5 / (cols - 1));
        }
        double gapY = panels.stream().anyMatch(p -> p.xTitle != null) ? 0.22 : 0.14;
        double w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
        // a grid of figures made alike (the same named trace in every panel): one legend entry, one toggle
        Map<String, Integer> legendKeys = new HashMap<>();
        for (Panel p : panels) {
            for (int k = 0; k < p.traces.size(); k++) {
                String key = legendKey(p.traces.get(k), k);
                if (key != null) legendKeys.merge(key, 1, Integer::sum);
            }
        }
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            double x0 = (i % cols) * (w + gapX), yTop = 1 - (i / cols) * (h + gapY);
            String xId = i == 0 ? "x" : "x" + (i + 1), yId = i == 0 ? "y" : "y" + (i + 1);
            for (int k = 0; k < p.traces.size(); k++) {
                JsonObject t = trace(p.traces.get(k), Colors.css(p.traces.get(k).color, k), k, shared != null);
                String key = legendKey(p.traces.get(k), k);
                if (key != null && legendKeys.get(key) > 1) {
                    t.addProperty("legendgroup", key);
                    if (!listed.add(key)) t.addProperty("showlegend", false);
                }
                t.addProperty("xaxis", xId);
                t.addProperty("yaxis", yId);
                if (p.traces.get(k).kind == Trace.Kind.HEATMAP && panels.size() > 1 && shared == null) {
                    JsonObject bar = new JsonObject();
                    bar.addProperty("x", x0 + w + 0.005);
                    bar.addProperty("xanchor", "left");
                    bar.addProperty("y", yTop - h);
                    bar.addProperty("yanchor", "bottom");
                    bar.addProperty("len", h);
                    bar.addProperty("thickness", COLORBAR_THICKNESS_PX);
                    bar.addProperty("xpad", 4);
                    t.add("colorbar", bar);
                }
                data.add(t);
            }
            JsonObject xAxis = axis(p.xTitle, p.xLog, p.xRange, x0, x0 + w, yId);
            if (p.xLog && p.xTickValues == null) logTicks(xAxis, p.xRange, p.positiveRange(true));
            if (p.xTickValues != null) ownTicks(xAxis, p.xTickValues, p.xTickLabels);
            layout.add(i == 0 ? "xaxis" : "xaxis" + (i + 1), xAxis);
            JsonObject yAxis = axis(p.yTitle, p.yLog, p.yRange, yTop - h, yTop, xId);
            if (p.yLog && p.yTickValues == null) logTicks(yAxis, p.yRange, p.positiveRange(false));
            if (p.yTickValues != null) ownTicks(yAxis, p.yTickValues, p.yTickLabels);
            if (p.equalAspect) {
                yAxis.addProperty("scaleanchor", xId);
                yAxis.addProperty("scaleratio", 1);
            }
            layout.add(i == 0 ? "yaxis" : "yaxis" + (i + 1), yAxis);
            if (p.title != null && panels.size() > 1) annotations.add(panelTitle(p.title, x0 + w / 2, yTop));
            String empty = nothingToDraw(p);
            if (empty != null) annotations.add(note(empty, xId, yId));
        }
        if (f.title() != null) {   // centred, its top under the mode bar's band
            JsonObject title = new JsonObject();
            title.addProperty("text", f.title());
            title.addProperty("x", 0.5);
            title.addProperty("xanchor", "center");
            title.addProperty("yref", "container");
            title.addProperty("y", 1);
            title.addProperty("yanchor", "top");
            JsonObject pad = new JsonObject();
            pad.addProperty("t", MODEBAR_PX);
            title.add("pad", pad);
            title.add("font", size(TextSizes.FIGURE_TITLE_PX));
            layout.add("title", title);
        }
        JsonObject font = new JsonObject();   // ticks, legend, notes (TextSizes)
        font.addProperty("size", TextSizes.TEXT_PX);
        layout.add("font", font);
        layout.addProperty("width", f.width());
        layout.addProperty("height", f.height());
        layout.addProperty("showlegend", f.legend());
        layout.addProperty("barmode", "group");
        layout.addProperty("hovermode", "closest");
        JsonObject margin = new JsonObject();
        margin.addProperty("l", MARGIN_LEFT);
        margin.addProperty("r", shared == null ? MARGIN_RIGHT : MARGIN_RIGHT + COLORBAR_PX);
        boolean panelTitles = panels.size() > 1 && panels.stream().anyMatch(p -> p.title != null);
        // top down: the mode bar's band, the figure title, the panel titles, the top tick labels' overhang
        margin.addProperty("t", MODEBAR_PX + (f.title() != null ? FIGURE_TITLE_LINE_PX : 0)
                + (panelTitles ? PANEL_TITLE_LINE_PX : 0) + ABOVE_PANEL_PX);
        margin.addProperty("b", panels.size() > 1 ? 100 : 50);
        layout.add("margin", margin);
        if (annotations.size() > 0) layout.add("annotations", annotations);
        if (shared != null) layout.add("coloraxis", sharedColorAxis(shared));
        if (panels.size() > 1) {
            // one legend for the whole grid, in a row under it, so it does not squeeze the right column
            JsonObject legend = new JsonObject();
            legend.addProperty("orientation", "h");
            legend.addProperty("x", 0);
            legend.addProperty("xanchor", "left");
            double plotHeight = Math.max(50, f.height() - margin.get("t").getAsInt() - 100);
            double below = panels.get(panels.size() - 1).xTitle != null ? 60 : 34;   // under the tick labels and x title
            legend.addProperty("y", -below / plotHeight);
            legend.addProperty("yanchor", "top");
            layout.add("legend", legend);
        }
        JsonObject fig = new JsonObject();
        fig.add("data", data);
        fig.add("layout", layout);
        return fig;
    }

    /**
     * The legend identity of a trace that shows a legend entry and has no group of its own: kind, name and colour
     * (traces that agree on all three draw the same thing in the legend); null for the others.
     */
    private static String legendKey(Trace t, int k) {
        if (!t.showLegend || t.name == null || t.legendGroup != null || t.kind == Trace.Kind.HEATMAP) return null;
        return "same:" + t.kind + ":" + t.name + ":" + Colors.css(t.color, k);
    }

    /**
     * The colour axis of heatmaps that share one scale ({@link #sharedScale}): its one colour bar stands in the right
     * margin, as high as the grid, clear of every panel.
     */
    private static JsonObject sharedColorAxis(Trace scale) {
        JsonObject axis = new JsonObject();
        axis.addProperty("colorscale", scale.colorscale);
        axis.addProperty("cmin", scale.zMin);
        axis.addProperty("cmax", scale.zMax);
        JsonObject bar = new JsonObject();
        bar.addProperty("x", 1);
        bar.addProperty("xanchor", "left");
        bar.addProperty("y", 0);
        bar.addProperty("yanchor", "bottom");
        bar.addProperty("len", 1);
        bar.addProperty("thickness", COLORBAR_THICKNESS_PX);
        bar.addProperty("xpad", 10);
        axis.add("colorbar", bar);
        return axis;
    }

    private static JsonObject trace(Trace t, String color, int k, boolean sharedScale) {
        JsonObject o = new JsonObject();
        switch (t.kind) {
            case LINE, SCATTER -> {
                o.addProperty("type", "scatter");
                o.addProperty("mode", t.kind == Trace.Kind.SCATTER ? "markers" : t.markers ? "lines+markers" : "lines");
                o.add("x", numbers(t.x));
                o.add("y", numbers(t.y));
                JsonObject line = new JsonObject();
                line.addProperty("color", color);
                line.addProperty("width", t.width);
                line.addProperty("dash", Colors.dash(t.dash, k));
                o.add("line", line);
                JsonObject m = marker(color, t.size);
                m.addProperty("symbol", Colors.symbol(k));
                o.add("marker", m);
                o.addProperty("connectgaps", false);
            }
            case BAR -> {
                o.addProperty("type", "bar");
                JsonArray cats = new JsonArray();
                for (String c : t.categories) cats.add(c);
                o.add("x", cats);
                o.add("y", numbers(t.y));
                o.add("marker", marker(color, t.size));
                // each bar's value written at its end: a bar of 0 has no height, and only its label shows it is there;
                // the labels come with the data (customdata, which the hover leaves out), so the PNG writes the same
                JsonArray labels = new JsonArray();
                for (double v : t.y) labels.add(barLabel(v));
                o.add("customdata", labels);
                o.addProperty("texttemplate", "%{customdata}");
                o.addProperty("textposition", "outside");
                o.addProperty("cliponaxis", false);
            }
            case HEATMAP -> {
                o.addProperty("type", "heatmap");
                o.add("x", numbers(t.x));
                o.add("y", numbers(t.y));
                JsonArray z = new JsonArray();
                for (double[] row : t.z) z.add(numbers(row));
                o.add("z", z);
                if (sharedScale) {
                    o.addProperty("coloraxis", "coloraxis");   // the layout's one colour axis and bar
                } else {
                    o.addProperty("colorscale", t.colorscale);
                }
                if (!sharedScale && !Double.isNaN(t.zMin)) {
                    o.addProperty("zmin", t.zMin);
                    o.addProperty("zmax", t.zMax);
                }
            }
            case HISTOGRAM -> {
                o.addProperty("type", "histogram");
                o.add("x", numbers(t.x));
                double[] edges = t.binEdges();
                JsonObject bins = new JsonObject();
                bins.addProperty("start", edges[0]);
                bins.addProperty("end", edges[edges.length - 1]);
                bins.addProperty("size", edges[1] - edges[0]);
                o.add("xbins", bins);
                o.addProperty("autobinx", false);
                o.add("marker", marker(color, t.size));
            }
        }
        if (t.name != null) o.addProperty("name", t.name);
        if (t.opacity != 1) o.addProperty("opacity", t.opacity);
        if (t.legendGroup != null) o.addProperty("legendgroup", t.legendGroup);
        o.addProperty("showlegend", t.showLegend && t.name != null && t.kind != Trace.Kind.HEATMAP);
        return o;
    }

    private static JsonObject marker(String color, double size) {
        JsonObject m = new JsonObject();
        m.addProperty("color", color);
        m.addProperty("size", size);
        return m;
    }

    private static JsonObject axis(String title, boolean log, double[] range, double d0, double d1, String anchor) {
        JsonObject a = new JsonObject();
        if (title != null) {
            JsonObject t = new JsonObject();
            t.addProperty("text", title);
            t.add("font", size(TextSizes.TITLE_PX));
            a.add("title", t);
        }
        if (log) a.addProperty("type", "log");
        if (range != null) {
            JsonArray r = new JsonArray();
            r.add(log ? Math.log10(range[0]) : range[0]);
            r.add(log ? Math.log10(range[1]) : range[1]);
            a.add("range", r);
        }
        JsonArray domain = new JsonArray();
        domain.add(clamp(d0));
        domain.add(clamp(d1));
        a.add("domain", domain);
        a.addProperty("anchor", anchor);
        a.addProperty("zeroline", false);
        a.addProperty("automargin", true);   // the outer margins grow to hold the tick labels and the title
        return a;
    }

    private static void ownTicks(JsonObject axis, double[] values, String[] labels) {
        JsonArray vals = new JsonArray();
        JsonArray text = new JsonArray();
        for (int k = 0; k < values.length; k++) {
            vals.add(values[k]);
            text.add(labels[k]);
        }
        axis.addProperty("tickmode", "array");
        axis.add("tickvals", vals);
        axis.add("ticktext", text);
    }

    /**
     * Ticks of a log axis by {@link LogTicks} (the PNG uses the same): over {@code range} when the caller set one,
     * else over the data's positive values {@code data}. Powers of ten are written {@code 10^k} rather than with SI
     * prefixes ("100µ" for an error of 1e-4). When the ticks widen the data's range, the axis shows the widened range.
     */
    static void logTicks(JsonObject axis, double[] range, double[] data) {
        axis.addProperty("exponentformat", "power");
        LogTicks ticks = range != null ? LogTicks.of(range, false) : LogTicks.of(data, true);
        if (ticks == null) return;
        JsonArray vals = new JsonArray(), text = new JsonArray();
        for (double v : ticks.doubles()) vals.add(v);
        for (String t : ticks.html()) text.add(t);
        axis.addProperty("tickmode", "array");
        axis.add("tickvals", vals);
        axis.add("ticktext", text);
        if (range == null && ticks.widened) {
            JsonArray r = new JsonArray();
            r.add(Math.log10(ticks.lo));
            r.add(Math.log10(ticks.hi));
            axis.add("range", r);
        }
    }

    /**
     * @return a note naming the traces of {@code p} that draw nothing (no point with finite coordinates, positive on a
     *     log axis; no finite heatmap cell or bar), or null when every trace draws something
     */
    static String nothingToDraw(Panel p) {
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < p.traces.size(); k++) {
            Trace t = p.traces.get(k);
            if (!t.drawsSomething(p.xLog, p.yLog)) names.add(t.name != null ? t.name : "trace " + k);
        }
        if (names.isEmpty()) return null;
        return "nothing to draw for " + String.join(", ", names) + ": no finite value"
                + (p.xLog || p.yLog ? " (above 0 on the log axis)" : "");
    }

    private static JsonObject note(String text, String xId, String yId) {
        JsonObject a = new JsonObject();
        a.addProperty("text", text);
        a.addProperty("x", 0.5);
        a.addProperty("y", 0.5);
        a.addProperty("xref", xId + " domain");
        a.addProperty("yref", yId + " domain");
        a.addProperty("showarrow", false);
        JsonObject font = new JsonObject();
        font.addProperty("color", "#990000");
        a.add("font", font);
        return a;
    }

    private static JsonObject panelTitle(String text, double x, double y) {
        JsonObject a = new JsonObject();
        a.addProperty("text", text);
        a.addProperty("x", x);
        a.addProperty("y", y);
        a.addProperty("xref", "paper");
        a.addProperty("yref", "paper");
        a.addProperty("xanchor", "center");
        a.addProperty("yanchor", "bottom");
        a.addProperty("yshift", ABOVE_PANEL_PX);   // clear of a tick label at the top end of the y axis
        a.addProperty("showarrow", false);
        a.add("font", size(TextSizes.TITLE_PX));
        return a;
    }

    private static JsonObject size(int px) {
        JsonObject f = new JsonObject();
        f.addProperty("size", px);
        return f;
    }

    static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            if (Double.isFinite(v)) a.add(v);
            else a.add(JsonNull.INSTANCE);
        }
        return a;
    }

    private static double clamp(double v) {
        return Math.round(Math.min(1, Math.max(0, v)) * 1e6) / 1e6;
    }
}
