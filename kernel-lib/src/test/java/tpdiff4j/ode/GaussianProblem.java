package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Gaussian data {@code x0 ~ N(mu, s^2 I)} (mu an array, s a scalar): the optimal denoiser and the
 * probability-flow ODE solution are known in closed form.
 *
 * <p>With {@code V(t) = gamma^2 s^2 + sigma^2} and {@code d = x - gamma mu}: {@code E[x0 | x_t = x] = mu + gamma s^2 d / V},
 * {@code E[eps | x_t = x] = sigma d / V}. The PF-ODE velocity {@code gammaDot E[x0|x] + sigmaDot E[eps|x]} equals
 * {@code gammaDot mu + (V'/(2V)) d}, whose flow keeps {@code z = (x - gamma mu) / sqrt(V)} constant, so
 * {@code x(t) = gamma(t) mu + sqrt(V(t)) z}.
 */
final class GaussianProblem {

    final NoiseSchedule schedule;
    final NDArray mu;
    final double s;

    private final double[] muValues;

    GaussianProblem(NoiseSchedule schedule, NDArray mu, double s) {
        this.schedule = schedule;
        this.mu = mu;
        this.muValues = mu.toDoubleArray();
        this.s = s;
    }

    /** A problem with mu ~ U(-1, 1) of the given shape in float64. */
    static GaussianProblem random(NoiseSchedule schedule, NDManager m, Shape shape, double s, long seed) {
        return new GaussianProblem(schedule, uniform(m, shape, seed), s);
    }

    static NDArray uniform(NDManager m, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return m.create(v, shape);
    }

    static NDArray normal(NDManager m, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return m.create(v, shape);
    }

    double variance(double t) {
        double g = schedule.gamma(t);
        double sg = schedule.sigma(t);
        return g * g * s * s + sg * sg;
    }

    /** The optimal (posterior-mean) denoiser predicting {@code type}. */
    Denoiser denoiser(PredictionType type) {
        return Denoiser.of(type, (x, t) -> {
            double g = schedule.gamma(t);
            double sg = schedule.sigma(t);
            double v = variance(t);
            double[] ab = type.coefficients(schedule, t);
            // pred = a E[x0|x] + b E[eps|x] = a mu + (a g s^2 + b sg) d / V, with d = x - g mu;
            // every array is created from x, so that a solver's per-step manager frees it
            double k = (ab[0] * g * s * s + ab[1] * sg) / v;
            NDArray muX = x.getManager().create(muValues, x.getShape()).toType(x.getDataType(), false);
            return x.mul(k).add(muX.mul(ab[0] - k * g));
        });
    }

    /** The exact PF-ODE solution at time {@code to} from state x at time {@code from}. */
    NDArray exact(NDArray x, double from, double to) {
        NDArray z = x.sub(mu.mul(schedule.gamma(from))).div(Math.sqrt(variance(from)));
        return z.mul(Math.sqrt(variance(to))).add(mu.mul(schedule.gamma(to)));
    }

    /** A sample of the marginal at time t: {@code gamma mu + sqrt(V) z}. */
    NDArray sampleAt(double t, Shape shape, long seed) {
        NDArray z = normal(mu.getManager(), shape, seed);
        return z.mul(Math.sqrt(variance(t))).add(mu.mul(schedule.gamma(t)));
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        try (NDArray d = a.toType(DataType.FLOAT64, true).sub(b.toType(DataType.FLOAT64, true)).abs().max()) {
            return d.getDouble();
        }
    }
}
