package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StandardNormalTest {

    @Test
    void distributionFunctionMatchesTabulatedValuesInBothRegimes() {
        // reference values of Phi to 16 significant digits (standard tables; Phi(-x) = erfc(x / sqrt 2) / 2)
        double[][] table = {
            {0, 0.5}, {-1, 0.15865525393145705}, {0.5, 0.6914624612740131}, {1.96, 0.9750021048517795},
            {-3, 0.0013498980316300946}, {-4.5, 3.3976731247300535e-6}, {-5, 2.866515718791939e-7},
            {-8, 6.220960574271785e-16}, {-10, 7.619853024160527e-24}, {-20, 2.7536241186062337e-89},
        };
        for (double[] row : table) {
            double x = row[0], want = row[1];
            // Taylor regime (|x| < 5): absolute error ~1e-16, so 1e-12 relative down to Phi ~1e-4 and 2e-15 absolute
            // beyond; continued fraction (|x| >= 5): relative error ~1e-14
            double tol = Math.abs(x) < 5 ? Math.max(1e-12 * want, 2e-15) : 1e-12 * want;
            assertEquals(want, StandardNormal.cdf(x), tol, "Phi(" + x + ")");
            assertEquals(1 - want, StandardNormal.cdf(-x), Math.max(tol, 2e-16), "Phi(" + -x + ")");
        }
        assertEquals(0, StandardNormal.cdf(Double.NEGATIVE_INFINITY));
        assertEquals(1, StandardNormal.cdf(Double.POSITIVE_INFINITY));
        // the two regimes meet at |x| = 5 without a jump larger than their errors
        assertEquals(StandardNormal.cdf(Math.nextDown(-5.0)), StandardNormal.cdf(-5.0), 1e-20);
        assertThrows(IllegalArgumentException.class, () -> StandardNormal.cdf(Double.NaN));
    }

    @Test
    void quantileInvertsTheDistributionFunction() {
        for (double p : new double[] {1e-300, 1e-20, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-12}) {
            double x = StandardNormal.quantile(p);
            // Newton converges to the root of the computed Phi: Phi(x) agrees with p to its precision, 1e-12
            // relative in the tail regime and ~1e-16 absolute in the Taylor regime (allow 5e-16), or to the
            // precision of 1 - p near 1
            double tol = p > 0.5 ? 1e-13 * (1 - p) + 1e-16 : Math.max(1e-12 * p, 5e-16);
            assertEquals(p, StandardNormal.cdf(x), tol, "Phi(quantile(" + p + "))");
        }
        assertEquals(1.959963984540054, StandardNormal.quantile(0.975), 1e-12);
        assertEquals(0, StandardNormal.quantile(0.5), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StandardNormal.quantile(1));
        assertTrue(e.getMessage().contains("p = 1.0") && e.getMessage().contains("0 < p < 1"), e.getMessage());
    }

    @Test
    void truncatedDrawsStayInsideAndFollowTheRestrictedDistribution() {
        double[][] intervals = {{Double.NEGATIVE_INFINITY, -0.7}, {0.35, Double.POSITIVE_INFINITY}, {-0.7, 0.35},
            {6, 7}, {-9, -8.5}};
        for (double[] iv : intervals) {
            double a = iv[0], b = iv[1];
            SplittableRandom rng = new SplittableRandom(77);
            int n = 100_000;
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = StandardNormal.truncated(a, b, 1 - rng.nextDouble());
                assertTrue(z[i] >= a && z[i] <= b, z[i] + " outside [" + a + ", " + b + "]");
            }
            java.util.Arrays.sort(z);
            // Kolmogorov-Smirnov distance to the restricted distribution function; 1.95 / sqrt(n) is its 0.1 %
            // critical value, so a correct sampler fails this with probability 1e-3 per interval (fixed seed)
            boolean upper = a > 0;
            double lo = upper ? 1 - StandardNormal.cdf(-a) : StandardNormal.cdf(a);
            double mass = upper ? StandardNormal.cdf(-a) - StandardNormal.cdf(-b) : StandardNormal.cdf(b) - lo;
            double d = 0;
            for (int i = 0; i < n; i++) {
                double f = upper ? (StandardNormal.cdf(-a) - StandardNormal.cdf(-z[i])) / mass
                        : (StandardNormal.cdf(z[i]) - lo) / mass;
                d = Math.max(d, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (i + 1.0) / n)));
            }
            assertTrue(d < 1.95 / Math.sqrt(n), "KS distance " + d + " on [" + a + ", " + b + "]");
        }
        assertThrows(IllegalArgumentException.class, () -> StandardNormal.truncated(1, 1, 0.5));
    }
}
