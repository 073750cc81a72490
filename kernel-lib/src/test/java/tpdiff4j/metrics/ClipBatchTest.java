package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ClipBatchTest {

    /** An NDArray [B, F, C, H, W] (float32 or float64) copies into the same row-major values. */
    @Test
    void fromNDArrayKeepsLayout() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(0f, 2 * 3 * 1 * 2 * 2).reshape(new Shape(2, 3, 1, 2, 2));
            ClipBatch c = ClipBatch.fromNDArray(a);
            assertEquals(2, c.batch());
            assertEquals(3, c.frames());
            assertEquals(1 * 12 + 2 * 4 + 0 * 4 + 1 * 2 + 1, c.value(1, 2, 0, 1, 1), 0f);
            ClipBatch d = ClipBatch.fromNDArray(a.toType(DataType.FLOAT64, false));
            assertEquals(c, d);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipBatch.fromNDArray(m.zeros(new Shape(2, 3))));
            assertTrue(e.getMessage().contains("[B, F, C, H, W]"));
        }
    }

    /**
     * Clips whose manager was closed (a notebook cell closed it, and a variable still holds the array) are refused by
     * name, with what to do; DJL's own message ("Native resource has been released already") names neither.
     */
    @Test
    void freedClipsAreRefusedByName() {
        NDArray real, generated;
        try (NDManager open = NDManager.newBaseManager()) {
            real = open.zeros(new Shape(2, 4, 1, 8, 8));
            try (NDManager closed = NDManager.newBaseManager()) {
                generated = closed.zeros(new Shape(2, 4, 1, 8, 8));
            }
            NDArray freed = generated;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> VideoMetrics.DEFAULT.sprites("after close", real, freed));
            assertTrue(e.getMessage().startsWith("generated: the array's memory was freed"), e.getMessage());
            assertTrue(e.getMessage().contains("NDManager that held it was closed"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ClipBatch.fromNDArray(freed));
            assertTrue(e.getMessage().startsWith("clips: the array's memory was freed"), e.getMessage());
        }
    }

    /** Data are copied in and out: the batch is immutable. */
    @Test
    void immutable() {
        float[] v = {1, 2, 3, 4};
        ClipBatch c = ClipBatch.of(v, 1, 1, 1, 2, 2);
        v[0] = 9;
        c.data()[1] = 9;
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.data());
    }

    /** withFrameOrder permutes frames per clip and rejects non-permutations. */
    @Test
    void frameOrder() {
        float[] v = {0, 1, 2, 10, 11, 12}; // B=2, F=3, 1x1 frames
        ClipBatch c = ClipBatch.of(v, 2, 3, 1, 1, 1).withFrameOrder(new int[][] {{2, 0, 1}, {0, 1, 2}});
        assertArrayEquals(new float[] {2, 0, 1, 10, 11, 12}, c.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(v, 2, 3, 1, 1, 1).withFrameOrder(new int[][] {{0, 0, 1}, {0, 1, 2}}));
        assertEquals("order[0] = [0, 0, 1]; allowed: a permutation of 0..2", e.getMessage());
    }

    @Test
    void rejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(new float[5], 1, 1, 1, 2, 2));
        assertTrue(e.getMessage().startsWith("data.length = 5; allowed: 4,"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipBatch.of(new float[0], 1, 0, 1, 2, 2));
        assertEquals("frames = 0; allowed: at least 1", e.getMessage());
    }
}
