/**
 * Sampling: {@link tpdiff4j.sample.VideoSampler} (vanilla or pyramid, any solver, steps per stage, seed, per-step
 * listener) and {@link tpdiff4j.sample.VideoFrames} (frames as images, animated GIF).
 * <p>The pyramid sampler and the stage jump: {@code docs/derivation.md} (sections 9 to 11); examples:
 * {@code docs/guide.md} ("Sample").
 */
package tpdiff4j.sample;
