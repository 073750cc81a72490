package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;

/**
 * Observes a solver run, in the manner of k-diffusion's {@code callback}: called once per step, before the
 * step is taken, with the step index, the step's start time {@code t = grid.t(step)}, the state x there and
 * the model's clean-data estimate x0Hat at (x, t). There are {@code grid.steps()} calls; the final state is the
 * solver's return value.
 *
 * <p>The arrays are only valid during the call: they belong to the solver's per-step manager, which closes them
 * (and any array derived from them) after the step. To keep values, copy them out ({@code toDoubleArray()}) or
 * {@code duplicate()} and {@code attach(yourManager)}; do not close them. {@code x0Hat} is null where x0 is not determined by the model's
 * prediction (for example an EPSILON model at a time where gamma = 0).
 */
@FunctionalInterface
public interface StepListener {

    /** State at step {@code step} (0-based), time t, sample x and predicted clean data x0Hat (may be null). */
    void onStep(int step, double t, NDArray x, NDArray x0Hat);
}
