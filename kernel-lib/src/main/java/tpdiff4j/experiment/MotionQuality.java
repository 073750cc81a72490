package tpdiff4j.experiment;

import ai.djl.ndarray.NDArray;
import tpdiff4j.metrics.ClipBatch;
import tpdiff4j.metrics.FrechetDistance;
import tpdiff4j.metrics.MotionFeatures;
import tpdiff4j.metrics.SpriteEstimator;

/**
 * The quality an {@link Experiment} tracks during training: the Frechet distance between the motion features
 * ({@link MotionFeatures}, per clip: the sprite's mean position, net velocity, per-axis speed, size, size spread and
 * constant-velocity residual) of generated and real clips, lower is better. Like any Frechet distance of finite
 * samples it is biased upwards, the more the fewer the clips ({@link FrechetDistance}, "Sample size"), so qualities
 * compare only at the same numbers of clips. Clips are clipped to [-1, 1] first. A sample that is not finite (a
 * diverged run) scores {@link #DIVERGED}, far worse than any real value, so that curves and tables stay numeric.
 */
public final class MotionQuality {

    /** Score of a non-finite sample or distance. */
    public static final double DIVERGED = 1e6;

    private MotionQuality() {
    }

    /** Motion features of clips {@code [B, F, C, H, W]}, one row per clip; null if any value is not finite. */
    public static double[][] features(NDArray clips) {
        if (clips.isNaN().any().getBoolean() || clips.isInfinite().any().getBoolean()) {
            return null;
        }
        return MotionFeatures.of(ClipBatch.fromNDArray(clips.clip(-1f, 1f)), SpriteEstimator.DEFAULT);
    }

    /** Frechet distance of the two feature sets; {@link #DIVERGED} if {@code generated} is null or it is not finite. */
    public static double distance(double[][] real, double[][] generated) {
        if (generated == null) {
            return DIVERGED;
        }
        double d = FrechetDistance.DEFAULT.between(real, generated);
        return Double.isFinite(d) ? d : DIVERGED;
    }
}
