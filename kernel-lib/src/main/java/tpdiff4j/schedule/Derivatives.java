package tpdiff4j.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * Numerical first derivative on [0, 1] for user schedules that come without derivatives.
 *
 * <p>Method: the fourth-order five-point central difference
 * {@code f'(t) ~ (f(t-2h) - 8 f(t-h) + 8 f(t+h) - f(t+2h)) / (12 h)} with {@code h = 1e-3}; within {@code 2h}
 * of an end, where the central stencil would leave [0, 1], the fourth-order one-sided stencil
 * {@code (-25 f0 + 48 f1 - 36 f2 + 16 f3 - 3 f4) / (12 h)} pointing into the interval. Truncation error is
 * {@code O(h^4 f^(5))} (about 1e-12 for O(1) derivatives), rounding error about {@code 1e-16 / h = 1e-13};
 * the function is only ever evaluated inside [0, 1].
 *
 * <p>Accuracy check: the same rule with step {@code 2h} has 16 times the truncation error, so
 * {@code |D(h) - D(2h)| / 15} estimates the error of {@code D(h)}. Where that estimate exceeds
 * {@code 1e-6 (1 + |D(h)|)} the function is not smooth on the scale of the stencil (a square root at an end, whose
 * slope is unbounded, or a kink) and the derivative is refused instead of returned with an error that can reach
 * tens of percent ({@code sigma = sqrt(t)}: 49.5 at t = 0, where the slope is infinite, and 10.16 instead of 11.18
 * at t = 0.002).
 */
final class Derivatives {

    /** Step of the difference stencils. */
    static final double H = 1e-3;

    /** The largest accepted error estimate, relative to {@code 1 + |derivative|}. */
    static final double TOLERANCE = 1e-6;

    private Derivatives() {
    }

    /**
     * The numerical derivative of {@code f} at {@code t} in [0, 1].
     *
     * @param what the derivative's name for the error message, e.g. {@code "sigmaDot of schedule 'mine'"}
     * @throws IllegalArgumentException where the error estimate exceeds {@link #TOLERANCE}
     */
    static double derivative(DoubleUnaryOperator f, double t, String what) {
        double fine = stencil(f, t, H);
        double coarse = stencil(f, t, 2 * H);
        double error = Math.abs(fine - coarse) / 15;
        if (!accepted(fine, coarse)) {
            throw new IllegalArgumentException(what + " at t = " + t + " cannot be taken by finite differences: "
                    + fine + " with step " + H + " and " + coarse + " with step " + 2 * H + " (estimated error " + error
                    + ", allowed " + TOLERANCE + " (1 + |value|)); the function is not smooth near t = " + t
                    + " (an unbounded slope at an end, such as sqrt(t), or a kink). Allowed: a schedule smooth on [0, 1],"
                    + " or exact derivatives: Schedules.of(name, gamma, sigma, gammaDot, sigmaDot)");
        }
        return fine;
    }

    /**
     * The numerical derivative of {@code f} at {@code t} in [0, 1], or NaN where {@link #derivative} would refuse it
     * (the function is not smooth on the scale of the stencil there) or where {@code f} has a kink at {@code t}
     * itself; for checks that skip such points.
     *
     * <p>A kink exactly at {@code t} (a piecewise schedule joined at t = 0.5) passes the accuracy check: both central
     * stencils are symmetric about t, so both give the mean of the two slopes, and they agree. The forward and the
     * backward one-sided stencils give the two slopes instead, so they are compared as well, within
     * {@link #KINK} {@code (1 + |value|)}. Where the central stencils pass, a smooth function's one-sided stencils
     * differ by at most about 1e-5 of that (their error is 6 times the central one's), so only a kink is caught.
     */
    static double derivativeOrNaN(DoubleUnaryOperator f, double t) {
        double fine = stencil(f, t, H);
        double coarse = stencil(f, t, 2 * H);
        if (!accepted(fine, coarse)) {
            return Double.NaN;
        }
        if (t - 4 * H >= 0 && t + 4 * H <= 1) {
            double forward = oneSided(f, t, H);
            double backward = oneSided(f, t, -H);
            if (!(Math.abs(forward - backward) <= KINK * (1 + Math.abs(fine)))) {
                return Double.NaN;
            }
        }
        return fine;
    }

    /** The largest accepted difference of the forward and backward stencils, relative to {@code 1 + |derivative|}. */
    static final double KINK = 1e-4;

    private static boolean accepted(double fine, double coarse) {
        return Double.isFinite(fine) && Math.abs(fine - coarse) / 15 <= TOLERANCE * (1 + Math.abs(fine));
    }

    /** The fourth-order stencil with step h: central where it fits in [0, 1], else one-sided into the interval. */
    private static double stencil(DoubleUnaryOperator f, double t, double h) {
        if (t - 2 * h >= 0 && t + 2 * h <= 1) {
            return (f.applyAsDouble(t - 2 * h) - 8 * f.applyAsDouble(t - h) + 8 * f.applyAsDouble(t + h)
                    - f.applyAsDouble(t + 2 * h)) / (12 * h);
        }
        return oneSided(f, t, t - 2 * h < 0 ? h : -h); // step into the interval
    }

    /** The fourth-order one-sided stencil with signed step {@code s}: forward for {@code s > 0}, backward below. */
    private static double oneSided(DoubleUnaryOperator f, double t, double s) {
        double f0 = f.applyAsDouble(t);
        double f1 = f.applyAsDouble(t + s);
        double f2 = f.applyAsDouble(t + 2 * s);
        double f3 = f.applyAsDouble(t + 3 * s);
        double f4 = f.applyAsDouble(t + 4 * s);
        return (-25 * f0 + 48 * f1 - 36 * f2 + 16 * f3 - 3 * f4) / (12 * s);
    }
}
