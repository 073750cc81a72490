package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
     * This source for one sampling run seeded by {@code runSeed} (called by the samplers through
     * {@link Solver#forRun}). A {@link #seeded} source gives {@code seeded(GaussianNoise.derive(seed, runSeed))}, a
     * stream of its own for each run; by default (a source of one's own, such as known noise in a test) the source
     * itself, so every run draws the same step noise.
     */
    default NoiseSource forRun(long runSeed) {
        return this;
    }

    /**
     * Seeded noise: step {@code step} draws {@link GaussianNoise#normal} from the sub-stream seed
     * {@code GaussianNoise.derive(seed, step)}, so the same (seed, step, shape) always gives the same array,
     * independent of the DJL engine's own RNG, on the manager's device.
     */
    static NoiseSource seeded(long seed) {
        return new NoiseSource() {
            @Override
            public NDArray normal(NDManager manager, Shape shape, DataType type, int step) {
                return GaussianNoise.normal(manager, shape, type, GaussianNoise.derive(seed, step));
            }

            @Override
            public NoiseSource forRun(long runSeed) {
                return seeded(GaussianNoise.derive(seed, runSeed));
            }
        };
    }
}
