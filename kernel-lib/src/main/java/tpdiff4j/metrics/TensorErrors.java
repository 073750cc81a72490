package tpdiff4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Elementwise errors between two tensors of the same shape, computed in float64 (the numeric checks of the
 * notebooks: "max error of Eq. (11) against its closed form").
 */
public final class TensorErrors {

    private TensorErrors() {}

    /** {@code max_i |a_i - b_i|}. */
    public static double maxAbs(NDArray a, NDArray b) {
        check(a, b);
        try (NDArray d = a.toType(DataType.FLOAT64, true).sub(b.toType(DataType.FLOAT64, true)).abs().max()) {
            return d.getDouble();
        }
    }

    /** {@code max_i |a_i - b_i| / max(max_i |b_i|, tiny)}: the max error relative to the size of the reference b. */
    public static double maxRelative(NDArray a, NDArray b) {
        double scale;
        try (NDArray m = b.toType(DataType.FLOAT64, true).abs().max()) {
            scale = m.getDouble();
        }
        return maxAbs(a, b) / Math.max(scale, Double.MIN_NORMAL);
    }

    private static void check(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException("b = a tensor of shape " + b.getShape() + "; allowed: shape "
                    + a.getShape() + ", the shape of a");
        }
        if (!a.getDevice().equals(b.getDevice())) {
            throw new IllegalArgumentException("b = a tensor on " + b.getDevice() + "; allowed: a tensor on "
                    + a.getDevice() + ", the device of a (compare tensors on one device, the model's)");
        }
    }
}
