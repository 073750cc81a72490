package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.SpaceTimeTransformer;

class NativeHeapTest {

    @Test
    void knobDefaultsToRetainAndThePropertyWins() {
        assertEquals("retain", NativeHeap.choice(null, null));
        assertEquals("retain", NativeHeap.choice(null, " "));
        assertEquals("system", NativeHeap.choice(null, "SYSTEM"));
        assertEquals("retain", NativeHeap.choice("retain", "system"));
        assertEquals("system", NativeHeap.choice("system", "retain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeHeap.choice("keep", null));
        assertTrue(e.getMessage().contains(NativeHeap.ENV) && e.getMessage().contains("'keep'")
                && e.getMessage().contains("retain") && e.getMessage().contains("system"), e.getMessage());
    }

    /**
     * The behaviour the setting exists for: forward passes of the attention-bound preset (batch 16, 16 frames of
     * 16x16: activations of 1 MiB, attention scores of 16 MiB, hundreds of allocations per pass) reuse the pages of the
     * previous pass. The heap still grows now and then after warm-up (a pass faults a fresh 16 MiB, 4,096 pages, when
     * the freed chunks do not fit), so the test asserts on the median of twenty passes, not on their sum. Measured on
     * this project's machine (glibc 2.36): medians of 4 to 8 faults per pass in five runs with the freed memory
     * retained, against 4, 5, 515 and 1,026 in four runs with glibc's defaults, whose adaptive mmap threshold catches
     * up in some runs and not in others. The bound of 500 sits sixty times above the retained heap's worst median, so
     * one-off growth does not fail the test; glibc's defaults fail it only in the runs where they keep faulting.
     */
    @Test
    void forwardPassesReuseFreedPages() throws Exception {
        Path stat = Path.of("/proc/self/stat");
        // this test class runs in a JVM of its own (surefire forks per class), so switching it on here is local
        String status = NativeHeap.configure("retain");
        if (!Files.isReadable(stat)) {
            return; // not Linux: nothing to count
        }
        assertTrue(status.contains("retained"), "on Linux with glibc the setting should apply, got: " + status);
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            SpaceTimeTransformer net = new SpaceTimeTransformer(ModelConfig.attention(16, 1, 16, 16), m);
            Runnable pass = () -> {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.randomNormal(new Shape(16, 16, 1, 16, 16));
                    net.forward(new ParameterStore(s, false), new NDList(x, s.full(new Shape(16), 0.5f), s.arange(16f)), false);
                }
            };
            for (int i = 0; i < 3; i++) {
                pass.run();
            }
            long[] perPass = new long[20];
            for (int i = 0; i < perPass.length; i++) {
                long before = minorFaults(stat);
                pass.run();
                perPass[i] = minorFaults(stat) - before;
            }
            long[] sorted = perPass.clone();
            java.util.Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            assertTrue(median < 500, "minor page faults of 20 forward passes after three warm-up passes (median "
                    + median + "): " + java.util.Arrays.toString(perPass));
        }
    }

    /** Field 10 of /proc/self/stat (minflt), after the parenthesised command name. */
    private static long minorFaults(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }
}
