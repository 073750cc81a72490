package tpdiff4j.schedule;

/** Argument checks whose messages name the parameter, the bad value and what is allowed. */
final class Checks {

    private Checks() {
    }

    /** Requires {@code t} in [0, 1]. */
    static double time(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t = " + t + " is outside the schedule's time axis; allowed: 0 <= t <= 1");
        }
        return t;
    }

    /** Requires a beta in the open interval (0, 1). */
    static double beta(String parameter, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(parameter + " = " + value + " is not a valid beta; allowed: 0 < " + parameter + " < 1");
        }
        return value;
    }

    /** The most discrete steps a schedule may have (each step holds a few doubles; DDPM uses 1000). */
    static final int MAX_STEPS = 1_000_000;

    /** Requires between 2 and {@link #MAX_STEPS} discrete steps (checked before anything is allocated). */
    static int steps(String parameter, int n) {
        if (n < 2) {
            throw new IllegalArgumentException(parameter + " = " + n + " is too small; allowed: " + parameter + " >= 2 discrete steps");
        }
        if (n > MAX_STEPS) {
            throw new IllegalArgumentException(parameter + " = " + n + " is too large; allowed: 2 <= " + parameter + " <= " + MAX_STEPS);
        }
        return n;
    }

    /** Requires a finite value strictly above zero. */
    static double positive(String parameter, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(parameter + " = " + value + " is not allowed; allowed: a finite value > 0");
        }
        return value;
    }
}
