package tpdiff4j.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import tpdiff4j.Refusals;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Toy data for solver experiments: points {@code x0 ~ N(mu, diag(s^2))} in {@code d} dimensions (the last axis of
 * every array), for which the optimal denoiser and the probability-flow ODE solution are known in closed form.
 *
 * <p>Per coordinate {@code i}, with {@code V_i(t) = gamma_t^2 s_i^2 + sigma_t^2} and {@code d_i = x_i - gamma_t mu_i}:
 * <pre>
 *   E[x0_i | x_t = x] = mu_i + gamma_t s_i^2 d_i / V_i,     E[eps_i | x_t = x] = sigma_t d_i / V_i.
 * </pre>
 * The PF-ODE velocity {@code gammaDot E[x0|x] + sigmaDot E[eps|x] = gammaDot mu_i + V_i'/(2 V_i) d_i} keeps
 * {@code z_i = (x_i - gamma_t mu_i) / sqrt(V_i(t))} constant along a path, so the exact solution from time
 * {@code a} to time {@code b} is {@code x_i(b) = gamma_b mu_i + sqrt(V_i(b)) z_i} ({@link #flow}).
 */
public final class GaussianPoints {

    private final double[] mean;
    private final double[] std;

    private GaussianPoints(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Points with the given per-coordinate mean and standard deviation.
     *
     * @param mean {@code mu}, length {@code d >= 1}
     * @param std {@code s}, same length, every entry finite and {@code > 0}
     */
    public static GaussianPoints of(double[] mean, double[] std) {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean.length = " + (mean == null ? "null" : mean.length) + ", std.length = "
                    + (std == null ? "null" : std.length) + "; allowed: arrays of the same length, at least 1");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("std[" + i + "] = " + std[i] + ", mean[" + i + "] = " + mean[i]
                        + "; allowed: finite mean, finite std > 0");
            }
        }
        return new GaussianPoints(mean.clone(), std.clone());
    }

    /** The dimension {@code d}. */
    public int dim() {
        return mean.length;
    }

    /** {@code mu} (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** {@code s} (a copy). */
    public double[] std() {
        return std.clone();
    }

    /** {@code n} data points {@code [n, d]}, float64, seeded. */
    public NDArray sample(NDManager manager, int n, long seed) {
        NDArray z = GaussianNoise.normal(manager, new Shape(positive("n", n), dim()), DataType.FLOAT64, seed);
        return z.mul(manager.create(std)).add(manager.create(mean));
    }

    /** {@code V_i(t) = gamma_t^2 s_i^2 + sigma_t^2}, the variance of coordinate i of {@code x_t}. */
    public double[] variance(NoiseSchedule schedule, double t) {
        double g = schedule.gamma(t), sg = schedule.sigma(t);
        double[] v = new double[dim()];
        for (int i = 0; i < v.length; i++) {
            v[i] = g * g * std[i] * std[i] + sg * sg;
        }
        return v;
    }

    /**
     * The optimal (posterior-mean) model predicting {@code type} = {@code a x0 + b eps}:
     * {@code a mu + k (x - gamma mu)} per coordinate with {@code k = (a gamma s^2 + b sigma) / V}. Arrays
     * {@code [..., d]} of any float type.
     */
    public Denoiser denoiser(NoiseSchedule schedule, PredictionType type) {
        return Denoiser.of(type, (x, t) -> {
            checkLastAxis(x);
            double g = schedule.gamma(t), sg = schedule.sigma(t);
            double[] ab = type.coefficients(schedule, t);
            double[] v = variance(schedule, t);
            double[] k = new double[dim()], c = new double[dim()];
            for (int i = 0; i < k.length; i++) {
                k[i] = (ab[0] * g * std[i] * std[i] + ab[1] * sg) / v[i];
                c[i] = mean[i] * (ab[0] - k[i] * g);
            }
            NDManager m = x.getManager();   // the solver's per-step manager frees these
            return x.mul(m.create(k).toType(x.getDataType(), false)).add(m.create(c).toType(x.getDataType(), false));
        });
    }

    /** The exact PF-ODE solution at time {@code to} of the path through {@code x} ({@code [..., d]}) at time {@code from}. */
    public NDArray flow(NoiseSchedule schedule, NDArray x, double from, double to) {
        checkLastAxis(x);
        double[] va = variance(schedule, from), vb = variance(schedule, to);
        double ga = schedule.gamma(from), gb = schedule.gamma(to);
        double[] k = new double[dim()], c = new double[dim()];
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.sqrt(vb[i] / va[i]);
            c[i] = mean[i] * (gb - k[i] * ga);
        }
        NDManager m = x.getManager();
        return x.mul(m.create(k).toType(x.getDataType(), false)).add(m.create(c).toType(x.getDataType(), false));
    }

    private void checkLastAxis(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() == 0 || s.get(s.dimension() - 1) != dim()) {
            throw new IllegalArgumentException("x has shape " + s + "; allowed: last axis of length d = " + dim());
        }
    }

    private static int positive(String name, int n) {
        if (n < 1) {
            throw Refusals.refuse(name, n, ">= 1");
        }
        return n;
    }

    @Override
    public String toString() {
        return "GaussianPoints(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
