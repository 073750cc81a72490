package tpdiff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianVideosTest {

    @Test
    void frameCovarianceMatchesAr1() {
        VideoSpec spec = new VideoSpec(4, 1, 8, 8);
        GaussianVideos g = new GaussianVideos(spec, 0.8, 0.5);
        int clips = 400, n = clips * spec.frameSize();
        float[] buf = new float[spec.clipSize()];
        double[][] sum = new double[4][4];
        for (int c = 0; c < clips; c++) {
            g.fill(c, buf, 0);
            for (int p = 0; p < spec.frameSize(); p++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        sum[i][j] += buf[i * 64 + p] * buf[j * 64 + p];
                    }
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double exact = g.frameCovariance(i, j);
                // Monte Carlo: sd of a product estimate <= s^2 sqrt(2) / sqrt(n); 4 sigma
                assertEquals(exact, sum[i][j] / n, 4 * 0.25 * Math.sqrt(2.0 / n), "cov(" + i + "," + j + ")");
            }
        }
        assertEquals(0.25 * 0.8 * 0.8, g.frameCovariance()[0][2], 1e-15);
    }

    /** An infinite s would fill every clip with +-Infinity and NaN (Infinity * 0); refused at the constructor. */
    @Test
    void nonFiniteStdAndMissingSpecAndFramesOutsideTheClipAreRefused() {
        VideoSpec spec = new VideoSpec(4, 1, 8, 8);
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> new GaussianVideos(spec, 0.5, Double.POSITIVE_INFINITY));
        assertTrue(inf.getMessage().startsWith("s = Infinity") && inf.getMessage().contains("finite"), inf.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new GaussianVideos(null, 0.5, 1));
        assertTrue(none.getMessage().startsWith("spec = null"), none.getMessage());
        GaussianVideos g = new GaussianVideos(spec, 0.5, 1);
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class, () -> g.frameCovariance(99, 0));
        assertTrue(far.getMessage().contains("(99, 0)") && far.getMessage().contains("0..3"), far.getMessage());
        assertEquals(0.125, g.frameCovariance(3, 0), 1e-15);
    }
}
