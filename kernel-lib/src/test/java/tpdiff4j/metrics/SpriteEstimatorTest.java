package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpriteEstimatorTest {

    /**
     * A disc at a random sub-pixel centre: the centroid is within 0.25 px. Antialiased discs (coverage rendering,
     * r in [1.5, 3.5]) are in fact held to 0.1 px. A hard-rendered disc (pixel centre inside) only carries its
     * pixelated outline, whose own centre is off the true one by up to ~0.25 px for r in [3, 4.5] (up to 0.4 px for
     * r < 2): there the estimate must equal the mean of the inside pixel centres exactly, and be within 0.3 px.
     */
    @Test
    void centroidOfDrawnDiscWithinQuarterPixel() {
        SplittableRandom rng = new SplittableRandom(7);
        double worstSoft = 0;
        double worstHard = 0;
        for (int trial = 0; trial < 200; trial++) {
            boolean antialias = trial % 2 == 0;
            double r = antialias ? 1.5 + 2 * rng.nextDouble() : 3 + 1.5 * rng.nextDouble();
            double cx = r + 1 + rng.nextDouble() * (20 - 2 * r - 2);
            double cy = r + 1 + rng.nextDouble() * (20 - 2 * r - 2);
            float[] frame = new float[20 * 20];
            DrawnClips.drawShape(frame, 0, 20, cx, cy, r, false, antialias);
            PixelTrack t = SpriteEstimator.DEFAULT.track(ClipBatch.of(frame, 1, 1, 1, 20, 20), 0);
            assertTrue(t.detected()[0]);
            double err = Math.hypot(t.x()[0] - cx, t.y()[0] - cy);
            if (antialias) {
                worstSoft = Math.max(worstSoft, err);
            } else {
                worstHard = Math.max(worstHard, err);
                double sx = 0;
                double sy = 0;
                int n = 0;
                for (int i = 0; i < frame.length; i++) {
                    if (frame[i] > 0) {
                        sx += i % 20 + 0.5;
                        sy += i / 20 + 0.5;
                        n++;
                    }
                }
                assertEquals(sx / n, t.x()[0], 1e-9);
                assertEquals(sy / n, t.y()[0], 1e-9);
                assertEquals(n, t.area()[0], 0.0);
            }
        }
        assertTrue(worstSoft < 0.1, "worst antialiased centroid error " + worstSoft + " px");
        assertTrue(worstHard < 0.3, "worst hard-disc centroid error " + worstHard + " px");
    }

    /** The equivalent radius of a disc of radius r is r up to the pixelation of its rim (< 0.3 px for r >= 2). */
    @Test
    void equivalentRadiusOfDisc() {
        for (double r : new double[] {2.0, 2.7, 3.5, 5.0}) {
            float[] frame = new float[24 * 24];
            DrawnClips.drawShape(frame, 0, 24, 11.3, 12.6, r, false, true);
            PixelTrack t = SpriteEstimator.DEFAULT.track(ClipBatch.of(frame, 1, 1, 1, 24, 24), 0);
            assertEquals(r, t.radius(0), 0.3, "radius " + r);
        }
    }

    /** A red sprite (1, -1, -1) in RGB is found through the channel maximum; its centroid is exact by symmetry. */
    @Test
    void colouredSpriteIsDetectedInRgb() {
        int h = 8;
        float[] data = new float[3 * h * h];
        Arrays.fill(data, -1f);
        for (int y = 2; y < 4; y++) {
            for (int x = 5; x < 7; x++) {
                data[y * h + x] = 1f; // channel 0 only
            }
        }
        PixelTrack t = SpriteEstimator.DEFAULT.track(ClipBatch.of(data, 1, 1, 3, h, h), 0);
        assertEquals(6.0, t.x()[0], 1e-12);
        assertEquals(3.0, t.y()[0], 1e-12);
        assertEquals(4.0, t.area()[0], 0.0);
    }

    /** Frames without a sprite are not detected, have area 0 and hold the previous (else next) position. */
    @Test
    void missingFramesHoldTheNearestPosition() {
        int h = 6;
        float[] data = new float[4 * h * h];
        Arrays.fill(data, -1f);
        data[1 * h * h + 2 * h + 3] = 1f; // frame 1: pixel (y=2, x=3)
        PixelTrack t = SpriteEstimator.DEFAULT.track(ClipBatch.of(data, 1, 4, 1, h, h), 0);
        assertFalse(t.detected()[0]);
        assertTrue(t.detected()[1]);
        assertEquals(0.25, t.detectedFraction(), 0.0);
        for (int f = 0; f < 4; f++) {
            assertEquals(3.5, t.x()[f], 0.0, "frame " + f);
            assertEquals(2.5, t.y()[f], 0.0, "frame " + f);
        }
        assertEquals(0.0, t.area()[3], 0.0);
        float[] empty = new float[2 * h * h];
        Arrays.fill(empty, -1f);
        PixelTrack none = SpriteEstimator.DEFAULT.track(ClipBatch.of(empty, 1, 2, 1, h, h), 0);
        assertEquals(3.0, none.x()[1], 0.0, "no sprite at all: frame centre");
    }

    /** Noise below the threshold is ignored. */
    @Test
    void backgroundNoiseBelowThresholdIsIgnored() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] frame = new float[16 * 16];
        DrawnClips.drawShape(frame, 0, 16, 5.2, 9.7, 2.5, true, true);
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] < -0.99f) {
                frame[i] = (float) (-1 + 0.4 * rng.nextDouble());
            }
        }
        PixelTrack t = SpriteEstimator.DEFAULT.track(ClipBatch.of(frame, 1, 1, 1, 16, 16), 0);
        assertEquals(5.2, t.x()[0], 0.25);
        assertEquals(9.7, t.y()[0], 0.25);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SpriteEstimator(1.0));
        assertTrue(e.getMessage().startsWith("threshold = 1.0; allowed: a number in [-1, 1)"), e.getMessage());
        ClipBatch one = ClipBatch.of(new float[4], 1, 1, 1, 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> SpriteEstimator.DEFAULT.track(one, 1));
        assertEquals("b = 1; allowed: a clip index in [0, 1)", e.getMessage());
    }
}
