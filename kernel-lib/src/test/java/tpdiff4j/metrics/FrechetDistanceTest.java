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
        assertEquals(expected, FrechetDistance.DEFAULT.between(p, q), 1e-7, "ridge changes d^2 by O(eps d)");
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

    /** A rank-deficient covariance (constant feature) is handled: the ridge keeps the value finite and right. */
    @Test
    void rankDeficientCovariance() {
        GaussianFit p = new GaussianFit(new double[] {0, 0}, new double[][] {{1, 0}, {0, 0}});
        GaussianFit q = new GaussianFit(new double[] {0, 0}, new double[][] {{4, 0}, {0, 0}});
        assertEquals(1.0, FrechetDistance.DEFAULT.between(p, q), 1e-7);
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
        assertTrue(e.getMessage().contains("same dimension"));
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianFit.of(new double[][] {{1, 2}, {3, Double.NaN}}));
        assertTrue(e.getMessage().contains("[1][1]"));
        e = assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(new double[][] {{1, 2}}));
        assertTrue(e.getMessage().contains("at least 2 rows"));
    }
}
