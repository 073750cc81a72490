package tpdiff4j.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CouplingStatisticsTest {

    private static double[][] gaussian(int n, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            q[0] = shift + r.nextGaussian();
            q[1] = r.nextGaussian();
        }
        return p;
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
        }
        return id;
    }

    @Test
    void translatedNoiseGivesZeroVarianceAndStraightPaths() {
        double[][] data = gaussian(50, 0, 1);
        double[][] noise = new double[50][];
        for (int i = 0; i < 50; i++) {
            noise[i] = new double[] {data[i][0] + 2, data[i][1] - 1};   // v = (2, -1) for every pair
        }
        int[] id = identity(50);
        assertEquals(5.0, CouplingStatistics.meanSquaredDistance(data, noise, id), 1e-12);
        assertEquals(0.0, CouplingStatistics.targetVariance(data, noise, id, 0.5, 0.3), 1e-20);
        List<double[][]> path = CouplingStatistics.marginalFlow(data, noise, id, noise, 10, 0.3);
        assertEquals(11, path.size());
        assertEquals(1.0, straightness(path), 1e-12);
        assertEquals(data[7][0], path.get(10)[7][0], 1e-12);
        assertEquals(data[7][1], path.get(10)[7][1], 1e-12);
    }

    /** Mean of |x_end - x_start| / path length over the points (1 = straight). */
    private static double straightness(List<double[][]> path) {
        double sum = 0;
        int m = path.get(0).length;
        for (int i = 0; i < m; i++) {
            double length = 0;
            for (int k = 1; k < path.size(); k++) {
                length += Math.hypot(path.get(k)[i][0] - path.get(k - 1)[i][0], path.get(k)[i][1] - path.get(k - 1)[i][1]);
            }
            double[] a = path.get(0)[i], b = path.get(path.size() - 1)[i];
            sum += Math.hypot(b[0] - a[0], b[1] - a[1]) / length;
        }
        return sum / m;
    }

    @Test
    void alignmentLowersCostTargetVarianceAndBending() {
        int n = 256;
        double[][] data = gaussian(n, 3, 2), noise = gaussian(n, 0, 3);
        double[][] cost = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cost[i][j] = Math.hypot(data[i][0] - noise[j][0], data[i][1] - noise[j][1]);
            }
        }
        int[] aligned = LinearAssignment.solve(cost), id = identity(n);
        double c0 = CouplingStatistics.meanSquaredDistance(data, noise, id);
        double c1 = CouplingStatistics.meanSquaredDistance(data, noise, aligned);
        double v0 = CouplingStatistics.targetVariance(data, noise, id, 0.5, 0.3);
        double v1 = CouplingStatistics.targetVariance(data, noise, aligned, 0.5, 0.3);
        double s0 = straightness(CouplingStatistics.marginalFlow(data, noise, id, noise, 20, 0.3));
        double s1 = straightness(CouplingStatistics.marginalFlow(data, noise, aligned, noise, 20, 0.3));
        // independent pairs: x0 - eps ~ N((3, 0), 2 I), E||x0 - eps||^2 = 9 + 2 + 2 = 13
        assertEquals(13, c0, 4 * Math.sqrt(88.0 / n));   // Var ||w||^2 = 2 sum 2^2 + 4 sum 2 m^2 = 88
        assertTrue(c1 < c0 && v1 < 0.5 * v0 && s1 > s0, "cost " + c0 + " -> " + c1 + ", variance " + v0 + " -> " + v1
                + ", straightness " + s0 + " -> " + s1);
    }

    @Test
    void badInputNamesTheParameter() {
        double[][] p = gaussian(3, 0, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CouplingStatistics.meanSquaredDistance(p, p, new int[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("partner[1] = 0 repeats an earlier entry; allowed: a permutation of 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CouplingStatistics.targetVariance(p, p, identity(3), 1.5, 0.1));
        assertTrue(e.getMessage().contains("t = 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CouplingStatistics.targetVariance(p, p, identity(3), 0.5, 0));
        assertTrue(e.getMessage().contains("bandwidth = 0.0"), e.getMessage());
    }
}
