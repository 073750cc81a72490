package tpdiff4j.viz;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tpdiff4j.Refusals;

/**
 * One data series of a {@link Figure}: a line, a scatter, bars, a heatmap or a histogram.
 *
 * <p>A trace is an immutable value: every styling method returns a changed copy, so a notebook cell can write
 * {@code Trace.line(t, sigma).name("sigma").dash("dot")}. Input arrays are copied; {@code NaN} in a line's
 * {@code y} (or {@code x}) breaks the line there, which is how one trace draws many separate segments
 * (see {@link Plots#matching}); infinities are gaps too. A trace with no finite point at all is kept (a loss curve
 * that diverged at once is still a result): its figure's panel shows a note naming it instead of a blank plot.
 *
 * <p>In Plotly JSON a line is {@code {"type":"scatter","mode":"lines",...}}, a scatter
 * {@code {"type":"scatter","mode":"markers",...}}, bars {@code "bar"}, a heatmap {@code "heatmap"} with
 * {@code z[row][col]} (row along y) and a histogram {@code "histogram"} with explicit bins
 * {@link #binEdges()} so the PNG and the browser show the same bars.
 */
public final class Trace implements Cloneable {

    /** The kind of a trace. */
    public enum Kind { LINE, SCATTER, BAR, HEATMAP, HISTOGRAM }

    final Kind kind;
    final double[] x;
    final double[] y;
    final String[] categories;
    final double[][] z;
    String name;
    String color;
    String dash;   // null: the dash of the trace's palette slot (Colors.DASHES)
    String colorscale = "Viridis";
    double zMin = Double.NaN;   // NaN: the colour scale spans the heatmap's own finite minimum and maximum
    double zMax = Double.NaN;
    String legendGroup;
    double width = 2;
    double size = 6;
    double opacity = 1;
    int bins;
    boolean markers;
    boolean showLegend = true;

    private Trace(Kind kind, double[] x, double[] y, String[] categories, double[][] z) {
        this.kind = kind;
        this.x = x;
        this.y = y;
        this.categories = categories;
        this.z = z;
    }

    /** A line through the points {@code (x[i], y[i])}; {@code NaN} breaks the line. */
    public static Trace line(double[] x, double[] y) {
        checkXy(x, y);
        return new Trace(Kind.LINE, x.clone(), y.clone(), null, null);
    }

    /** A line through {@code (i, y[i])}, i = 0..n-1. */
    public static Trace line(double[] y) {
        Refusals.notNull(y, "y", "the line's points");
        if (y.length == 0) throw new IllegalArgumentException("y = []; allowed: at least one value (the line's points)");
        return line(indices(y.length), y);
    }

    /** Markers at the points {@code (x[i], y[i])}. */
    public static Trace scatter(double[] x, double[] y) {
        checkXy(x, y);
        return new Trace(Kind.SCATTER, x.clone(), y.clone(), null, null);
    }

    /**
     * Bars of height {@code values[i]} at the category {@code categories[i]}, each labelled with its value at its end
     * (in the page and in the PNG), so that a bar of 0 reads as 0 rather than as missing.
     */
    public static Trace bar(String[] categories, double[] values) {
        Refusals.notNull(categories, "categories", "an array of category names");
        Refusals.notNull(values, "values", "an array (not null)");
        if (categories.length != values.length || values.length == 0) {
            throw new IllegalArgumentException("bar: values.length = " + values.length
                    + "; allowed: categories.length = " + categories.length + ", at least 1");
        }
        return new Trace(Kind.BAR, null, values.clone(), categories.clone(), null);
    }

    /** A heatmap of {@code z[row][col]} on cell indices; row 0 at the bottom. */
    public static Trace heatmap(double[][] z) {
        int rows = checkZ(z);
        return heatmap(indices(z[0].length), indices(rows), z);
    }

    /** A heatmap of {@code z[row][col]} with cell centres {@code x[col]}, {@code y[row]}. */
    public static Trace heatmap(double[] x, double[] y, double[][] z) {
        int rows = checkZ(z);
        Refusals.notNull(x, "x", "an array (not null)");
        Refusals.notNull(y, "y", "an array (not null)");
        if (x.length != z[0].length || y.length != rows) {
            throw new IllegalArgumentException("heatmap: need x.length == z[0].length and y.length == z.length, got x.length="
                    + x.length + ", y.length=" + y.length + ", z is " + rows + "x" + z[0].length);
        }
        double[][] copy = new double[rows][];
        for (int r = 0; r < rows; r++) copy[r] = z[r].clone();
        return new Trace(Kind.HEATMAP, x.clone(), y.clone(), null, copy);
    }

