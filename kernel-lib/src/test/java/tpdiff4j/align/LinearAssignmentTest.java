package tpdiff4j.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.junit.jupiter.api.Test;

/** Exactness and input handling of {@link LinearAssignment} (docs/derivation.md section 7). */
class LinearAssignmentTest {

    static double total(double[][] c, int[] col) {
        double s = 0;
        for (int i = 0; i < col.length; i++) {
            s += c[i][col[i]];
        }
        return s;
    }

    static void assertInjective(int[] col, int m) {
        boolean[] used = new boolean[m];
        for (int j : col) {
            assertTrue(j >= 0 && j < m, "column out of range: " + j);
            assertTrue(!used[j], "column used twice: " + j);
            used[j] = true;
        }
    }

    /** Minimum over all injective maps rows -> columns, by recursion. */
    static double bruteForce(double[][] c, int row, boolean[] used) {
        if (row == c.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c[0].length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[row][j] + bruteForce(c, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    static double[][] random(Random rnd, int n, int m, int kind) {
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i][j] = switch (kind) {
                    case 0 -> rnd.nextDouble();
                    case 1 -> rnd.nextInt(4);                // many ties
                    case 2 -> rnd.nextGaussian() * 100 - 50; // negative costs
                    default -> Math.abs(rnd.nextGaussian()) * Math.pow(10, rnd.nextInt(7) - 3); // wide range
                };
            }
        }
        return c;
    }

    @Test
    void handMade3x3GivesTheKnownPermutation() {
        // scipy's docstring example: optimum rows -> cols (1, 0, 2), total 5
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        int[] col = LinearAssignment.solve(c);
        assertArrayEquals(new int[] {1, 0, 2}, col);
        assertEquals(5.0, total(c, col));
    }

    @Test
    void equalsBruteForceForSmallSquareAndRectangularMatrices() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(8);
            int m = n + (trial % 3 == 0 ? rnd.nextInt(3) : 0);
            double[][] c = random(rnd, n, m, trial % 4);
            int[] col = LinearAssignment.solve(c);
            assertInjective(col, m);
            double best = bruteForce(c, 0, new boolean[m]);
            assertEquals(best, total(c, col), 1e-9 * (1 + Math.abs(best)), "trial " + trial);
        }
    }

    @Test
    void equalsJGraphTKuhnMunkresForRandomMatricesUpTo200() {
        Random rnd = new Random(7);
        for (int n : new int[] {50, 97, 128, 200}) {
            for (int kind = 0; kind < 3; kind++) {
                double[][] c = random(rnd, n, n, kind);
                int[] col = LinearAssignment.solve(c);
                assertInjective(col, n);
                double ref = kuhnMunkres(c);
                assertEquals(ref, total(c, col), 1e-9 * (1 + Math.abs(ref)), "n = " + n + ", kind " + kind);
                int[] identity = new int[n];
                for (int i = 0; i < n; i++) {
                    identity[i] = i;
                }
                assertTrue(total(c, col) <= total(c, identity) + 1e-12, "never worse than the identity pairing");
            }
        }
    }

    static double kuhnMunkres(double[][] c) {
        int n = c.length;
        SimpleWeightedGraph<Integer, DefaultWeightedEdge> g = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        Set<Integer> rows = new HashSet<>();
        Set<Integer> cols = new HashSet<>();
        for (int i = 0; i < n; i++) {
            g.addVertex(i);
            rows.add(i);
            g.addVertex(n + i);
            cols.add(n + i);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g.setEdgeWeight(g.addEdge(i, n + j), c[i][j]);
            }
        }
        return new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(g, rows, cols).getMatching().getWeight();
    }

    @Test
    void largerRectangularMatchesItsSquarePaddedVersion() {
        // n x m with n < m equals the m x m problem padded with zero-cost dummy rows
        Random rnd = new Random(3);
        int n = 60;
        int m = 90;
        double[][] c = random(rnd, n, m, 0);
        double[][] padded = new double[m][m];
        for (int i = 0; i < n; i++) {
            padded[i] = c[i].clone();
        }
        int[] col = LinearAssignment.solve(c);
        assertInjective(col, m);
        int[] colPadded = LinearAssignment.solve(padded);
        assertEquals(total(padded, colPadded), total(c, col), 1e-9);
    }

    @Test
    void emptyAllEqualAndTiesAreDeterministic() {
        assertEquals(0, LinearAssignment.solve(new double[0][0]).length);
        double[][] flat = new double[6][6];
        for (double[] r : flat) {
            java.util.Arrays.fill(r, 2.5);
        }
        int[] col = LinearAssignment.solve(flat);
        assertInjective(col, 6);
        assertEquals(15.0, total(flat, col));
        Random rnd = new Random(11);
        double[][] ties = random(rnd, 40, 40, 1);
        assertArrayEquals(LinearAssignment.solve(ties), LinearAssignment.solve(ties), "same input, same output");
        double[][] copy = new double[40][];
        for (int i = 0; i < 40; i++) {
            copy[i] = ties[i].clone();
        }
        LinearAssignment.solve(ties);
        assertArrayEquals(copy, ties, "the input is not modified");
    }

    @Test
    void infinityIsAForbiddenPairAndInfeasibilityIsReported() {
        double inf = Double.POSITIVE_INFINITY;
        double[][] c = {{inf, 1, inf}, {2, inf, inf}, {inf, 3, 4}};
        assertArrayEquals(new int[] {1, 0, 2}, LinearAssignment.solve(c));
        double[][] none = {{1, inf}, {2, inf}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(none));
        assertTrue(e.getMessage().contains("no assignment with finite total cost"), e.getMessage());
        double[][] none2 = {{1, inf, inf}, {2, inf, inf}}; // rectangular: rows compete for one column
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(none2));
        // random sparse-ish matrices with infinities: compare with brute force on the finite optimum
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(6);
            double[][] r = random(rnd, n, n, 0);
            for (double[] row : r) {
                for (int j = 0; j < n; j++) {
                    if (rnd.nextDouble() < 0.4) {
                        row[j] = inf;
                    }
                }
            }
            double best = bruteForce(r, 0, new boolean[n]);
            if (best == inf) {
                assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(r));
            } else {
                assertEquals(best, total(r, LinearAssignment.solve(r)), 1e-12);
            }
        }
    }

    @Test
    void badInputsAreRejectedWithTheCellOrShape() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[][] {{1, 2}, {Double.NaN, 0}}));
        assertTrue(nan.getMessage().contains("cost[1][0] = NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[][] {{1, Double.NEGATIVE_INFINITY}, {0, 0}}));
        IllegalArgumentException tall = assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[3][2]));
        assertTrue(tall.getMessage().contains("n <= m"), tall.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[] {1, 2, 3}, 2, 2));
        assertArrayEquals(new int[] {1, 0}, LinearAssignment.solve(new double[] {5, 1, 1, 5}, 2, 2));
    }
}
