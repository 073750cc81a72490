package tpdiff4j.ode;

import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * An explicit Runge-Kutta method as data (Butcher 1964): stages {@code k_i = f(x + h sum_{j<i} a_ij k_j, t + c_i h)},
 * step {@code x' = x + h sum_i b_i k_i}. Explicit means {@code a} is strictly lower triangular.
 *
 * <p>Validated on construction: a is s x s and strictly lower triangular, b and c have s entries, all finite,
 * {@code sum b = 1} and {@code c_i = sum_j a_ij} (to 1e-12), order >= 1. Arrays are copied in and out.
 *
 * @param name  a short name, e.g. "rk4"
 * @param a     the s x s coupling matrix, strictly lower triangular
 * @param b     the s weights, summing to 1
 * @param c     the s nodes, {@code c_i = sum_j a_ij}
 * @param order the classical order of accuracy (documentation and tests)
 */
public record ButcherTableau(String name, double[][] a, double[] b, double[] c, int order) {

    /** Validates and copies. */
    public ButcherTableau {
        if (name == null || name.isBlank()) {
            throw Refusals.refuse("name", name, "a non-blank name");
        }
        if (a == null || b == null || c == null || b.length == 0) {
            throw new IllegalArgumentException((a == null ? "a = null" : b == null ? "b = null" : c == null ? "c = null"
                    : "b = []") + "; allowed: a (s x s), b and c (s each) for s >= 1 stages");
        }
        int s = b.length;
        if (c.length != s || a.length != s) {
            throw new IllegalArgumentException("a has " + a.length + " rows, b " + s + " and c " + c.length
                    + " entries; allowed: the same number of stages s for all three");
        }
        a = Arrays.stream(a).map(row -> row == null ? null : row.clone()).toArray(double[][]::new);
        b = b.clone();
        c = c.clone();
        double sumB = 0;
        for (int i = 0; i < s; i++) {
            if (a[i] == null || a[i].length != s) {
                throw new IllegalArgumentException("a[" + i + "] has " + (a[i] == null ? "no" : a[i].length)
                        + " entries; allowed: " + s + " (a is s x s)");
            }
            double rowSum = 0;
            for (int j = 0; j < s; j++) {
                finite("a[" + i + "][" + j + "]", a[i][j]);
                if (j >= i && a[i][j] != 0) {
                    throw new IllegalArgumentException("a[" + i + "][" + j + "] = " + a[i][j]
                            + " makes the method implicit; allowed: a[i][j] = 0 for j >= i (explicit methods only)");
                }
                rowSum += a[i][j];
            }
            finite("b[" + i + "]", b[i]);
            finite("c[" + i + "]", c[i]);
            if (Math.abs(rowSum - c[i]) > 1e-12) {
                throw new IllegalArgumentException("c[" + i + "] = " + c[i] + " but row " + i + " of a sums to " + rowSum
                        + "; allowed: c[i] = sum_j a[i][j]");
            }
            sumB += b[i];
        }
        if (Math.abs(sumB - 1) > 1e-12) {
            throw new IllegalArgumentException("b sums to " + sumB + "; allowed: weights b that sum to 1 (consistency)");
        }
        if (order < 1) {
            throw Refusals.refuse("order", order, "order >= 1");
        }
    }

    private static void finite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw Refusals.refuse(what, v, "a finite number");
        }
    }

    /** Forward Euler, order 1. */
    public static ButcherTableau euler() {
        return new ButcherTableau("euler", new double[][] {{0}}, new double[] {1}, new double[] {0}, 1);
    }

    /** Heun's method (explicit trapezoid), order 2. */
    public static ButcherTableau heun() {
        return new ButcherTableau("heun", new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5}, new double[] {0, 1}, 2);
    }

    /** The explicit midpoint method, order 2. */
    public static ButcherTableau midpoint() {
        return new ButcherTableau("midpoint", new double[][] {{0, 0}, {0.5, 0}}, new double[] {0, 1}, new double[] {0, 0.5}, 2);
    }

    /** The classical Runge-Kutta method, order 4. */
    public static ButcherTableau rk4() {
        return new ButcherTableau("rk4",
                new double[][] {{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1, 0}},
                new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, new double[] {0, 0.5, 0.5, 1}, 4);
    }

    /** The number of stages s. */
    public int stages() {
        return b.length;
    }

    /** A copy of the coupling matrix. */
    @Override
    public double[][] a() {
        return Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    }

    /** A copy of the weights. */
    @Override
    public double[] b() {
        return b.clone();
    }

    /** A copy of the nodes. */
    @Override
    public double[] c() {
        return c.clone();
    }

    double a(int i, int j) {
        return a[i][j];
    }

    double b(int i) {
        return b[i];
    }

    double c(int i) {
        return c[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ButcherTableau)) {
            return false;
        }
        ButcherTableau t = (ButcherTableau) o;
        return name.equals(t.name) && order == t.order && Arrays.deepEquals(a, t.a) && Arrays.equals(b, t.b)
                && Arrays.equals(c, t.c);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.deepHashCode(a)) + Arrays.hashCode(b) + order;
    }

    @Override
    public String toString() {
        return "ButcherTableau[" + name + ", order " + order + ", a=" + Arrays.deepToString(a) + ", b="
                + Arrays.toString(b) + ", c=" + Arrays.toString(c) + "]";
    }
}