    /** A histogram of {@code values} (counts per bin; bin count by Sturges' rule unless {@link #bins(int)}). */
    public static Trace histogram(double[] values) {
        Refusals.notNull(values, "values", "an array (not null)");
        long finite = Arrays.stream(values).filter(Double::isFinite).count();
        if (finite == 0) {
            throw new IllegalArgumentException("histogram: values = " + values.length
                    + " values, none finite; allowed: at least one finite number");
        }
        return new Trace(Kind.HISTOGRAM, values.clone(), null, null, null);
    }

    /** @return the legend name */
    public Trace name(String name) { Trace c = copy(); c.name = name; return c; }

    /**
     * @param cssColor {@code #rgb}, {@code #rrggbb} such as {@code "#1f77b4"}, or a simple name: black, white, red,
     *     green, blue, orange, purple, gray/grey, lightgray/lightgrey, brown, teal, magenta, cyan; null for the palette
     * @return a copy with that colour
     * @throws IllegalArgumentException for another colour (it would be drawn in a default colour instead)
     */
    public Trace color(String cssColor) { Trace c = copy(); c.color = Colors.check(cssColor); return c; }

    /** @return a copy with line width in pixels */
    public Trace width(double pixels) { Trace c = copy(); c.width = positive("width", pixels); return c; }

    /** @return a copy with marker size in pixels (scatter, or a line with markers) */
    public Trace markerSize(double pixels) { Trace c = copy(); c.size = positive("markerSize", pixels); return c; }

    /** @return a copy with opacity in [0, 1] */
    public Trace opacity(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw Refusals.refuse("opacity", alpha, "a number in [0, 1]");
        Trace c = copy(); c.opacity = alpha; return c;
    }

    /**
     * @param style {@code "solid"}, {@code "dash"}, {@code "dot"} or {@code "dashdot"}; null for the default, the
     *     dash of the trace's place in its panel (solid, dash, dot, dashdot, then again), as its colour follows the
     *     palette, so that lines stay apart in greyscale and for colour-blind readers
     * @return a copy with that dash
     * @throws IllegalArgumentException for another style
     */
    public Trace dash(String style) {
        if (style != null && !Arrays.asList(Colors.DASHES).contains(style)) {
            throw Refusals.refuse("dash", style,
                    String.join(", ", Colors.DASHES) + " or null (the default of the trace's place)");
        }
        Trace c = copy(); c.dash = style; return c;
    }

    /** @return a copy of a line that also shows markers at its points */
    public Trace markers() { Trace c = copy(); c.markers = true; return c; }

    /** @return a copy of a histogram with {@code n >= 1} equal bins */
    public Trace bins(int n) {
        if (n < 1) throw Refusals.refuse("bins", n, "at least 1");
        Trace c = copy(); c.bins = n; return c;
    }

    /** The colour scales that plotly.js knows by name; any other name it would silently replace by its default. */
    static final List<String> COLORSCALES = List.of("Viridis", "Cividis", "Greys", "YlGnBu", "Greens", "YlOrRd",
            "Bluered", "RdBu", "Reds", "Blues", "Picnic", "Rainbow", "Portland", "Jet", "Hot", "Blackbody", "Earth",
            "Electric");

