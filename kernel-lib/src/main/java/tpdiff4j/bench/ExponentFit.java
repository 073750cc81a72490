package tpdiff4j.bench;

import tpdiff4j.Refusals;

/**
 * Least-squares power law {@code y = a x^p}, fitted as the straight line {@code log y = log a + p log x}.
 *
 * <p>Used for the cost of one training or sampling step as the frame count F grows: attention over the frames
 * alone would give {@code p = 2}, per-token layers {@code p = 1}, a fixed per-step overhead pulls the fitted
 * exponent below both. The pyramid's cost factor {@code (1/K) sum_k (F_k/F)^p} (docs/derivation.md section 12) is
 * then evaluated at the
 * fitted {@code p} to predict the step-time ratio.
 *
 * @param exponent  p, the slope in log-log coordinates
 * @param prefactor a, so that {@code predict(x) = a x^p}
 * @param r2        coefficient of determination of the log-log line (1 = exact power law)
 * @param points    number of points fitted
 */
public record ExponentFit(double exponent, double prefactor, double r2, int points) {

    /**
     * Fits {@code y = a x^p} to at least two points with distinct x.
     *
     * @param x positive abscissae (for example frame counts)
     * @param y positive values (for example seconds per step)
     */
    public static ExponentFit fit(double[] x, double[] y) {
        String allowed = "an array of at least 2 positive values, x and y of equal length";
        Refusals.notNull(x, "x", allowed);
        Refusals.notNull(y, "y", allowed);
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("x.length = " + x.length + ", y.length = " + y.length
                    + "; allowed: x and y of equal length, at least 2");
        }
        int n = x.length;
        double[] lx = new double[n], ly = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0) || !Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + i + " = (" + x[i] + ", " + y[i]
                        + "); allowed: positive, finite coordinates (for a log-log fit)");
            }
            lx[i] = Math.log(x[i]);
            ly[i] = Math.log(y[i]);
        }
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += lx[i] / n;
            my += ly[i] / n;
        }
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
            syy += (ly[i] - my) * (ly[i] - my);
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("x = " + n + " values all equal to " + x[0]
                    + "; allowed: at least two distinct values (an exponent cannot be fitted to one x)");
        }
        double p = sxy / sxx;
        double intercept = my - p * mx;
        double ssRes = 0;
        for (int i = 0; i < n; i++) {
            double r = ly[i] - (intercept + p * lx[i]);
            ssRes += r * r;
        }
        double r2 = syy == 0 ? 1.0 : 1.0 - ssRes / syy;
        return new ExponentFit(p, Math.exp(intercept), r2, n);
    }

    /** The fitted power law at x. */
    public double predict(double x) {
        return prefactor * Math.pow(x, exponent);
    }
}
