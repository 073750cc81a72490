package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The N trainable tensors {@code w_1 .. w_N} of a network seen as one vector
 * {@code theta = [vec(w_1), ..., vec(w_N)]} of P entries (in {@code namedParameters()} order), so that gradient
 * clipping, AdamW and the EMA are a handful of tensor operations on [P] vectors instead of a dozen per tensor. On
 * the CPU each DJL call costs tens of microseconds, far more than the arithmetic of a small tensor; elementwise the
 * arithmetic is the same, so the results are too.
 * <p>
 * {@code vec(w_i)} is a view of the live weight (a reshape of a contiguous tensor shares its storage), made once:
 * weights must change only in place, as the optimizer, checkpoint loading and the EMA swap do
 * ({@code NDArray.set(float[])} would re-point a tensor at new memory and leave the view behind). The gradients
 * are read afresh on every step (see {@link #gradients}).
 */
final class ParameterVector {

    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, NDArray> weights = new LinkedHashMap<>();
    private final NDArray[] flatWeights;
    private final NDArray scratch;
    private final NDArray[] scratchViews;

    /** The parameters' live arrays; the scratch vector of {@link #subtract} lives on {@code manager}. */
    ParameterVector(Map<String, Parameter> params, NDManager manager) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("the network has no parameters to train");
        }
        params.forEach((k, p) -> weights.put(k, p.getArray()));
        this.flatWeights = weights.values().stream().map(w -> w.reshape(-1)).toArray(NDArray[]::new);
        this.scratch = manager.zeros(new ai.djl.ndarray.types.Shape(length()));
        this.scratchViews = slices(scratch, weights).values().toArray(NDArray[]::new);
    }

    /** The live weight arrays by name, in vector order. */
    Map<String, NDArray> arrays() {
        return weights;
    }

    /** P, the number of weights. */
    long length() {
        long p = 0;
        for (NDArray w : flatWeights) {
            p += w.size();
        }
        return p;
    }

    /** A copy of {@code theta}: [P] on {@code m}. */
    NDArray weights(NDManager m) {
        return concat(flatWeights, m);
    }

    /**
     * A copy of the accumulated gradient {@code [vec(grad w_1), ..., vec(grad w_N)]}: [P] on {@code m}. The gradient
     * tensors are looked up afresh on every call: PyTorch may give a weight a new gradient tensor during backward, and
     * views kept from an earlier step would then read a stale one (a cached-view version made two trainers with the
     * same seed drift apart now and then).
     */
    NDArray gradients(NDManager m) {
        return concat(readGradients(m), m);
    }

    /** {@code theta <- theta - delta} for {@code delta}: [P], in place on every weight. */
    void subtract(NDArray delta) {
        scratch.set(ALL, delta);
        int i = 0;
        for (NDArray w : weights.values()) {
            w.subi(scratchViews[i++]);
        }
    }

    /** Sets every gradient to zero in place (PyTorch accumulates gradients over backward passes). */
    void zeroGradients() {
        for (NDArray w : weights.values()) {
            JniUtils.zeroGrad((PtNDArray) w);
        }
    }

    /**
     * Views of {@code vector} ([P], in the order of {@code like}) shaped as the arrays of {@code like}: writing into
     * a view writes into the vector. The views live on the vector's manager.
     */
    static Map<String, NDArray> slices(NDArray vector, Map<String, NDArray> like) {
        long[] cuts = new long[like.size() - 1];
        long at = 0;
        int i = 0;
        for (NDArray a : like.values()) {
            at += a.size();
            if (i < cuts.length) {
                cuts[i++] = at;
            }
        }
        if (at != vector.size()) {
            throw new IllegalArgumentException("vector of " + vector.size() + " values for tensors of " + at
                    + " values");
        }
        NDList parts = vector.split(cuts);
        Map<String, NDArray> out = new LinkedHashMap<>();
        i = 0;
        for (Map.Entry<String, NDArray> e : like.entrySet()) {
            NDArray part = parts.get(i++);
            out.put(e.getKey(), part.reshape(e.getValue().getShape()));
            if (part != vector) {
                part.close();
            }
        }
        return out;
    }

    /** Flat views of the current gradients, on {@code m} (this step's). */
    private NDArray[] readGradients(NDManager m) {
        NDArray[] out = new NDArray[weights.size()];
        int i = 0;
        for (NDArray w : weights.values()) {
            try (NDArray g = w.getGradient()) {
                out[i] = g.reshape(-1);
            }
            out[i].attach(m);
            i++;
        }
        return out;
    }

    private static NDArray concat(NDArray[] parts, NDManager m) {
        NDArray v = NDArrays.concat(new NDList(parts));
        v.attach(m);
        return v;
    }
}
