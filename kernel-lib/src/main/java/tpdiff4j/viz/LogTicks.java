package tpdiff4j.viz;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The ticks of a logarithmic axis, one rule for the Plotly figure and its PNG, so that the page and a printout of it
 * label an axis alike. Over more than three decades the ticks are powers of ten (every second, third, ... power when
 * there are more than eight decades); over 1.8 to 3 decades 1, 2 and 5 times a power of ten; over 1.2 to 1.8
 * decades 1, 2, 3 and 5 times; below, 1, 1.5, 2, 3, 4, 5, 6 and 8 times. Each tick is labelled with its full value
 * ("20", "0.05", not the lone digit "2" that plotly.js writes between powers of ten); an axis that needs an exponent
 * at any tick (below 0.001 or above 100000) writes every tick as {@code m×10^k}.
 *
 * <p>The axis shows the values' range padded by 5% of its decades on each side, as plotly.js pads it; when fewer
 * than two ticks fall in there (a narrow range between two candidates), it is widened to the nearest candidate
 * below and above, so both ends carry a label.
 */
final class LogTicks {

    /** Plotly.js pads an axis's range by this fraction of its length on each side; ticks there are drawn too. */
    static final double PADDING = 0.05;
    /** Above this many decades only powers of ten are labelled. */
    static final double DECADES_ONLY_ABOVE = 3;
    /** At most about this many powers of ten are labelled; more decades label every second, third, ... power. */
    static final int MAX_DECADE_LABELS = 8;

    /** The axis's bounds in data units (positive, {@code lo < hi}). */
    final double lo;
    final double hi;
    /** Whether the bounds were widened beyond the padded range to reach two ticks (the axis must then show them). */
    final boolean widened;
    final List<BigDecimal> values;
    /** Whether every tick is written {@code m×10^k}. */
    final boolean power;

    private LogTicks(double lo, double hi, boolean widened, List<BigDecimal> values) {
        this.lo = lo;
        this.hi = hi;
        this.widened = widened;
        this.values = values;
        this.power = values.stream().anyMatch(v -> exponent(v) < -3 || exponent(v) > 5);
    }

    /**
     * @param range the smallest and largest positive value to show
     * @param padded whether to pad the range as plotly.js's autorange does (false for a range the caller set)
     * @return the ticks, or null when {@code range} is null or not {@code 0 < lo <= hi}, finite
     */
    static LogTicks of(double[] range, boolean padded) {
        if (range == null || !(range[0] > 0) || !(range[1] >= range[0]) || !Double.isFinite(range[1])) return null;
        double decades = Math.log10(range[1] / range[0]);
        double margin = padded ? PADDING * decades : 0;
        double lo = range[0] * Math.pow(10, -margin), hi = range[1] * Math.pow(10, margin);
        List<BigDecimal> candidates = candidates(decades, lo, hi);
        double tol = 1e-12;
        List<BigDecimal> in = new ArrayList<>();
        for (BigDecimal v : candidates) {
            if (v.doubleValue() >= lo * (1 - tol) && v.doubleValue() <= hi * (1 + tol)) in.add(v);
        }
        if (in.size() >= 2) return new LogTicks(lo, hi, false, in);
        // widen to the nearest candidate at or below lo and above hi
        BigDecimal below = null, above = null;
        for (BigDecimal v : candidates) {
            if (v.doubleValue() <= lo * (1 + tol)) below = v;
            if (above == null && v.doubleValue() > hi * (1 + tol)) above = v;
        }
        List<BigDecimal> ticks = new ArrayList<>();
        for (BigDecimal v : candidates) {
            if (v.compareTo(below) >= 0 && v.compareTo(above) <= 0) ticks.add(v);
        }
        return new LogTicks(below.doubleValue(), above.doubleValue(), true, ticks);
    }

    /** Candidates from one step below {@code lo} to one step above {@code hi}, in increasing order. */
    private static List<BigDecimal> candidates(double decades, double lo, double hi) {
        List<BigDecimal> c = new ArrayList<>();
        int e0 = (int) Math.floor(Math.log10(lo)) - 1, e1 = (int) Math.ceil(Math.log10(hi)) + 1;
        if (decades > DECADES_ONLY_ABOVE) {
            int step = Math.max(1, (int) Math.ceil(decades / MAX_DECADE_LABELS));
            for (int e = Math.floorDiv(e0, step) * step; e <= e1 + step; e += step) c.add(BigDecimal.ONE.scaleByPowerOfTen(e));
            return c;
        }
        String[] mantissas = decades > 1.8 ? new String[] {"1", "2", "5"}
                : decades > 1.2 ? new String[] {"1", "2", "3", "5"} : new String[] {"1", "1.5", "2", "3", "4", "5", "6", "8"};
        for (int e = e0; e <= e1; e++) {
            for (String m : mantissas) c.add(new BigDecimal(m).scaleByPowerOfTen(e));
        }
        return c;
    }

    /** @return the tick values as doubles */
    double[] doubles() {
        return values.stream().mapToDouble(BigDecimal::doubleValue).toArray();
    }

    /** @return the labels as plotly.js text: {@code 2×10<sup>−5</sup>}, or the plain value */
    List<String> html() {
        return values.stream().map(v -> label(v, "<sup>", "</sup>", "\u2212")).toList();
    }

    /** @return the labels as plain text for the PNG: {@code 2×10⁻⁵}, or the plain value */
    List<String> text() {
        return values.stream().map(v -> {
            if (!power) return v.stripTrailingZeros().toPlainString();
            StringBuilder sup = new StringBuilder();
            for (char ch : Integer.toString(exponent(v)).toCharArray()) sup.append(superscript(ch));
            String m = mantissa(v);
            return (m.equals("1") ? "" : m + "\u00d7") + "10" + sup;
        }).toList();
    }

    private String label(BigDecimal v, String open, String close, String minus) {
        if (!power) return v.stripTrailingZeros().toPlainString();
        int e = exponent(v);
        String m = mantissa(v);
        String p = "10" + open + (e < 0 ? minus + (-e) : Integer.toString(e)) + close;
        return m.equals("1") ? p : m + "\u00d7" + p;
    }

    private static String mantissa(BigDecimal v) {
        return v.scaleByPowerOfTen(-exponent(v)).stripTrailingZeros().toPlainString();
    }

    private static char superscript(char c) {
        return switch (c) {
            case '-' -> '\u207b';
            case '1' -> '\u00b9';
            case '2' -> '\u00b2';
            case '3' -> '\u00b3';
            default -> (char) ('\u2070' + (c - '0'));
        };
    }

    private static int exponent(BigDecimal v) {
        return v.precision() - v.scale() - 1;
    }
}
