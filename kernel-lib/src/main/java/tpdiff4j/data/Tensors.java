package tpdiff4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import tpdiff4j.Refusals;

/**
 * Java arrays to NDArrays in engine-owned memory: the host-to-device copy of the library (values on the Java heap,
 * the result on {@code manager}'s device). DJL's PyTorch {@code manager.create(float[])} wraps a Java direct
 * buffer without copying ({@code from_blob}); such tensors caused sporadic garbage values (a gradient norm of 1e8,
 * then NaN) in training runs on this project's machine. Copying into PyTorch's own allocation avoids that.
 *
 * <p>The same holds for DJL's arithmetic with a Java number ({@code a.mul(2f)}, {@code a.muli(s)}, {@code a.div(s)}):
 * DJL wraps the number the same way and lets the buffer go when the call returns. Where autograd keeps that operand
 * for the backward pass (a product with an array that needs a gradient), a garbage collection between forward and
 * backward frees it and the backward pass reads freed memory. In code that runs under a gradient collector, multiply
 * by {@link #scalar} instead.
 */
public final class Tensors {

    private Tensors() {
    }

    /** The most elements one Java array may hold on common JVMs (a few below {@code Integer.MAX_VALUE}). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * The host array of a batch of {@code batchSize} clips of {@code spec}, checked before allocating: a batch of
     * clips a Java array cannot hold is refused by name (an int product beyond that wrapped round to a negative size).
     */
    static float[] hostBatch(VideoSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw Refusals.refuse("batchSize", batchSize, "at least 1");
        }
        long values = (long) batchSize * spec.clipSize();
        if (values > MAX_ARRAY) {
            throw Refusals.refuse("batchSize", batchSize,
                    "batchSize <= " + MAX_ARRAY / spec.clipSize() + " for clips of " + spec.frames() + " x "
                    + spec.channels() + " x " + spec.height() + " x " + spec.width() + " (" + batchSize + " clips of "
                    + spec.clipSize() + " values need " + values + " floats, more than one Java array holds, "
                    + MAX_ARRAY + ")");
        }
        return new float[(int) values];
    }

    /** A float32 tensor of {@code shape} holding {@code values}, in memory owned by the engine. */
    public static NDArray owned(NDManager manager, float[] values, Shape shape) {
        NDArray wrapped = manager.create(values, shape);
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    /**
     * A float32 scalar (shape {@code ()}) holding {@code value}, in memory owned by the engine: the operand to use for
     * products and quotients with arrays that need a gradient (see the class comment). Closing it after the operation
     * is safe: autograd keeps its own reference to the engine's memory.
     */
    public static NDArray scalar(NDManager manager, float value) {
        return owned(manager, new float[] {value}, new Shape());
    }

    /** A float32 vector holding {@code values}, in memory owned by the engine. */
    public static NDArray owned(NDManager manager, float[] values) {
        return owned(manager, values, new Shape(values.length));
    }

    /**
     * Overwrites {@code target}'s values in place with {@code values} (row-major, {@code target.size()} of them),
     * copying into the storage the engine already owns. {@code NDArray.set(float[])} instead re-points a PyTorch
     * tensor at a Java direct buffer, the kind of memory that gave sporadic garbage values here.
     */
    public static void copyInto(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw Refusals.refuse("values.length", values.length,
                    target.size() + ", the size of the target tensor of shape " + target.getShape());
        }
        try (NDArray src = owned(target.getManager(), values, target.getShape())) {
            target.set(new ai.djl.ndarray.index.NDIndex("..."), src);
        }
    }
}
