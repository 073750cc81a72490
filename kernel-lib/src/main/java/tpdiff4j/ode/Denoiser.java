package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.BiFunction;
import tpdiff4j.Refusals;

/**
 * A (trained or exact) model: given x_t and t it predicts one {@link PredictionType}.
 * The prediction has the shape of x. Create new arrays from x (its operations, or {@code x.getManager()}):
 * solvers run each step in a sub-manager to which x is attached, and free everything made there after the step;
 * arrays made from other managers (for example from a constant tensor held by the model) stay until that manager
 * closes.
 */
public interface Denoiser {

    /** The prediction at (x, t), same shape as x. */
    NDArray predict(NDArray x, double t);

    /** What {@link #predict} returns. */
    PredictionType type();

    /**
     * This denoiser for one sampling run whose solver evaluates it at {@code times}: a model may compute what depends
     * on t alone once for all of them, in {@code manager}, instead of once per step (a network's time conditioning),
     * and answer other times as before. The result is valid while {@code manager} is open and the model's weights
     * stay as they are. By default the denoiser itself.
     */
    default Denoiser forTimes(double[] times, NDManager manager) {
        return this;
    }

    /** A denoiser from a function. */
    static Denoiser of(PredictionType type, BiFunction<NDArray, Double, NDArray> f) {
        String allowed = "a PredictionType (one of " + java.util.Arrays.toString(PredictionType.values())
                + ") and a function (x, t) -> prediction";
        Refusals.notNull(type, "type", allowed);
        Refusals.notNull(f, "f", allowed);
        return new Denoiser() {
            @Override
            public NDArray predict(NDArray x, double t) {
                return f.apply(x, t);
            }

            @Override
            public PredictionType type() {
                return type;
            }
        };
    }
}
