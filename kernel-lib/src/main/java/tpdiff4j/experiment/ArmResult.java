package tpdiff4j.experiment;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tpdiff4j.viz.Video;

/**
 * What one arm of an {@link Experiment} gave.
 *
 * @param name           the arm
 * @param curve          quality (motion-feature Frechet distance, lower is better) of the EMA weights against
 *                       training seconds and steps
 * @param steps          training steps done
 * @param trainSeconds   training wall-clock seconds (evaluations excluded)
 * @param secondsPerStep mean seconds per training step after warm-up
 * @param costFactor     expected cost of a training step relative to a full-rate one, cost ~ frames^2, under the
 *                       arm's stage draw
 * @param sampleSeconds  seconds to sample the final clips: the median of the experiment's
 *                       {@link Experiment#samplingCalls()} calls, the arms' samplers called in turn; NaN when not
 *                       sampled
 * @param metrics        final metrics of the sampled clips against real ones (names as in the table), in order; a
 *                       metric that does not apply to the data is NaN ({@code covariance}, the covariance error of
 *                       Gaussian videos, on sprite videos), and the table leaves out a row that is NaN in every arm
 * @param clips          the first few final samples, flattened {@code [n, F, C, H, W]} (for GIFs)
 * @param shape          {@code {n, F, C, H, W}} of {@code clips}
 */
public record ArmResult(String name, QualityCurve curve, long steps, double trainSeconds, double secondsPerStep,
                        double costFactor, double sampleSeconds, Map<String, Double> metrics, float[] clips,
                        int[] shape) {

    /**
     * Key in {@link #metrics()} of how many values of the final sample were NaN or infinite; present only when some
     * were (a diverged sample), and then the sample has no other metrics.
     */
    public static final String NON_FINITE = "sample values NaN or infinite";

    /**
     * Key in {@link #metrics()} of the training step whose loss was not finite, where the arm stopped training (its
     * curve, steps and samples are of the weights before that step); present only for such an arm.
     */
    public static final String STOPPED_AT = "training stopped at step (loss not finite)";

    public ArmResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        clips = clips.clone();
        shape = shape.clone();
        if (shape.length != 5 || (long) shape[0] * shape[1] * shape[2] * shape[3] * shape[4] != clips.length) {
            throw new IllegalArgumentException("arm " + name + ": clips of length " + clips.length + " do not have shape "
                    + java.util.Arrays.toString(shape));
        }
    }

    /**
     * Equal when every component is: the clips and their shape by content (a record compares arrays by identity, so an
     * arm read back from a saved result was never equal to the one saved), doubles as {@link Double#compare} does.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ArmResult r && name.equals(r.name) && curve.equals(r.curve) && steps == r.steps
                && Double.compare(trainSeconds, r.trainSeconds) == 0
                && Double.compare(secondsPerStep, r.secondsPerStep) == 0
                && Double.compare(costFactor, r.costFactor) == 0
                && Double.compare(sampleSeconds, r.sampleSeconds) == 0 && metrics.equals(r.metrics)
                && Arrays.equals(clips, r.clips) && Arrays.equals(shape, r.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, curve, steps, trainSeconds, secondsPerStep, costFactor, sampleSeconds, metrics,
                Arrays.hashCode(clips), Arrays.hashCode(shape));
    }

    /** The components, with the clips as their shape (not the array's identity). */
    @Override
    public String toString() {
        return "ArmResult[name=" + name + ", curve=" + curve + ", steps=" + steps + ", trainSeconds=" + trainSeconds
                + ", secondsPerStep=" + secondsPerStep + ", costFactor=" + costFactor + ", sampleSeconds="
                + sampleSeconds + ", metrics=" + metrics + ", clips=" + shape[0] + " of " + shape[1] + "x" + shape[2]
                + "x" + shape[3] + "x" + shape[4] + "]";
    }

    @Override
    public float[] clips() {
        return clips.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The sampled clips as an animated grid, captioned with the arm's name. */
    public Video video() {
        int n = shape[0], f = shape[1], c = shape[2], h = shape[3], w = shape[4];
        Video[] v = new Video[n];
        int i = 0;
        for (int b = 0; b < n; b++) {
            float[][][][] clip = new float[f][c][h][w];
            for (int t = 0; t < f; t++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            clip[t][ch][y][x] = clips[i++];
                        }
                    }
                }
            }
            v[b] = Video.of(clip).label(b == 0 ? name : "");
        }
        return Video.grid(n, v);
    }
}
