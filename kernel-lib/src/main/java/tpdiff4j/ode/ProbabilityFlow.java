package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The probability-flow ODE of a schedule and a model (Song et al. 2021; DPM-Solver, Lu et al. 2022;
 * docs/derivation.md section 2):
 * <pre>
 *   dx/dt = E[gammaDot x0 + sigmaDot eps | x_t = x] = f(t) x + g^2(t) / (2 sigma(t)) epsHat(x, t)
 *   f(t)   = d ln gamma / dt = gammaDot / gamma
 *   g^2(t) = d sigma^2 / dt - 2 f(t) sigma^2 = 2 sigma sigmaDot - 2 (gammaDot / gamma) sigma^2
 * </pre>
 * The first form, the model's prediction converted to {@link PredictionType#VELOCITY}, is what the solvers
 * integrate; it stays finite where gamma = 0 (flow matching at t = 1) for VELOCITY, X0 and V_PREDICTION models.
 */
public final class ProbabilityFlow {

    private ProbabilityFlow() {
    }

    /** The right-hand side dx/dt at (x, t): the model's prediction as a VELOCITY. Same shape as x. */
    public static NDArray velocity(Denoiser model, NoiseSchedule schedule, NDArray x, double t) {
        NDArray pred = model.predict(x, t);
        NDArray v = Predictions.convert(schedule, t, x, pred, model.type(), PredictionType.VELOCITY);
        if (v != pred) {
            pred.close();
        }
        return v;
    }

    /** The drift coefficient {@code f(t) = gammaDot / gamma} of the noise-prediction form. */
    public static double drift(NoiseSchedule s, double t) {
        return s.gammaDot(t) / s.gamma(t);
    }

    /**
     * The diffusion coefficient {@code g^2(t) = d sigma^2 / dt - 2 (gammaDot / gamma) sigma^2}, with
     * {@code d sigma^2 / dt} from {@link NoiseSchedule#sigmaSquaredDot} ({@code 2 sigma sigmaDot}). Finite at t = 0 of
     * {@code Schedules.vpCosine()} too, where sigmaDot is infinite: there it is the right limit
     * {@code -2 gammaDot(0) / gamma(0)}, about 0.0388 (on every variance-preserving schedule
     * {@code g^2 = -2 gammaDot / gamma}).
     */
    public static double diffusionSquared(NoiseSchedule s, double t) {
        double sigma = s.sigma(t);
        return s.sigmaSquaredDot(t) - 2 * drift(s, t) * sigma * sigma;
    }
}
