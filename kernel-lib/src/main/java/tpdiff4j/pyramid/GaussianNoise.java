package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Seeded standard normal tensors drawn in Java ({@link SplittableRandom}), so that results never depend on the
 * engine's global random state: same seed, same shape, same numbers, on every engine and thread.
 */
public final class GaussianNoise {

    private GaussianNoise() {}

    /**
     * I.i.d. {@code N(0, 1)} entries.
     *
     * @param manager owner of the result
     * @param shape any shape
     * @param type {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @param seed the seed
     * @return a new tensor
     */
    public static NDArray normal(NDManager manager, Shape shape, DataType type, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = Math.toIntExact(shape.size());
        if (type == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
            }
            return owned(manager.create(v, shape));
        }
        if (type == DataType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            return owned(manager.create(v, shape));
        }
        throw new IllegalArgumentException("type = " + type + "; allowed: FLOAT32 or FLOAT64");
    }

    /**
     * A new seed for stream {@code stream} of a computation seeded with {@code seed} (SplitMix64 finaliser), so
     * that sub-streams (stage noise, jump noise, stage choice) are independent yet reproducible.
     */
    public static long derive(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A copy in memory that PyTorch owns. DJL's {@code create(double[]/float[])} wraps a Java direct buffer
     * ({@code from_blob}); a view taken of such an array (a reshape, a frame slice in a stage jump) can outlive the
     * buffer and read freed memory, which showed up as sporadic garbage values in training runs here.
     */
    private static NDArray owned(NDArray wrapped) {
        try (wrapped) {
            return wrapped.duplicate();
        }
    }
}
