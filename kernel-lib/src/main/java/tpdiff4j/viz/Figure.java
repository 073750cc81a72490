package tpdiff4j.viz;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import tpdiff4j.Refusals;

/**
 * A figure: traces on one or more panels (a subplot grid), with titles, legends and linear or log axes.
 *
 * <p>Immutable and fluent, made for one-line notebook cells:
 * <pre>{@code
 * Figure.line(t, gamma).name("gamma")
 *       .add(Trace.line(t, sigma).name("sigma"))
 *       .xTitle("t").yLog().title("flow matching")
 * Figure.grid(2, figA, figB, figC)            // three panels, two per row
 * }</pre>
 * Axis and range methods change every panel of the figure (build each panel first, then {@link #grid}); to
 * change one panel of a grid use {@link #panel(int, UnaryOperator)}.
 *
 * <p>Outputs: {@link #toJson()} is the Plotly figure {@code {"data": [...], "layout": {...}}};
 * {@link #mimeBundle()} gives {@code text/html} (a div drawn by plotly.js, see {@link Plotly}),
 * {@code application/vnd.plotly.v1+json}, {@code image/png} (XChart) and a one-line {@code text/plain};
 * {@link #saveHtml(Path)} writes a standalone page with plotly.js inlined, {@link #savePng(Path)} a PNG.
 */
public final class Figure implements Displayable {

    private List<Panel> panels;
    private int cols = 1;
    private String title;
    private Integer width;
    private Integer height;
    private boolean legend = true;

    private Figure(List<Panel> panels) {
        this.panels = panels;
    }

    /** A figure with one panel holding {@code traces} (none is allowed: add them later). */
    public static Figure of(Trace... traces) {
        Refusals.noNulls(traces, "traces", "a Trace");
        Panel p = new Panel();
        p.traces.addAll(Arrays.asList(traces));
        return new Figure(new ArrayList<>(List.of(p)));
    }

    /**
     * A figure of one line through {@code (x[i], y[i])}; {@code x} and {@code y} have the same length, {@code NaN}
     * breaks the line. Chain {@code .title(..)}, {@code .name(..)} or {@code .add(trace)} for more lines.
     *
     * @see Trace#line(double[], double[])
     */
    public static Figure line(double[] x, double[] y) { return of(Trace.line(x, y)); }

    /**
     * A figure of one line through {@code (i, y[i])}, {@code i = 0 .. y.length - 1}: a loss curve, say.
     *
     * @see Trace#line(double[])
     */
    public static Figure line(double[] y) { return of(Trace.line(y)); }

    /**
     * A figure of markers at {@code (x[i], y[i])}; {@code x} and {@code y} have the same length.
     *
     * @see Trace#scatter(double[], double[])
     */
    public static Figure scatter(double[] x, double[] y) { return of(Trace.scatter(x, y)); }

    /**
     * A figure of bars, {@code values[i]} high at {@code categories[i]} (arrays of the same length).
     *
     * @see Trace#bar(String[], double[])
     */
    public static Figure bar(String[] categories, double[] values) { return of(Trace.bar(categories, values)); }

    /**
     * A figure of a heatmap of {@code z[row][col]} on cell indices, row 0 at the bottom.
     *
     * @see Trace#heatmap(double[][])
     */
    public static Figure heatmap(double[][] z) { return of(Trace.heatmap(z)); }

    /**
     * A figure of the histogram of {@code values} (counts per bin; the bin count follows Sturges' rule).
     *
     * @see Trace#histogram(double[])
     */
    public static Figure histogram(double[] values) { return of(Trace.histogram(values)); }

