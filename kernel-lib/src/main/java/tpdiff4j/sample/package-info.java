/**
 * Sampling: {@link tpdiff4j.sample.VideoSampler}, the entry point (vanilla or pyramid, any solver (deterministic ones for a pyramid), steps per stage,
 * jump rule, seed, per-step listener; it runs {@link tpdiff4j.pyramid.PyramidSampler} as its engine),
 * {@link tpdiff4j.sample.StageSnapshots} (each stage's end as a clip) and {@link tpdiff4j.sample.VideoFrames}
 * (frames as images, animated GIF).
 * <p>The pyramid sampler and the stage jump: {@code docs/derivation.md} (sections 9 to 11); examples:
 * {@code docs/guide.md} ("Sample").
 */
package tpdiff4j.sample;
