package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.sun.jna.Platform;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tpdiff4j.nn.Compute;

/**
 * The subnormal-flush knob: parsing, and on Linux x86-64 its effect on the calling thread only, both in PyTorch (a
 * softmax entry of exp(-100) = 3.7e-44) and in Java arithmetic on that thread.
 */
class DenormalsTest {

    /** A subnormal double; volatile so that neither javac nor the JIT folds the arithmetic below. */
    static volatile double tiny = Double.MIN_NORMAL / 4;

    @Test
    void theKnobIsFlushByDefaultAndRefusesOtherValues() {
        assertEquals("flush", Denormals.choice(null, null));
        assertEquals("flush", Denormals.choice(null, " "));
        assertEquals("keep", Denormals.choice(null, "KEEP"));
        assertEquals("flush", Denormals.choice("flush", "keep"), "the property wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Denormals.choice(null, "off"));
        assertTrue(e.getMessage().startsWith("TPDIFF4J_DENORMALS (or -Dtpdiff4j.denormals) = 'off': allowed flush"),
                e.getMessage());
    }

    @Test
    void flushingActsOnTheCallingThreadOnly() throws Exception {
        Assumptions.assumeTrue(Platform.isLinux() && Platform.isIntel() && Platform.is64Bit());
        Compute.adoptThread(); // the engine is loaded before the fresh threads compute
        float[] flushed = onFreshThread(() -> {
            assertEquals("subnormals: flushed to zero", Denormals.configure("flush"));
            assertEquals(Denormals.FTZ_DAZ, Denormals.mxcsr() & Denormals.FTZ_DAZ);
            assertEquals(0.0, tiny * 0.5, "Java arithmetic on this thread flushes too");
            return softmaxOfZeroAndMinus100();
        });
        float[] kept = onFreshThread(() -> {
            assertEquals("subnormals: kept", Denormals.configure("keep"));
            assertEquals(0, Denormals.mxcsr() & Denormals.FTZ_DAZ);
            assertEquals(Double.MIN_NORMAL / 8, tiny * 0.5, "IEEE gradual underflow, exact");
            return softmaxOfZeroAndMinus100();
        });
        // compared as bit patterns: the test thread computes with PyTorch too (it adopted the engine above), so it
        // flushes, and any arithmetic on a subnormal here, even widening it to double, would read 0
        assertEquals(0, Float.floatToRawIntBits(flushed[1]), "exp(-100) / (1 + 63 exp(-100)) is below 1.18e-38");
        // exp(-100) = 3.72e-44 = 26.5 times the smallest subnormal float (1.4e-45); allow 1.5 of those ulps either way
        int bits = Float.floatToRawIntBits(kept[1]);
        assertTrue(bits >= 25 && bits <= 28, "kept: " + bits + " x 1.4e-45");
        assertEquals(Float.floatToRawIntBits(1f), Float.floatToRawIntBits(flushed[0]));
        assertEquals(Float.floatToRawIntBits(1f), Float.floatToRawIntBits(kept[0]));
    }

    private static float[] softmaxOfZeroAndMinus100() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] row = new float[64]; // long enough for PyTorch's vectorized softmax path
            java.util.Arrays.fill(row, 1, row.length, -100f);
            NDArray x = tpdiff4j.data.Tensors.owned(m, row, new ai.djl.ndarray.types.Shape(row.length));
            return x.softmax(0).toFloatArray();
        }
    }

    private static float[] onFreshThread(Callable<float[]> body) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ai.djl.pytorch.jni.JniUtils.setGradMode(false);
                out.set(body.call());
            } catch (Throwable e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        if (out.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        return (float[]) out.get();
    }
}
