package tpdiff4j.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * One plot area of a {@link Figure}: its traces and its own pair of axes (one grid cell of a subplot grid).
 * Package-private and copy-on-write: a {@link Figure} never shares a panel it is about to change.
 */
final class Panel implements Cloneable {

    List<Trace> traces = new ArrayList<>();
    String title;
    String xTitle;
    String yTitle;
    boolean xLog;
    boolean yLog;
    double[] xRange;
    double[] yRange;
    /** Ticks of the x axis at these values with these labels; null: the plotting library's own ticks. */
    double[] xTickValues;
    String[] xTickLabels;
    /** Ticks of the y axis at these values with these labels; null: the plotting library's own ticks. */
    double[] yTickValues;
    String[] yTickLabels;
    boolean equalAspect;

    Panel copy() {
        try {
            Panel p = (Panel) clone();
            p.traces = new ArrayList<>(traces);
            return p;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Smallest and largest positive finite value of the x (or y) data; null when there are none. */
    double[] positiveRange(boolean x) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Trace t : traces) {
            double[] v = x ? t.x : t.y;
            if (v == null) continue;
            for (double d : v) {
                if (d > 0 && Double.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
            }
        }
        return hi > 0 ? new double[] {lo, hi} : null;
    }

    boolean has(Trace.Kind kind) {
        return traces.stream().anyMatch(t -> t.kind == kind);
    }
}
