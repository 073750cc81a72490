package tpdiff4j.schedule;

import com.google.gson.JsonObject;
import tpdiff4j.Refusals;

/**
 * A schedule of Java functions, or a {@link NoiseSchedule} class of one's own, turned into a table
 * ({@link Schedules#tabulated}) with the table size chosen automatically so that the stored schedule stays within
 * {@code tolerance} of the functions.
 *
 * <p>Rule: try {@code n = 64, 128, ..., 4096} intervals and keep the first table that is a valid schedule (the cubic
 * pieces of a coarse table can overshoot where the schedule is steep; a finer one is then tried) and whose largest
 * absolute deviation from the original, over gamma, sigma, gammaDot and sigmaDot on the check grid
 * {@code t = i / (16 n)} (16 points
 * per interval, so the middle of every Hermite piece, where its error peaks, is on it), is at most
 * {@code tolerance}. The cubic Hermite error falls like {@code h^4} for values and {@code h^3} for derivatives,
 * so each doubling gains a factor of about 8 or more for smooth schedules. A schedule that needs more than 4096
 * intervals (e.g. a derivative that is unbounded at an end) is refused with the best figure reached; one whose
 * deviation does not halve from 2048 to 4096 intervals, with its largest deviation away from the ends, is refused
 * as having a kink there (a jump of a derivative where two pieces meet), which no table follows.
 *
 * @param schedule  the table
 * @param intervals its number of intervals n
 * @param maxError  the largest deviation measured on the check grid
 * @param tolerance the tolerance asked for
 */
public record Tabulation(NoiseSchedule schedule, int intervals, double maxError, double tolerance) {

    /** Default tolerance on gamma, sigma and both derivatives (absolute). */
    public static final double DEFAULT_TOLERANCE = 1e-7;
    static final int MIN_INTERVALS = 64;
    static final int MAX_INTERVALS = 4096;
    static final int CHECKS_PER_INTERVAL = 16;

    /** Tabulates {@code s} within {@link #DEFAULT_TOLERANCE}. */
    public static Tabulation of(NoiseSchedule s) {
        return of(s, DEFAULT_TOLERANCE);
    }

    /**
     * Tabulates {@code s} within {@code tolerance}.
     *
     * @throws IllegalArgumentException if no table of at most 4096 intervals reaches it (the message gives the
     *     figure reached) or the tolerance is not positive
     */
    public static Tabulation of(NoiseSchedule s, double tolerance) {
        Refusals.notNull(s, "schedule", "a NoiseSchedule, e.g. Schedules.vpCosine()");
        Checks.positive("tolerance", tolerance);
        double best = Double.POSITIVE_INFINITY;
        double previous = Double.NaN;   // the deviation with n / 2 intervals, then with n
        double last = Double.NaN;
        double where = Double.NaN;      // the time of the largest deviation with the finest table
        IllegalArgumentException invalid = null;
        int invalidAt = 0;
        for (int n = MIN_INTERVALS; n <= MAX_INTERVALS; n *= 2) {
            NoiseSchedule table;
            try {
                table = Schedules.tabulated(s, n);
            } catch (IllegalArgumentException e) {
                // the values are the table's (its cubic pieces may overshoot where the schedule is steep): a finer
                // table may be valid, so try it before giving up
                invalid = e;
                invalidAt = n;
                continue;
            }
            double err = maxDeviation(s, table, n * CHECKS_PER_INTERVAL);
            if (err <= tolerance) {
                return new Tabulation(table, n, err, tolerance);
            }
            best = Math.min(best, err);
            previous = n == MAX_INTERVALS / 2 ? err : previous;
            last = n == MAX_INTERVALS ? err : last;
            where = n == MAX_INTERVALS ? worstTime(s, table, n * CHECKS_PER_INTERVAL) : where;
        }
        if (best == Double.POSITIVE_INFINITY && invalid != null) {
            throw new IllegalArgumentException("schedule '" + s.name() + "' cannot be saved as a table"
                    + " (Schedules.tabulated): no table of " + MIN_INTERVALS + " to " + MAX_INTERVALS + " intervals is"
                    + " a valid schedule; with " + invalidAt + " intervals (the values named are the table's, whose"
                    + " cubic pieces may overshoot where the schedule is steep): " + invalid.getMessage() + ". Give exact derivatives"
                    + " (Schedules.of with four functions) or smooth the schedule where it is steep", invalid);
        }
        String headline = "schedule '" + s.name() + "': Schedules.tabulated with up to " + MAX_INTERVALS
                + " intervals stays " + best + " away from it (gamma, sigma or a derivative), more than the tolerance "
                + tolerance;
        if (hasJson(s)) {   // a built-in or stored schedule: a discrete one has kinks at its steps that no table follows
            throw new IllegalArgumentException(headline + ". It needs no table: it has its own exact JSON form (toJson, "
                    + "Schedules.fromJson), which training configurations and experiments save; tables are for "
                    + "schedules of Java functions (Schedules.of)");
        }
        // a smooth schedule's deviation falls by 8 or more as the intervals double; one that does not halve, far above
        // rounding and away from the ends (where an unbounded higher derivative also slows it down), is a kink
        if (last > 1e-9 && last > previous / 2 && where >= 0.01 && where <= 0.99) {
            throw new IllegalArgumentException(headline + "; the deviation does not shrink as the table is refined ("
                    + previous + " with " + MAX_INTERVALS / 2 + " intervals, " + last + " with " + MAX_INTERVALS
                    + ", largest near t = " + where + "), as it does for a smooth schedule: gamma, sigma or a derivative"
                    + " has a kink or a jump there (where two pieces of the schedule meet), which no table of cubic pieces follows, however fine. Training"
                    + " without checkpoints uses the functions themselves and needs no table; to save the schedule (a"
                    + " checkpoint, an experiment, a plan), join its pieces with matching slopes, e.g. over a short blend");
        }
        throw new IllegalArgumentException(headline + "; give exact derivatives (Schedules.of with four functions),"
                + " smooth the schedule near its ends, or save it with a larger tolerance");
    }

