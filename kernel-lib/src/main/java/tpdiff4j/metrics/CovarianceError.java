package tpdiff4j.metrics;

import tpdiff4j.Refusals;

/**
 * How far the covariance of generated samples is from the true covariance Sigma of a Gaussian video law, next to
 * how far it would be by sampling alone.
 * <pre>
 *   relativeError = || S_hat - Sigma ||_F / || Sigma ||_F
 *   noiseFloor    = sqrt( (||Sigma||_F^2 + (Tr Sigma)^2) / n' ) / || Sigma ||_F
 * </pre>
 * For n independent exact samples of N(mu, Sigma), Var(S_hat_ij) = (Sigma_ij^2 + Sigma_ii Sigma_jj) / n' (Isserlis),
 * with n' = n - 1 for the unbiased estimate around the sample mean and n' = n around a known mean. Summing over i, j
 * gives E ||S_hat - Sigma||_F^2 = noiseFloor^2 ||Sigma||_F^2 exactly: {@code noiseFloor} is the Monte-Carlo root mean
 * square relative error of a perfect sampler with this many samples, and {@link #ratio()} ~ 1 (well below 3) means
 * the generated covariance is as good as the sample size can show. The floor assumes independent rows: pixels of one
 * clip that the law correlates (for example in {@link #frameVectors}) make the true sampling error larger. Sigma must
 * be a covariance, checked as in {@link GaussianFit}: finite, symmetric and positive semi-definite up to round-off.
 *
 * @param relativeError ||S_hat - Sigma||_F / ||Sigma||_F
 * @param noiseFloor    expected relative error of n exact samples
 * @param samples       n, the number of sample rows
 */
public record CovarianceError(double relativeError, double noiseFloor, int samples) {

    /** @return relativeError / noiseFloor: ~1 for a correct sampler, large for a wrong law */
    public double ratio() {
        return relativeError / noiseFloor;
    }

    /**
     * Compares the unbiased sample covariance (around the sample mean) of {@code samples} (n x d) with {@code sigma}.
     */
    public static CovarianceError of(double[][] samples, double[][] sigma) {
        GaussianFit fit = GaussianFit.of(samples);
        checkSigma(sigma, fit.dimension());
        return compare(fit.covariance(), sigma, samples.length, samples.length - 1);
    }

    /** Compares the covariance around a known mean, (1/n) sum (x - mean)(x - mean)^T, with {@code sigma}. */
    public static CovarianceError of(double[][] samples, double[] mean, double[][] sigma) {
        int d = GaussianFit.checkSamples("samples", samples);
        if (mean == null || mean.length != d) {
            throw Refusals.refuse("mean", mean == null ? "null" : "a vector of length " + mean.length,
                    "a vector of length " + d + ", the number of columns of samples");
        }
        checkSigma(sigma, d);
        double[][] s = new double[d][d];
        for (double[] row : samples) {
            for (int i = 0; i < d; i++) {
                double ai = row[i] - mean[i];
                for (int j = 0; j < d; j++) {
                    s[i][j] += ai * (row[j] - mean[j]) / samples.length;
                }
            }
        }
        return compare(s, sigma, samples.length, samples.length);
    }

    /**
     * The temporal vectors of a batch: one row (x_0, ..., x_{F-1}) per clip b, channel c and pixel (y, x), so that
     * their covariance is the F x F frame covariance. Rows are ordered by b, c, y, x.
     */
    public static double[][] frameVectors(ClipBatch clips) {
        int frames = clips.frames();
        int rows = clips.batch() * clips.channels() * clips.height() * clips.width();
        double[][] out = new double[rows][frames];
        int r = 0;
        for (int b = 0; b < clips.batch(); b++) {
            for (int c = 0; c < clips.channels(); c++) {
                for (int y = 0; y < clips.height(); y++) {
                    for (int x = 0; x < clips.width(); x++) {
                        for (int f = 0; f < frames; f++) {
                            out[r][f] = clips.value(b, f, c, y, x);
                        }
                        r++;
                    }
                }
            }
        }
        return out;
    }

    private static CovarianceError compare(double[][] s, double[][] sigma, int n, int dof) {
        double diff = 0;
        double norm = 0;
        double trace = 0;
        for (int i = 0; i < sigma.length; i++) {
            trace += sigma[i][i];
            for (int j = 0; j < sigma.length; j++) {
                diff += (s[i][j] - sigma[i][j]) * (s[i][j] - sigma[i][j]);
                norm += sigma[i][j] * sigma[i][j];
            }
        }
        if (!(norm > 0)) {
            throw new IllegalArgumentException("sigma = a matrix of Frobenius norm " + Math.sqrt(norm)
                    + "; allowed: a non-zero covariance");
        }
        double floor = Math.sqrt((norm + trace * trace) / dof) / Math.sqrt(norm);
        return new CovarianceError(Math.sqrt(diff / norm), floor, n);
    }

    private static void checkSigma(double[][] sigma, int d) {
        Refusals.notNull(sigma, "sigma", "a " + d + " x " + d + " covariance");
        if (sigma.length != d) {
            throw new IllegalArgumentException("sigma = a matrix of " + sigma.length + " rows; allowed: "
                    + d + " x " + d + ", to match the samples");
        }
        for (int i = 0; i < d; i++) {
            if (sigma[i] == null || sigma[i].length != d) {
                throw new IllegalArgumentException("sigma[" + i + "] = "
                        + (sigma[i] == null ? "null" : "a row of length " + sigma[i].length) + "; allowed: a row of length " + d);
            }
        }
        GaussianFit.checkCovariance("sigma", sigma);
    }
}
