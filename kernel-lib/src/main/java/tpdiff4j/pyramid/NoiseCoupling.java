package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;

/**
 * Pairs a batch of noises with a batch of data before noising (TPDiff v1 Sec. 3.3, Algorithm 1; docs/derivation.md
 * section 7).
 *
 * <p>Contract: {@code couple(data, noise)} returns a tensor of the same shape as {@code noise} whose item
 * {@code j} (axis 0) is the noise that goes with {@code data} item {@code j}. An implementation may only
 * reorder the noise items along axis 0 (the batch's multiset of noises stays the same, so each noise is still
 * marginally {@code N(0, I)}); it must not change values. The data is not modified. {@link TrainingPairSampler}
 * (and so every training step) checks this, item by item and bit for bit, and refuses another result by the
 * coupling's name and the item.
 * {@code tpdiff4j.align.BatchNoiseAligner} implements it with an optimal assignment; {@link #NONE} keeps the
 * noise as drawn.
 */
@FunctionalInterface
public interface NoiseCoupling {

    /** No coupling: the noise as drawn (independent pairing). */
    NoiseCoupling NONE = (data, noise) -> noise;

    /**
     * @param data batch {@code [B, ...]} (for TPDiff: the stage data {@code D_k})
     * @param noise batch of the same shape
     * @return the noise batch reordered along axis 0 so that item {@code j} pairs with data item {@code j}
     */
    NDArray couple(NDArray data, NDArray noise);
}
