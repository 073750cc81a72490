package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The one cell thread: same thread for every task, interrupt, forced stop of a task that ignores it. */
class CellThreadTest {

    @Test
    void everyTaskRunsOnTheSameThread() throws Exception {
        try (CellThread cells = new CellThread(1000)) {
            Thread a = cells.call(Thread::currentThread);
            Thread b = cells.call(Thread::currentThread);
            assertEquals(a, b);
            assertEquals("tpdiff4j-cell", a.getName());
            assertFalse(cells.busy());
        }
    }

    @Test
    void interruptStopsASleepAndTheThreadStaysUsable() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (CellThread cells = new CellThread(5000)) {
            timer.schedule(() -> cells.interrupt(() -> true), 300, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            assertThrows(InterruptedException.class, () -> cells.call(() -> {
                Thread.sleep(60_000);
                return null;
            }));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals(7, cells.call(() -> 7), "usable after the interrupt");
            assertFalse(cells.call(() -> Thread.currentThread().isInterrupted()), "no stale interrupt");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aLibraryStepLongerThanTheGracePeriodIsWaitedForAndNotStopped() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (CellThread cells = new CellThread(100)) {
            timer.schedule(() -> cells.interrupt(() -> true), 50, TimeUnit.MILLISECONDS);
            // one slow step (native work that cannot see the interrupt), lasting well past the 100 ms grace period,
            // then the step boundary, where the library checks the interrupt
            String outcome = cells.call(() -> {
                long t0 = System.nanoTime();
                try (tpdiff4j.ode.StepInProgress step = tpdiff4j.ode.StepInProgress.enter()) {
                    while (System.nanoTime() - t0 < 1_000_000_000L) {
                        Math.sqrt(t0); // busy, never looking at the interrupt flag
                    }
                }
                return Thread.interrupted() ? "stopped at the step boundary" : "no interrupt seen";
            });
            assertEquals("stopped at the step boundary", outcome, "the step ran to its end and saw the interrupt");
            assertFalse(tpdiff4j.ode.StepInProgress.inside(cells.thread()), "the section ended with the step");
            assertEquals(9, cells.call(() -> 9), "usable after");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aLoopOfStepsThatIgnoresTheInterruptStopsWhereItsNextStepWouldBegin() throws Exception {
        // while (true) trainer.step(); with the interrupt swallowed: the thread is inside a step nearly all the time,
        // so waiting for a moment outside one to stop it forcibly could wait for good; its next step refuses to start
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (CellThread cells = new CellThread(100)) {
            timer.schedule(() -> cells.interrupt(() -> true), 50, TimeUnit.MILLISECONDS);
            java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
            long t0 = System.nanoTime();
            java.util.concurrent.CancellationException e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> cells.call(() -> {
                        while (System.nanoTime() - t0 < 20_000_000_000L) {
                            try (tpdiff4j.ode.StepInProgress step = tpdiff4j.ode.StepInProgress.enter()) {
                                long s0 = System.nanoTime();
                                while (System.nanoTime() - s0 < 5_000_000L) {
                                    Math.sqrt(s0); // a 5 ms step that never looks at the interrupt
                                }
                            }
                            steps.incrementAndGet();
                            Thread.interrupted(); // swallowed, as careless code does
                        }
                        return "ran for 20 s";
                    }));
            assertTrue(e.getMessage().contains("stopped before the next step"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "stopped within seconds, after " + steps + " steps");
            assertFalse(tpdiff4j.ode.StepInProgress.inside(cells.thread()), "no step left open");
            assertEquals("a step ran", cells.call(() -> {
                try (tpdiff4j.ode.StepInProgress step = tpdiff4j.ode.StepInProgress.enter()) {
                    return "a step ran"; // the stop was for the interrupted cell only
                }
            }));
        } finally {
            timer.shutdownNow();
        }
    }

    /** {@code Thread.stop} throws {@code UnsupportedOperationException} from Java 20 on. */
    private static final boolean THREAD_STOP_WORKS = Runtime.version().feature() < 20;

    @Test
    void aTaskThatIgnoresTheInterruptIsStoppedAfterTheGracePeriod() throws Exception {
        assumeTrue(THREAD_STOP_WORKS, "Java 20 and newer cannot stop a thread: the next test covers them");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean stopped = new AtomicBoolean();
        try (CellThread cells = new CellThread(300)) {
            timer.schedule(() -> cells.interrupt(() -> true), 200, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            assertThrows(ThreadDeath.class, () -> cells.call(() -> {
                long spin = 0;
                try {
                    while (spin >= 0) {
                        spin++;
                        Thread.interrupted(); // swallows every interrupt, as careless user code does
                    }
                } catch (ThreadDeath d) {
                    stopped.set(true);
                    throw d;
                }
                return spin;
            }));
            assertTrue(stopped.get());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            assertEquals(8, cells.call(() -> 8), "usable after the forced stop");
        } finally {
            timer.shutdownNow();
        }
    }

    /**
     * Where {@code Thread.stop} is gone, a task that ignores the interrupt runs on and the kernel says so where the
     * cell's output goes (its error stream) instead of leaving the cell running without a word; once the task ends by
     * itself the thread takes the next one. (On those JVMs the earlier test, which expects the forced stop, waited for
     * good.)
     */
    @Test
    void whereThreadStopIsGoneTheTaskRunsOnAndTheKernelSaysTheCellCannotBeStopped() throws Exception {
        assumeFalse(THREAD_STOP_WORKS, "this JVM can stop a thread: the test before covers it");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        AtomicBoolean release = new AtomicBoolean();
        System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try (CellThread cells = new CellThread(300)) {
            timer.schedule(() -> cells.interrupt(() -> true), 200, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            long deadline = t0 + 10_000_000_000L;
            timer.schedule(() -> {
                while (!said.toString(java.nio.charset.StandardCharsets.UTF_8).contains("cannot stop it")
                        && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                release.set(true);
            }, 0, TimeUnit.MILLISECONDS);
            long spins = cells.call(() -> {
                long spin = 0;
                while (!release.get()) {
                    spin++;
                    Thread.interrupted(); // swallows every interrupt, as careless user code does
                }
                return spin;
            });
            assertTrue(spins > 0);
            assertTrue(System.nanoTime() < deadline, "the kernel never said that it cannot stop the cell: " + said);
            assertTrue(said.toString(java.nio.charset.StandardCharsets.UTF_8).contains("restart the kernel"),
                    said.toString(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(8, cells.call(() -> 8), "usable once the task ended by itself");
        } finally {
            System.setErr(err);
            timer.shutdownNow();
        }
    }

    @Test
    void interruptWithoutARunningTaskDoesNothing() throws Exception {
        try (CellThread cells = new CellThread(100)) {
            cells.call(() -> 1);
            assertFalse(cells.interrupt(() -> true));
            assertFalse(cells.call(() -> Thread.currentThread().isInterrupted()));
        }
    }

    @Test
    void closeEndsTheWaitOfAQueuedCall() throws Exception {
        // a completion queued behind a running cell when the shutdown arrives: before, its handler waited for good
        CellThread cells = new CellThread(1000);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        cells.submit(() -> {
            running.countDown();
            Thread.sleep(60_000); // ended by close()'s interrupt
            return null;
        });
        running.await();
        java.util.concurrent.CompletableFuture<Throwable> queued = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        cells.call(() -> 1);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
        Thread.sleep(200); // the call is queued by now (generous on a loaded machine; an early close also passes)
        cells.close();
        Throwable t = queued.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof java.util.concurrent.CancellationException
                || t instanceof java.util.concurrent.RejectedExecutionException, String.valueOf(t));
    }

    @Test
    void aTaskSubmittedAfterCloseIsCancelledWithoutRunning() {
        // the engine finished loading after a quick shutdown: its hand-over threw RejectedExecutionException on the
        // engine's thread, a trace on the kernel's console while it ended
        CellThread cells = new CellThread(1000);
        cells.close();
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Future<Object> f = cells.submit(() -> {
            ran.set(true);
            return null;
        });
        assertTrue(f.isCancelled());
        assertFalse(ran.get());
    }

    @Test
    void negativeGraceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CellThread(-1));
        assertEquals("stopAfterMillis = -1; allowed: at least 0", e.getMessage());
    }
}
