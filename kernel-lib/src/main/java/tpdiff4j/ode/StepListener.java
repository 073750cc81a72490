package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;

/**
 * Observes a solver run. Called once per step with the state at the step's start time, and once more at the
 * end with {@code step = grid.steps()}, the final time and the result (x0Hat is then the last prediction's x0).
 * The arrays are only valid during the call (they are closed afterwards): {@code duplicate()} or copy what
 * must be kept. {@code x0Hat} is null where x0 is not determined by the model's prediction (e.g. an epsilon
 * model at a time with gamma = 0).
 */
@FunctionalInterface
public interface StepListener {

    /** State at step {@code step} (0-based), time t, sample x and predicted clean data x0Hat. */
    void onStep(int step, double t, NDArray x, NDArray x0Hat);
}
