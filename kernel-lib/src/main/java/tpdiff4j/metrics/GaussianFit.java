package tpdiff4j.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The Gaussian fit N(mu, S) of a set of feature vectors: the sample mean and the unbiased sample covariance
 * {@code S = 1/(n-1) sum (v - mu)(v - mu)^T} (Commons Math {@link Covariance}).
 *
 * @param mean       mu, length d
 * @param covariance S, d x d, symmetric positive semi-definite
 */
public record GaussianFit(double[] mean, double[][] covariance) {

    /** Checks the dimensions and copies the arrays. */
    public GaussianFit {
        int d = mean.length;
        if (covariance.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + " x " + d + ", has " + covariance.length
                    + " rows");
        }
        double[][] copy = new double[d][];
        for (int i = 0; i < d; i++) {
            if (covariance[i].length != d) {
                throw new IllegalArgumentException("covariance row " + i + " has length " + covariance[i].length
                        + ", expected " + d);
            }
            copy[i] = covariance[i].clone();
        }
        mean = mean.clone();
        covariance = copy;
    }

    /**
     * Fits mean and covariance to the rows of {@code samples}.
     *
     * @param samples n x d with n >= 2 and every row of the same length d >= 1
     */
    public static GaussianFit of(double[][] samples) {
        int d = checkSamples("samples", samples);
        double[] mu = new double[d];
        for (double[] row : samples) {
            for (int j = 0; j < d; j++) {
                mu[j] += row[j] / samples.length;
            }
        }
        RealMatrix s = new Covariance(new Array2DRowRealMatrix(samples, false), true).getCovarianceMatrix();
        return new GaussianFit(mu, s.getData());
    }

    /** @return the dimension d */
    public int dimension() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] covariance() {
        double[][] copy = new double[covariance.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = covariance[i].clone();
        }
        return copy;
    }

    /** Validates an n x d sample matrix (n >= 2, d >= 1, rectangular, finite) and returns d. */
    static int checkSamples(String name, double[][] samples) {
        if (samples == null || samples.length < 2) {
            throw new IllegalArgumentException(name + " needs at least 2 rows (samples) to fit a covariance, got "
                    + (samples == null ? "null" : samples.length));
        }
        int d = samples[0].length;
        if (d < 1) {
            throw new IllegalArgumentException(name + " rows must have at least one feature, got 0");
        }
        for (int i = 0; i < samples.length; i++) {
            if (samples[i].length != d) {
                throw new IllegalArgumentException(name + "[" + i + "] has length " + samples[i].length
                        + ", expected " + d + " like row 0");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(samples[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] = " + samples[i][j]
                            + "; all values must be finite");
                }
            }
        }
        return d;
    }
}
