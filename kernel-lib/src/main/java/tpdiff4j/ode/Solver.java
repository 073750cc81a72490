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

    /** Whether this solver prints its progress display ({@link #withProgress}); false unless a solver says so. */
    default boolean progress() {
        return false;
    }
}
