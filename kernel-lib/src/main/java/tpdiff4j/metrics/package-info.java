/**
 * Video quality and distribution metrics of the toy video benchmark (synthetic clips whose truth is known, see
 * docs/guide.md), measured
 * against known truth.
 *
 * <ul>
 *   <li>Input: {@link tpdiff4j.metrics.ClipBatch}, a plain copy of clips [B, F, C, H, W] with values in [-1, 1]
 *       (background -1), made from a {@code float[]} or a DJL {@code NDArray}.</li>
 *   <li>Sprite clips: {@link tpdiff4j.metrics.SpriteEstimator} finds the sprite in every frame,
 *       {@link tpdiff4j.metrics.MotionFeatures} turns a track into position, velocity, speed, size and a robust
 *       constant-velocity residual; {@link tpdiff4j.metrics.FrechetDistance} compares Gaussian fits of real and
 *       generated features, {@link tpdiff4j.metrics.ClassifierTwoSampleTest} trains Tribuo logistic regression to
 *       tell them apart, {@link tpdiff4j.metrics.Flicker} measures temporal differences relative to real clips.</li>
 *   <li>Gaussian videos: {@link tpdiff4j.metrics.CovarianceError} against the true Sigma and its Monte-Carlo
 *       floor.</li>
 *   <li>Training targets: {@link tpdiff4j.metrics.StageRegression}, Tribuo RMSE / MAE / R2 per pyramid stage.</li>
 *   <li>{@link tpdiff4j.metrics.VideoMetrics} runs them with one configuration and returns a
 *       {@link tpdiff4j.metrics.MetricReport} (text table, JSON) for the vanilla-versus-TPDiff comparison.</li>
 * </ul>
 * Clips or features with a NaN or infinite value (a diverged sample) are refused with an exception naming the first
 * such value ({@link tpdiff4j.metrics.ClipBatch#requireFinite(String)}): no metric returns a number computed from
 * them. An experiment that must go on records such a sample as {@code tpdiff4j.experiment.MotionQuality.DIVERGED}.
 * Nothing here uses a hidden RNG: the two-sample test takes a seed. Tribuo's java.util.logging output is silenced by
 * {@link tpdiff4j.metrics.TribuoLogging}.
 * <p>Examples: {@code docs/guide.md} ("Compare" and "Metrics").
 */
package tpdiff4j.metrics;
