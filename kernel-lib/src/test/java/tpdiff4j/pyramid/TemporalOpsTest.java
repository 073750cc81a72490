package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;

/** Down/Up on [B, F, ...] (docs/derivation.md section 4). */
class TemporalOpsTest extends WithNDManager {

    /** x[b, f, c, h, w] = 1000 b + 100 f + 10 c + h + w / 10 (every entry tells its position). */
    static NDArray ramp(long b, long f, long c, long h, long w) {
        return manager.arange(0, (int) (b * f * c * h * w), 1, DataType.FLOAT64)
                .reshape(b, f, c, h, w);
    }

    @Test
    void downKeepsEveryRthFrameAndAverageOptionPools() {
        NDArray x = ramp(2, 8, 3, 2, 2);
        double[] v = x.toDoubleArray();
        int frame = 3 * 2 * 2;
        for (int r : new int[] {1, 2, 4, 8}) {
            NDArray d = TemporalOps.down(x, r);
            assertEquals(new Shape(2, 8 / r, 3, 2, 2), d.getShape());
            double[] dv = d.toDoubleArray();
            double[] pv = TemporalOps.down(x, r, TemporalOps.DownMode.AVERAGE).toDoubleArray();
            for (int b = 0; b < 2; b++) {
                for (int j = 0; j < 8 / r; j++) {
                    for (int p = 0; p < frame; p++) {
                        int out = (b * (8 / r) + j) * frame + p;
                        assertEquals(v[(b * 8 + j * r) * frame + p], dv[out]);
                        double mean = 0;
                        for (int q = 0; q < r; q++) {
                            mean += v[(b * 8 + j * r + q) * frame + p] / r;
                        }
                        assertEquals(mean, pv[out], 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void upRepeatsFramesAndDownUndoesItExactly() {
        NDArray y = manager.randomNormal(0, 1, new Shape(3, 4, 2, 3), DataType.FLOAT64); // any trailing shape
        for (int r : new int[] {2, 4}) {
            NDArray u = TemporalOps.up(y, r);
            assertEquals(new Shape(3, 4 * r, 2, 3), u.getShape());
            double[] yv = y.toDoubleArray();
            double[] uv = u.toDoubleArray();
            int frame = 6;
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < 4 * r; i++) {
                    for (int p = 0; p < frame; p++) {
                        assertEquals(yv[(b * 4 + i / r) * frame + p], uv[(b * 4 * r + i) * frame + p]);
                    }
                }
            }
            assertArrayEquals(yv, TemporalOps.down(u, r).toDoubleArray());
            assertArrayEquals(yv, TemporalOps.down(u, r, TemporalOps.DownMode.AVERAGE).toDoubleArray(), 1e-15);
        }
        // Up2(Down2(x)) has equal frame pairs
        NDArray x = ramp(1, 8, 1, 1, 3);
        double[] ud = TemporalOps.up(TemporalOps.down(x, 2), 2).toDoubleArray();
        for (int j = 0; j < 4; j++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(ud[(2 * j) * 3 + p], ud[(2 * j + 1) * 3 + p]);
            }
        }
    }

    @Test
    void badShapesAreRejected() {
        NDArray x = ramp(1, 6, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalOps.down(x, 4));
        assertEquals(true, e.getMessage().contains("6 frames"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemporalOps.up(x, 0));
        assertThrows(IllegalArgumentException.class, () -> TemporalOps.down(manager.zeros(new Shape(4)), 2));
    }
}
