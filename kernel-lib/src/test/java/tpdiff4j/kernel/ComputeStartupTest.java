package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.Tensors;
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

    /**
     * DJL's engine that cannot copy PyTorch's libraries out of their jar (a full disk, a quota, a cache folder that
     * cannot be written) says only "Failed to extract PyTorch native library"; the reason is in its cause. The note
     * once showed only the first line and left a student guessing; it now gives each cause, the cache folder and what
     * to do. An engine failure without a file error gets no such advice.
     */
    @Test
    void anEngineThatCannotExtractItsLibrariesSaysWhyWhereAndWhatToDo() {
        java.nio.file.Path cache = java.nio.file.Path.of("/home/student/.djl.ai/pytorch");
        String note = ComputeStartup.engineFailure(new ai.djl.engine.EngineException("Failed to extract PyTorch native"
                + " library", new java.io.IOException("No space left on device")), cache);
        assertEquals("tpdiff4j: the PyTorch engine did not start (ai.djl.engine.EngineException: Failed to extract"
                + " PyTorch native library; caused by java.io.IOException: No space left on device). On first use"
                + " PyTorch's libraries (about 430 MB) are copied into DJL's cache folder /home/student/.djl.ai/pytorch:"
                + " free space on that disk, or set DJL_CACHE_DIR to a folder on another disk in the kernel's"
                + " environment, then restart the kernel", note);
        String other = ComputeStartup.engineFailure(new UnsatisfiedLinkError("libtorch.so: cannot open shared object"),
                cache);
        assertEquals("tpdiff4j: the PyTorch engine did not start (java.lang.UnsatisfiedLinkError: libtorch.so: cannot"
                + " open shared object)", other);
    }

    /**
     * The kernel starts the engine on one thread and runs cells on another; grad mode is per thread in PyTorch and
     * DJL turns it off only on the engine's thread. After {@link ComputeStartup#apply} on a fresh thread (as the cell
     * thread does), an in-place copy into a weight that requires a gradient, the way the EMA swap exchanges weights,
     * works there. Without it PyTorch refuses: "a leaf Variable that requires grad is being used in an in-place
     * operation".
     */
    @Test
    void aFreshThreadComputesWithAutogradOffAfterTheStartUp() throws InterruptedException {
        Compute.adoptThread(); // the engine exists before the fresh thread starts, as in the kernel
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                assertNull(ComputeStartup.apply());
                try (NDManager m = Compute.newManager()) {
                    NDArray weight = m.zeros(new ai.djl.ndarray.types.Shape(2, 3));
                    weight.setRequiresGradient(true);
                    Tensors.copyInto(weight, new float[] {1, 2, 3, 4, 5, 6});
                    seen.set(weight.toFloatArray());
                }
            } catch (Throwable t) {
                seen.set(t);
            } finally {
                Compute.useThreads(1); // the tests' one thread
            }
        }, "fresh-cell-thread");
        cell.start();
        cell.join();
        Object result = seen.get();
        if (result instanceof Throwable) {
            throw new AssertionError("in-place copy on a fresh thread failed", (Throwable) result);
        }
        // exact: six small integers are copied bit for bit
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, (float[]) result);
    }

    /**
     * The engine's start does not hold up the cell thread: {@code start} returns at once, {@code adoptCellThread}
     * waits exactly until the loading has finished, then applies the knobs on its own thread, once.
     */
    @Test
    void theCellThreadWaitsForTheLoadingOnlyWhenItAdopts() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
        ComputeStartup startup = ComputeStartup.prepare(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Compute.adoptThread();
        }, loaded::countDown);
        startup.start();
        assertTrue(!startup.adopted(), "nothing adopted before a cell asks");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                startup.adoptCellThread();
                startup.adoptCellThread(); // a second call does nothing
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                Compute.useThreads(1); // the tests' one thread
            }
        }, "cell");
        cell.start();
        cell.join(300);
        assertTrue(cell.isAlive(), "the cell thread waits while the engine loads");
        release.countDown();
        cell.join(60_000);
        assertTrue(!cell.isAlive() && failure.get() == null, String.valueOf(failure.get()));
        assertTrue(startup.adopted());
        assertTrue(loaded.await(60, java.util.concurrent.TimeUnit.SECONDS), "whenLoaded ran after the loading");
        assertNull(startup.takeNote(), "the knobs of the test run are valid");
    }
}
