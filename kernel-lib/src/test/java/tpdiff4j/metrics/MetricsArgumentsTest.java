package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The metrics refuse bad arguments in the library's one form, {@code name = value; allowed: ...}, and refuse a null
 * the same way instead of with a NullPointerException.
 */
class MetricsArgumentsTest {

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void configurationValuesAreRefusedByName() {
        assertEquals("ridge = -1.0; allowed: a finite number of at least 0", refusal(() -> new FrechetDistance(-1)));
        assertEquals("ridge = Infinity; allowed: a finite number of at least 0",
                refusal(() -> new FrechetDistance(Double.POSITIVE_INFINITY)));
        assertEquals("epochs = 0; allowed: at least 1", refusal(() -> new ClassifierTwoSampleTest(0.5, 0, 1)));
        assertEquals("trainFraction = 0.0; allowed: a number in (0, 1)",
                refusal(() -> new ClassifierTwoSampleTest(0.0, 5, 1)));
        String m = refusal(() -> new SpriteEstimator(-1.5));
        assertTrue(m.startsWith("threshold = -1.5; allowed: a number in [-1, 1)"), m);
    }

    @Test
    void nullPartsAreRefusedByName() {
        assertEquals("c2st = null; allowed: a non-null part (start from VideoMetrics.DEFAULT)",
                refusal(() -> new VideoMetrics(SpriteEstimator.DEFAULT, FrechetDistance.DEFAULT, null)));
        assertEquals("estimator = null; allowed: a non-null part (start from VideoMetrics.DEFAULT)",
                refusal(() -> new VideoMetrics(null, null, null)));
        assertEquals("name = null; allowed: a non-blank label", refusal(() -> MetricReport.named(null)));
        assertEquals("name = ' '; allowed: a non-blank label", refusal(() -> MetricReport.named(" ")));
        assertEquals("data = null; allowed: the clip values, batch * frames * channels * height * width floats",
                refusal(() -> ClipBatch.of(null, 1, 1, 1, 1, 1)));
        assertEquals("clips = null; allowed: an NDArray of shape [B, F, C, H, W]",
                refusal(() -> ClipBatch.fromNDArray(null)));
        ClipBatch two = ClipBatch.of(new float[6], 2, 3, 1, 1, 1);
        assertEquals("order = null; allowed: one permutation per clip (2)", refusal(() -> two.withFrameOrder(null)));
        assertEquals("order = 1 permutations; allowed: one permutation per clip (2)",
                refusal(() -> two.withFrameOrder(new int[][] {{0, 1, 2}})));
        assertEquals("order[1] = null; allowed: a permutation of 0..2",
                refusal(() -> two.withFrameOrder(new int[][] {{0, 1, 2}, null})));
    }

    @Test
    void shapesAreRefusedWithWhatWouldFit() {
        double[][] samples = {{1, 2}, {3, 4}, {5, 7}};
        assertEquals("mean = a vector of length 3; allowed: a vector of length 2, the number of columns of samples",
                refusal(() -> CovarianceError.of(samples, new double[3], new double[][] {{1, 0}, {0, 1}})));
        assertEquals("mean = null; allowed: a vector of length 2, the number of columns of samples",
                refusal(() -> CovarianceError.of(samples, null, new double[][] {{1, 0}, {0, 1}})));
        assertEquals("sigma[1] = a row of length 1; allowed: a row of length 2",
                refusal(() -> CovarianceError.of(samples, new double[][] {{1, 0}, {0}})));
        assertEquals("sigma = null; allowed: a 2 x 2 covariance", refusal(() -> CovarianceError.of(samples, null)));
        assertEquals("mean = an empty vector; allowed: at least one entry",
                refusal(() -> new GaussianFit(new double[0], new double[0][])));
        assertEquals("x, y, area, detected lengths = 2, 2, 1, 2; allowed: one length for all four",
                refusal(() -> new PixelTrack(new double[2], new double[2], new double[1], new boolean[2])));
        PixelTrack shortTrack = new PixelTrack(new double[2], new double[2], new double[2], new boolean[2]);
        assertEquals("track frames = 2; allowed: at least 3 frames, which motion features need",
                refusal(() -> MotionFeatures.of(shortTrack)));
        assertEquals("targets = 1 stages; allowed: 2, the stages of predictions",
                refusal(() -> StageRegression.perStage(java.util.List.of(new double[2], new double[2]),
                        java.util.List.of(new double[2]))));
        String m = refusal(() -> StageRegression.evaluate(1, new double[] {1}, new double[] {1}));
        assertEquals("stage 1: predictions.length = 1; allowed: at least 2", m);
        ClipBatch oneFrame = ClipBatch.of(new float[8], 2, 1, 1, 2, 2);
        m = refusal(() -> Flicker.compare(oneFrame, oneFrame));
        assertTrue(m.startsWith("frames F = 1; allowed: at least 2 frames"), m);
    }

    @Test
    void tensorsOfOtherShapesAreRefusedNamingB() {
        try (NDManager m = NDManager.newBaseManager()) {
            String msg = refusal(() -> TensorErrors.maxAbs(m.zeros(new Shape(2)), m.zeros(new Shape(3))));
            assertEquals("b = a tensor of shape (3); allowed: shape (2), the shape of a", msg);
            msg = refusal(() -> ClipBatch.fromNDArray(m.zeros(new Shape(2, 3))));
            assertEquals("clips = an array of shape (2, 3); allowed: shape [B, F, C, H, W]", msg);
        }
    }

    @Test
    void aNonFiniteValueIsNamedByClipFramePixelAndChannel() {
        float[] v = new float[2 * 1 * 3 * 2 * 2];
        v[((1 * 1 + 0) * 3 + 2) * 4 + 1 * 2 + 0] = Float.POSITIVE_INFINITY; // clip 1, frame 0, channel 2, y 1, x 0
        ClipBatch clips = ClipBatch.of(v, 2, 1, 3, 2, 2);
        assertEquals("clip 1, frame 0, pixel (y=1, x=0), channel 2 = Infinity; allowed: finite values, which flicker needs"
                + " (a diverged sample? check the samples for NaN and infinities before computing metrics)",
                refusal(() -> clips.requireFinite("flicker")));
        clips.requireFinite(0, "flicker"); // clip 0 is finite
    }
}
