package tpdiff4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A source of video clips, all of one {@link VideoSpec}. Clips are addressed by a seed: the same seed gives the
 * same clip (synthetic data generates it, a folder picks it), so training is reproducible without a global RNG.
 */
public interface VideoDataset {

    /** Shape of every clip. */
    VideoSpec spec();

    /**
     * Writes clip number {@code seed} into {@code out} at {@code offset}, in {@code [F, C, H, W]} order
     * (row-major), values in [-1, 1] for image data.
     */
    void fill(long seed, float[] out, int offset);

    /**
     * A batch of clips as float32 NDArray {@code [B, F, C, H, W]}; clip {@code b} is {@code fill(seed*1_000_003 + b)}
     * mixed through a hash, so batches with different seeds do not share clips by accident. The clips are drawn on
     * the host and copied once onto {@code manager}'s device.
     */
    default NDArray batch(NDManager manager, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ": must be at least 1");
        }
        VideoSpec s = spec();
        float[] data = new float[batchSize * s.clipSize()];
        for (int b = 0; b < batchSize; b++) {
            fill(clipSeed(seed, b), data, b * s.clipSize());
        }
        return Tensors.owned(manager, data, new Shape(s.batchShape(batchSize)));
    }

    /** The seed of clip {@code index} of the batch with seed {@code batchSeed} (a SplitMix64 mix). */
    static long clipSeed(long batchSeed, int index) {
        long z = batchSeed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
