package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tpdiff4j.nn.Compute;

/**
 * The kernel's start-up path applies TPDIFF4J_THREADS before the first cell (the Python kernel test checks the
 * same through a real kernel started with TPDIFF4J_THREADS=2 in its environment).
 */
class ComputeStartupTest {

    @Test
    void theThreadKnobHoldsFromTheStart() {
        String saved = System.getProperty(Compute.THREADS);
        try {
            System.setProperty(Compute.THREADS, "2");
            assertNull(ComputeStartup.apply());
            assertEquals(2, Compute.threads());
            System.setProperty(Compute.THREADS, "lots");
            String note = ComputeStartup.apply();
            assertTrue(note != null && note.startsWith("tpdiff4j: TPDIFF4J_THREADS = 'lots'"), note);
            assertEquals(2, Compute.threads(), "a bad setting changes nothing");
        } finally {
            if (saved == null) {
                System.clearProperty(Compute.THREADS);
            } else {
                System.setProperty(Compute.THREADS, saved);
            }
            Compute.useThreads(1); // the tests' one thread
        }
    }
}
