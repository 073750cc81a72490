package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlickerTest {

    /** Hand-computed: one pixel going -1, 1, -1 over three frames; the other pixel constant. */
    @Test
    void handComputedValues() {
        float[] data = {-1, 0.5f, 1, 0.5f, -1, 0.5f}; // [B=1, F=3, C=1, H=1, W=2]
        ClipBatch c = ClipBatch.of(data, 1, 3, 1, 1, 2);
        assertEquals((2 + 0 + 2 + 0) / 4.0, Flicker.meanAbsoluteDifference(c), 1e-12);
        assertEquals((16 + 0) / 2.0, Flicker.highFrequencyEnergy(c), 1e-12);
    }

    /** A static clip has no flicker; identical sets have ratio exactly 1. */
    @Test
    void staticAndIdenticalClips() {
        ClipBatch still = DrawnClips.render(new DrawnClips.Sprite[] {new DrawnClips.Sprite(8, 8, 0, 0, 3, false)},
                8, 16, true);
        assertEquals(0.0, Flicker.meanAbsoluteDifference(still), 0.0);
        ClipBatch moving = DrawnClips.random(20, 16, 16, 4);
        FlickerScore same = Flicker.compare(moving, moving);
        assertEquals(1.0, same.relativeMad(), 0.0);
        assertEquals(1.0, same.relativeHighFrequency(), 0.0);
    }

    /** Shuffling the frames of moving-sprite clips makes flicker clearly larger than the originals'. */
    @Test
    void shuffledFramesFlickerMore() {
        ClipBatch real = DrawnClips.random(40, 16, 16, 5);
        ClipBatch shuffled = DrawnClips.shuffled(real, 6);
        FlickerScore s = Flicker.compare(shuffled, real);
        assertTrue(s.relativeMad() > 1.5, "MAD ratio " + s.relativeMad());
        assertTrue(s.relativeHighFrequency() > 2.0, "HF ratio " + s.relativeHighFrequency());
        // a second independent real sample stays near 1
        FlickerScore r = Flicker.compare(DrawnClips.random(40, 16, 16, 7), real);
        assertEquals(1.0, r.relativeMad(), 0.25);
    }

    /** Half the frame rate doubles each frame-to-frame step of the same motion: no ratio across frame counts. */
    @Test
    void compareRefusesBatchesOfAnotherShape() {
        ClipBatch real = DrawnClips.random(10, 16, 16, 5);
        float[] every = real.data();
        float[] half = new float[10 * 8 * 256];
        for (int b = 0; b < 10; b++) {
            for (int f = 0; f < 8; f++) {
                System.arraycopy(every, (b * 16 + 2 * f) * 256, half, (b * 8 + f) * 256, 256);
            }
        }
        ClipBatch halfRate = ClipBatch.of(half, 10, 8, 1, 16, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flicker.compare(halfRate, real));
        assertTrue(e.getMessage().contains("F=8") && e.getMessage().contains("F=16")
                && e.getMessage().contains("same F, C, H, W"), e.getMessage());
        ClipBatch wider = DrawnClips.random(10, 16, 24, 5);
        assertThrows(IllegalArgumentException.class, () -> Flicker.compare(wider, real));
    }

    @Test
    void needsEnoughFrames() {
        ClipBatch one = ClipBatch.of(new float[4], 1, 1, 1, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Flicker.meanAbsoluteDifference(one));
        assertTrue(e.getMessage().contains("at least 2 frames"));
        ClipBatch two = ClipBatch.of(new float[8], 1, 2, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Flicker.highFrequencyEnergy(two));
    }

    /**
     * A diverged sample (NaN or infinite values) gets no flicker number: MAD and HF of NaN are NaN and of an infinity
     * infinite, and the ratios would then read as "no data" or "endless flicker". The refusal names the batch and the
     * first bad value.
     */
    @Test
    void nonFiniteClipsAreRefused() {
        ClipBatch real = DrawnClips.random(4, 8, 8, 3);
        float[] v = real.data();
        v[((1 * 8 + 2) * 8 + 3) * 8 + 4] = Float.NaN; // clip 1, frame 2, y 3, x 4 (C = 1)
        ClipBatch diverged = ClipBatch.of(v, 4, 8, 1, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Flicker.compare(diverged, real));
        assertTrue(e.getMessage().contains("clip 1, frame 2, pixel (y=3, x=4) = NaN; allowed: finite values, which"
                + " flicker of the generated clips needs"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Flicker.compare(real, diverged));
        assertTrue(e.getMessage().contains("flicker of the real clips"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Flicker.meanAbsoluteDifference(diverged));
        float[] inf = real.data();
        inf[0] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class,
                () -> Flicker.highFrequencyEnergy(ClipBatch.of(inf, 4, 8, 1, 8, 8)));
        assertTrue(e.getMessage().contains("clip 0, frame 0, pixel (y=0, x=0) = -Infinity; allowed: finite values"), e.getMessage());
    }

    /** Huge but finite values (an unclipped sample of a model that blew up) give a finite MAD, summed in double. */
    @Test
    void hugeFiniteValuesGiveFiniteMad() {
        ClipBatch c = ClipBatch.of(new float[] {3e38f, -3e38f}, 1, 2, 1, 1, 1);
        assertEquals(6e38, Flicker.meanAbsoluteDifference(c), 6e38 * 1e-7); // float inputs: 7 digits
    }
}
