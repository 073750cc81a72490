package tpdiff4j.metrics;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import tpdiff4j.Refusals;

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
 * <p><b>Rank-deficient covariances.</b> A feature that is constant in a set, or fewer samples than features
 * (n &lt;= d), makes a covariance singular. The symmetric route above needs no inverse, so such covariances are exact
 * inputs: the default ({@link #DEFAULT}, no ridge) returns d^2 to round-off, up to about sqrt(1e-16) times the
 * covariance scale for each eigenvalue of {@code M} that is zero or nearly so (the square root of a rounding error):
 * about 1.5e-8 of {@code Tr S1 + Tr S2} each, far below the sampling noise of d^2 (see "Sample size").
 *
 * <p><b>Ridge.</b> An optional {@code eps I} added to both covariances, {@code eps = ridge * (Tr S1 + Tr S2) / (2 d)}.
 * It never raises d^2: it is the distance after adding the same independent N(0, eps I) noise to both laws, and
 * noise shared that way cannot move two laws apart (couple them optimally, then add one draw of the noise to both).
 * It is not a small perturbation either: in a direction where one covariance has variance s and the other none it
 * lowers d^2 by about {@code 2 sqrt(eps s)}, the square root of the ridge (ridge 1e-9 with s near the mean variance:
 * by 6e-5 s; ridge 1e-3: by 6% of s). Keep it 0 unless you want that shrinkage.
 *
 * <p><b>Sample size.</b> d^2 of two finite samples is biased upwards: the mean term alone has expectation
 * {@code ||mu1 - mu2||^2 + Tr S1 / n1 + Tr S2 / n2}, and the covariance term adds a bias of the same order in 1/n. Two sets
 * drawn from one law therefore give d^2 > 0, shrinking like 1/n; compare distances only at the same numbers of clips
 * (and, for a vanilla-versus-TPDiff table, against the same real clips). Two samples per set are the minimum for a
 * covariance; with n &lt;= d a covariance has rank n - 1 and d^2 is defined but noisy: use a few times d samples.
 *
 * @param ridge relative ridge, >= 0 (0: none)
 */
public record FrechetDistance(double ridge) {

    /** No ridge: d^2 of the two Gaussian fits as they are. */
    public static final FrechetDistance DEFAULT = new FrechetDistance(0);

    /** Validates the ridge. */
    public FrechetDistance {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw Refusals.refuse("ridge", ridge, "a finite number of at least 0");
        }
    }

    /**
     * @param a n_a x d samples, n_a >= 2, finite
     * @param b n_b x d samples, n_b >= 2 (n_b may differ from n_a), finite, the same d as {@code a}
     * @return d^2 between the Gaussian fits of two sample sets (rows are samples)
     * @throws IllegalArgumentException naming {@code a} or {@code b} and the first row or value that breaks these rules
     */
    public double between(double[][] a, double[][] b) {
        int da = GaussianFit.checkSamples("a", a);
        int db = GaussianFit.checkSamples("b", b);
        if (da != db) {
            throw new IllegalArgumentException("b has " + db + " features per row; allowed: " + da
                    + ", the number of features per row of a (both sets describe the same features)");
        }
        return between(GaussianFit.of("a", a), GaussianFit.of("b", b));
    }

    /** @return d^2 between N(a.mean, a.covariance) and N(b.mean, b.covariance) */
    public double between(GaussianFit a, GaussianFit b) {
        String allowed = "a GaussianFit (both fits must be given)";
        Refusals.notNull(a, "a", allowed);
        Refusals.notNull(b, "b", allowed);
        int d = a.dimension();
        if (b.dimension() != d) {
            throw Refusals.refuse("b.dimension()", b.dimension(),
                    d + ", the dimension of a (both fits describe the same features)");
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
