package tpdiff4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Java arrays to NDArrays in engine-owned memory: the host-to-device copy of the library (values on the Java heap,
 * the result on {@code manager}'s device). DJL's PyTorch {@code manager.create(float[])} wraps a Java direct
 * buffer without copying ({@code from_blob}); such tensors caused sporadic garbage values (a gradient norm of 1e8,
 * then NaN) in training runs on this project's machine. Copying into PyTorch's own allocation avoids that.
 */
public final class Tensors {

    private Tensors() {
    }

    /** A float32 tensor of {@code shape} holding {@code values}, in memory owned by the engine. */
    public static NDArray owned(NDManager manager, float[] values, Shape shape) {
        NDArray wrapped = manager.create(values, shape);
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    /** A float32 vector holding {@code values}, in memory owned by the engine. */
    public static NDArray owned(NDManager manager, float[] values) {
        return owned(manager, values, new Shape(values.length));
    }
}
