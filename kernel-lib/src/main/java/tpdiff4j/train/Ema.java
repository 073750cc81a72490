package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import tpdiff4j.data.Tensors;

/**
 * Exponential moving average of the weights (Polyak averaging), {@code w_ema <- d_n w_ema + (1 - d_n) w} after
 * optimizer step n (1-based), with the usual warm-up {@code d_n = min(d, (1 + n) / (10 + n))} so that short runs
 * are not dominated by the initial weights; copies are held on the trainer's manager. {@link #swap} exchanges the EMA and live weights in
 * place (used to sample with the EMA weights and to swap back).
 */
public final class Ema {

    private final double decay;
    private final Map<String, Parameter> params;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();

    Ema(Map<String, Parameter> params, double decay, NDManager manager) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("emaDecay = " + decay + ": must be in [0, 1)");
        }
        this.decay = decay;
        this.params = params;
        params.forEach((k, p) -> {
            NDArray copy = p.getArray().duplicate();
            copy.attach(manager);
            shadow.put(k, copy);
        });
    }

    /** The EMA update after optimizer step {@code n} (1-based) from the current weights. */
    void update(long n) {
        float d = (float) Math.min(decay, (1.0 + n) / (10.0 + n));
        params.forEach((k, p) -> shadow.get(k).muli(d).addi(p.getArray().mul(1 - d)));
    }

    /** Exchanges the EMA weights and the live weights. */
    void swap() {
        params.forEach((k, p) -> {
            float[] live = p.getArray().toFloatArray();
            Tensors.copyInto(p.getArray(), shadow.get(k).toFloatArray());
            Tensors.copyInto(shadow.get(k), live);
        });
    }

    Map<String, NDArray> arrays() {
        return shadow;
    }

    double decay() {
        return decay;
    }
}
