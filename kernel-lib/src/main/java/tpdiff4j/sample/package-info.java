/**
 * Sampling: {@link tpdiff4j.sample.VideoSampler} (vanilla or pyramid, any solver, steps per stage, seed, per-step
 * listener) and {@link tpdiff4j.sample.VideoFrames} (frames as images, animated GIF).
 */
package tpdiff4j.sample;
