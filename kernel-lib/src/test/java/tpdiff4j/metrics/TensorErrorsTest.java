package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TensorErrorsTest {

    @Test
    void maxAbsAndRelative() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4});
            NDArray b = m.create(new double[] {1, 2.5, 2, 8});
            assertEquals(4.0, TensorErrors.maxAbs(a, b), 0);
            assertEquals(0.5, TensorErrors.maxRelative(a, b), 0);
            assertEquals(0.0, TensorErrors.maxAbs(b, b), 0);
        }
    }

    @Test
    void shapesMustAgree() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TensorErrors.maxAbs(m.zeros(new ai.djl.ndarray.types.Shape(2)), m.zeros(new ai.djl.ndarray.types.Shape(3))));
            assertTrue(e.getMessage().contains("(2)") && e.getMessage().contains("(3)"), e.getMessage());
        }
    }
}
