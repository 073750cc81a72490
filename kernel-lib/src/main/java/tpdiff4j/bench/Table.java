package tpdiff4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of the benchmark report, already formatted (cells are strings), stored in {@code report.json} and printed
 * by {@link Markdown} and {@link HtmlPage} under its section.
 *
 * @param section section id: train, sample, scaling, assignment, align or kernel
 * @param title   caption
 * @param columns column headers
 * @param rows    rows, each with one cell per column
 */
public record Table(String section, String title, List<String> columns, List<List<String>> rows) {

    /** Copies and checks the row widths. */
    public Table {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("rows[" + i + "] = " + r + " (" + r.size() + " cells) in table '" + title
                        + "'; allowed: " + columns.size() + " cells, one per column of the header");
            }
            copy.add(List.copyOf(r));
        }
        rows = List.copyOf(copy);
    }

    /** An empty table. */
    public static Table of(String section, String title, String... columns) {
        return new Table(section, title, List.of(columns), List.of());
    }

    /** A copy with one more row; numbers are formatted by {@link #fmt}. */
    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Double d ? fmt(d) : c instanceof Float f ? fmt(f) : String.valueOf(c));
        }
        List<List<String>> all = new ArrayList<>(rows);
        all.add(r);
        return new Table(section, title, columns, all);
    }

    /** Integers as integers; otherwise four significant digits, no exponent between 1e-3 and 1e6; "n/a" for NaN. */
    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0 || Double.isInfinite(v)) {
            return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : "0";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
