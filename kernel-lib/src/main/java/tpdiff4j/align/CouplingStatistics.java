package tpdiff4j.align;

import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;

/**
 * What a data-noise coupling does to flow matching ({@code x_t = (1 - t) x0 + t eps}, target {@code v = eps - x0}),
 * measured on a batch of points {@code double[n][d]}: data {@code x0_i} is paired with noise
 * {@code eps_{pi(i)}} ({@code partner = pi}; the identity is the independent coupling, {@link LinearAssignment}
 * the aligned one).
 *
 * <ul>
 *   <li>{@link #meanSquaredDistance}: {@code (1/n) sum_i ||x0_i - eps_pi(i)||^2}, the cost alignment minimises.</li>
 *   <li>{@link #targetVariance}: the conditional variance {@code E ||v - E[v | x_t]||^2} that a network trained
 *       with the MSE loss cannot remove, at one time {@code t}. {@code E[v | x_t]} is the Nadaraya-Watson estimate
 *       {@code vhat(x) = sum_j w_j v_j / sum_j w_j}, {@code w_j = exp(-||x - x_t,j||^2 / (2 h^2))}, left out
 *       {@code j = i} for point {@code i}.</li>
 *   <li>{@link #marginalFlow}: Euler paths of the marginal ODE {@code dx/dt = vhat(x, t)} from {@code t = 1} to 0
 *       (the flow a perfectly trained model would follow); {@code tpdiff4j.viz.Plots.straightness} measures how
 *       straight such paths are.</li>
 * </ul>
 */
public final class CouplingStatistics {

    private CouplingStatistics() {}

    /** {@code (1/n) sum_i ||data_i - noise_partner[i]||^2}. */
    public static double meanSquaredDistance(double[][] data, double[][] noise, int[] partner) {
        check(data, noise, partner, 1);
        double sum = 0;
        for (int i = 0; i < data.length; i++) {
            sum += squaredDistance(data[i], noise[partner[i]]);
        }
        return sum / data.length;
    }

    /**
     * Leave-one-out estimate of {@code E ||v - E[v | x_t]||^2} at time {@code t} (see the class comment).
     *
     * @param t in [0, 1]
     * @param bandwidth kernel width {@code h > 0}
     */
    public static double targetVariance(double[][] data, double[][] noise, int[] partner, double t, double bandwidth) {
        check(data, noise, partner, 2);
        checkTime(t);
        checkBandwidth(bandwidth);
        double[][] xt = interpolate(data, noise, partner, t);
        double[][] v = velocities(data, noise, partner);
        double sum = 0;
        for (int i = 0; i < data.length; i++) {
            sum += squaredDistance(v[i], kernelMean(xt, v, xt[i], bandwidth, i));
        }
        return sum / data.length;
    }

    /**
     * Euler paths of {@code dx/dt = vhat(x, t)} from {@code t = 1} to {@code t = 0} in {@code steps} equal steps.
     *
     * @param start points at {@code t = 1}, {@code [m][d]}
     * @return {@code steps + 1} arrays {@code [m][d]}, the first one a copy of {@code start}
     */
    public static List<double[][]> marginalFlow(double[][] data, double[][] noise, int[] partner, double[][] start,
            int steps, double bandwidth) {
        check(data, noise, partner, 1);
        checkBandwidth(bandwidth);
        if (steps < 1) {
            throw Refusals.refuse("steps", steps, ">= 1");
        }
        double[][] v = velocities(data, noise, partner);
        List<double[][]> path = new ArrayList<>();
        double[][] x = new double[start.length][];
        for (int i = 0; i < x.length; i++) {
            if (start[i].length != data[0].length) {
                throw new IllegalArgumentException("start[" + i + "] has " + start[i].length + " coordinates; allowed: "
                        + data[0].length);
            }
            x[i] = start[i].clone();
        }
        path.add(copy(x));
        double dt = 1.0 / steps;
        for (int k = 0; k < steps; k++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted");
            }
            double[][] xt = interpolate(data, noise, partner, 1 - k * dt);
            for (double[] p : x) {
                double[] u = kernelMean(xt, v, p, bandwidth, -1);
                for (int c = 0; c < p.length; c++) {
                    p[c] -= dt * u[c];
                }
            }
            path.add(copy(x));
        }
        return path;
    }

    private static double[] kernelMean(double[][] xt, double[][] v, double[] x, double h, int skip) {
        int n = xt.length, d = x.length;
        double[] dist = new double[n];
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            dist[j] = squaredDistance(x, xt[j]);
            if (j != skip) {
                min = Math.min(min, dist[j]);
            }
        }
        double[] num = new double[d];
        double den = 0;
        for (int j = 0; j < n; j++) {
            if (j == skip) {
                continue;
            }
            double w = Math.exp(-(dist[j] - min) / (2 * h * h));
            den += w;
            for (int c = 0; c < d; c++) {
                num[c] += w * v[j][c];
            }
        }
        for (int c = 0; c < d; c++) {
            num[c] /= den;
        }
        return num;
    }

    private static double[][] interpolate(double[][] data, double[][] noise, int[] partner, double t) {
        double[][] xt = new double[data.length][data[0].length];
        for (int i = 0; i < data.length; i++) {
            for (int c = 0; c < xt[i].length; c++) {
                xt[i][c] = (1 - t) * data[i][c] + t * noise[partner[i]][c];
            }
        }
        return xt;
    }

    private static double[][] velocities(double[][] data, double[][] noise, int[] partner) {
        double[][] v = new double[data.length][data[0].length];
        for (int i = 0; i < data.length; i++) {
            for (int c = 0; c < v[i].length; c++) {
                v[i][c] = noise[partner[i]][c] - data[i][c];
            }
        }
        return v;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += (a[c] - b[c]) * (a[c] - b[c]);
        }
        return s;
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    private static void check(double[][] data, double[][] noise, int[] partner, int minPoints) {
        String allowed = "data [n][d], noise [n][d] and a permutation partner of 0..n-1";
        Refusals.notNull(data, "data", allowed);
        Refusals.notNull(noise, "noise", allowed);
        Refusals.notNull(partner, "partner", allowed);
        if (data.length < minPoints || noise.length != data.length || partner.length != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " points, noise " + noise.length
                    + " and partner " + partner.length + " entries; allowed: the same number n >= " + minPoints
                    + " for all three");
        }
        boolean[] seen = new boolean[data.length];
        for (int i = 0; i < partner.length; i++) {
            int p = partner[i];
            if (p < 0 || p >= data.length || seen[p]) {
                throw new IllegalArgumentException("partner[" + i + "] = " + p + (p >= 0 && p < data.length
                        ? " repeats an earlier entry" : "") + "; allowed: a permutation of 0.." + (data.length - 1));
            }
            seen[p] = true;
            for (double[][] points : new double[][][] {data, noise}) {   // "point 0 ... than point 0" when noise[0] differed
                if (points[i] == null || points[i].length != data[0].length) {
                    throw new IllegalArgumentException((points == data ? "data[" : "noise[") + i + "] has "
                            + (points[i] == null ? "null" : points[i].length + " coordinates") + "; allowed: "
                            + data[0].length + ", the dimension of data[0], for every point of data and noise");
                }
            }
        }
    }

    private static void checkTime(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw Refusals.refuse("t", t, "[0, 1]");
        }
    }

    private static void checkBandwidth(double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw Refusals.refuse("bandwidth", h, "finite > 0");
        }
    }
}
