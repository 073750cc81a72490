package tpdiff4j.bench;

import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;

/**
 * A chart of the benchmark report as plain data, stored in {@code report.json} and drawn twice from it: as an
 * interactive Plotly chart on the HTML page ({@link HtmlPage}) and as a PNG for {@code BENCHMARKS.md}
 * ({@link ChartImages}). Line charts take numeric x, bar charts take category names.
 *
 * @param id     file-name-safe identifier ({@code [a-z0-9-]+}), also the PNG's name
 * @param title  chart title
 * @param xTitle x-axis title
 * @param yTitle y-axis title
 * @param kind   LINE (x numeric, lines with markers) or BAR (grouped bars over categories)
 * @param xLog   logarithmic x axis
 * @param yLog   logarithmic y axis
 * @param series the data series
 */
public record ChartSpec(String id, String title, String xTitle, String yTitle, Kind kind, boolean xLog, boolean yLog,
                        List<Series> series) {

    /** Chart type. */
    public enum Kind { LINE, BAR }

    /**
     * One series.
     *
     * @param name       legend entry
     * @param x          numeric x (LINE), or null
     * @param categories category names (BAR), or null
     * @param y          values, one per x or category
     * @param dashed     draw the line dashed (for fitted or predicted curves)
     */
    public record Series(String name, double[] x, String[] categories, double[] y, boolean dashed) {

        /** Checks the lengths. */
        public Series {
            int n = x != null ? x.length : categories != null ? categories.length : -1;
            if (n < 0) {
                throw new IllegalArgumentException("x = null, categories = null in series '" + name
                        + "'; allowed: numeric x (a line) or categories (bars)");
            }
            if (y == null || y.length != n) {
                throw new IllegalArgumentException("y = " + (y == null ? "null" : y.length + " values") + " in series '" + name
                        + "'; allowed: one value per x or category (" + n + ")");
            }
        }

        /** A numeric series. */
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x.clone(), null, y.clone(), false);
        }

        /** A numeric series drawn dashed. */
        public static Series dashed(String name, double[] x, double[] y) {
            return new Series(name, x.clone(), null, y.clone(), true);
        }

        /** A bar series. */
        public static Series bars(String name, String[] categories, double[] y) {
            return new Series(name, null, categories.clone(), y.clone(), false);
        }
    }

    /** Checks the id and copies the series. */
    public ChartSpec {
        if (id == null || !id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("id = '" + id + "'; allowed: a name of the characters [a-z0-9-]+ (it names the PNG file)");
        }
        Refusals.notNull(kind, "kind", "LINE or BAR");
        series = List.copyOf(series);
        for (Series s : series) {
            if (kind == Kind.LINE && s.x() == null || kind == Kind.BAR && s.categories() == null) {
                throw new IllegalArgumentException("series = '" + s.name() + "' (" + (s.x() == null ? "categories" : "numeric x")
                        + ") in " + kind + " chart '" + id + "'; allowed: a series with "
                        + (kind == Kind.LINE ? "numeric x" : "categories"));
            }
        }
    }

    /** A line chart without series; add them with {@link #with}. */
    public static ChartSpec line(String id, String title, String xTitle, String yTitle, boolean xLog, boolean yLog) {
        return new ChartSpec(id, title, xTitle, yTitle, Kind.LINE, xLog, yLog, List.of());
    }

    /** A bar chart without series. */
    public static ChartSpec bar(String id, String title, String xTitle, String yTitle) {
        return new ChartSpec(id, title, xTitle, yTitle, Kind.BAR, false, false, List.of());
    }

    /** A copy with one more series. */
    public ChartSpec with(Series s) {
        List<Series> all = new ArrayList<>(series);
        all.add(s);
        return new ChartSpec(id, title, xTitle, yTitle, kind, xLog, yLog, all);
    }
}
