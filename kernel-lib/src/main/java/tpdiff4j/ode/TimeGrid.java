package tpdiff4j.ode;

import java.util.Arrays;
import tpdiff4j.schedule.DiscreteSchedule;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The times at which a solver visits the ODE, as an immutable value: {@code t(0) = start}, ...,
 * {@code t(steps()) = end}, strictly monotone, all in [0, 1], endpoints exact. Sampling grids run from the
 * noisier start down to the cleaner end; an increasing grid (start < end, e.g. inversion) is allowed too.
 *
 * <p>Grids of discrete schedules also carry the step indices they were built from ({@link #stepIndices()}).
 */
public final class TimeGrid {

    private final double[] times;
    private final int[] stepIndices;

    private TimeGrid(double[] times, int[] stepIndices) {
        this.times = times;
        this.stepIndices = stepIndices;
        check(times);
    }

    /** A grid from explicit times (at least two, strictly monotone, in [0, 1]). */
    public static TimeGrid of(double... times) {
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException("times has " + (times == null ? "null" : times.length + " entries")
                    + "; allowed: at least 2 times (start and end)");
        }
        return new TimeGrid(times.clone(), new int[0]);
    }

    /** {@code steps} equal steps in t from start to end: {@code t_i = start + (end - start) i / steps}. */
    public static TimeGrid uniform(double start, double end, int steps) {
        requireSteps(steps);
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            t[i] = start + (end - start) * i / steps;
        }
        t[0] = start;
        t[steps] = end;
        return new TimeGrid(t, new int[0]);
    }

    /** {@code steps} equal steps in log-SNR from start to end, mapped back to t by the schedule's inverse. */
    public static TimeGrid uniformLogSnr(NoiseSchedule s, double start, double end, int steps) {
        throw new UnsupportedOperationException("not yet");
    }

    /** diffusers "leading" spacing over a discrete schedule, then t = 0 appended. */
    public static TimeGrid leading(DiscreteSchedule s, int steps, int offset) {
        throw new UnsupportedOperationException("not yet");
    }

    /** diffusers "trailing" spacing over a discrete schedule, then t = 0 appended. */
    public static TimeGrid trailing(DiscreteSchedule s, int steps) {
        throw new UnsupportedOperationException("not yet");
    }

    /** diffusers "linspace" spacing over a discrete schedule. */
    public static TimeGrid linspace(DiscreteSchedule s, int steps) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The number of steps (intervals); {@code times().length == steps() + 1}. */
    public int steps() {
        return times.length - 1;
    }

    /** The i-th time, i in [0, steps()]. */
    public double t(int i) {
        return times[i];
    }

    /** A copy of all times. */
    public double[] times() {
        return times.clone();
    }

    /** The discrete step indices of each time for grids built from a {@link DiscreteSchedule}, else empty. */
    public int[] stepIndices() {
        return stepIndices.clone();
    }

    /** Start (index 0) before end: true for sampling grids that go from noise toward data. */
    public boolean decreasing() {
        return times[0] > times[times.length - 1];
    }

    static void requireSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " is not allowed; allowed: steps >= 1");
        }
    }

    private static void check(double[] t) {
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0 && t[i] <= 1)) {
                throw new IllegalArgumentException("time " + i + " of the grid is " + t[i] + "; allowed: 0 <= t <= 1");
            }
        }
        double sign = Math.signum(t[t.length - 1] - t[0]);
        for (int i = 1; i < t.length; i++) {
            if (!(Math.signum(t[i] - t[i - 1]) == sign) || sign == 0) {
                throw new IllegalArgumentException("grid times are not strictly monotone at index " + i + " ("
                        + t[i - 1] + " -> " + t[i] + "); allowed: strictly decreasing or strictly increasing times");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeGrid && Arrays.equals(times, ((TimeGrid) o).times)
                && Arrays.equals(stepIndices, ((TimeGrid) o).stepIndices);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(times) + Arrays.hashCode(stepIndices);
    }

    @Override
    public String toString() {
        return "TimeGrid" + Arrays.toString(times);
    }
}
