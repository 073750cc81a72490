package tpdiff4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpriteVideosTest {

    @Test
    void batchHasShapeBFCHWFloat32InRange() {
        for (int size : new int[] {16, 32}) {
            for (int ch : new int[] {1, 3}) {
                SpriteVideos data = SpriteVideos.builder().withFrames(8).withSize(size).withChannels(ch).withSprites(1, 2).build();
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = data.batch(m, 3, 5);
                    assertEquals(new Shape(3, 8, ch, size, size), x.getShape());
                    assertEquals(DataType.FLOAT32, x.getDataType());
                    assertTrue(x.min().getFloat() >= -1f && x.max().getFloat() <= 1f);
                    assertEquals(-1f, x.min().getFloat(), 0f, "background is -1");
                    assertTrue(x.max().getFloat() > 0.3f, "a sprite is visible");
                }
            }
        }
    }

    @Test
    void sameSeedSameClipDifferentSeedDifferentClip() {
        SpriteVideos data = SpriteVideos.builder().build();
        assertArrayEquals(data.clip(11).pixels(), data.clip(11).pixels());
        assertFalse(java.util.Arrays.equals(data.clip(11).pixels(), data.clip(12).pixels()));
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(data.batch(m, 4, 9).toFloatArray(), data.batch(m, 4, 9).toFloatArray());
        }
    }

    @Test
    void constantSpeedAndElasticBouncesStayInsideTheFrame() {
        SpriteVideos data = SpriteVideos.builder().withFrames(32).withSpeed(1.0, 2.0).build();
        int bounces = 0;
        for (long seed = 0; seed < 50; seed++) {
            SpriteTrack t = data.clip(seed).tracks().get(0);
            double r = t.radius();
            double speed = Math.hypot(t.vx()[0], t.vy()[0]);
            for (int f = 0; f < t.frames(); f++) {
                assertEquals(speed, Math.hypot(t.vx()[f], t.vy()[f]), 1e-12, "speed is constant");
                assertTrue(t.x()[f] >= r - 1e-12 && t.x()[f] <= 16 - r + 1e-12, "x inside walls");
                assertTrue(t.y()[f] >= r - 1e-12 && t.y()[f] <= 16 - r + 1e-12, "y inside walls");
                if (f + 1 < t.frames()) {
                    boolean flipX = Math.signum(t.vx()[f + 1]) != Math.signum(t.vx()[f]);
                    if (!flipX) {
                        assertEquals(t.vx()[f], t.x()[f + 1] - t.x()[f], 1e-12, "free flight: dx = vx");
                    } else {
                        bounces++;
                        // reflection: the unreflected position lies beyond a wall by as much as the new one inside
                        double free = t.x()[f] + t.vx()[f];
                        double wall = free < r ? r : 16 - r;
                        assertEquals(Math.abs(free - wall), Math.abs(t.x()[f + 1] - wall), 1e-9);
                    }
                }
            }
        }
        assertTrue(bounces > 10, "the test saw bounces: " + bounces);
    }

    @Test
    void pixelsShowTheSpriteAtItsTruePosition() {
        SpriteVideos data = SpriteVideos.builder().withFrames(4).withSize(32).withShapes(SpriteShape.DISC).withRadii(4).build();
        SpriteVideos.Clip c = data.clip(3);
        SpriteTrack t = c.tracks().get(0);
        for (int f = 0; f < 4; f++) {
            double sw = 0, sx = 0, sy = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double w = c.pixels()[f * 1024 + y * 32 + x] + 1;
                    sw += w;
                    sx += w * (x + 0.5);
                    sy += w * (y + 0.5);
                }
            }
            // the intensity centroid of a symmetric anti-aliased disc is its centre (up to pixel sampling)
            assertEquals(t.x()[f], sx / sw, 0.05);
            assertEquals(t.y()[f], sy / sw, 0.05);
        }
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpriteVideos.builder().withFrames(10));
        assertTrue(e.getMessage().contains("10"));
        assertThrows(IllegalArgumentException.class, () -> SpriteVideos.builder().withSize(20));
        assertThrows(IllegalArgumentException.class, () -> SpriteVideos.builder().withRadii(9).build());
    }

    /** An infinite speed would put every position at infinity, where reflecting off the walls never ends. */
    @Test
    void infiniteSpeedIsRefusedAtTheCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpriteVideos.builder().withSpeed(0, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("speed = [0.0, Infinity]") && e.getMessage().contains("finite"), e.getMessage());
    }

    /**
     * A finite but huge speed crosses the frame ~10^10 times a frame; the clip must still come back at once, inside
     * the walls, with the speed kept: a bounce is a reflection, so a round trip of 2 (16 - 2r) pixels changes nothing.
     */
    @Test
    void hugeSpeedBouncesInConstantTime() {
        SpriteVideos data = SpriteVideos.builder().withSpeed(1e12, 1e12).withRadii(2).build();
        SpriteTrack t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> data.clip(3).tracks().get(0));
        for (int f = 0; f < t.frames(); f++) {
            assertTrue(t.x()[f] >= 2 && t.x()[f] <= 14 && t.y()[f] >= 2 && t.y()[f] <= 14, "inside the walls at " + f);
            assertEquals(1e12, Math.hypot(t.vx()[f], t.vy()[f]), 1e-3, "speed is kept");
        }
        double[] folded = SpriteVideos.bounce(2 + 24 * 1000 + 5, 1, 2, 16); // 1000 round trips of 24 px, then 5 px on
        assertEquals(7, folded[0], 1e-9);
        assertEquals(1, folded[1], 0);
        double[] back = SpriteVideos.bounce(2 + 24 * 1000 + 17, 1, 2, 16); // 17 px on: 5 px past the far wall
        assertEquals(9, back[0], 1e-9);
        assertEquals(-1, back[1], 0);
    }

    @Test
    void nullRadiiAndShapesAreRefusedByName() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> SpriteVideos.builder().withRadii((double[]) null));
        assertTrue(r.getMessage().startsWith("radii = null"), r.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> SpriteVideos.builder().withShapes(SpriteShape.DISC, null));
        assertTrue(s.getMessage().startsWith("shapes[1] = null"), s.getMessage());
    }

    /**
     * A batch whose clips a Java array cannot hold: 10^6 clips of 16 x 1 x 16 x 16 = 4096 values are 4.1e9 floats,
     * whose int product wrapped round to a negative array size; the batch size is now refused with the most allowed.
     */
    @Test
    void aBatchTooLargeForOneArrayIsRefusedWithTheLargestAllowed() {
        SpriteVideos data = SpriteVideos.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.batch(m, 1_000_000, 1));
            assertTrue(e.getMessage().startsWith("batchSize = 1000000; allowed: batchSize <= "
                    + (Integer.MAX_VALUE - 8) / 4096 + " for clips of 16 x 1 x 16 x 16")
                    && e.getMessage().contains("4096000000 floats"), e.getMessage());
            IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                    () -> new GaussianVideos(data.spec(), 0.5, 1).batch(m, 1_000_000, 1));
            assertEquals(e.getMessage(), g.getMessage(), "one check for every data set");
        }
    }
}
