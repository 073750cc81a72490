package tpdiff4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Range checks of the optimizer settings, run when a {@link TrainConfig} is built: a value out of range would not
 * fail at once but turn the loss and the weights into NaN steps later; and the check of each step's clips. Messages
 * name the parameter, the value and what is allowed.
 */
final class TrainChecks {

    private TrainChecks() {
    }

    /** Checks AdamW's and the EMA's settings and the gradient clip. */
    static void optimizer(double learningRate, double weightDecay, double beta1, double beta2, double clipNorm,
                          double emaDecay) {
        range("learningRate", learningRate, 0, false, Double.MAX_VALUE, true, "a finite value > 0");
        range("weightDecay", weightDecay, 0, true, Double.MAX_VALUE, true, "a finite value >= 0 (0 = off)");
        range("beta1", beta1, 0, true, 1, false, "0 <= beta1 < 1");
        range("beta2", beta2, 0, true, 1, false, "0 <= beta2 < 1");
        range("clipNorm", clipNorm, 0, true, Double.MAX_VALUE, true, "a finite value >= 0 (0 = off)");
        range("emaDecay", emaDecay, 0, true, 1, false, "0 <= emaDecay < 1");
    }

    /**
     * Checks the clips a data set returned for a training step before they meet the weights: on the weights' device
     * (a data set that keeps its clips in a manager of its own may hand back an array on another device, which
     * PyTorch refuses to mix with the weights on a GPU), float32 like the weights, and of the batch's shape.
     *
     * @param x      what {@code data.batch(manager, batchSize, seed)} returned
     * @param device the weights' device
     * @param shape  {@code [B, F, C, H, W]} of the data spec at the configured batch size
     */
    static void batch(NDArray x, Device device, long[] shape) {
        if (!x.getDevice().equals(device)) {
            throw new IllegalArgumentException(returned(shape) + "on " + x.getDevice() + "; the weights are on " + device
                    + ". Create the batch with the manager it is given (its device is the weights'), or copy it there"
                    + " with toDevice(manager.getDevice(), false)");
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(returned(shape) + "of type " + x.getDataType().name() + "; allowed: FLOAT32, the type of"
                    + " the weights (convert with toType(DataType.FLOAT32, false))");
        }
        if (!java.util.Arrays.equals(x.getShape().getShape(), shape)) {
            throw new IllegalArgumentException(returned(shape) + "of shape " + x.getShape() + "; allowed: "
                    + new Shape(shape) + " (batch, frames, channels, height, width of the data spec)");
        }
    }

    /** The start of a refusal of a batch (built only when one is refused: the check runs every training step). */
    private static String returned(long[] shape) {
        return "data.batch(manager, " + shape[0] + ", seed) returned clips ";
    }

    private static void range(String name, double v, double lo, boolean loIn, double hi, boolean hiIn, String allowed) {
        boolean ok = (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi); // false for NaN
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: " + allowed);
        }
    }
}
