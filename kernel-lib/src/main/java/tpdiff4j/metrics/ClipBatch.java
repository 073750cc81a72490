package tpdiff4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * A batch of video clips as a plain row-major {@code float[]} of shape {@code [B, F, C, H, W]}, the input of every
 * pixel metric in this package.
 *
 * <p>Values live in [-1, 1]; the background is -1 and sprites are brighter. The array is copied on construction and
 * never exposed, so a batch is an immutable value. {@link #fromNDArray(NDArray)} copies a DJL tensor off the device
 * once, so the metrics themselves never touch DJL.
 *
 * @param data     the values, index {@code (((b * F + f) * C + c) * H + y) * W + x}
 * @param batch    the number of clips {@code B}
 * @param frames   the frames per clip {@code F}
 * @param channels the channels per frame {@code C}
 * @param height   the frame height {@code H} in pixels
 * @param width    the frame width {@code W} in pixels
 */
public record ClipBatch(float[] data, int batch, int frames, int channels, int height, int width) {

    /** Validates the shape and copies the data. */
    public ClipBatch {
        requirePositive("batch", batch);
        requirePositive("frames", frames);
        requirePositive("channels", channels);
        requirePositive("height", height);
        requirePositive("width", width);
        Refusals.notNull(data, "data", "the clip values, batch * frames * channels * height * width floats");
        long expected = (long) batch * frames * channels * height * width;
        if (data.length != expected) {
            throw Refusals.refuse("data.length", data.length,
                    expected + ", what shape [B=" + batch + ", F=" + frames + ", C=" + channels + ", H=" + height
                    + ", W=" + width + "] needs");
        }
        data = data.clone();
    }

    /** @return a batch of the given shape [B, F, C, H, W] over a copy of {@code data} */
    public static ClipBatch of(float[] data, int batch, int frames, int channels, int height, int width) {
        return new ClipBatch(data, batch, frames, channels, height, width);
    }

    /**
     * Copies a DJL tensor of shape {@code [B, F, C, H, W]} (any floating type) into a batch.
     *
     * @throws IllegalArgumentException if the tensor is not 5-dimensional, or its memory was freed
     */
    public static ClipBatch fromNDArray(NDArray clips) {
        return fromNDArray(clips, "clips");
    }

    /**
     * {@link #fromNDArray(NDArray)} for the parameter {@code name} of a caller: the messages name it.
     *
     * @throws IllegalArgumentException if the tensor is not 5-dimensional, or its memory was freed (the manager that
     *                                  held it was closed; the array outlived it in a variable)
     */
    static ClipBatch fromNDArray(NDArray clips, String name) {
        Refusals.notNull(clips, name, "an NDArray of shape [B, F, C, H, W]");
        if (clips.isReleased()) {
            throw new IllegalArgumentException(name + ": the array's memory was freed, since the NDManager that held it"
                    + " was closed; allowed: clips whose manager is still open (sample or load them again)");
        }
        Shape s = clips.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException(name + " = an array of shape " + s + "; allowed: shape [B, F, C, H, W]");
        }
        float[] values = clips.getDataType() == DataType.FLOAT32
                ? clips.toFloatArray()
                : toFloats(clips);
        return new ClipBatch(values, (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3),
                (int) s.get(4));
    }

    private static float[] toFloats(NDArray clips) {
        try (NDArray f = clips.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** @return a copy of the values */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** @return the value at clip b, frame f, channel c, row y, column x */
    public float value(int b, int f, int c, int y, int x) {
        return data[index(b, f, c, y, x)];
    }

    /**
     * Pixel intensity as the maximum over channels, so a coloured sprite on the -1 background counts as bright in
     * RGB (a red sprite (1, -1, -1) has intensity 1, not its channel mean -1/3).
     */
    public double intensity(int b, int f, int y, int x) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            m = Math.max(m, data[index(b, f, c, y, x)]);
        }
        return m;
    }

    /**
     * Refuses a batch with a value that is NaN or infinite, the output of a diverged model or sampler: no metric of
     * this package returns a number for such clips (see the package documentation).
     *
     * @param use what needs finite values, for the message (for example "flicker")
     * @throws IllegalArgumentException naming the first such value by clip, frame, channel and pixel
     */
    public void requireFinite(String use) {
        for (int b = 0; b < batch; b++) {
            requireFinite(b, use);
        }
    }

    /** As {@link #requireFinite(String)} for clip {@code b} alone. */
    public void requireFinite(int b, String use) {
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        float v = data[index(b, f, c, y, x)];
                        if (!Float.isFinite(v)) {
                            throw new IllegalArgumentException("clip " + b + ", frame " + f + ", pixel (y=" + y
                                    + ", x=" + x + ")" + (channels == 1 ? "" : ", channel " + c) + " = " + v
                                    + "; allowed: finite values, which " + use + " needs (a diverged sample? check the"
                                    + " samples for NaN and infinities before computing metrics)");
                        }
                    }
                }
            }
        }
    }

    /** @return a new batch whose clip b shows this batch's frames in the order {@code order[b]} */
    public ClipBatch withFrameOrder(int[][] order) {
        if (order == null || order.length != batch) {
            throw Refusals.refuse("order", order == null ? "null" : order.length + " permutations",
                    "one permutation per clip (" + batch + ")");
        }
        int frameSize = channels * height * width;
        float[] out = new float[data.length];
        for (int b = 0; b < batch; b++) {
            if (order[b] == null) {   // the message is built only on refusal: this runs once per clip
                throw Refusals.refuse("order[" + b + "]", null, "a permutation of 0.." + (frames - 1));
            }
            int[] sorted = order[b].clone();
            Arrays.sort(sorted);
            for (int f = 0; f < frames; f++) {
                if (sorted.length != frames || sorted[f] != f) {
                    throw Refusals.refuse("order[" + b + "]", Arrays.toString(order[b]),
                            "a permutation of 0.." + (frames - 1));
                }
            }
            for (int f = 0; f < frames; f++) {
                System.arraycopy(data, index(b, order[b][f], 0, 0, 0), out, index(b, f, 0, 0, 0), frameSize);
            }
        }
        return new ClipBatch(out, batch, frames, channels, height, width);
    }

    private int index(int b, int f, int c, int y, int x) {
        return (((b * frames + f) * channels + c) * height + y) * width + x;
    }

    private static void requirePositive(String name, int v) {
        if (v <= 0) {
            throw Refusals.refuse(name, v, "at least 1");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipBatch other && batch == other.batch && frames == other.frames
                && channels == other.channels && height == other.height && width == other.width
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(new int[] {batch, frames, channels, height, width});
    }

    @Override
    public String toString() {
        return "ClipBatch[B=" + batch + ", F=" + frames + ", C=" + channels + ", H=" + height + ", W=" + width + "]";
    }
}
