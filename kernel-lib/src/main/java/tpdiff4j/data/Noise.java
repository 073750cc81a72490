package tpdiff4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Standard normal noise drawn from an explicit seed or generator on the Java side (never from the engine's global
 * RNG), so the same seed gives the same tensor on any engine and device.
 */
public final class Noise {

    private Noise() {
    }

    /** i.i.d. N(0, 1), float32, of the given shape, from {@code seed}. */
    public static NDArray normal(NDManager manager, Shape shape, long seed) {
        return normal(manager, shape, new SplittableRandom(seed));
    }

    /** i.i.d. N(0, 1), float32, of the given shape, consuming {@code rng}. */
    public static NDArray normal(NDManager manager, Shape shape, SplittableRandom rng) {
        long n = shape.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + shape + ": too many elements for one noise tensor");
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Tensors.owned(manager, v, shape);
    }

    /** i.i.d. U[0, 1) values, float32 vector of length n, consuming {@code rng}. */
    public static float[] uniform(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble();
        }
        return v;
    }
}
