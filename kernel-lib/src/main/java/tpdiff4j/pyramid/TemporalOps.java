package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import tpdiff4j.Refusals;

/**
 * The temporal operators of the pyramid (docs/derivation.md section 4) on tensors of shape {@code [B, F, ...]}:
 * batch, frames,
 * then any trailing shape ({@code [B, F, C, H, W]} for videos).
 *
 * <ul>
 *   <li>{@code Down_r(x)[j] = x[j r]}, {@code j = 0 .. F/r - 1}: keep every {@code r}-th frame
 *       ({@link DownMode#SUBSAMPLE}, the default), or {@code Down_r(x)[j] = mean(x[j r .. j r + r - 1])}
 *       ({@link DownMode#AVERAGE}, average pooling).</li>
 *   <li>{@code Up_r(y)[i] = y[floor(i / r)]}: nearest-neighbour upsampling, every frame repeated {@code r}
 *       times. This is the Up the stage-jump derivation assumes (TPDiff v1 Sec. 3.5, App. A.1).</li>
 * </ul>
 * {@code Down_r(Up_r(y)) = y} exactly in both modes; {@code Up_r(Down_r(x))} has equal frames inside each
 * block of {@code r}. Down is applied to data only, so the mode does not change the noise math.
 */
public final class TemporalOps {

    /** How {@link #down(NDArray, int, DownMode)} reduces a block of {@code r} frames to one. */
    public enum DownMode {
        /** Keep the first frame of each block: {@code x[j r]}. */
        SUBSAMPLE,
        /** Average the {@code r} frames of each block. */
        AVERAGE
    }

    private TemporalOps() {}

    /** {@code Down_r} with {@link DownMode#SUBSAMPLE}. */
    public static NDArray down(NDArray x, int r) {
        return down(x, r, DownMode.SUBSAMPLE);
    }

    /**
     * Temporal downsampling by {@code r}.
     *
     * @param x tensor {@code [B, F, ...]}, {@code F} divisible by {@code r}
     * @param r rate factor, {@code >= 1}
     * @param mode subsample or average
     * @return tensor {@code [B, F / r, ...]}; a new array (also for {@code r = 1})
     */
    public static NDArray down(NDArray x, int r, DownMode mode) {
        if (mode == null) {   // was taken as SUBSAMPLE; the allowed text is built only on refusal (a training step's path)
            throw Refusals.refuse("mode", null, java.util.Arrays.toString(DownMode.values()));
        }
        Shape s = x.getShape();
        int frames = checkFrames(s, r, "x");
        Shape blocks = blockShape(s, frames / r, r);
        NDArray b = x.reshape(blocks);
        NDArray out = mode == DownMode.AVERAGE ? b.mean(new int[] {2}) : b.get(":, :, 0");
        return out.reshape(withFrames(s, frames / r));
    }

    /**
     * Nearest-neighbour temporal upsampling by {@code r}: {@code Up_r(y)[i] = y[floor(i / r)]}.
     *
     * @param y tensor {@code [B, F, ...]}
     * @param r rate factor, {@code >= 1}
     * @return tensor {@code [B, F r, ...]}
     */
    public static NDArray up(NDArray y, int r) {
        Shape s = y.getShape();
        int frames = checkFrames(s, r, "y");
        Shape blocks = blockShape(s, frames, r);
        return y.expandDims(2).broadcast(blocks).reshape(withFrames(s, frames * r));
    }

    static int checkFrames(Shape s, int r, String name) {
        if (s.dimension() < 2) {
            throw new IllegalArgumentException(name + " has shape " + s + "; allowed: [B, F, ...] with frames on axis 1");
        }
        if (r < 1) {
            throw Refusals.refuse("rate factor r", r, "r >= 1");
        }
        long f = s.get(1);
        if (f % r != 0 && name.equals("x")) {
            throw new IllegalArgumentException(name + " has " + f + " frames (shape " + s
                    + "), not divisible by the rate factor r = " + r + "; allowed: a frame count divisible by r");
        }
        return Math.toIntExact(f);
    }

    /** {@code [B, f, r, rest...]} from {@code [B, F, rest...]}. */
    static Shape blockShape(Shape s, long f, long r) {
        long[] d = new long[s.dimension() + 1];
        d[0] = s.get(0);
        d[1] = f;
        d[2] = r;
        for (int k = 2; k < s.dimension(); k++) {
            d[k + 1] = s.get(k);
        }
        return new Shape(d);
    }

    /** {@code s} with axis 1 replaced by {@code f}. */
    static Shape withFrames(Shape s, long f) {
        long[] d = s.getShape().clone(); // getShape() exposes the internal array
        d[1] = f;
        return new Shape(d);
    }
}