    /**
     * A subplot grid: the panels of {@code figures}, in order, {@code cols} per row; each panel keeps its
     * traces, axes and ranges, and a one-panel figure's title becomes its panel's title. The grid has one legend;
     * the traces of a figure made with {@code legend(false)} stay out of it.
     */
    public static Figure grid(int cols, Figure... figures) {
        if (cols < 1) throw new IllegalArgumentException("grid: cols = " + cols + "; allowed: at least 1");
        Refusals.noNulls(figures, "grid: figures", "a Figure");
        if (figures.length == 0) throw new IllegalArgumentException("grid: figures = []; allowed: at least one figure");
        List<Panel> all = new ArrayList<>();
        for (Figure f : figures) {
            for (Panel p : f.panels) {
                Panel c = p.copy();
                if (f.panels.size() == 1 && c.title == null) c.title = f.title;
                if (!f.legend) c.traces.replaceAll(Trace::hideLegend);   // the grid has one legend: keep them out
                all.add(c);
            }
        }
        Figure g = new Figure(all);
        g.cols = Math.min(cols, all.size());
        return g;
    }

    /** @return a copy with {@code traces} added to the last panel */
    public Figure add(Trace... traces) {
        Refusals.noNulls(traces, "add: traces", "a Trace");
        return changePanel(panels.size() - 1, p -> { p.traces.addAll(Arrays.asList(traces)); return p; });
    }

    /** @return a copy whose last trace is replaced by {@code change} applied to it */
    public Figure last(UnaryOperator<Trace> change) {
        int i = panels.size() - 1;
        if (panels.get(i).traces.isEmpty()) throw new IllegalStateException("the figure has no trace to change yet");
        return changePanel(i, p -> {
            p.traces.set(p.traces.size() - 1, Objects.requireNonNull(change.apply(p.traces.get(p.traces.size() - 1))));
            return p;
        });
    }

    /** @return a copy whose last trace has legend name {@code name}, as in {@code Figure.line(t, g).name("gamma")} */
    public Figure name(String name) { return last(t -> t.name(name)); }

    /** @return a copy whose last trace has the colour {@code css}: {@code #rgb}, {@code #rrggbb} or a simple name ({@link Trace#color}) */
    public Figure color(String css) { return last(t -> t.color(css)); }

    /** @return a copy whose last trace is drawn {@code "solid"}, {@code "dash"}, {@code "dot"} or {@code "dashdot"} ({@link Trace#dash}) */
    public Figure dash(String style) { return last(t -> t.dash(style)); }

    /** @return a copy whose panel {@code index} (row-major) is changed by {@code change} (given a copy) */
    private Figure changePanel(int index, UnaryOperator<Panel> change) {
        if (index < 0 || index >= panels.size()) {
            throw new IndexOutOfBoundsException("panel index " + index + " not in [0, " + panels.size() + ")");
        }
        Figure f = copy();
        f.panels.set(index, change.apply(panels.get(index).copy()));
        return f;
    }

    /** @return a copy whose panel {@code index} is replaced by the (one-panel) result of {@code change} */
    public Figure panel(int index, UnaryOperator<Figure> change) {
        if (index < 0 || index >= panels.size()) {
            throw new IndexOutOfBoundsException("panel index " + index + " not in [0, " + panels.size() + ")");
        }
        Figure one = new Figure(new ArrayList<>(List.of(panels.get(index).copy())));
        Figure changed = change.apply(one);
        if (changed.panels.size() != 1) throw new IllegalArgumentException("panel: the change returned " + changed.panels.size()
                + " panels; allowed: a change that keeps one panel");
        Panel p = changed.panels.get(0).copy();
        if (changed.title != null) p.title = changed.title;
        return changePanel(index, q -> p);
    }

    /** @return a copy with a figure title */
    public Figure title(String title) { Figure f = copy(); f.title = title; return f; }

    /** @return a copy of size {@code width x height} pixels (HTML and PNG); up to {@link #NOTEBOOK_WIDTH_PX} wide
     *  it shows whole in a classic notebook */
    public Figure size(int width, int height) {
        if (width < 50 || height < 50 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException("size = " + width + "x" + height + "; allowed: width and height within 50..8000 pixels");
        }
        Figure f = copy(); f.width = width; f.height = height; return f;
    }

    /** @return a copy that shows (true, default) or hides the legend */
    public Figure legend(boolean show) { Figure f = copy(); f.legend = show; return f; }

    /** @return a copy with x-axis title {@code text} on every panel */
    public Figure xTitle(String text) { return all(p -> p.xTitle = text); }

