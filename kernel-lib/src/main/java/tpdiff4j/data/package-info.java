/**
 * Video datasets, all of one {@link tpdiff4j.data.VideoSpec} and batched as float32 NDArrays {@code [B, F, C, H, W]}
 * with clips addressed by seed: {@link tpdiff4j.data.SpriteVideos} (bouncing discs and squares with ground-truth
 * tracks), {@link tpdiff4j.data.GaussianVideos} (AR(1) over frames, known covariance) and
 * {@link tpdiff4j.data.FolderVideos} (a folder of GIFs or frame folders).
 * {@link tpdiff4j.data.Tensors} copies Java arrays into engine-owned memory.
 * <p>Tensor layout and seeds: {@code docs/conventions.md}; examples: {@code docs/guide.md} ("Train", "Your own videos").
 */
package tpdiff4j.data;
