package tpdiff4j.metrics;

import ai.djl.ndarray.NDArray;
import tpdiff4j.Refusals;

/**
 * The metrics of the toy video benchmark in one call, configured once (immutable; {@code withX} copies).
 *
 * <p>{@link #sprites} compares generated sprite clips with real ones:
 * <ol>
 *   <li>motion features per clip ({@link MotionFeatures}) from the sprite tracks ({@link SpriteEstimator});</li>
 *   <li>the Frechet distance d^2 between Gaussian fits of the two feature sets ({@link FrechetDistance}, px^2: the
 *       features are in pixels and pixels per frame, unscaled, so positions weigh by their pixel error);</li>
 *   <li>flicker relative to the real clips ({@link Flicker});</li>
 *   <li>the classifier two-sample test on the same features ({@link ClassifierTwoSampleTest}).</li>
 * </ol>
 * {@link #gaussian} scores generated Gaussian videos by their covariance error ({@link CovarianceError}). Stage
 * regression fits ({@link StageRegression}) and timings are attached to a report with its {@code with} methods.
 *
 * @param estimator the sprite estimator (threshold)
 * @param frechet   the Frechet distance (ridge)
 * @param c2st      the two-sample test (split, epochs, seed)
 */
public record VideoMetrics(SpriteEstimator estimator, FrechetDistance frechet, ClassifierTwoSampleTest c2st) {

    /** Threshold 0, no ridge, half/half split, 20 epochs, seed 42. */
    public static final VideoMetrics DEFAULT = new VideoMetrics(SpriteEstimator.DEFAULT, FrechetDistance.DEFAULT,
            ClassifierTwoSampleTest.DEFAULT);

    /** Checks that no part is null. */
    public VideoMetrics {
        String allowed = "a non-null part (start from VideoMetrics.DEFAULT)";
        Refusals.notNull(estimator, "estimator", allowed);
        Refusals.notNull(frechet, "frechet", allowed);
        Refusals.notNull(c2st, "c2st", allowed);
    }

    /** @return a copy whose two-sample test uses another seed */
    public VideoMetrics withSeed(long seed) {
        return new VideoMetrics(estimator, frechet, c2st.withSeed(seed));
    }

    /** @return a copy with another sprite threshold */
    public VideoMetrics withThreshold(double threshold) {
        return new VideoMetrics(new SpriteEstimator(threshold), frechet, c2st);
    }

    /**
     * Compares generated sprite clips with real ones: both [B, F, C, H, W] with the same F, C, H, W, F >= 3, finite
     * values, and at least 2 clips of each (a covariance needs 2, the two-sample split one training and one test
     * clip per class). The motion features have 9 entries, so with fewer than 10 clips in a set its covariance is
     * singular: d^2 is still defined, but it is a rough estimate; use a few dozen clips for numbers to compare. d^2
     * grows as the clip counts shrink ({@link FrechetDistance}, "Sample size"), so compare reports made with the same
     * numbers of clips.
     * The features track one bright object on a dark (-1) background ({@link SpriteEstimator}); on other videos
     * they describe the bright pixels' centroid and area, whatever those are.
     *
     * @param name label of the generated set in tables (for example "vanilla" or "tpdiff")
     */
    public MetricReport sprites(String name, ClipBatch real, ClipBatch generated) {
        if (real.frames() != generated.frames() || real.channels() != generated.channels()
                || real.height() != generated.height() || real.width() != generated.width()) {
            throw Refusals.refuse("generated", generated, "clips of the same F, C, H, W as real " + real);
        }
        if (real.batch() < 2 || generated.batch() < 2) {
            int few = real.batch() < 2 ? real.batch() : generated.batch();
            throw new IllegalArgumentException((real.batch() < 2 ? "real" : "generated") + " = " + few
                    + (few == 1 ? " clip" : " clips") + "; allowed: at least 2 clips each of real and generated (a covariance needs 2 samples)");
        }
        double[][] fr = MotionFeatures.of(real, estimator);
        double[][] fg = MotionFeatures.of(generated, estimator);
        GaussianFit gr = GaussianFit.of("real", fr);
        GaussianFit gg = GaussianFit.of("generated", fg);
        return MetricReport.named(name)
                .withCounts(real.batch(), generated.batch())
                .withFeatureMeans(gr.mean(), gg.mean())
                .withFrechet(frechet.between(gg, gr))
                .withFlicker(Flicker.compare(generated, real))
                .withTwoSample(c2st.run(fr, fg));
    }

    /** NDArray form of {@link #sprites(String, ClipBatch, ClipBatch)}: both tensors [B, F, C, H, W]. */
    public MetricReport sprites(String name, NDArray real, NDArray generated) {
        return sprites(name, ClipBatch.fromNDArray(real, "real"), ClipBatch.fromNDArray(generated, "generated"));
    }

    /**
     * Scores generated Gaussian videos whose pixels are independent processes over the frames with the F x F frame
     * covariance {@code frameSigma} (for example the data package's AR(1) Gaussian videos): the rows are
     * {@link CovarianceError#frameVectors}, one per clip, channel and pixel.
     */
    public MetricReport gaussian(String name, ClipBatch generated, double[][] frameSigma) {
        return MetricReport.named(name).withCounts(0, generated.batch())
                .withCovariance(CovarianceError.of(CovarianceError.frameVectors(generated), frameSigma));
    }

    /**
     * Scores generated Gaussian videos by their frame covariance: each row of {@code samples} is one draw of the
     * d-dimensional Gaussian whose true covariance is {@code sigma} (d x d); the mean is estimated.
     */
    public MetricReport gaussian(String name, double[][] samples, double[][] sigma) {
        return MetricReport.named(name).withCounts(0, samples.length)
                .withCovariance(CovarianceError.of(samples, sigma));
    }
}
