package tpdiff4j.train;

/**
 * Range checks of the optimizer settings, run when a {@link TrainConfig} is built: a value out of range would not
 * fail at once but turn the loss and the weights into NaN steps later. Messages name the parameter, the value and
 * the allowed range.
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

    private static void range(String name, double v, double lo, boolean loIn, double hi, boolean hiIn, String allowed) {
        boolean ok = (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi); // false for NaN
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: " + allowed);
        }
    }
}
