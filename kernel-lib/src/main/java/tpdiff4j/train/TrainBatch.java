package tpdiff4j.train;

import ai.djl.ndarray.NDArray;

/**
 * One regression example batch for a training step: the network sees {@code (xt, t)} at {@code frames} frames and
 * must output {@code target}.
 *
 * @param xt     noisy input {@code [B, F_k, C, H, W]}
 * @param t      diffusion time per clip {@code [B]} (global t in [0, 1])
 * @param target regression target, same shape as xt
 * @param frames F_k, the frame count of this step
 * @param stage  pyramid stage index in sampling order (0 = noisiest), 0 for vanilla
 */
public record TrainBatch(NDArray xt, NDArray t, NDArray target, int frames, int stage) {
}
