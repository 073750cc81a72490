package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CovarianceErrorTest {

    /** An AR(1)-like frame covariance Sigma_ij = 0.8^|i-j| and its Cholesky factor. */
    private static double[][] sigma(int d) {
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i][j] = Math.pow(0.8, Math.abs(i - j));
            }
        }
        return s;
    }

    private static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    private static double[][] draw(int n, double[][] cov, double[] mean, SplittableRandom rng) {
        double[][] l = cholesky(cov);
        int d = cov.length;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = rng.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = mean[j];
                for (int k = 0; k <= j; k++) {
                    v += l[j][k] * z[k];
                }
                out[i][j] = v;
            }
        }
        return out;
    }

    /** Many exact samples of the true law: the error is at the Monte-Carlo floor (ratio < 3) and small. */
    @Test
    void trueLawIsAtTheNoiseFloor() {
        double[][] s = sigma(8);
        CovarianceError e = CovarianceError.of(draw(20000, s, new double[8], new SplittableRandom(1)), s);
        assertTrue(e.ratio() < 3, "ratio " + e.ratio());
        assertTrue(e.relativeError() < 0.06, "relative error " + e.relativeError());
        assertEquals(20000, e.samples());
    }

    /** A wrong law (correlation 0.5 instead of 0.8, or variance scaled by 1.3) is far above the floor. */
    @Test
    void wrongLawIsFarAboveTheFloor() {
        double[][] s = sigma(8);
        double[][] wrong = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                wrong[i][j] = Math.pow(0.5, Math.abs(i - j));
            }
        }
        CovarianceError e = CovarianceError.of(draw(20000, wrong, new double[8], new SplittableRandom(2)), s);
        assertTrue(e.ratio() > 20, "ratio " + e.ratio());
        double[][] scaled = sigma(8);
        for (double[] row : scaled) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= 1.3;
            }
        }
        CovarianceError e2 = CovarianceError.of(draw(20000, scaled, new double[8], new SplittableRandom(3)), s);
        assertEquals(0.3, e2.relativeError(), 0.05);
        assertTrue(e2.ratio() > 20, "ratio " + e2.ratio());
    }

    /**
     * The floor is the exact RMS: over 400 repetitions of n = 50 draws (known mean), mean(err^2) / floor^2 = 1
     * within 4 standard errors of the mean of err^2 (estimated from the repetitions).
     */
    @Test
    void noiseFloorIsTheRootMeanSquareError() {
        double[][] s = sigma(4);
        double[] mean = {1, -1, 0.5, 2};
        SplittableRandom rng = new SplittableRandom(4);
        int reps = 400;
        double[] sq = new double[reps];
        double floor = 0;
        for (int r = 0; r < reps; r++) {
            CovarianceError e = CovarianceError.of(draw(50, s, mean, rng), mean, s);
            sq[r] = e.relativeError() * e.relativeError();
            floor = e.noiseFloor();
        }
        double m = 0;
        for (double v : sq) {
            m += v / reps;
        }
        double var = 0;
        for (double v : sq) {
            var += (v - m) * (v - m) / (reps - 1);
        }
        double se = Math.sqrt(var / reps);
        assertEquals(floor * floor, m, 4 * se, "mean err^2 " + m + " vs floor^2 " + floor * floor);
    }

    /** frameVectors lays out one row per (b, c, y, x) with the F frame values in order. */
    @Test
    void frameVectorsLayout() {
        float[] data = new float[2 * 3 * 1 * 1 * 2]; // B=2, F=3, C=1, H=1, W=2
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        double[][] rows = CovarianceError.frameVectors(ClipBatch.of(data, 2, 3, 1, 1, 2));
        assertEquals(4, rows.length);
        assertEquals(java.util.List.of(1.0, 3.0, 5.0), java.util.Arrays.stream(rows[1]).boxed().toList());
        assertEquals(java.util.List.of(6.0, 8.0, 10.0), java.util.Arrays.stream(rows[2]).boxed().toList());
    }

    @Test
    void rejectsMismatchedSigma() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CovarianceError.of(new double[][] {{1, 2}, {3, 4}, {5, 7}}, new double[][] {{1}}));
        assertTrue(e.getMessage().startsWith("sigma = a matrix of 1 rows; allowed: 2 x 2"), e.getMessage());
    }

    /**
     * The true Sigma must be a covariance: an indefinite one (eigenvalues 3 and -1) used to give a relative error and
     * a noise floor as if it were a law, and a NaN entry was reported as a zero Sigma.
     */
    @Test
    void rejectsASigmaThatIsNoCovariance() {
        double[][] x = {{0, 1}, {1, 0}, {2, 2}, {0.5, 1.5}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CovarianceError.of(x, new double[][] {{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("sigma = a matrix with the negative eigenvalue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CovarianceError.of(x, new double[2], new double[][] {{Double.NaN, 0}, {0, 1}}));
        assertTrue(e.getMessage().contains("sigma[0][0] = NaN"), e.getMessage());
    }
}
