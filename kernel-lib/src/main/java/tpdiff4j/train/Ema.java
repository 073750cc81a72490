package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Map;
import tpdiff4j.Refusals;

/**
 * Exponential moving average of the weights (Polyak averaging), {@code w_ema <- d_n w_ema + (1 - d_n) w} after
 * optimizer step n (1-based), with the usual warm-up {@code d_n = min(d, (1 + n) / (10 + n))} so that short runs
 * are not dominated by the initial weights. The averaged weights are one vector on the trainer's manager (in the
 * order of {@link ParameterVector}), updated with a few operations per step; {@link #arrays} gives each parameter's
 * slice, shaped like it, as a view by name. {@link #swap} exchanges the EMA and live weights in place (used to
 * sample with the EMA weights and to swap back).
 */
public final class Ema {

    private static final NDIndex ALL = new NDIndex("...");

    private final double decay;
    private final ParameterVector params;
    private final NDArray shadowVector;
    private final Map<String, NDArray> shadow;

    Ema(ParameterVector params, double decay, NDManager manager) {
        if (!(decay >= 0 && decay < 1)) {
            throw Refusals.refuse("emaDecay", decay, "0 <= emaDecay < 1");
        }
        this.decay = decay;
        this.params = params;
        this.shadowVector = params.weights(manager);
        this.shadow = ParameterVector.slices(shadowVector, params.arrays());
    }

    /** The EMA update after optimizer step {@code n} (1-based) from the current weights. */
    void update(long n) {
        float d = (float) Math.min(decay, (1.0 + n) / (10.0 + n));
        try (NDManager step = shadowVector.getManager().newSubManager()) {
            shadowVector.muli(d).addi(params.weights(step).muli(1 - d));
        }
    }

    /**
     * Exchanges the EMA weights and the live weights, in place and on their device: the live weights are copied into
     * one [P] vector, each weight is overwritten from its EMA slice, then the EMA vector from that copy. Nothing goes
     * through the host (on a GPU a round trip would move the model over the bus twice and wait for the device once
     * per tensor).
     */
    void swap() {
        try (NDManager tmp = shadowVector.getManager().newSubManager()) {
            NDArray live = params.weights(tmp);
            params.arrays().forEach((k, w) -> w.set(ALL, shadow.get(k)));
            shadowVector.set(ALL, live);
        }
    }

    Map<String, NDArray> arrays() {
        return shadow;
    }

    double decay() {
        return decay;
    }
}
