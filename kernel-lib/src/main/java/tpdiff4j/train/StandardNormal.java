package tpdiff4j.train;

import tpdiff4j.Refusals;

/**
 * The standard normal distribution in double precision: its density, distribution function {@code Phi} and quantile,
 * and draws restricted to an interval (for time draws that follow a global density inside one stage's window).
 *
 * <p>{@code Phi(x)} for {@code |x| < 5} sums the Taylor series {@code Phi(x) = 1/2 + phi(x) sum_n x^(2n+1) / (2n+1)!!},
 * whose terms all have the sign of x (absolute error about 1e-16); for {@code |x| >= 5} it uses Laplace's continued
 * fraction for the tail, {@code Phi(-y) = phi(y) / (y + 1/(y + 2/(y + 3/(y + ...))))} (relative error about 1e-14).
 * The quantile starts from the rational approximation of Abramowitz and Stegun (26.2.23, error below 4.5e-4) and
 * refines it by Newton's method on {@code Phi}.
 */
final class StandardNormal {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private StandardNormal() {
    }

    /** {@code phi(x) = exp(-x^2/2) / sqrt(2 pi)}. */
    static double density(double x) {
        return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
    }

    /** {@code Phi(x) = P(Z <= x)}; 0 at minus infinity, 1 at plus infinity. */
    static double cdf(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("x = NaN; allowed: a number or an infinity");
        }
        if (x <= -5) {
            return lowerTail(-x);
        }
        if (x >= 5) {
            return 1 - lowerTail(x);
        }
        double sum = x, term = x, q = x * x;
        for (int k = 3; ; k += 2) {
            term *= q / k;
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return 0.5 + sum * density(x);
    }

    /** {@code Phi(-y)} for {@code y >= 5}, by the continued fraction evaluated from its 80th term up. */
    private static double lowerTail(double y) {
        if (y == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double f = y;
        for (int n = 80; n >= 1; n--) {
            f = y + n / f;
        }
        return density(y) / f;
    }

    /** The x with {@code Phi(x) = p}, for {@code 0 < p < 1}. */
    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw Refusals.refuse("p", p, "0 < p < 1");
        }
        if (p > 0.5) {
            return -quantile(1 - p);
        }
        double t = Math.sqrt(-2 * Math.log(p));
        double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
        for (int i = 0; i < 50; i++) {
            double pdf = density(x);
            double c = cdf(x);
            // where the thread flushes subnormals to zero (ode.Denormals, the default on a thread that trains),
            // Phi(x) near p = 2.2e-308 can come out as 0, and log(0) made the step and x NaN: keep the last x
            if (!(pdf > 0 && c > 0)) {
                break;
            }
            // Newton on log Phi: the step keeps its relative precision where Phi is tiny
            double step = (Math.log(c) - Math.log(p)) * c / pdf;
            x -= step;
            if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) {
                break;
            }
        }
        return x;
    }

    /**
     * A standard normal restricted to {@code [a, b]} ({@code a < b}; either may be infinite), from one number
     * {@code u} in (0, 1] by inverting the distribution function. An interval on the positive side is drawn as the
     * mirror of its negative image, where {@code Phi} keeps its relative precision.
     */
    static double truncated(double a, double b, double u) {
        if (!(a < b)) {
            throw new IllegalArgumentException("interval [" + a + ", " + b + "]; allowed: a < b");
        }
        if (a > 0) {
            return -truncated(-b, -a, u);
        }
        double pa = cdf(a), pb = cdf(b);
        double p = pa + u * (pb - pa);
        p = Math.min(Math.max(p, Double.MIN_NORMAL), Math.nextDown(1.0));
        return Math.min(Math.max(quantile(p), a), b);
    }
}
