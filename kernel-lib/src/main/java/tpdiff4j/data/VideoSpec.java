package tpdiff4j.data;

import tpdiff4j.Refusals;

/**
 * The shape of one video clip: {@code frames} frames of {@code channels} x {@code height} x {@code width}
 * pixels. A batch of clips is an NDArray of shape {@code [B, F, C, H, W]} (frames on axis 1).
 *
 * @param frames   F, at least 1
 * @param channels C, 1 (grayscale) or 3 (RGB)
 * @param height   H in pixels, at least 1
 * @param width    W in pixels, at least 1
 */
public record VideoSpec(int frames, int channels, int height, int width) {

    public VideoSpec {
        if (frames < 1) {
            throw Refusals.refuse("frames", frames, "at least 1");
        }
        if (channels != 1 && channels != 3) {
            throw Refusals.refuse("channels", channels, "1 (grayscale) or 3 (RGB)");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height x width = " + height + " x " + width + "; allowed: both at least 1");
        }
    }

    /** Number of values of one clip, F*C*H*W. */
    public int clipSize() {
        return frames * channels * height * width;
    }

    /** Number of values of one frame, C*H*W. */
    public int frameSize() {
        return channels * height * width;
    }

    /** Shape of a batch of {@code batch} clips, {@code [B, F, C, H, W]}. */
    public long[] batchShape(int batch) {
        return new long[] {batch, frames, channels, height, width};
    }
}
