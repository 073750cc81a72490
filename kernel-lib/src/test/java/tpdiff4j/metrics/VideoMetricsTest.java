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

    @Test
    void rejectsMismatchedShapes() {
        ClipBatch small = DrawnClips.random(10, 16, 16, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoMetrics.DEFAULT.sprites("x", real, small));
        assertTrue(e.getMessage().contains("same F, C, H, W"));
    }
}
