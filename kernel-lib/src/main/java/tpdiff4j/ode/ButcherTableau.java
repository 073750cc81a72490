package tpdiff4j.ode;

/**
 * An explicit Runge-Kutta method as data (Butcher 1964): stages {@code k_i = f(x + h sum_{j<i} a_ij k_j, t + c_i h)},
 * step {@code x' = x + h sum_i b_i k_i}. Explicit means {@code a} is strictly lower triangular.
 *
 * @param name  a short name, e.g. "rk4"
 * @param a     the s x s coupling matrix, strictly lower triangular
 * @param b     the s weights, summing to 1
 * @param c     the s nodes, {@code c_i = sum_j a_ij}
 * @param order the classical order of accuracy (for documentation and tests)
 */
public record ButcherTableau(String name, double[][] a, double[] b, double[] c, int order) {

    /** Forward Euler, order 1. */
    public static ButcherTableau euler() {
        return new ButcherTableau("euler", new double[][] {{0}}, new double[] {1}, new double[] {0}, 1);
    }

    /** Heun's method (explicit trapezoid), order 2. */
    public static ButcherTableau heun() {
        return new ButcherTableau("heun", new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5}, new double[] {0, 1}, 2);
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
}