    /** @return a copy with y-axis title {@code text} on every panel */
    public Figure yTitle(String text) { return all(p -> p.yTitle = text); }

    /**
     * @return a copy with a logarithmic x axis on every panel (non-positive values are not drawn)
     * @throws IllegalArgumentException if a panel already shows an {@link #xRange} with {@code lo <= 0}
     */
    public Figure xLog() { return all(p -> { logRange("xRange", p.xRange, true, p); p.xLog = true; }); }

    /**
     * @return a copy with a logarithmic y axis on every panel (non-positive values are not drawn)
     * @throws IllegalArgumentException if a panel already shows a {@link #yRange} with {@code lo <= 0}
     */
    public Figure yLog() { return all(p -> { logRange("yRange", p.yRange, true, p); p.yLog = true; }); }

    /**
     * @return a copy showing x in [lo, hi] (data units, also on log axes, where {@code 0 < lo} is required)
     * @throws IllegalArgumentException unless {@code lo < hi} are finite, and {@code lo > 0} on a log x axis
     */
    public Figure xRange(double lo, double hi) {
        double[] r = range("xRange", lo, hi);
        return all(p -> { logRange("xRange", r, p.xLog, p); p.xRange = r; });
    }

    /**
     * @return a copy showing y in [lo, hi] (data units, also on log axes, where {@code 0 < lo} is required)
     * @throws IllegalArgumentException unless {@code lo < hi} are finite, and {@code lo > 0} on a log y axis
     */
    public Figure yRange(double lo, double hi) {
        double[] r = range("yRange", lo, hi);
        return all(p -> { logRange("yRange", r, p.yLog, p); p.yRange = r; });
    }

    /**
     * @return a copy whose x axis has ticks only at {@code values}, labelled {@code labels}, or with the values
     *     themselves when no label is given ({@code xTicks(new double[] {2, 4, 8, 16, 32})} on a log axis of step
     *     counts), in the page and in the PNG
     * @throws IllegalArgumentException unless the values are finite, at least one, and the labels (if any) as many
     *     and not null
     */
    public Figure xTicks(double[] values, String... labels) {
        String[][] l = new String[1][];
        double[] v = ticks("xTicks", values, labels, l);
        return all(p -> {
            p.xTickValues = v;
            p.xTickLabels = l[0];
        });
    }

    /**
     * @return a copy whose y axis has ticks only at {@code values}, labelled {@code labels} (categories drawn at
     *     heights 0, 1, 2, ...), or with the values themselves when no label is given, in the page and in the PNG
     * @throws IllegalArgumentException unless the values are finite, at least one, and the labels (if any) as many
     *     and not null
     */
    public Figure yTicks(double[] values, String... labels) {
        String[][] l = new String[1][];
        double[] v = ticks("yTicks", values, labels, l);
        return all(p -> {
            p.yTickValues = v;
            p.yTickLabels = l[0];
        });
    }