    /** Largest {@code |f_a - f_b|} over gamma, sigma, gammaDot, sigmaDot at {@code t = i / points}, i = 0..points. */
    static double maxDeviation(NoiseSchedule a, NoiseSchedule b, int points) {
        double m = 0;
        for (int i = 0; i <= points; i++) {
            double t = (double) i / points;
            m = Math.max(m, Math.abs(a.gamma(t) - b.gamma(t)));
            m = Math.max(m, Math.abs(a.sigma(t) - b.sigma(t)));
            m = Math.max(m, Math.abs(a.gammaDot(t) - b.gammaDot(t)));
            m = Math.max(m, Math.abs(a.sigmaDot(t) - b.sigmaDot(t)));
        }
        return m;
    }

    /** The time {@code t = i / points} of the largest deviation {@link #maxDeviation} finds. */
    private static double worstTime(NoiseSchedule a, NoiseSchedule b, int points) {
        double m = -1;
        double where = 0;
        for (int i = 0; i <= points; i++) {
            double t = (double) i / points;
            double d = Math.max(Math.max(Math.abs(a.gamma(t) - b.gamma(t)), Math.abs(a.sigma(t) - b.sigma(t))),
                    Math.max(Math.abs(a.gammaDot(t) - b.gammaDot(t)), Math.abs(a.sigmaDot(t) - b.sigmaDot(t))));
            if (d > m) {
                m = d;
                where = t;
            }
        }
        return where;
    }

    /** The library's schedules whose {@code toJson()} {@link Schedules#fromJson} reads back as an equal schedule. */
    private static final java.util.Set<Class<?>> WITH_JSON = java.util.Set.of(FlowMatchingSchedule.class,
            BetaSchedule.class, CosineBetaSchedule.class, TrainedBetasSchedule.class, VpCosineSchedule.class,
            TabulatedSchedule.class);

    /**
     * Whether {@code s} has a JSON form of its own: true for the library's schedules (flow matching, the beta
     * schedules, vpCosine, tables), false for a schedule of Java functions ({@link Schedules#of}) and for a class of
     * one's own that implements {@link NoiseSchedule}, whose {@code toJson()} the library never calls (it may throw,
     * or write JSON that reads back as another schedule): such schedules are saved as a table.
     */
    public static boolean hasJson(NoiseSchedule s) {
        return s != null && WITH_JSON.contains(s.getClass());
    }

    /** The check's figure as JSON: intervals, maxError, tolerance, checkPointsPerInterval. */
    public JsonObject reportJson() {
        JsonObject o = new JsonObject();
        o.addProperty("intervals", intervals);
        o.addProperty("maxError", maxError);
        o.addProperty("tolerance", tolerance);
        o.addProperty("checkPointsPerInterval", CHECKS_PER_INTERVAL);
        return o;
    }
}
