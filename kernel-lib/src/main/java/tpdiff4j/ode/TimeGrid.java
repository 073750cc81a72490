package tpdiff4j.ode;

import java.util.Arrays;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.DiscreteSchedule;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The times at which a solver visits the ODE, as an immutable value: {@code t(0) = start}, ...,
 * {@code t(steps()) = end}, strictly monotone, all in [0, 1], endpoints exact. Sampling grids run from the
 * noisier start down to the cleaner end; an increasing grid (start &lt; end, e.g. inversion) is allowed too.
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

    /**
     * {@code steps} equal steps in t from start to end: {@code t_i = (start (steps - i) + end i) / steps};
     * {@code 1 <= steps <= 1000000}, start and end in [0, 1] and different, and no more steps than there are doubles
     * between them (each refused by name otherwise).
     */
    public static TimeGrid uniform(double start, double end, int steps) {
        requireSteps(steps);
        requireEnds(start, end);
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            t[i] = (start * (steps - i) + end * i) / steps;
        }
        t[0] = start;
        t[steps] = end;
        return distinct(t, start, end, "uniform in t");
    }

    /**
     * {@code steps} equal steps in log-SNR: {@code l_i = l(start) + (l(end) - l(start)) i / steps},
     * {@code t_i = s.timeAtLogSnr(l_i)}, with the endpoints set exactly. Both endpoints need a finite log-SNR
     * (for flow matching: start &lt; 1 and end &gt; 0), since equal log-SNR steps cannot reach an infinite one;
     * {@code 1 <= steps <= 1000000}; start and end in [0, 1] and different. A refusal says which of these failed and
     * what is allowed on the schedule.
     */
    public static TimeGrid uniformLogSnr(NoiseSchedule s, double start, double end, int steps) {
        requireSchedule(s);
        requireSteps(steps);
        requireEnds(start, end);
        double lStart = s.logSnr(start);
        double lEnd = s.logSnr(end);
        if (!Double.isFinite(lStart) || !Double.isFinite(lEnd)) {
            throw new IllegalArgumentException("start = " + start + " and end = " + end + " on schedule '" + s.name()
                    + "' have logSnr(start) = " + lStart + " and logSnr(end) = " + lEnd + ": equal log-SNR steps cannot"
                    + " reach an end whose log-SNR is infinite (gamma = 0 or sigma = 0 there, as at t = 1 and t = 0 of"
                    + " flow matching); allowed: start and end with a finite log-SNR, " + finiteRange(s)
                    + " on this schedule (an end moved slightly inside, such as t = 1 - 1e-3 or t = 1e-3), or"
                    + " TimeGrid.uniform(start, end, steps) for equal steps in t, which reaches both ends");
        }
        double[] t = new double[steps + 1];
        t[0] = start;
        t[steps] = end;
        for (int i = 1; i < steps; i++) {
            t[i] = s.timeAtLogSnr(lStart + (lEnd - lStart) * i / steps);
        }
        return distinct(t, start, end, "uniform in log-SNR");
    }

    /** The times of {@code s} with a finite log-SNR, as text: {@code "0 < t < 1"} for flow matching. */
    private static String finiteRange(NoiseSchedule s) {
        return (Double.isFinite(s.logSnr(0)) ? "0 <= t" : "0 < t") + (Double.isFinite(s.logSnr(1)) ? " <= 1" : " < 1");
    }

    /** Refuses an end that is NaN or outside [0, 1], and equal ends, naming them. */
    private static void requireEnds(double start, double end) {
        if (!(start >= 0 && start <= 1)) {
            throw Refusals.refuse("start", start, "0 <= start <= 1 (the time axis of every schedule)");
        }
        if (!(end >= 0 && end <= 1)) {
            throw Refusals.refuse("end", end, "0 <= end <= 1 (the time axis of every schedule)");
        }
        if (start == end) {
            throw new IllegalArgumentException("start = " + start + " and end = " + end + " leave no interval to step"
                    + " through; allowed: start != end (start > end for sampling, from noise toward data; start < end"
                    + " for inversion)");
        }
    }

    /** The grid of {@code t}, or a refusal naming the steps where neighbouring times round to the same double. */
    private static TimeGrid distinct(double[] t, double start, double end, String spacing) {
        int steps = t.length - 1;
        for (int i = 1; i < t.length; i++) {
            if (!(t[i] != t[i - 1] && (t[i] < t[i - 1]) == (start > end))) {
                throw new IllegalArgumentException("steps = " + steps + " " + spacing + " from start = " + start
                        + " to end = " + end + " give equal times: t(" + (i - 1) + ") = " + t[i - 1] + " and t(" + i
                        + ") = " + t[i] + " (a step below the spacing of doubles there); allowed: fewer steps, or ends"
                        + " further apart");
            }
        }
        return new TimeGrid(t, new int[0]);
    }

    /**
     * diffusers' "leading" spacing ({@code DDIMScheduler.set_timesteps}): with {@code r = N / steps} (integer
     * division) the discrete steps are {@code (steps - 1) r + offset, ..., r + offset, offset}; each step i maps
     * to {@code t = i / (N - 1)}, and the end point t = 0 (step 0) is appended unless the list already ends there.
     * Example: N = 1000, 30 steps, offset 1 (Stable Diffusion): 958, 925, ..., 34, 1, then 0: 31 times, 30 steps.
     * With offset 0 the list ends at step 0 and the grid has {@code steps - 1} intervals (diffusers' last step
     * to "alpha = 1" lies outside t in [0, 1]), so one step needs {@code offset >= 1}.
     */
    public static TimeGrid leading(DiscreteSchedule s, int steps, int offset) {
        requireSchedule(s);
        int n = s.steps();
        requireDiscreteSteps(steps, n);
        int ratio = n / steps;
        if (steps == 1 && offset == 0) {
            throw new IllegalArgumentException("steps = 1 with offset = 0 gives the single step 0 and no interval to"
                    + " step through (the leading spacing's list ends at step 0 itself, so nothing is appended);"
                    + " allowed: offset >= 1 with steps = 1 (step offset, then 0), or steps >= 2");
        }
        if (offset < 0 || (steps - 1) * ratio + offset > n - 1) {
            throw new IllegalArgumentException("offset = " + offset + " with " + steps + " steps of " + n
                    + " gives a step beyond " + (n - 1) + "; allowed: 0 <= offset <= " + (n - 1 - (steps - 1) * ratio));
        }
        int[] idx = new int[steps];
        for (int k = 0; k < steps; k++) {
            idx[k] = (steps - 1 - k) * ratio + offset;
        }
        return discrete(s, idx);
    }

    /**
     * diffusers' "trailing" spacing: with {@code r = N / steps} (real division) the steps are
     * {@code rint(N - k r) - 1} for k = 0..steps-1 (rint rounds half to even, like numpy), starting at N - 1;
     * t = 0 is appended. Example: N = 1000, 30 steps: 999, 966, 932, ..., 32, then 0.
     */
    public static TimeGrid trailing(DiscreteSchedule s, int steps) {
        requireSchedule(s);
        int n = s.steps();
        requireDiscreteSteps(steps, n);
        double ratio = (double) n / steps;
        int[] idx = new int[steps];
        for (int k = 0; k < steps; k++) {
            idx[k] = (int) Math.rint(n - k * ratio) - 1;
        }
        return discrete(s, idx);
    }

    /**
     * diffusers' "linspace" spacing: the steps {@code rint(k (N - 1) / (steps - 1))} for k = steps-1 down to 0,
     * from N - 1 to 0. The list already ends at step 0, so the grid has {@code steps - 1} intervals.
     */
    public static TimeGrid linspace(DiscreteSchedule s, int steps) {
        requireSchedule(s);
        int n = s.steps();
        requireDiscreteSteps(steps, n);
        if (steps < 2) {
            throw new IllegalArgumentException("steps = " + steps + " for linspace spacing; allowed: 2 <= steps <= " + n);
        }
        int[] idx = new int[steps];
        for (int k = 0; k < steps; k++) {
            int j = steps - 1 - k;
            idx[k] = j == steps - 1 ? n - 1 : (int) Math.rint(j * (double) (n - 1) / (steps - 1));
        }
        return discrete(s, idx);
    }

    private static TimeGrid discrete(DiscreteSchedule s, int[] idx) {
        int[] all = idx[idx.length - 1] == 0 ? idx : java.util.Arrays.copyOf(idx, idx.length + 1);
        double[] t = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            t[i] = s.timeOfStep(all[i]);
        }
        return new TimeGrid(t, all);
    }

    private static void requireDiscreteSteps(int steps, int n) {
        if (steps < 1 || steps > n) {
            throw new IllegalArgumentException("steps = " + steps + " for a schedule of " + n
                    + " steps; allowed: 1 <= steps <= " + n);
        }
    }

    /** The number of steps (intervals); {@code times().length == steps() + 1}. */
    public int steps() {
        return times.length - 1;
    }

    /** The i-th time, i in [0, steps()]. */
    public double t(int i) {
        if (i < 0 || i >= times.length) {   // was an ArrayIndexOutOfBoundsException
            throw Refusals.refuse("i", i,
                    "0 <= i <= " + (times.length - 1) + " (steps() = " + (times.length - 1) + ")");
        }
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

    private static void requireSchedule(NoiseSchedule s) {
        Refusals.notNull(s, "schedule",
                "the schedule the grid is for, e.g. Schedules.scaledLinear(0.00085, 0.012, 1000)");
    }

    /** The most steps a grid made by {@link #uniform} or {@link #uniformLogSnr} may have (as many as a discrete schedule). */
    static final int MAX_STEPS = 1_000_000;

    static void requireSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " is not allowed; allowed: steps >= 1");
        }
        if (steps > MAX_STEPS) {   // steps + 1 times are allocated: Integer.MAX_VALUE overflowed to a negative size
            throw new IllegalArgumentException("steps = " + steps + " is too large; allowed: 1 <= steps <= " + MAX_STEPS);
        }
    }

    private static void check(double[] t) {
        if (t.length < 2) {
            throw new IllegalArgumentException("the grid has " + t.length + " time(s) " + Arrays.toString(t)
                    + "; allowed: at least 2 (a start and a different end)");
        }
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
