package tpdiff4j.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a metric table: label, ideal value and measured value; plus the table layout. A row marked
 * {@code whole} (a named number of a report, which may be a count such as training steps) prints a whole value
 * as an integer, all its digits, instead of with four significant digits ({@code 222}, not {@code 222.0};
 * {@code 12345}, not {@code 1.235e+04}).
 */
record ReportRow(String label, String ideal, double value, boolean whole) {

    /** A row that always prints four significant digits. */
    ReportRow(String label, String ideal, double value) {
        this(label, ideal, value, false);
    }

    /** @return the value as the table prints it */
    String text() {
        if (whole && Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return format(value);
    }

    /** @return v with 4 significant digits, "-" for NaN */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** Lays out the reports as columns beside a label column and an ideal column. */
    static String table(List<MetricReport> reports) {
        Map<String, String> ideals = new LinkedHashMap<>();
        List<Map<String, String>> columns = new ArrayList<>();
        for (MetricReport r : reports) {
            Map<String, String> col = new LinkedHashMap<>();
            for (ReportRow row : r.rows()) {
                ideals.putIfAbsent(row.label(), row.ideal());
                col.put(row.label(), row.text());
            }
            columns.add(col);
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[reports.size() + 2];
        header[0] = "metric";
        header[1] = "ideal";
        for (int i = 0; i < reports.size(); i++) {
            header[i + 2] = reports.get(i).name();
        }
        lines.add(header);
        for (Map.Entry<String, String> e : ideals.entrySet()) {
            String[] line = new String[reports.size() + 2];
            line[0] = e.getKey();
            line[1] = e.getValue();
            for (int i = 0; i < reports.size(); i++) {
                line[i + 2] = columns.get(i).getOrDefault(e.getKey(), "-");
            }
            lines.add(line);
        }
        int[] width = new int[header.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            String[] line = lines.get(k);
            for (int i = 0; i < line.length; i++) {
                String cell = i == 0 ? pad(line[i], width[i], true) : pad(line[i], width[i], false);
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
            if (k == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w, boolean left) {
        String fill = " ".repeat(w - s.length());
        return left ? s + fill : fill + s;
    }
}
