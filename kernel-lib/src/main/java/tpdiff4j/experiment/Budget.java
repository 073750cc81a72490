package tpdiff4j.experiment;

import tpdiff4j.Refusals;

/**
 * How long each arm of an {@link Experiment} trains: at most {@code steps} steps and at most {@code seconds}
 * seconds of training wall-clock (evaluations not counted), whichever ends first. One of the two may be unbounded
 * ({@code Long.MAX_VALUE} steps or infinite seconds), not both.
 *
 * @param steps   step budget per arm, {@code >= 1}
 * @param seconds wall-clock budget per arm, {@code > 0}
 */
public record Budget(long steps, double seconds) {

    public Budget {
        if (steps < 1) {
            throw Refusals.refuse("steps", steps, ">= 1 (Long.MAX_VALUE: no step limit)");
        }
        if (!(seconds > 0)) {
            throw Refusals.refuse("seconds", seconds, "> 0 (infinity: no time limit)");
        }
        if (steps == Long.MAX_VALUE && Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("steps = unlimited and seconds = Infinity; allowed: a step limit, a time limit or both");
        }
    }

    /** At most {@code n} steps per arm. */
    public static Budget steps(long n) {
        return new Budget(n, Double.POSITIVE_INFINITY);
    }

    /** At most {@code s} seconds of training per arm (the fair budget when the arms' steps cost differently). */
    public static Budget seconds(double s) {
        return new Budget(Long.MAX_VALUE, s);
    }

    /** Both limits; training stops at the first. */
    public static Budget of(long steps, double seconds) {
        return new Budget(steps, seconds);
    }

    /**
     * The budget as a notebook prints it: {@code "16 steps"}, {@code "60.0 s"} or {@code "16 steps or 60.0 s"}, without
     * the unbounded limit (a record's own text would show {@code seconds=Infinity} or {@code steps=9223372036854775807}).
     */
    @Override
    public String toString() {
        return (steps == Long.MAX_VALUE ? "" : steps + " steps")
                + (steps != Long.MAX_VALUE && Double.isFinite(seconds) ? " or " : "")
                + (Double.isFinite(seconds) ? seconds + " s" : "");
    }

    /**
     * Refuses {@code n} slices of a step budget of fewer than {@code n} steps: every slice trains at least one step, so
     * such slices would add up to more steps than the budget.
     */
    void checkSlices(int n) {
        if (steps != Long.MAX_VALUE && steps < n) {
            throw new IllegalArgumentException("evalPoints = " + n + " but the budget is " + steps + " steps per arm:"
                    + " each evaluation follows a slice of at least one step; allowed: evalPoints <= " + steps
                    + " (or a larger budget)");
        }
    }

    /**
     * What a lane may train in slice {@code i} of {@code n} after {@code stepsDone} steps and {@code secondsUsed}
     * seconds: up to the budget's share at the slice's end, {@code (i + 1) / n} of the steps (rounded as
     * {@link #slice}) and of the seconds. Null when no step is left, or the time is used up (the last step of an
     * earlier slice ran past it). For a step budget it is {@link #slice} whenever the earlier slices trained theirs.
     */
    Budget upTo(int i, int n, long stepsDone, double secondsUsed) {
        long s = steps == Long.MAX_VALUE ? Long.MAX_VALUE : java.math.BigInteger.valueOf(steps)
                .multiply(java.math.BigInteger.valueOf(i + 1)).divide(java.math.BigInteger.valueOf(n)).longValueExact()
                - stepsDone;
        double t = Double.isInfinite(seconds) ? seconds : seconds * (i + 1) / n - secondsUsed;
        return s < 1 || !(t > 0) ? null : new Budget(s, t);
    }

    /**
     * Slice {@code i} of {@code n} equal slices: steps rounded so that the slices add up to {@code steps} (at least
     * one step each; {@link #checkSlices} refuses a budget of fewer than {@code n} steps).
     */
    Budget slice(int i, int n) {
        long s = steps == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (steps * (i + 1)) / n - (steps * i) / n);
        return new Budget(s, Double.isInfinite(seconds) ? seconds : seconds / n);
    }
}
