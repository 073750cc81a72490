package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Standard-normal noise for stochastic solver steps, injectable so that runs are reproducible and tests can
 * supply known noise. Implementations must be deterministic functions of their arguments (no hidden state), so
 * that an immutable solver gives the same numbers on every call.
 */
@FunctionalInterface
public interface NoiseSource {

    /** Independent N(0, 1) entries of the given shape and type, for solver step {@code step}, in {@code manager}. */
    NDArray normal(NDManager manager, Shape shape, DataType type, int step);

    /**
     * Noise from {@link SplittableRandom} seeded with a mix of {@code seed} and {@code step} (Box-Muller-free:
     * {@code nextGaussian()} of Java 17's {@code RandomGenerator}); the same (seed, step, shape) always gives the
     * same array, independent of the DJL engine's own RNG.
     */
    static NoiseSource seeded(long seed) {
        return (manager, shape, type, step) -> {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (step + 1L));
            long size = shape.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + shape + " has " + size + " entries; allowed: at most "
                        + Integer.MAX_VALUE);
            }
            double[] values = new double[(int) size];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            try (NDArray z = manager.create(values, shape)) {
                return z.toType(type, true);
            }
        };
    }
}
