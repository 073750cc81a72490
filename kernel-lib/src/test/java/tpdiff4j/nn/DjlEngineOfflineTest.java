package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the jars on the classpath, with downloads forbidden, and computes on CPU. */
class DjlEngineOfflineTest {

    @Test
    void pytorchEngineLoadsOfflineAndComputesOnCpu() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run with -Dai.djl.offline=true");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("PyTorch", engine.getEngineName());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = a.matMul(a); // [[7, 10], [15, 22]]
            float[] v = b.toFloatArray();
            assertEquals(7f, v[0]);
            assertEquals(10f, v[1]);
            assertEquals(15f, v[2]);
            assertEquals(22f, v[3]);
            assertTrue(b.getDevice().isGpu() == false, "the tested path is CPU");
        }
    }
}
