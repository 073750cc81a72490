package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import tpdiff4j.Refusals;

/**
 * The library's one source of seeded randomness for tensors: i.i.d. standard normal entries drawn in Java from
 * {@link SplittableRandom#nextGaussian()}, never from the engine's global random state, so the same seed and shape
 * give the same numbers on every engine, device and thread. Entries are drawn in row-major order as doubles; a
 * FLOAT32 tensor holds the same draws rounded to float.
 *
 * <p>Independent sub-streams of one seeded computation (initial noise, jump noise, a training step) come from
 * {@link #derive(long, long)}:
 * <pre>
 *   NDArray eps  = GaussianNoise.normal(manager, new Shape(8, 16, 1, 16, 16), DataType.FLOAT32, seed);
 *   NDArray jump = GaussianNoise.normal(manager, shape, DataType.FLOAT32, GaussianNoise.derive(seed, 2));
 * </pre>
 * Every tensor is created by the given manager, so it lives on that manager's device.
 */
public final class GaussianNoise {

    private GaussianNoise() {
    }

    /**
     * I.i.d. {@code N(0, 1)} entries from {@code seed}.
     *
     * @param manager owner of the result; its device is the result's device
     * @param shape any shape with at most {@code Integer.MAX_VALUE} entries
     * @param type {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @param seed the seed
     * @return a new tensor of {@code shape} and {@code type}
     */
    public static NDArray normal(NDManager manager, Shape shape, DataType type, long seed) {
        return normal(manager, shape, type, new SplittableRandom(seed));
    }

    /**
     * I.i.d. {@code N(0, 1)} entries consuming {@code rng} (one {@code nextGaussian()} per entry, row-major), for a
     * caller that draws several things from one generator.
     *
     * @param manager owner of the result; its device is the result's device
     * @param shape any shape with at most {@code Integer.MAX_VALUE} entries
     * @param type {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @param rng the generator, advanced by {@code shape.size()} draws
     * @return a new tensor of {@code shape} and {@code type}
     */
    public static NDArray normal(NDManager manager, Shape shape, DataType type, SplittableRandom rng) {
        if (manager == null || shape == null || rng == null) {
            throw new IllegalArgumentException("manager = " + manager + ", shape = " + shape + ", rng = " + rng
                    + "; none may be null");
        }
        for (int i = 0; i < shape.dimension(); i++) {
            if (shape.get(i) < 0) {   // DJL's Shape takes -1 (a placeholder for reshape), which has no size to draw
                throw new IllegalArgumentException("shape = " + shape + " has size " + shape.get(i) + " on axis " + i
                        + "; allowed: sizes >= 0");
            }
        }
        long size = shape.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape = " + shape + " has " + size + " entries; allowed: at most "
                    + Integer.MAX_VALUE + " in one noise tensor");
        }
        int n = (int) size;
        if (type == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            return owned(manager.create(v, shape));
        }
        if (type == DataType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            return owned(manager.create(v, shape));
        }
        throw Refusals.refuse("type", type, "FLOAT32 or FLOAT64");
    }

    /**
     * The seed of sub-stream {@code stream} of a computation seeded with {@code seed}: the SplitMix64 output for
     * state {@code seed + (stream + 1) * 0x9E3779B97F4A7C15}. Different streams of one seed, and the same stream of
     * different seeds, give unrelated seeds; the same pair always gives the same seed.
     */
    public static long derive(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A copy in memory that the engine owns. DJL's PyTorch {@code create(double[]/float[])} wraps a Java direct
     * buffer ({@code from_blob}) on the CPU; a view of such an array (a reshape, a frame slice in a stage jump) can
     * outlive the buffer and read freed memory, which showed up as sporadic garbage values in training runs.
     */
    private static NDArray owned(NDArray wrapped) {
        try (wrapped) {
            return wrapped.duplicate();
        }
    }
}
