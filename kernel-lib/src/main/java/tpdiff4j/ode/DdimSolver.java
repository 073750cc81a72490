package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * DDIM (Song et al. 2021, Eq. 12; TPDiff v1 Eq. 3) for any schedule and prediction type. From time s to t:
 * <ol>
 *   <li>predict at (x_s, s) and convert to {@code x0Hat} and {@code epsHat} ({@link Predictions});</li>
 *   <li>noise level {@code c = eta sigma_t sqrt(1 - (rho_t / rho_s)^2)}, the posterior standard deviation of
 *       the forward process scaled by eta (for VP schedules DDIM's sigma_t(eta));</li>
 *   <li>{@code x_t = gamma_t x0Hat + sqrt(sigma_t^2 - c^2) epsHat + c z}, z from the {@link NoiseSource}.</li>
 * </ol>
 * With eta = 0 this is the exact solution of the probability-flow ODE for a constant epsilon (docs/derivation.md
 * section 3):
 * {@code x_t = (gamma_t / gamma_s) x_s + (sigma_t - gamma_t sigma_s / gamma_s) epsHat}; for flow matching
 * it is the Euler step {@code x_t = x_s + (t - s)(epsHat - x0Hat)}. eta > 0 needs a decreasing grid.
 */
final class DdimSolver implements Solver {

    private final double eta;
    private final NoiseSource noise;
    private final StepListener listener;
    private final boolean progress;

    DdimSolver(double eta, NoiseSource noise, StepListener listener, boolean progress) {
        if (!(eta >= 0 && eta <= 1)) {
            throw Refusals.refuse("eta", eta, "0 <= eta <= 1 (0 deterministic DDIM, 1 DDPM-like)");
        }
        if (eta > 0 && noise == null) {
            throw new IllegalArgumentException("noise = null with eta = " + eta + "; allowed: a NoiseSource when eta > 0");
        }
        this.eta = eta;
        this.noise = noise;
        this.listener = listener;
        this.progress = progress;
    }

    @Override
    public NDArray solve(Denoiser model, NoiseSchedule schedule, NDArray x, TimeGrid grid) {
        SolverRun run = new SolverRun(eta == 0 ? "ddim" : "ddim(eta=" + eta + ")", model, schedule, x, grid, progress);
        if (eta > 0 && !grid.decreasing()) {
            throw new IllegalArgumentException("grid " + grid + " increases, but eta = " + eta
                    + " adds noise; allowed: a decreasing grid, or eta = 0 (deterministic, e.g. for inversion)");
        }
        PredictionType type = model.type();
        return run.loop(x, (n, current) -> {
            double s = grid.t(n);
            double t = grid.t(n + 1);
            NDArray pred = model.predict(current, s);
            if (listener != null) {
                listener.onStep(n, s, current, SolverRun.x0OrNull(schedule, s, current, pred, type));
            }
            double[] toX0 = Predictions.coefficients(schedule, s, type, PredictionType.X0);
            double[] toEps = Predictions.coefficients(schedule, s, type, PredictionType.EPSILON);
            double gammaT = schedule.gamma(t);
            double sigmaT = schedule.sigma(t);
            double c = 0;
            if (eta > 0) {
                double gammaS = schedule.gamma(s);
                double ratio = gammaS == 0 ? 0 : gammaS * sigmaT / (gammaT * schedule.sigma(s)); // rho_t / rho_s
                c = eta * sigmaT * Math.sqrt(Math.max(0, 1 - ratio * ratio));
            }
            double epsWeight = Math.sqrt(Math.max(0, sigmaT * sigmaT - c * c));
            double cx = gammaT * toX0[0] + epsWeight * toEps[0];
            double cp = gammaT * toX0[1] + epsWeight * toEps[1];
            NDArray next = current.mul(cx).add(pred.mul(cp));
            if (c > 0) {
                NDArray z = noise.normal(current.getManager(), current.getShape(), current.getDataType(), n);
                next = next.add(z.mul(c));
            }
            return next;
        });
    }

    @Override
    public Solver withListener(StepListener l) {
        return new DdimSolver(eta, noise, l, progress);
    }

    /** A copy whose step noise is the run's stream of its source ({@link NoiseSource#forRun}); itself when eta = 0. */
    @Override
    public Solver forRun(long runSeed) {
        return eta > 0 ? new DdimSolver(eta, noise.forRun(runSeed), listener, progress) : this;
    }

    @Override
    public Solver withProgress(boolean on) {
        return new DdimSolver(eta, noise, listener, on);
    }

    @Override
    public boolean progress() {
        return progress;
    }

    /** True when {@code eta > 0}: each step then adds fresh noise. */
    @Override
    public boolean stochastic() {
        return eta > 0;
    }

    @Override
    public String toString() {
        return "Solver[ddim, eta " + eta + "]";
    }
}
