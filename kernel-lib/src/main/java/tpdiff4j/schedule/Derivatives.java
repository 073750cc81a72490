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
 */
final class Derivatives {

    /** Step of the difference stencils. */
    static final double H = 1e-3;

    private Derivatives() {
    }

    /** The numerical derivative of {@code f} at {@code t} in [0, 1]. */
    static double derivative(DoubleUnaryOperator f, double t) {
        double h = H;
        if (t - 2 * h >= 0 && t + 2 * h <= 1) {
            return (f.applyAsDouble(t - 2 * h) - 8 * f.applyAsDouble(t - h) + 8 * f.applyAsDouble(t + h)
                    - f.applyAsDouble(t + 2 * h)) / (12 * h);
        }
        double s = t - 2 * h < 0 ? h : -h; // step into the interval
        double f0 = f.applyAsDouble(t);
        double f1 = f.applyAsDouble(t + s);
        double f2 = f.applyAsDouble(t + 2 * s);
        double f3 = f.applyAsDouble(t + 3 * s);
        double f4 = f.applyAsDouble(t + 4 * s);
        return (-25 * f0 + 48 * f1 - 36 * f2 + 16 * f3 - 3 * f4) / (12 * s);
    }
}