    /**
     * @param name one of plotly.js's named colour scales, in any letter case: Viridis (default), Cividis, Greys, YlGnBu,
     *     Greens, YlOrRd, Bluered, RdBu, Reds, Blues, Picnic, Rainbow, Portland, Jet, Hot, Blackbody, Earth, Electric.
     *     The PNG form draws Greys in grey levels and every other scale as Viridis.
     * @return a copy of a heatmap with that colour scale
     * @throws IllegalArgumentException for another name
     */
    public Trace colorscale(String name) {
        String known = COLORSCALES.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("colorscale \"" + name + "\" is not a plotly.js colour scale (it would draw "
                        + "the default instead); allowed: " + String.join(", ", COLORSCALES)));
        Trace c = copy(); c.colorscale = known; return c;
    }

    /**
     * A heatmap whose colour scale runs from {@code min} to {@code max} instead of its own minimum and maximum
     * (values outside take the end colours). Give several heatmaps the same range to compare them by colour: when all
     * the heatmaps of a figure have the same colour scale and range, the figure draws one colour bar for them, right
     * of the grid, instead of one beside each panel.
     *
     * @return a copy of this heatmap with the range
     * @throws IllegalArgumentException if this is not a heatmap or the range is not finite with {@code min < max}
     */
    public Trace zRange(double min, double max) {
        if (kind != Kind.HEATMAP) {
            throw new IllegalArgumentException("zRange(" + min + ", " + max + ") on a " + kind + " trace; allowed: "
                    + "heatmaps only");
        }
        if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
            throw new IllegalArgumentException("zRange(" + min + ", " + max + "); allowed: finite min < max");
        }
        Trace c = copy(); c.zMin = min; c.zMax = max; return c;
    }

    /** @return a copy that shares one legend entry with every trace of the same group */
    public Trace group(String legendGroup) { Trace c = copy(); c.legendGroup = legendGroup; return c; }

    /** @return a copy that has no legend entry */
    public Trace hideLegend() { Trace c = copy(); c.showLegend = false; return c; }

    /** @return the kind of this trace */
    public Kind kind() { return kind; }

    /** @return the legend name, or null */
    public String name() { return name; }

    /** @return the number of points, bars, values or heatmap cells */
    public int points() {
        return switch (kind) {
            case HEATMAP -> z.length * z[0].length;
            case HISTOGRAM -> x.length;
            default -> y.length;
        };
    }

    /**
     * @return whether this trace draws anything: a point with finite coordinates (above 0 on a log axis), a finite
     *     bar or heatmap cell, a finite histogram value
     */
    boolean drawsSomething(boolean xLog, boolean yLog) {
        switch (kind) {
            case HEATMAP -> {
                for (double[] row : z) for (double v : row) if (Double.isFinite(v)) return true;
                return false;
            }
            case BAR -> {
                for (double v : y) if (Double.isFinite(v) && (!yLog || v > 0)) return true;
                return false;
            }
            case HISTOGRAM -> { return true; }   // at least one finite value, checked when it was made
            default -> {
                for (int i = 0; i < y.length; i++) {
                    if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!xLog || x[i] > 0) && (!yLog || y[i] > 0)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /**
     * Histogram bin edges: {@code bins + 1} equal steps from the smallest to the largest finite value
     * (a single value gets the bin [v - 0.5, v + 0.5]); bins by Sturges, {@code ceil(log2 n) + 1}, if unset.
     */
    double[] binEdges() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double v : x) {
            if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); n++; }
        }
        int b = bins > 0 ? bins : (int) Math.ceil(Math.log(n) / Math.log(2)) + 1;
        if (hi == lo) { lo -= 0.5; hi += 0.5; }
        double[] edges = new double[b + 1];
        for (int i = 0; i <= b; i++) edges[i] = lo + (hi - lo) * i / b;
        return edges;
    }

    /** Counts per bin of {@link #binEdges()}; the last bin is closed on the right. */
    double[] binCounts(double[] edges) {
        int b = edges.length - 1;
        double[] counts = new double[b];
        double w = edges[b] - edges[0];
        for (double v : x) {
            if (!Double.isFinite(v)) continue;
            int i = (int) Math.floor((v - edges[0]) / w * b);
            counts[Math.min(Math.max(i, 0), b - 1)]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + (name == null ? "" : " " + name) + " (" + points() + ")";
    }

    private Trace copy() {
        try {
            return (Trace) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    static double[] indices(int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static void checkXy(double[] x, double[] y) {
        Refusals.notNull(x, "x", "an array (not null)");
        Refusals.notNull(y, "y", "an array (not null)");
        if (x.length != y.length) {
            throw Refusals.refuse("y.length", y.length, "x.length = " + x.length + " (one y per x)");
        }
        if (x.length == 0) throw new IllegalArgumentException("x = []; allowed: at least one point");
    }

    private static int checkZ(double[][] z) {
        Refusals.notNull(z, "z", "an array (not null)");
        if (z.length == 0 || z[0] == null || z[0].length == 0) {
            throw new IllegalArgumentException("heatmap: z = no rows or an empty first row; allowed: at least one row and one column");
        }
        for (int r = 0; r < z.length; r++) {
            if (z[r] == null || z[r].length != z[0].length) {
                throw new IllegalArgumentException("heatmap: z[" + r + "] = "
                        + (z[r] == null ? "null" : "a row of length " + z[r].length) + "; allowed: a row of length "
                        + z[0].length + " like row 0 (z is rectangular)");
            }
        }
        return z.length;
    }

    private static double positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw Refusals.refuse(what, v, "a finite number > 0");
        return v;
    }
}
