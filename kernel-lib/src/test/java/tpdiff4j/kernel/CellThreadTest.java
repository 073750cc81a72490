package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aTaskThatIgnoresTheInterruptIsStoppedAfterTheGracePeriod() throws Exception {
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
    void negativeGraceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CellThread(-1));
        assertTrue(e.getMessage().contains("stopAfterMillis = -1"));
    }
}
