package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.StepInProgress;

/**
 * Kernel → Interrupt interrupts the cell's thread only. A cell that handed training or sampling to an executor and
 * waited on its future ended as interrupted while the work went on in the background without a word, printing into
 * later cells. The interrupt's message now names the threads still inside a library step.
 */
class CellInterruptedTest {

    @Test
    void anInterruptNamesLibraryWorkStillRunningOnOtherThreads() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try (StepInProgress step = StepInProgress.enter()) {
                inside.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "background-training");
        worker.start();
        try {
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            String m = new CellInterrupted("the cell was interrupted", null).getMessage();
            assertTrue(m.startsWith("the cell was interrupted. The interrupt reached the cell's own thread only"), m);
            assertTrue(m.contains("still runs on thread background-training"), m);
            assertTrue(m.contains("future.cancel(true)"), m);
        } finally {
            release.countDown();
            worker.join();
        }
        assertEquals("the cell was interrupted", new CellInterrupted("the cell was interrupted", null).getMessage(),
                "nothing to add once the work has ended");
    }

    @Test
    void theCallingThreadsOwnStepIsNotOtherWork() {
        try (StepInProgress step = StepInProgress.enter()) {
            assertEquals("the cell was interrupted", new CellInterrupted("the cell was interrupted", null).getMessage());
        }
    }
}
