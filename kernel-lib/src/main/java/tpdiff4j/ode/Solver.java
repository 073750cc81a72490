package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * An integrator of the probability-flow ODE along a {@link TimeGrid}. Immutable: {@code withX(...)} returns a
 * copy. Any tensor shape works; the result has the shape and data type of x and belongs to x's manager; x is
 * neither modified nor closed.
 */
public interface Solver {

    /** Integrates from {@code grid.t(0)} with state x to the grid's last time, calling the model once or more per step. */
    NDArray solve(Denoiser model, NoiseSchedule schedule, NDArray x, TimeGrid grid);

    /** A copy that reports every step to {@code listener} (null: none). */
    Solver withListener(StepListener listener);

    /** A copy that prints (on) or does not print (off, the default) a one-line progress display. */
    Solver withProgress(boolean on);

    /**
     * Whether a step adds fresh noise ({@code Solvers.ddim(eta, seed)} with {@code eta > 0}); false for the
     * deterministic solvers. A stochastic step keeps the marginals only of a path whose law given the data is
     * {@code N(gamma_t a, sigma_t^2 I)} for a fixed {@code a}; a TPDiff stage's path
     * {@code x_t = gamma_t x~_k + sigma_t eps_k} has the data-dependent noise mean {@code E[eps_k | x0] = (A - D) /
     * (rho_s - rho_e)}, so inside a pyramid of two or more stages such a step leaves the stage's distribution
     * ({@code tpdiff4j.pyramid.PyramidSampler} refuses it there).
     */
    default boolean stochastic() {
        return false;
    }

    /**
     * This solver for one sampling run whose seed is {@code runSeed}: a stochastic solver draws its fresh noise from a
     * stream that depends on both its own seed and {@code runSeed} ({@link NoiseSource#forRun}), so two runs with
     * different seeds get independent step noise, as their initial noise is. The samplers call it with a stream of
     * the sampling seed; deterministic solvers return themselves.
     */
    default Solver forRun(long runSeed) {
        return this;
    }

    /** Whether this solver prints its progress display ({@link #withProgress}); false unless a solver says so. */
    default boolean progress() {
        return false;
    }
}