    /** Checks tick values and labels; returns a copy of the values and puts the labels (made if none) in {@code out[0]}. */
    private static double[] ticks(String what, double[] values, String[] labels, String[][] out) {
        boolean own = labels != null && labels.length > 0;
        if (values == null || labels == null || values.length == 0 || (own && values.length != labels.length)) {
            throw new IllegalArgumentException(what + " needs at least one value and as many labels as values (or none,"
                    + " to label them with the values), got " + (values == null ? "null" : values.length + " values")
                    + " and " + (labels == null ? "null" : labels.length + " labels"));
        }
        String[] l = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || (own && labels[i] == null)) {
                throw new IllegalArgumentException(what + ": value " + values[i] + " with label "
                        + (own ? labels[i] : "(the value)") + " at index " + i
                        + "; allowed: a finite value and a label that is not null");
            }
            l[i] = own ? labels[i] : java.math.BigDecimal.valueOf(values[i]).stripTrailingZeros().toPlainString();
        }
        out[0] = l;
        return values.clone();
    }

    /** @return a copy with one unit on x as long as one unit on y (for 2-D point clouds; HTML only) */
    public Figure equalAspect() { return all(p -> p.equalAspect = true); }

    /** @return the number of traces over all panels */
    public int traceCount() { return panels.stream().mapToInt(p -> p.traces.size()).sum(); }

    /** @return the number of panels */
    public int panelCount() { return panels.size(); }

    /** @return the Plotly figure {@code {"data": [...], "layout": {...}}} as JSON text */
    public String toJson() { return PlotlyJson.figure(this).toString(); }

    /** @return the figure as a div and a script that draws it once {@code window.Plotly} exists (no plotly.js) */
    public String toHtmlDiv() { return Plotly.div(toJson(), width(), height()); }

    /** @return a standalone HTML page with plotly.js inlined; throws if plotly.js cannot be found */
    public String toStandaloneHtml() {
        String t = title == null ? "tpdiff4j figure" : Plotly.escapeHtml(title);
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + t + "</title></head><body>\n"
                + Plotly.scriptTag(Plotly.requireSource()) + "\n" + toHtmlDiv() + "\n</body></html>\n";
    }

    /** @return this figure drawn by XChart as an image of {@link #width()} x {@link #height()} pixels */
    public BufferedImage toImage() { return Images.keepingInterrupt(() -> PngRenderer.render(this)); }

    /** Writes {@link #toStandaloneHtml()} to {@code file}, creating missing parent folders; returns {@code file}. */
    public Path saveHtml(Path file) {
        return Images.save(file, () -> toStandaloneHtml().getBytes(StandardCharsets.UTF_8), "an HTML page", ".html",
                ".htm");
    }

    /** Writes {@link #toImage()} as PNG to {@code file}, creating missing parent folders; returns {@code file}. */
    public Path savePng(Path file) {
        return Images.save(file, () -> Images.png(toImage()), "a PNG image", ".png");
    }

    /**
     * {@code text/html} (includes plotly.js once per JVM, see {@link Plotly}), the Plotly JSON, an
     * {@code image/png} when XChart can draw the figure, and a one-line {@code text/plain}. The html's div holds that
     * PNG until plotly.js draws, so a page that runs no scripts (an untrusted notebook, whose html Jupyter
     * sanitizes) shows the image rather than an empty box.
     */
    @Override
    public Map<String, String> mimeBundle() {
        String json = toJson();
        String png = null;
        try {
            png = Images.base64Png(toImage());
        } catch (RuntimeException e) {
            // a viewer without scripts then shows text/plain; the html and the JSON are complete
        }
        String text = toString();
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", Plotly.includeOnce() + Plotly.div(json, width(), height(), png, description()));
        bundle.put("application/vnd.plotly.v1+json", json);
        if (png != null) bundle.put("image/png", png);
        bundle.put("text/plain", text);
        return bundle;
    }

    /**
     * A short summary such as {@code Figure "schedules": 3 traces (line gamma, line sigma, ...), 1x1 panels}; it ends
     * with {@code , 1 with nothing to draw (no finite value)} when traces have no finite point (every value {@code NaN},
     * or none above 0 on a log axis), which the drawn figure also says in a note on their panel.
     */
    @Override
    public String toString() {
        List<Trace> all = traces();
        String list = all.stream().limit(3).map(t -> t.kind.name().toLowerCase(Locale.ROOT) + (t.name == null ? "" : " " + t.name))
                .collect(Collectors.joining(", ")) + (all.size() > 3 ? ", ..." : "");
        String head = "Figure" + (title == null ? "" : " \"" + title + "\"");
        long blank = panels.stream().flatMap(p -> p.traces.stream().filter(t -> !t.drawsSomething(p.xLog, p.yLog))).count();
        String s = head + ": " + all.size() + " trace" + (all.size() == 1 ? "" : "s") + " (" + list + "), "
                + rows() + "x" + cols + " panels, " + width() + "x" + height() + " px"
                + (blank == 0 ? "" : ", " + blank + " with nothing to draw (no finite value)");
        return s.length() <= 190 ? s : s.substring(0, 187) + "...";
    }

    /**
     * The figure in words, for a screen reader and wherever the image cannot be seen: the title, then for each panel
     * its title, its axes (and which are logarithmic) and the names of its traces by kind, such as
     * {@code Figure "losses": x axis "step", y axis "loss" (log); lines vanilla, TPDiff}. The html of
     * {@link #mimeBundle()} gives it as the figure's accessible name and as its PNG's alternative text. At most 600
     * characters.
     */
    public String description() {
        StringBuilder b = new StringBuilder("Figure").append(title == null ? "" : " \"" + title + "\"");
        b.append(panels.size() == 1 ? ": " : ", " + panels.size() + " panels: ");
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            if (i > 0) b.append(". ");
            if (panels.size() > 1) b.append("panel ").append(i + 1).append(p.title == null ? "" : " \"" + p.title + "\"").append(", ");
            List<String> parts = new ArrayList<>();
            if (p.xTitle != null || p.xLog) parts.add("x axis" + (p.xTitle == null ? "" : " \"" + p.xTitle + "\"") + (p.xLog ? " (log)" : ""));
            if (p.yTitle != null || p.yLog) parts.add("y axis" + (p.yTitle == null ? "" : " \"" + p.yTitle + "\"") + (p.yLog ? " (log)" : ""));
            Map<String, List<String>> byKind = new LinkedHashMap<>();
            for (Trace t : p.traces) {
                String kind = switch (t.kind) {
                    case LINE -> "lines";
                    case SCATTER -> "markers";
                    case BAR -> "bars";
                    case HEATMAP -> "heatmap";
                    case HISTOGRAM -> "histogram";
                };
                List<String> names = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
                if (t.name != null && !names.contains(t.name)) names.add(t.name);
            }
            byKind.forEach((kind, names) -> parts.add(kind + (names.isEmpty() ? "" : " " + String.join(", ", names))));
            b.append(parts.isEmpty() ? "empty" : String.join("; ", parts));
        }
        String s = b.toString();
        return s.length() <= 600 ? s : s.substring(0, 597) + "...";
    }

    // ---- package-private views for the JSON and PNG writers ----

    List<Panel> panels() { return panels; }

    int cols() { return cols; }

    int rows() { return (panels.size() + cols - 1) / cols; }

    String title() { return title; }

    boolean legend() { return legend; }

    List<Trace> traces() { return panels.stream().flatMap(p -> p.traces.stream()).toList(); }

    /**
     * The widest figure a classic notebook's output area shows whole (about 970 px in a 1280 px window); a wider
     * figure loses its right edge there, with no scroll bar.
     */
    public static final int NOTEBOOK_WIDTH_PX = 960;

    /** @return the width in pixels: as set, else 700 for one panel and 360 per grid column (at most
     *  {@link #NOTEBOOK_WIDTH_PX}) */
    public int width() { return width != null ? width : cols == 1 ? 700 : Math.min(NOTEBOOK_WIDTH_PX, 360 * cols); }

    /** @return the height in pixels: as set, else 450 for one panel and 320 per grid row */
    public int height() { return height != null ? height : panels.size() == 1 ? 450 : 320 * rows() + 40; }

    private Figure all(java.util.function.Consumer<Panel> change) {
        Figure f = copy();
        for (int i = 0; i < f.panels.size(); i++) {
            Panel p = f.panels.get(i).copy();
            change.accept(p);
            f.panels.set(i, p);
        }
        return f;
    }

    private Figure copy() {
        Figure f = new Figure(new ArrayList<>(panels));
        f.cols = cols; f.title = title; f.width = width; f.height = height; f.legend = legend;
        return f;
    }

    /** A log axis has no place for 0 or below: its range must start above 0 (Plotly would get log10(lo) = -inf). */
    private static void logRange(String what, double[] r, boolean log, Panel p) {
        if (log && r != null && !(r[0] > 0)) {
            throw new IllegalArgumentException(what + "(" + r[0] + ", " + r[1] + ") on a logarithmic axis"
                    + (p.title == null ? "" : " (panel \"" + p.title + "\")") + "; allowed: 0 < lo < hi, or a linear axis");
        }
    }

    private static double[] range(String what, double lo, double hi) {
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException(what + " needs finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        return new double[] {lo, hi};
    }
}
