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
     * A copy whose step {@code n} draws the random numbers of step {@code first + n}; deterministic solvers draw none
     * and return themselves. A sampler that runs one solver several times in one run (a pyramid sampler, once per
     * stage) numbers the steps across the runs this way, so that no two of them reuse the same noise.
     */
    default Solver withFirstStep(int first) {
        return this;
    }

    /** Whether this solver prints its progress display ({@link #withProgress}); false unless a solver says so. */
    default boolean progress() {
        return false;
    }
}
