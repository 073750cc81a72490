package tpdiff4j.sample;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;
import tpdiff4j.data.GifFrames;

/**
 * Turns sampled clips into pictures: frames as {@link BufferedImage} (values in [-1, 1] mapped to 0..255, clipped,
 * optionally enlarged by pixel repetition; a pixel with a NaN or infinite value in any channel, from a sample that
 * diverged, is {@link #NON_FINITE_RGB magenta}, never a grey a real clip could have) and an animated GIF (loops
 * forever, fixed delay per frame). The pixel rule ({@link #rgb}) is the one every picture of a clip uses, also
 * {@code viz.Video}'s. A GIF holds
 * 256 colours: grey clips keep their 256 levels exactly, colour clips go on a fixed dithered palette (a pixel moves
 * by up to about a fifth of the range, so a GIF read back as data is not the sampled clip).
 */
public final class VideoFrames {

    private VideoFrames() {
    }

    /** The frames of clip {@code index} of {@code clips: [B, F, C, H, W]} (C = 1 or 3), each enlarged {@code scale} times. */
    public static List<BufferedImage> images(NDArray clips, int index, int scale) {
        long[] s = clips.getShape().getShape();
        if (s.length != 5) {
            throw new IllegalArgumentException("clips has shape " + clips.getShape() + "; allowed: [B, F, C, H, W]");
        }
        if (index < 0 || index >= s[0]) {
            throw Refusals.refuse("index", index, "0 <= index < " + s[0] + " (a clip of the batch)");
        }
        if (s[2] != 1 && s[2] != 3) {
            throw new IllegalArgumentException("channels = " + s[2] + " (axis 2 of clips); allowed: 1 or 3");
        }
        if (scale < 1) {
            throw Refusals.refuse("scale", scale, "at least 1");
        }
        int f = (int) s[1], c = (int) s[2], h = (int) s[3], w = (int) s[4];
        float[] v;
        try (NDArray one = clips.get(index); NDArray f32 = one.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
            v = f32.toFloatArray();
        }
        List<BufferedImage> out = new ArrayList<>(f);
        for (int i = 0; i < f; i++) {
            BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int base = i * c * h * w + (y / scale) * w + (x / scale);
                    img.setRGB(x, y, c == 1 ? rgb(v[base], v[base], v[base])
                            : rgb(v[base], v[base + h * w], v[base + 2 * h * w]));
                }
            }
            out.add(img);
        }
        return out;
    }

    /** An animated GIF of clip {@code index}: loops forever, {@code delayMs} per frame. */
    public static byte[] gif(NDArray clips, int index, int scale, int delayMs) {
        try {
            return GifFrames.write(images(clips, index, scale), delayMs, true);
        } catch (IOException e) {
            throw new UncheckedIOException("GIF encoding failed", e);
        }
    }

    /** Colour of a pixel with a NaN or infinite value (a diverged sample): magenta, which no grey clip has. */
    public static final int NON_FINITE_RGB = 0xff00ff;

    /**
     * The colour of one pixel from its channel values in [-1, 1] (a grey pixel passes its value three times):
     * {@code 0xRRGGBB}, each channel {@link #byteOf}; {@link #NON_FINITE_RGB} when any value is NaN or infinite.
     */
    public static int rgb(float r, float g, float b) {
        if (!(Float.isFinite(r) && Float.isFinite(g) && Float.isFinite(b))) {
            return NON_FINITE_RGB;
        }
        return (byteOf(r) << 16) | (byteOf(g) << 8) | byteOf(b);
    }

    /** [-1, 1] -> 0..255, clipped. */
    static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
    }
}
