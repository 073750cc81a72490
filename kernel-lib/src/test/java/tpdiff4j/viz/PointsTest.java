package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PointsTest {

    @Test
    void rowsAreThePoints() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            double[][] p = Points.of(x);
            assertArrayEquals(new double[] {3, 4}, p[1], 0);
            assertArrayEquals(new double[] {5, 6}, p[2], 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Points.of(m.zeros(new Shape(2, 3))));
            assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
        }
    }
}
