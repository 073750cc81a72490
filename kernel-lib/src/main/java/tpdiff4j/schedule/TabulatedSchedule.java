package tpdiff4j.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * A schedule stored as numbers: gamma, sigma and their derivatives at the nodes {@code t_j = j / n},
 * j = 0..n, joined by cubic Hermite interpolation (see {@link Schedules#tabulated}). It is how a user schedule
 * made of Java functions ({@link Schedules#of}) gets a JSON form, e.g. to go into a training configuration or a
 * checkpoint.
 *
 * <p>On the interval {@code [t_i, t_i + h]}, {@code h = 1/n}, {@code u = (t - t_i) / h}:
 * <pre>
 *   f(t)  = h00(u) f_i + h h10(u) f'_i + h01(u) f_{i+1} + h h11(u) f'_{i+1}
 *   h00 = 2u^3 - 3u^2 + 1,  h10 = u^3 - 2u^2 + u,  h01 = -2u^3 + 3u^2,  h11 = u^3 - u^2
 *   f'(t) = 6(u^2 - u)(f_i - f_{i+1}) / h + (3u^2 - 4u + 1) f'_i + (3u^2 - 2u) f'_{i+1}
 * </pre>
 * Values and derivatives are exact at the nodes; in between the error is at most {@code h^4 max|f^(4)| / 384}
 * for the value and {@code sqrt(3) h^3 max|f^(4)| / 216} for the derivative (the cubic Hermite remainder), so
 * n = 256 reproduces smooth schedules to about 1e-11. The interpolants are validated like any user schedule
 * (finite, {@code >= 0}, gamma non-increasing, sigma non-decreasing, log-SNR strictly decreasing on a grid of
 * 1000), and {@link #timeAtLogSnr} bisects. Two tabulated schedules are equal when their JSON is.
 *
 * <p>JSON: {@code {"type": "tabulated", "version": 1, "name": ..., "gamma": [n+1 numbers], "sigma": [...],
 * "gammaDot": [...], "sigmaDot": [...]}}.
 */
public final class TabulatedSchedule implements NoiseSchedule {

    static final String TYPE = "tabulated";

    private final String name;
    private final double[] g;
    private final double[] s;
    private final double[] gd;
    private final double[] sd;
    private final int n;
    private final FunctionSchedule checked;

    TabulatedSchedule(String name, double[] gamma, double[] sigma, double[] gammaDot, double[] sigmaDot) {
        if (gamma == null || sigma == null || gammaDot == null || sigmaDot == null) {
            throw new IllegalArgumentException("gamma = " + (gamma == null ? "null" : "[...]") + ", sigma = "
                    + (sigma == null ? "null" : "[...]") + ", gammaDot = " + (gammaDot == null ? "null" : "[...]")
                    + ", sigmaDot = " + (sigmaDot == null ? "null" : "[...]") + "; allowed: four tables, none null");
        }
        if (gamma.length < 2) {
            throw new IllegalArgumentException("gamma has " + gamma.length + " value(s); allowed: at least 2 (n >= 1 intervals)");
        }
        for (Object[] table : new Object[][] {{"sigma", sigma}, {"gammaDot", gammaDot}, {"sigmaDot", sigmaDot}}) {
            int len = ((double[]) table[1]).length;
            if (len != gamma.length) {
                throw new IllegalArgumentException(table[0] + " has " + len + " values but gamma has " + gamma.length
                        + "; allowed: all four tables of the same length n + 1");
            }
        }
        String[] names = {"gamma", "sigma", "gammaDot", "sigmaDot"};
        double[][] tables = {gamma, sigma, gammaDot, sigmaDot};
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < tables[k].length; j++) {
                if (!Double.isFinite(tables[k][j])) {
                    throw new IllegalArgumentException(names[k] + "[" + j + "] = " + tables[k][j] + " at t = "
                            + (double) j / (gamma.length - 1) + " in schedule '" + name + "'; allowed: finite values"
                            + " (a derivative that is infinite at an end cannot be tabulated)");
                }
            }
        }
        this.name = name;
        this.g = gamma.clone();
        this.s = sigma.clone();
        this.gd = gammaDot.clone();
        this.sd = sigmaDot.clone();
        this.n = gamma.length - 1;
        // validates name and the interpolants on the grid of 1000, and supplies the log-SNR bisection; the slopes are
        // the interpolants' own derivatives, exact by construction whatever the tables hold
        this.checked = new FunctionSchedule(name, t -> value(g, gd, t), t -> value(s, sd, t),
                t -> slope(g, gd, t), t -> slope(s, sd, t), true);
    }

    /** Samples {@code schedule} and its derivatives at {@code t = j / intervals}. */
    static TabulatedSchedule of(NoiseSchedule schedule, int intervals) {
        Refusals.notNull(schedule, "schedule", "a NoiseSchedule, e.g. Schedules.vpCosine()");
        if (intervals < 1) {
            throw new IllegalArgumentException("intervals = " + intervals + " is too small; allowed: intervals >= 1");
        }
        if (intervals > Checks.MAX_STEPS) {   // checked before four tables of intervals + 1 doubles are allocated
            throw new IllegalArgumentException("intervals = " + intervals + " is too large; allowed: 1 <= intervals <= "
                    + Checks.MAX_STEPS + " (256 reproduce a smooth schedule to about 1e-11; Tabulation.of picks the"
                    + " smallest table within a tolerance)");
        }
        double[][] t = new double[4][intervals + 1];
        for (int j = 0; j <= intervals; j++) {
            double tj = (double) j / intervals;
            t[0][j] = schedule.gamma(tj);
            t[1][j] = schedule.sigma(tj);
            t[2][j] = schedule.gammaDot(tj);
            t[3][j] = schedule.sigmaDot(tj);
        }
        try {
            return new TabulatedSchedule(schedule.name(), t[0], t[1], t[2], t[3]);
        } catch (IllegalArgumentException e) {
            if (!java.util.Arrays.stream(t).flatMapToDouble(java.util.Arrays::stream).allMatch(Double::isFinite)) {
                throw e;   // an infinite derivative at an end: no table of any size holds it, as the message says
            }
            // the schedule is valid, its table of this size is not (a cubic between too few nodes overshoots, e.g.
            // sigma above its value at t = 1): say so, rather than only the rule, which reads as the schedule's fault
            throw new IllegalArgumentException("Schedules.tabulated('" + schedule.name() + "', intervals = " + intervals
                    + "): the table's interpolation between t = j / " + intervals + " breaks a rule of a schedule: "
                    + e.getMessage() + "; a finer table keeps the rules (256 intervals reproduce a smooth schedule to"
                    + " about 1e-11; Tabulation.of picks the smallest table within a tolerance)", e);
        }
    }

    private int interval(double t) {
        return Math.min((int) Math.floor(t * n), n - 1);
    }

    private double value(double[] f, double[] d, double t) {
        int i = interval(t);
        double h = 1.0 / n;
        double u = t * n - i;
        double u2 = u * u, u3 = u2 * u;
        return (2 * u3 - 3 * u2 + 1) * f[i] + h * (u3 - 2 * u2 + u) * d[i]
                + (-2 * u3 + 3 * u2) * f[i + 1] + h * (u3 - u2) * d[i + 1];
    }

    private double slope(double[] f, double[] d, double t) {
        int i = interval(t);
        double u = t * n - i;
        double u2 = u * u;
        return 6 * (u2 - u) * (f[i] - f[i + 1]) * n + (3 * u2 - 4 * u + 1) * d[i] + (3 * u2 - 2 * u) * d[i + 1];
    }

    /** Number of intervals n (the tables hold n + 1 nodes). */
    public int intervals() {
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double gamma(double t) {
        return checked.gamma(t);
    }

    @Override
    public double sigma(double t) {
        return checked.sigma(t);
    }

    @Override
    public double gammaDot(double t) {
        return checked.gammaDot(t);
    }

    @Override
    public double sigmaDot(double t) {
        return checked.sigmaDot(t);
    }

    @Override
    public double timeAtLogSnr(double logSnr) {
        return checked.timeAtLogSnr(logSnr);
    }

    @Override
    public String toJson() {
        JsonObject o = ScheduleJson.header(TYPE);
        o.addProperty("name", name);
        o.add("gamma", array(g));
        o.add("sigma", array(s));
        o.add("gammaDot", array(gd));
        o.add("sigmaDot", array(sd));
        return o.toString();
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray(v.length);
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TabulatedSchedule other && name.equals(other.name) && Arrays.equals(g, other.g)
                && Arrays.equals(s, other.s) && Arrays.equals(gd, other.gd) && Arrays.equals(sd, other.sd);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + 7 * Arrays.hashCode(g) + Arrays.hashCode(s);
    }

    @Override
    public String toString() {
        return "TabulatedSchedule[" + name + ", n = " + n + "]";
    }
}
