package tpdiff4j.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;
import tpdiff4j.Refusals;

/**
 * The Gaussian fit N(mu, S) of a set of feature vectors: the sample mean and the unbiased sample covariance
 * {@code S = 1/(n-1) sum (v - mu)(v - mu)^T} (Commons Math {@link Covariance}).
 *
 * <p>A fit made by hand is checked like one made from samples: finite entries, S symmetric and positive
 * semi-definite, each up to round-off (asymmetry at most 1e-9 and eigenvalues at least -1e-9 times the largest
 * diagonal entry). Anything else is no covariance, and the Frechet distance, which takes square roots of its
 * eigenvalues, would quietly answer for another matrix.
 *
 * @param mean       mu, length d >= 1, finite
 * @param covariance S, d x d, symmetric positive semi-definite, finite
 */
public record GaussianFit(double[] mean, double[][] covariance) {

    /** Checks the dimensions and copies the arrays. */
    public GaussianFit {
        String allowed = "a mean vector and a square covariance matrix (got mean "
                + (mean == null ? "null" : "of length " + mean.length) + " and covariance "
                + (covariance == null ? "null" : "with " + covariance.length + " rows") + ")";
        Refusals.notNull(mean, "mean", allowed);
        Refusals.notNull(covariance, "covariance", allowed);
        int d = mean.length;
        if (covariance.length != d) {
            throw new IllegalArgumentException("covariance = a matrix of " + covariance.length + " rows; allowed: "
                    + d + " x " + d + ", to match the mean of length " + d);
        }
        if (d < 1) {
            throw new IllegalArgumentException("mean = an empty vector; allowed: at least one entry");
        }
        double[][] copy = new double[d][];
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(mean[i])) {
                throw Refusals.refuse("mean[" + i + "]", mean[i], "a finite number");
            }
            if (covariance[i] == null || covariance[i].length != d) {
                throw new IllegalArgumentException("covariance[" + i + "] = "
                        + (covariance[i] == null ? "null" : "a row of length " + covariance[i].length)
                        + "; allowed: a row of length " + d);
            }
            copy[i] = covariance[i].clone();
        }
        checkCovariance("covariance", copy);
        mean = mean.clone();
        covariance = copy;
    }

    /** Checks that a square {@code s} is finite, symmetric and positive semi-definite up to round-off. */
    static void checkCovariance(String name, double[][] s) {
        int d = s.length;
        double scale = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(s[i][j])) {
                    throw Refusals.refuse(name + "[" + i + "][" + j + "]", s[i][j], "a finite number");
                }
            }
            scale = Math.max(scale, Math.abs(s[i][i]));
        }
        double tol = 1e-9 * scale;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (Math.abs(s[i][j] - s[j][i]) > tol) {
                    throw Refusals.refuse(name + "[" + i + "][" + j + "]", s[i][j],
                            s[j][i] + ", the value of [" + j + "][" + i + "] (a covariance is symmetric)");
                }
            }
        }
        RealMatrix m = MatrixUtils.createRealMatrix(s);
        double[] lambda = new EigenDecomposition(m.add(m.transpose()).scalarMultiply(0.5)).getRealEigenvalues();
        for (double l : lambda) {
            if (l < -tol) {
                throw new IllegalArgumentException(name + " = a matrix with the negative eigenvalue " + l
                        + " (largest diagonal entry " + scale + "); allowed: a positive semi-definite covariance");
            }
        }
    }

    /**
     * Fits mean and covariance to the rows of {@code samples}.
     *
     * @param samples n x d with n >= 2 and every row of the same length d >= 1, finite
     * @throws IllegalArgumentException naming the first row or value that breaks these rules, or if the covariance
     *                                  overflows (values beyond about 1e154)
     */
    public static GaussianFit of(double[][] samples) {
        return of("samples", samples);
    }

    /** {@link #of(double[][])}, with the samples called {@code name} in error messages. */
    static GaussianFit of(String name, double[][] samples) {
        int d = checkSamples(name, samples);
        double[] mu = new double[d];
        for (double[] row : samples) {
            for (int j = 0; j < d; j++) {
                mu[j] += row[j] / samples.length;
            }
        }
        double[][] s = new Covariance(new Array2DRowRealMatrix(samples, false), true).getCovarianceMatrix()
                .getData();
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(s[j][j])) {
                double largest = 0;
                for (double[] row : samples) {
                    largest = Math.max(largest, Math.abs(row[j]));
                }
                throw new IllegalArgumentException("the variance of column " + j + " of " + name + " overflows ("
                        + s[j][j] + ", largest |value| " + largest + "); scale the features so that their squares"
                        + " stay finite");
            }
        }
        return new GaussianFit(mu, s);
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
            throw Refusals.refuse(name, samples == null ? "null" : samples.length + " rows",
                    "at least 2 rows (samples), to fit a covariance");
        }
        Refusals.notNull(samples[0], name + "[0]", "a row holding the features of one sample");
        int d = samples[0].length;
        if (d < 1) {
            throw new IllegalArgumentException(name + "[0] = an empty row; allowed: at least one feature per row");
        }
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] == null) {   // the message is built only on refusal: this runs once per row
                throw Refusals.refuse(name + "[" + i + "]", null, "a row of " + d + " values like row 0");
            }
            if (samples[i].length != d) {
                throw new IllegalArgumentException(name + "[" + i + "] = a row of length " + samples[i].length
                        + "; allowed: length " + d + " like row 0");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(samples[i][j])) {
                    throw Refusals.refuse(name + "[" + i + "][" + j + "]", samples[i][j], "a finite number");
                }
            }
        }
        return d;
    }

    /** Equal when the means and the covariances are equal entry by entry (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianFit g && java.util.Arrays.equals(mean, g.mean)
                && java.util.Arrays.deepEquals(covariance, g.covariance);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.deepHashCode(covariance);
    }

    /** E.g. {@code GaussianFit[dimension 2, mean [0.5, -1.0]]}. */
    @Override
    public String toString() {
        return "GaussianFit[dimension " + mean.length + ", mean " + java.util.Arrays.toString(mean) + "]";
    }
}
