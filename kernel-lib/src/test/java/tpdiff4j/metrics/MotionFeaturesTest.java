package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MotionFeaturesTest {

    private static PixelTrack track(double[] x, double[] y, double area) {
        double[] a = new double[x.length];
        boolean[] d = new boolean[x.length];
        java.util.Arrays.fill(a, area);
        java.util.Arrays.fill(d, true);
        return new PixelTrack(x, y, a, d);
    }

    /** Exact constant velocity: slope = speed = v, residual 0, radius sqrt(area / pi), radiusSd 0. */
    @Test
    void constantVelocityTrackHasExactFeatures() {
        int n = 16;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int f = 0; f < n; f++) {
            x[f] = 2 + 0.5 * f;
            y[f] = 12 - 0.25 * f;
        }
        double[] v = MotionFeatures.of(track(x, y, 4 * Math.PI));
        assertEquals(2 + 0.5 * 7.5, v[0], 1e-12);
        assertEquals(12 - 0.25 * 7.5, v[1], 1e-12);
        assertEquals(0.5, v[2], 1e-12);
        assertEquals(-0.25, v[3], 1e-12);
        assertEquals(0.5, v[4], 1e-12);
        assertEquals(0.25, v[5], 1e-12);
        assertEquals(2.0, v[6], 1e-12);
        assertEquals(0.0, v[7], 1e-12);
        assertEquals(0.0, v[8], 1e-12);
    }

    /**
     * A bounce off a wall leaves the speed and the robust residual at 0 (only two of 14 windows see the bounce),
     * while the net slope drops below the speed.
     */
    @Test
    void bounceDoesNotRaiseTheRobustResidual() {
        int n = 16;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int f = 0; f < n; f++) {
            x[f] = DrawnClips.reflect(5 + 1.0 * f, 2, 14);
            y[f] = 6;
        }
        double[] v = MotionFeatures.of(track(x, y, 10));
        assertEquals(1.0, v[4], 1e-12, "speed is |v| despite the bounce");
        assertEquals(0.0, v[8], 1e-12, "residual ignores the bounce");
        assertTrue(v[2] < 0.5, "net slope " + v[2] + " is lowered by the bounce");
    }

    /** Jitter of sigma = 0.5 px on every frame gives a residual near E|second difference| (~ 1.4 px), far above 0. */
    @Test
    void jitterRaisesTheResidual() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 16;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int f = 0; f < n; f++) {
            x[f] = 3 + 0.7 * f + 0.5 * rng.nextGaussian();
            y[f] = 8 + 0.5 * rng.nextGaussian();
        }
        double[] v = MotionFeatures.of(track(x, y, 10));
        assertTrue(v[8] > 0.5, "residual " + v[8]);
    }

    /** Drawn bouncing sprites: the pixel features recover the true speed and a residual below 0.15 px. */
    @Test
    void drawnClipsRecoverTheirPhysics() {
        DrawnClips.Sprite[] sprites = DrawnClips.randomSprites(40, 24, 5);
        double[][] features = MotionFeatures.of(DrawnClips.render(sprites, 16, 24, true), SpriteEstimator.DEFAULT);
        for (int b = 0; b < sprites.length; b++) {
            assertEquals(Math.abs(sprites[b].vx()), features[b][4], 0.15, "speedX of clip " + b);
            assertEquals(Math.abs(sprites[b].vy()), features[b][5], 0.15, "speedY of clip " + b);
            assertTrue(features[b][8] < 0.15, "residual of clip " + b + ": " + features[b][8]);
            assertTrue(features[b][7] < 0.2, "radiusSd of clip " + b + ": " + features[b][7]);
        }
    }

    @Test
    void needsThreeFrames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MotionFeatures.of(track(new double[2], new double[2], 1)));
        assertTrue(e.getMessage().contains("at least 3 frames"));
    }
}
