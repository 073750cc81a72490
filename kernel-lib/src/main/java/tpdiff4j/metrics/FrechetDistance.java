package tpdiff4j.metrics;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Frechet (2-Wasserstein) distance between two Gaussians, used on Gaussian fits of motion features of real and
 * generated clips (the FID recipe of Heusel et al. 2017 with motion features instead of Inception features):
 * <pre>
 *   d^2 = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))
 * </pre>
 * The value returned is the squared distance d^2, as FID reports it.
 *
 * <p><b>Matrix square root.</b> {@code S1 S2} is not symmetric, but it is similar to the symmetric positive
 * semi-definite {@code M = S1^(1/2) S2 S1^(1/2)}, so {@code Tr((S1 S2)^(1/2)) = Tr(M^(1/2)) = sum_i sqrt(lambda_i(M))}.
 * Both square roots come from symmetric eigen decompositions (Commons Math {@link EigenDecomposition}); eigenvalues
 * that round-off makes slightly negative are clipped to 0.
 *
 * <p><b>Ridge.</b> Before the decompositions {@code eps I} is added to both covariances, with
 * {@code eps = ridge * (Tr S1 + Tr S2) / (2 d)} (relative ridge, default 1e-9). It keeps rank-deficient
 * covariances (a feature that is constant in one set) well conditioned and changes d^2 by at most
 * O(eps * d); for identical inputs it cancels up to round-off.
 *
 * @param ridge relative ridge, >= 0
 */
public record FrechetDistance(double ridge) {

    /** The default relative ridge 1e-9. */
    public static final FrechetDistance DEFAULT = new FrechetDistance(1e-9);

    /** Validates the ridge. */
    public FrechetDistance {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        }
    }

    /** @return d^2 between the Gaussian fits of two sample sets (rows are samples, same dimension) */
    public double between(double[][] a, double[][] b) {
        return between(GaussianFit.of(a), GaussianFit.of(b));
    }

    /** @return d^2 between N(a.mean, a.covariance) and N(b.mean, b.covariance) */
    public double between(GaussianFit a, GaussianFit b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("both fits must have the same dimension, got " + d + " and "
                    + b.dimension());
        }
        double[] mu1 = a.mean();
        double[] mu2 = b.mean();
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        RealMatrix s1 = MatrixUtils.createRealMatrix(a.covariance());
        RealMatrix s2 = MatrixUtils.createRealMatrix(b.covariance());
        double eps = ridge * (s1.getTrace() + s2.getTrace()) / (2.0 * d);
        for (int i = 0; i < d; i++) {
            s1.addToEntry(i, i, eps);
            s2.addToEntry(i, i, eps);
        }
        RealMatrix root1 = symmetricSqrt(s1);
        RealMatrix m = root1.multiply(s2).multiply(root1);
        double traceRoot = 0;
        for (double lambda : new EigenDecomposition(symmetrize(m)).getRealEigenvalues()) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        double value = meanTerm + s1.getTrace() + s2.getTrace() - 2 * traceRoot;
        return Math.max(value, 0);
    }

    /** @return S^(1/2) = V diag(sqrt(max(lambda, 0))) V^T of a symmetric S */
    static RealMatrix symmetricSqrt(RealMatrix s) {
        EigenDecomposition e = new EigenDecomposition(symmetrize(s));
        double[] lambda = e.getRealEigenvalues();
        RealMatrix v = e.getV();
        double[] roots = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            roots[i] = Math.sqrt(Math.max(lambda[i], 0));
        }
        return v.multiply(MatrixUtils.createRealDiagonalMatrix(roots)).multiply(v.transpose());
    }

    private static RealMatrix symmetrize(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
