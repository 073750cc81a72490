package tpdiff4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import tpdiff4j.ode.GaussianNoise;

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
     * A batch of clips as float32 NDArray {@code [B, F, C, H, W]}; clip {@code b} is
     * {@code fill(GaussianNoise.derive(seed, b))}, so batches with different seeds do not share clips by accident.
     * The clips are drawn on the host and copied once onto {@code manager}'s device.
     */
    default NDArray batch(NDManager manager, int batchSize, long seed) {
        VideoSpec s = spec();
        float[] data = Tensors.hostBatch(s, batchSize);
        for (int b = 0; b < batchSize; b++) {
            fill(GaussianNoise.derive(seed, b), data, b * s.clipSize());
        }
        return Tensors.owned(manager, data, new Shape(s.batchShape(batchSize)));
    }

}
