package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole sprite pipeline on drawn clips: real versus an independent real sample, and versus shuffled frames. */
class VideoMetricsTest {

    private static ClipBatch real;
    private static MetricReport same;
    private static MetricReport shuffled;

    @BeforeAll
    static void measure() {
        real = DrawnClips.random(200, 16, 24, 1);
        ClipBatch other = DrawnClips.random(200, 16, 24, 2);
        same = VideoMetrics.DEFAULT.sprites("real'", real, other);
        shuffled = VideoMetrics.DEFAULT.sprites("shuffled", real, DrawnClips.shuffled(other, 3));
    }

    /**
     * Two independent real samples of n = 200 clips: the Frechet distance is at the sampling level, below 6 times the
     * expected mean term 2 Tr(S) / n (a weighted chi-square dominated by the two position variances); the C2ST is at
     * chance (100 test clips per class: AUC sd 0.041, tolerance 0.165 = 4 sd); flicker ratios are ~1.
     */
    @Test
    void realVersusRealIsNull() {
        GaussianFit fit = GaussianFit.of(MotionFeatures.of(real, SpriteEstimator.DEFAULT));
        double trace = 0;
        for (int i = 0; i < fit.dimension(); i++) {
            trace += fit.covariance()[i][i];
        }
        double meanTerm = 2 * trace / 200;
        assertTrue(same.frechet() < 6 * meanTerm, "d^2 " + same.frechet() + " vs mean term " + meanTerm);
        assertEquals(0.5, same.twoSample().auc(), 0.165);
        assertEquals(0.5, same.twoSample().accuracy(), 0.165);
        assertEquals(1.0, same.flicker().relativeMad(), 0.15);
        assertEquals(200, same.realClips());
        assertEquals(200, same.generatedClips());
    }

    /** Shuffled frames break the motion: far larger distance, obvious to the classifier, more flicker. */
    @Test
    void shuffledFramesAreDetectedByEveryMetric() {
        assertTrue(shuffled.frechet() > 50 * same.frechet(), shuffled.frechet() + " vs " + same.frechet());
        assertTrue(shuffled.twoSample().accuracy() > 0.9, "accuracy " + shuffled.twoSample().accuracy());
        assertTrue(shuffled.twoSample().auc() > 0.95, "AUC " + shuffled.twoSample().auc());
        assertTrue(shuffled.flicker().relativeMad() > 1.5, "MAD ratio " + shuffled.flicker().relativeMad());
        int residual = MotionFeatures.NAMES.indexOf("residual");
        assertTrue(shuffled.generatedFeatureMean()[residual] > 10 * shuffled.realFeatureMean()[residual]);
    }

    /** Gaussian videos: the report carries the covariance error. */
    @Test
    void gaussianReportCarriesCovarianceError() {
        double[][] samples = new double[4000][2];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        for (double[] row : samples) {
            row[0] = rng.nextGaussian();
            row[1] = rng.nextGaussian();
        }
        MetricReport r = VideoMetrics.DEFAULT.gaussian("oracle", samples, new double[][] {{1, 0}, {0, 1}});
        assertTrue(r.covariance().ratio() < 3, "ratio " + r.covariance().ratio());
        assertEquals(4000, r.generatedClips());
    }

