package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static double[][] gaussian(int n, double[] mean, double scale, SplittableRandom rng) {
        double[][] out = new double[n][mean.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mean.length; j++) {
                out[i][j] = mean[j] + scale * rng.nextGaussian();
            }
        }
        return out;
    }

    /** Identical sets: d^2 = 0 up to round-off, with or without the ridge. */
    @Test
    void identicalSetsHaveZeroDistance() {
        double[][] a = gaussian(500, new double[] {1, -2, 3, 0.5}, 2.0, new SplittableRandom(1));
        assertEquals(0.0, FrechetDistance.DEFAULT.between(a, a), 1e-10);
        assertEquals(0.0, new FrechetDistance(0).between(a, a), 1e-10);
        assertEquals(0.0, new FrechetDistance(1e-3).between(a, a), 1e-10);
    }

    /** Diagonal (commuting) covariances: d^2 = ||mu1 - mu2||^2 + sum (sqrt(a_i) - sqrt(b_i))^2. */
    @Test
    void diagonalClosedForm() {
        GaussianFit p = new GaussianFit(new double[] {0, 1, 2}, new double[][] {{1, 0, 0}, {0, 4, 0}, {0, 0, 9}});
        GaussianFit q = new GaussianFit(new double[] {1, 1, 0}, new double[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}});
        double expected = 1 + 0 + 4 + 1 + 1 + 0;
        assertEquals(expected, new FrechetDistance(0).between(p, q), 1e-12);
        assertEquals(expected, FrechetDistance.DEFAULT.between(p, q), 1e-12, "the default has no ridge");
    }

    /**
     * Non-commuting 2 x 2 covariances against an independent closed form: S1 S2 has non-negative eigenvalues
     * l1, l2 and (sqrt(l1) + sqrt(l2))^2 = Tr(S1 S2) + 2 sqrt(det S1 det S2), so
     * Tr((S1 S2)^(1/2)) = sqrt(Tr(S1 S2) + 2 sqrt(det S1 det S2)).
     */
    @Test
    void nonCommutingTwoByTwoClosedForm() {
        double[][] s1 = {{2.0, 0.9}, {0.9, 1.0}};
        double[][] s2 = {{0.5, -0.3}, {-0.3, 3.0}};
        double trProduct = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
        double det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0];
        double det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0];
        double traceRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
        double expected = 0.3 * 0.3 + 0.4 * 0.4 + (2.0 + 1.0) + (0.5 + 3.0) - 2 * traceRoot;
        double got = new FrechetDistance(0).between(new GaussianFit(new double[] {0.3, 0}, s1),
                new GaussianFit(new double[] {0, 0.4}, s2));
        assertEquals(expected, got, 1e-12);
        // and symmetric in its arguments
        double back = new FrechetDistance(0).between(new GaussianFit(new double[] {0, 0.4}, s2),
                new GaussianFit(new double[] {0.3, 0}, s1));
        assertEquals(got, back, 1e-12);
    }

    /** A rank-deficient covariance (constant feature) is handled: the value stays finite and right. */
    @Test
    void rankDeficientCovariance() {
        GaussianFit p = new GaussianFit(new double[] {0, 0}, new double[][] {{1, 0}, {0, 0}});
        GaussianFit q = new GaussianFit(new double[] {0, 0}, new double[][] {{4, 0}, {0, 0}});
        assertEquals(1.0, FrechetDistance.DEFAULT.between(p, q), 1e-7);
    }

    /**
     * Rank-one covariances S1 = v v^T, S2 = u u^T (two samples each, or n much smaller than d): S1 S2 has the single
     * non-zero eigenvalue (v.u)^2, so d^2 = |v|^2 + |u|^2 - 2 |v.u| in closed form. The default is exact up to the
     * square root of round-off in the zero eigenvalues (~1e-8 times the scale 5; tolerance 1e-7). A direction that
     * one covariance has and the other lacks is where a ridge bites: the former default ridge 1e-9 gave 10.9996
     * instead of 11 for orthogonal v and u.
     */
    @Test
    void rankOneCovariancesClosedForm() {
        double[] v = {1, 2, 0};
        for (double[] u : new double[][] {{2, -1, 1}, {1, 1, 1}, {0.5, 1, 0}}) {
            double vu = 0;
            double vv = 0;
            double uu = 0;
            double[][] s1 = new double[3][3];
            double[][] s2 = new double[3][3];
            for (int i = 0; i < 3; i++) {
                vu += v[i] * u[i];
                vv += v[i] * v[i];
                uu += u[i] * u[i];
                for (int j = 0; j < 3; j++) {
                    s1[i][j] = v[i] * v[j];
                    s2[i][j] = u[i] * u[j];
                }
            }
            double expected = vv + uu - 2 * Math.abs(vu);
            double got = FrechetDistance.DEFAULT.between(new GaussianFit(new double[3], s1),
                    new GaussianFit(new double[3], s2));
            assertEquals(expected, got, 1e-7, "u = " + java.util.Arrays.toString(u));
        }
    }

    /**
     * What a ridge does, as documented: S1 = diag(0, 1), S2 = diag(1, 1) (true d^2 = 1) with eps = ridge * 3 / 4
     * becomes diag(eps, 1 + eps), diag(1 + eps, 1 + eps), whose d^2 is 1 + 2 eps - 2 sqrt(eps (1 + eps)) in closed
     * form: lowered by about 2 sqrt(eps), three orders of magnitude more than eps itself for ridge 1e-6.
     */
    @Test
    void ridgeLowersTheDistanceByTheSquareRootOfEps() {
        GaussianFit p = new GaussianFit(new double[2], new double[][] {{0, 0}, {0, 1}});
        GaussianFit q = new GaussianFit(new double[2], new double[][] {{1, 0}, {0, 1}});
        assertEquals(1.0, FrechetDistance.DEFAULT.between(p, q), 1e-12);
        double eps = 1e-6 * 3 / 4;
        double got = new FrechetDistance(1e-6).between(p, q);
        assertEquals(1 + 2 * eps - 2 * Math.sqrt(eps * (1 + eps)), got, 1e-12);
        assertTrue(1 - got > 1e-3, "shift " + (1 - got));
    }

    /**
     * A ridge never raises d^2, whatever the covariances (the 2-Wasserstein distance of two laws with the same
     * independent noise added to both is at most theirs), and for diagonal covariances it is exactly
     * sum (sqrt(a_i + eps) - sqrt(b_i + eps))^2 plus the mean term. Random non-commuting sets of 2 to 16 samples in up
     * to 9 dimensions, ridges from 1e-6 to 10: every value at most the unridged one plus 1e-12 of it (round-off).
     */
    @Test
    void aRidgeNeverRaisesTheDistance() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int it = 0; it < 300; it++) {
            int d = 1 + rng.nextInt(9);
            double[][] a = new double[2 + rng.nextInt(15)][d];
            double[][] b = new double[2 + rng.nextInt(15)][d];
            for (double[] row : a) {
                for (int j = 0; j < d; j++) {
                    row[j] = rng.nextGaussian() * (j + 1) + j % 2;
                }
            }
            for (double[] row : b) {
                double common = rng.nextGaussian();
                for (int j = 0; j < d; j++) {
                    row[j] = 0.7 * (d - j) * rng.nextGaussian() + common;
                }
            }
            double base = FrechetDistance.DEFAULT.between(a, b);
            for (double ridge : new double[] {1e-6, 1e-3, 0.1, 1, 10}) {
                double v = new FrechetDistance(ridge).between(a, b);
                assertTrue(v <= base * (1 + 1e-12), "d = " + d + ", ridge " + ridge + ": " + v + " > " + base);
            }
        }
        GaussianFit p = new GaussianFit(new double[] {0, 1, 2}, new double[][] {{1, 0, 0}, {0, 4, 0}, {0, 0, 9}});
        GaussianFit q = new GaussianFit(new double[] {1, 1, 0}, new double[][] {{4, 0, 0}, {0, 0, 0}, {0, 0, 9}});
        double eps = 0.5 * (14 + 13) / 6;
        double expected = 5 + Math.pow(Math.sqrt(1 + eps) - Math.sqrt(4 + eps), 2)
                + Math.pow(Math.sqrt(4 + eps) - Math.sqrt(eps), 2);
        assertEquals(expected, new FrechetDistance(0.5).between(p, q), 1e-12);
    }

    /**
     * Two independent samples of N(0, I_d), n each: d^2 is small and its mean over repetitions matches the
     * sampling bias E||mu1 - mu2||^2 + E||S1 - S2||_F^2 / 4 = (2 d + (d^2 + d) / 2) / n (second order in S - I).
     * Over 30 repetitions the mean's relative spread is ~9%; the tolerance is 35%.
     */
    @Test
    void realVersusRealIsNearZero() {
        int d = 3;
        int n = 2000;
        SplittableRandom rng = new SplittableRandom(2);
        double expected = (2.0 * d + (d * d + d) / 2.0) / n;
        double sum = 0;
        int reps = 30;
        for (int r = 0; r < reps; r++) {
            double v = FrechetDistance.DEFAULT.between(gaussian(n, new double[d], 1, rng),
                    gaussian(n, new double[d], 1, rng));
            assertTrue(v > 0 && v < 6 * expected, "rep " + r + ": d^2 = " + v + " vs expected " + expected);
            sum += v;
        }
        assertEquals(expected, sum / reps, 0.35 * expected);
    }

    /**
     * Samples of N(0, I) and N(delta, I): d^2 = ||delta||^2 = 5 up to sampling, whose main term
     * 2 delta . (mu1_hat - mu2_hat) has sd 2 |delta| sqrt(2 / n) = 0.045 at n = 20000; tolerance 0.18 (4 sd).
     */
    @Test
    void shiftedDistributionsGiveTheShift() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] a = gaussian(20000, new double[] {0, 0, 0}, 1, rng);
        double[][] b = gaussian(20000, new double[] {1, 2, 0}, 1, rng);
        assertEquals(5.0, FrechetDistance.DEFAULT.between(a, b), 0.18);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new FrechetDistance(-1));
        GaussianFit p = new GaussianFit(new double[2], new double[][] {{1, 0}, {0, 1}});
        GaussianFit q = new GaussianFit(new double[3], new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.DEFAULT.between(p, q));
        assertTrue(e.getMessage().startsWith("b.dimension() = 3; allowed: 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianFit.of(new double[][] {{1, 2}, {3, Double.NaN}}));
        assertTrue(e.getMessage().contains("[1][1]"));
        e = assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(new double[][] {{1, 2}}));
        assertTrue(e.getMessage().startsWith("samples = 1 rows; allowed: at least 2 rows"), e.getMessage());
    }

    /**
     * A fit made by hand must hold a covariance. Each of these used to give a number: diag(-1, 1) against I gave 0
     * (the negative eigenvalue clipped), {{1, 2}, {2, 1}} (eigenvalues 3 and -1) gave 0.536, {{1, 0.5}, {-0.5, 1}}
     * was read as its symmetric part I and gave 0; a NaN mean gave NaN and a NaN entry a Commons Math convergence
     * failure. Round-off stays allowed: a sample covariance of collinear features (eigenvalue ~ -1e-16) passes.
     */
    @Test
    void aFitMadeByHandMustHoldACovariance() {
        double[][][] bad = {{{-1, 0}, {0, 1}}, {{1, 2}, {2, 1}}, {{1, 0.5}, {-0.5, 1}}, {{Double.NaN, 0}, {0, 1}}};
        String[] says = {"negative eigenvalue", "negative eigenvalue", "[0][1] = 0.5; allowed: -0.5", "[0][0] = NaN"};
        for (int k = 0; k < bad.length; k++) {
            double[][] c = bad[k];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GaussianFit(new double[2], c));
            assertTrue(e.getMessage().contains(says[k]) && e.getMessage().contains("covariance"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianFit(new double[] {Double.NaN, 0}, new double[][] {{1, 0}, {0, 1}}));
        assertTrue(e.getMessage().contains("mean[0] = NaN"), e.getMessage());
        double[][] collinear = new double[50][3];
        SplittableRandom rng = new SplittableRandom(5);
        for (double[] row : collinear) {
            row[0] = rng.nextGaussian() * 100;
            row[1] = 0.1 * row[0];
            row[2] = rng.nextGaussian();
        }
        assertEquals(0.0, FrechetDistance.DEFAULT.between(collinear, collinear), 1e-9);
    }

    /**
     * Tr((Sa Sb)^(1/2)) without any matrix square root: with the centred samples A (n_a x d) and B (n_b x d),
     * Sa = A^T A / (n_a - 1) and Sb = B^T B / (n_b - 1), the non-zero eigenvalues of Sa Sb are those of
     * (A B^T)(A B^T)^T / ((n_a - 1)(n_b - 1)), so the trace is the sum of the singular values of A B^T over
     * sqrt((n_a - 1)(n_b - 1)). The singular values come from one-sided Jacobi rotations written here, accurate to
     * round-off times the largest one, also where they are zero.
     */
    private static double reference(double[][] a, double[][] b) {
        double[][] ca = centred(a);
        double[][] cb = centred(b);
        int d = a[0].length;
        double[][] c = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                for (int k = 0; k < d; k++) {
                    c[i][j] += ca[i][k] * cb[j][k];
                }
            }
        }
        double meanTerm = 0;
        for (int k = 0; k < d; k++) {
            double diff = mean(a, k) - mean(b, k);
            meanTerm += diff * diff;
        }
        return meanTerm + trace(ca) / (a.length - 1) + trace(cb) / (b.length - 1)
                - 2 * nuclearNorm(c) / Math.sqrt((a.length - 1.0) * (b.length - 1.0));
    }

    private static double mean(double[][] x, int k) {
        double s = 0;
        for (double[] row : x) {
            s += row[k];
        }
        return s / x.length;
    }

    private static double[][] centred(double[][] x) {
        double[][] out = new double[x.length][x[0].length];
        for (int k = 0; k < x[0].length; k++) {
            double m = mean(x, k);
            for (int i = 0; i < x.length; i++) {
                out[i][k] = x[i][k] - m;
            }
        }
        return out;
    }

    /** @return the sum of squares of all entries of a centred sample matrix: (n - 1) Tr S */
    private static double trace(double[][] centred) {
        double s = 0;
        for (double[] row : centred) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    /** Sum of singular values: rotate column pairs until all columns are orthogonal, then add the column norms. */
    private static double nuclearNorm(double[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = m[i].clone();
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (double[] row : a) {
                        alpha += row[p] * row[p];
                        beta += row[q] * row[q];
                        gamma += row[p] * row[q];
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double cos = 1 / Math.sqrt(1 + t * t);
                    double sin = cos * t;
                    for (double[] row : a) {
                        double x = row[p];
                        double y = row[q];
                        row[p] = cos * x - sin * y;
                        row[q] = sin * x + cos * y;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double sum = 0;
        for (int q = 0; q < cols; q++) {
            double norm = 0;
            for (double[] row : a) {
                norm += row[q] * row[q];
            }
            sum += Math.sqrt(norm);
        }
        return sum;
    }

    /**
     * Motion features of drawn clips (positions of ~5 px spread down to a radius spread of ~0.1 px) against an
     * independent computation ({@link #reference}), in both argument orders, with full-rank covariances (n > d = 9),
     * nearly singular ones (12 clips) and singular ones (n <= 9, down to 2 clips). The eigenvalues mu of
     * M = Sa^(1/2) Sb Sa^(1/2) carry round-off eps ||M||, so sqrt(mu) is off by at most about sqrt(eps ||M||), 1.5e-8
     * of Tr Sa + Tr Sb, for mu at or near zero, and by less for larger mu; nine of them: tolerance 2e-7 of the trace.
     * (Measured: at most 4e-10, for the nearly singular 12-clip set; 1e-15 for the others.)
     */
    @Test
    void motionFeaturesAgainstAnIndependentComputation() {
        int[][] counts = {{128, 64}, {40, 12}, {12, 40}, {9, 7}, {5, 5}, {3, 8}, {2, 2}};
        for (int[] n : counts) {
            double[][] a = MotionFeatures.of(DrawnClips.random(n[0], 16, 24, 10 + n[0]), SpriteEstimator.DEFAULT);
            double[][] b = MotionFeatures.of(DrawnClips.random(n[1], 16, 24, 20 + n[1]), SpriteEstimator.DEFAULT);
            double scale = trace(centred(a)) / (n[0] - 1) + trace(centred(b)) / (n[1] - 1);
            double tolerance = 2e-7 * scale;
            double expected = reference(a, b);
            String label = "n_a = " + n[0] + ", n_b = " + n[1] + ", Tr Sa + Tr Sb = " + scale;
            assertEquals(expected, FrechetDistance.DEFAULT.between(a, b), tolerance, label);
            assertEquals(expected, FrechetDistance.DEFAULT.between(b, a), tolerance, label + ", reversed");
        }
    }

    /**
     * Shifting every vector of b by delta moves only the mean term: d^2 grows by exactly
     * ||delta||^2 + 2 delta . (mu_b - mu_a), the covariances are unchanged. Shifting both sets alike changes
     * nothing. The offsets (up to 1000 px on 5 px spreads) cost round-off of ~1e-13 relative in the means and the
     * covariances (Commons Math centres in two passes); tolerance 1e-9 of the value.
     */
    @Test
    void translationMovesOnlyTheMeanTerm() {
        double[][] a = MotionFeatures.of(DrawnClips.random(30, 16, 24, 31), SpriteEstimator.DEFAULT);
        double[][] b = MotionFeatures.of(DrawnClips.random(50, 16, 24, 32), SpriteEstimator.DEFAULT);
        double base = FrechetDistance.DEFAULT.between(a, b);
        double[] delta = {3, -1, 0.5, 0, 0, 0.2, 1, 0, -0.1};
        double grow = 0;
        for (int k = 0; k < delta.length; k++) {
            grow += delta[k] * delta[k] + 2 * delta[k] * (mean(b, k) - mean(a, k));
        }
        assertEquals(base + grow, FrechetDistance.DEFAULT.between(a, shifted(b, delta)), 1e-9 * (base + grow));
        double[] far = {1000, -1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
        assertEquals(base, FrechetDistance.DEFAULT.between(shifted(a, far), shifted(b, far)), 1e-9 * base);
    }

    private static double[][] shifted(double[][] x, double[] delta) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
            for (int k = 0; k < delta.length; k++) {
                out[i][k] += delta[k];
            }
        }
        return out;
    }

    /**
     * A feature that is constant in each set (a rigid sprite's radius spread, say) at values c_a and c_b makes both
     * covariances singular and adds exactly (c_a - c_b)^2 to d^2 of the other features. The zero eigenvalue's
     * square root of round-off bounds the error (~1.5e-8 of the trace); tolerance 1e-7 of the trace.
     */
    @Test
    void aConstantFeatureAddsItsSquaredOffset() {
        SplittableRandom rng = new SplittableRandom(8);
        double[][] a = gaussian(60, new double[] {1, -2, 3}, 2.0, rng);
        double[][] b = gaussian(80, new double[] {0, -1, 3}, 1.5, rng);
        double without = FrechetDistance.DEFAULT.between(a, b);
        double[][] a4 = new double[a.length][];
        double[][] b4 = new double[b.length][];
        for (int i = 0; i < a.length; i++) {
            a4[i] = new double[] {a[i][0], a[i][1], 0.3, a[i][2]};
        }
        for (int i = 0; i < b.length; i++) {
            b4[i] = new double[] {b[i][0], b[i][1], 0.1, b[i][2]};
        }
        double scale = trace(centred(a)) / (a.length - 1) + trace(centred(b)) / (b.length - 1);
        assertEquals(without + 0.04, FrechetDistance.DEFAULT.between(a4, b4), 1e-7 * scale);
        assertEquals(without + 0.04, FrechetDistance.DEFAULT.between(b4, a4), 1e-7 * scale);
    }

    /**
     * Bad samples are refused naming the argument they came in (a or b), the row or value and what is allowed. The
     * messages used to say "samples" for both sets, so a NaN in the generated set of a real-versus-generated call read
     * like one in either; a null row was a NullPointerException and a null fit one too; two sets of different widths
     * were called "fits".
     */
    @Test
    void badSamplesAreRefusedNamingTheArgument() {
        double[][] ok = {{1, 2}, {3, 4}, {5, 7}};
        String[][] cases = {{"b[1][1] = NaN", "finite"}, {"a[2][0] = Infinity", "finite"},
            {"b has 3 features per row; allowed: 2", "features per row of a"},
            {"b = 1 rows; allowed: at least 2 rows"}, {"b[1] = null; allowed: a row of 2 values"},
            {"a[0] = null; allowed: a row holding the features"},
            {"variance of column 0 of b overflows", "scale the features"}};
        double[][][][] inputs = {
            {ok, {{1, 2}, {3, Double.NaN}}},
            {{{1, 2}, {3, 4}, {Double.POSITIVE_INFINITY, 0}}, ok},
            {ok, {{1, 2, 3}, {3, 4, 5}}},
            {ok, {{1, 2}}},
            {ok, {{1, 2}, null}},
            {{null, {1, 2}}, ok},
            {ok, {{1e200, 2}, {-1e200, 3}}}};
        for (int k = 0; k < cases.length; k++) {
            double[][][] in = inputs[k];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FrechetDistance.DEFAULT.between(in[0], in[1]));
            for (String part : cases[k]) {
                assertTrue(e.getMessage().contains(part), "case " + k + ": " + e.getMessage());
            }
        }
        GaussianFit fit = GaussianFit.of(ok);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.DEFAULT.between(fit, (GaussianFit) null));
        assertTrue(e.getMessage().startsWith("b = null; allowed: a GaussianFit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GaussianFit(null, new double[][] {{1}}));
        assertTrue(e.getMessage().startsWith("mean = null; allowed:") && e.getMessage().contains("mean null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianFit(new double[] {0}, new double[][] {null}));
        assertTrue(e.getMessage().startsWith("covariance[0] = null; allowed: a row of length 1"), e.getMessage());
    }
}
