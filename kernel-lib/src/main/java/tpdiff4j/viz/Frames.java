package tpdiff4j.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import tpdiff4j.Refusals;
import tpdiff4j.sample.VideoFrames;

/**
 * Pixels of video clips: reading {@code [F, C, H, W]} clips out of NDArrays or float arrays and drawing one
 * frame as an RGB image by {@link VideoFrames#rgb}: a value v in [-1, 1] becomes the byte {@code round((v + 1) / 2 *
 * 255)}, clamped (NaN or infinite: magenta); C = 1 is grey, C = 3 is RGB.
 */
final class Frames {

    private Frames() {}

    /** @return the clip as {@code float[F][C][H][W]}; {@code x} has shape [F, C, H, W] or [1, F, C, H, W] */
    static float[][][][] of(NDArray x) {
        Refusals.notNull(x, "clip", "an NDArray of shape [F, C, H, W] or [1, F, C, H, W]");
        Shape s = x.getShape();
        if (s.dimension() == 5 && s.get(0) == 1) s = s.slice(1);
        else if (s.dimension() != 4) {
            throw new IllegalArgumentException("clip = an array of shape " + x.getShape() + "; allowed: shape [F, C, H, W] or [1, F, C, H, W]"
                    + (s.dimension() == 5 ? " (several clips: use Video.grid(cols, batch))" : ""));
        }
        return split(floats(x), (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3));
    }

    /** @return the B clips of a batch {@code x} of shape [B, F, C, H, W] */
    static float[][][][][] batch(NDArray x) {
        Refusals.notNull(x, "batch", "an NDArray of shape [B, F, C, H, W]");
        Shape s = x.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("batch = an array of shape " + s + "; allowed: shape [B, F, C, H, W]");
        }
        int b = (int) s.get(0), f = (int) s.get(1), c = (int) s.get(2), h = (int) s.get(3), w = (int) s.get(4);
        if (b == 0) {
            throw new IllegalArgumentException("batch = an array of shape " + s + "; allowed: at least one clip (B >= 1)");
        }
        float[] all = floats(x);
        float[][][][][] clips = new float[b][][][][];
        int per = f * c * h * w;
        for (int i = 0; i < b; i++) {
            float[] one = new float[per];
            System.arraycopy(all, i * per, one, 0, per);
            clips[i] = split(one, f, c, h, w);
        }
        return clips;
    }

    /** @return a deep copy of {@code clip} after checking it is a non-empty rectangular [F, C, H, W] array */
    static float[][][][] copy(float[][][][] clip) {
        Refusals.notNull(clip, "clip", "a non-empty float[F][C][H][W]");
        if (clip.length == 0 || clip[0] == null || clip[0].length == 0 || clip[0][0] == null
                || clip[0][0].length == 0 || clip[0][0][0] == null || clip[0][0][0].length == 0) {
            throw new IllegalArgumentException("clip = an empty or partly null array; allowed: a non-empty float[F][C][H][W]");
        }
        int c = clip[0].length, h = clip[0][0].length, w = clip[0][0][0].length;
        checkChannels(c);
        float[][][][] r = new float[clip.length][c][h][];
        for (int f = 0; f < clip.length; f++) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    float[] row = clip[f] != null && clip[f].length == c && clip[f][k] != null && clip[f][k].length == h
                            ? clip[f][k][y] : null;
                    if (row == null || row.length != w) {
                        throw new IllegalArgumentException("clip[" + f + "] = a frame of another shape; allowed: a"
                                + " rectangular [F][C][H][W] = [" + clip.length + "][" + c + "][" + h + "][" + w
                                + "], the shape of frame 0");
                    }
                    r[f][k][y] = row.clone();
                }
            }
        }
        return r;
    }


    /**
     * @return frame {@code [C][H][W]} drawn as RGB by the one pixel rule of clips ({@code sample.VideoFrames.rgb}: a
     *     value that is NaN or infinite in any channel makes the pixel magenta), each pixel a {@code scale x scale} block
     */
    static BufferedImage image(float[][][] frame, int scale) {
        int c = frame.length, h = frame[0].length, w = frame[0][0].length;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float r = frame[0][y][x];
                int rgb = c == 3 ? VideoFrames.rgb(r, frame[1][y][x], frame[2][y][x]) : VideoFrames.rgb(r, r, r);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) img.setRGB(x * scale + dx, y * scale + dy, rgb);
                }
            }
        }
        return img;
    }

    static void checkChannels(int c) {
        if (c != 1 && c != 3) throw Refusals.refuse("clip channels C", c, "1 (grey) or 3 (RGB)");
    }

    private static float[] floats(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) return x.toFloatArray();
        try (NDArray f = x.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static float[][][][] split(float[] data, int f, int c, int h, int w) {
        if (f == 0 || h == 0 || w == 0) {
            throw new IllegalArgumentException("clip = F=" + f + ", H=" + h + ", W=" + w + "; allowed: F, H and W of at least 1");
        }
        checkChannels(c);
        float[][][][] r = new float[f][c][h][w];
        int i = 0;
        for (int a = 0; a < f; a++) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(data, i, r[a][k][y], 0, w);
                    i += w;
                }
            }
        }
        return r;
    }
}