    /** AR(1) clips x_f = a x_{f-1} + sqrt(1 - a^2) z_f per pixel, drawn here: [B, F, 1, H, W]. */
    private static ClipBatch ar1(int batch, int frames, int size, double a, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int frame = size * size;
        float[] v = new float[batch * frames * frame];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < frame; p++) {
                double x = rng.nextGaussian();
                for (int f = 0; f < frames; f++) {
                    if (f > 0) {
                        x = a * x + Math.sqrt(1 - a * a) * rng.nextGaussian();
                    }
                    v[(b * frames + f) * frame + p] = (float) x;
                }
            }
        }
        return ClipBatch.of(v, batch, frames, 1, size, size);
    }

    /**
     * Gaussian videos with frame covariance a^|f-g| (a = 0.9), 16384 independent pixel rows: the generator of the
     * true law is at the Monte-Carlo floor (ratio < 3), one with a = 0.6 is far above it.
     */
    @Test
    void gaussianClipsAgainstTheirFrameCovariance() {
        int frames = 8;
        double[][] sigma = new double[frames][frames];
        for (int i = 0; i < frames; i++) {
            for (int j = 0; j < frames; j++) {
                sigma[i][j] = Math.pow(0.9, Math.abs(i - j));
            }
        }
        MetricReport good = VideoMetrics.DEFAULT.gaussian("exact", ar1(64, frames, 16, 0.9, 5), sigma);
        MetricReport bad = VideoMetrics.DEFAULT.gaussian("wrong", ar1(64, frames, 16, 0.6, 6), sigma);
        assertEquals(64 * 16 * 16, good.covariance().samples());
        assertTrue(good.covariance().ratio() < 3, "ratio " + good.covariance().ratio());
        assertTrue(bad.covariance().ratio() > 20, "ratio " + bad.covariance().ratio());
    }

    /** Generated clips with no sprite at all (all background): finite, large distance; trivial to classify. */
    @Test
    void emptyGeneratedClipsAreFarFromReal() {
        float[] empty = new float[60 * 16 * 24 * 24];
        java.util.Arrays.fill(empty, -1f);
        MetricReport r = VideoMetrics.DEFAULT.sprites("empty", real, ClipBatch.of(empty, 60, 16, 1, 24, 24));
        assertTrue(Double.isFinite(r.frechet()) && r.frechet() > 20 * same.frechet(), "d^2 " + r.frechet());
        assertTrue(r.twoSample().accuracy() > 0.9, "accuracy " + r.twoSample().accuracy());
        assertEquals(0.0, r.generatedFeatureMean()[MotionFeatures.NAMES.indexOf("radius")], 0.0);
    }

    /** A diverged sample (NaN pixels) is not an empty clip: no distance is computed for it. */
    @Test
    void nonFiniteGeneratedClipsAreRefused() {
        float[] v = real.data();
        v[((3 * 16 + 5) * 24 + 7) * 24 + 2] = Float.NaN; // clip 3, frame 5, y 7, x 2 (C = 1)
        ClipBatch broken = ClipBatch.of(v, real.batch(), 16, 1, 24, 24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoMetrics.DEFAULT.sprites("nan", real, broken));
        assertTrue(e.getMessage().contains("clip 3, frame 5, pixel (y=7, x=2) = NaN; allowed: finite values"), e.getMessage());
        float[] all = new float[4 * 16 * 24 * 24];
        java.util.Arrays.fill(all, Float.NaN); // a wholly diverged set used to score as four empty clips
        assertThrows(IllegalArgumentException.class,
                () -> VideoMetrics.DEFAULT.sprites("nan", real, ClipBatch.of(all, 4, 16, 1, 24, 24)));
    }

    /** Feature extraction stops between clips when the thread is interrupted. */
    @Test
    void interruptStopsTracking() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> SpriteEstimator.DEFAULT.tracks(real));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        ClipBatch small = DrawnClips.random(10, 16, 16, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoMetrics.DEFAULT.sprites("x", real, small));
        assertTrue(e.getMessage().startsWith("generated = ") && e.getMessage().contains("; allowed: clips of the same F, C, H, W"),
                e.getMessage());
    }

    /**
     * One clip in a set is refused before any tracking, naming the set and its count; it used to surface from the
     * covariance fit as "samples needs at least 2 rows", which said neither which set nor that the rows were clips.
     */
    @Test
    void rejectsASingleClip() {
        ClipBatch one = DrawnClips.random(1, 16, 24, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoMetrics.DEFAULT.sprites("x", real, one));
        assertTrue(e.getMessage().startsWith("generated = 1 clip; allowed: at least 2 clips each"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VideoMetrics.DEFAULT.sprites("x", one, real));
        assertTrue(e.getMessage().startsWith("real = 1 clip; allowed: at least 2 clips each"), e.getMessage());
    }
}
