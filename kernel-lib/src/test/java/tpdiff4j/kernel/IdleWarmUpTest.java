package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * The idle warm-up runs its slices only while nobody uses the cell thread, leaves the session as it was, and stops
 * when asked.
 */
class IdleWarmUpTest {

    @Test
    void slicesRunWhileIdleAndLeaveTheSessionAsItWas() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (CellThread cells = new CellThread(1000)) {
            CellEvaluator ev = cells.call(CellEvaluator::withPreload);
            cells.call(() -> ev.run("int kept = 41;"));
            IdleWarmUp warm = new IdleWarmUp(cells, new PrintStream(log, true, StandardCharsets.UTF_8));
            Thread t = warm.start(CompletableFuture.completedFuture(ev), 6);
            Thread.sleep(3 * IdleWarmUp.IDLE_MILLIS);
            assertEquals(0, warm.slicesRun(), "nothing runs before the first cell has ended");
            warm.arm();
            t.join(120_000);
            assertEquals(6, warm.slicesRun());
            // nothing on the kernel's console, which is the terminal of a jupyter console user typing at the prompt
            assertEquals("", log.toString(StandardCharsets.UTF_8), "no slice failed, and none says so");
            // the session is untouched: the user's variable holds and no warm-up name is left to complete
            assertEquals(42, cells.call(() -> ev.run("kept + 1")));
            assertEquals(java.util.List.of(), cells.call(() -> ev.complete("$tpdiff4j", 9, new int[1])));
            assertEquals(java.util.List.of("kept"), cells.call(() -> ev.complete("kep", 3, new int[1])));
            ev.close();
        }
    }

    @Test
    void noSliceStartsWhileRequestsKeepComingAndStopEndsIt() throws Exception {
        try (CellThread cells = new CellThread(1000)) {
            CellEvaluator ev = cells.call(CellEvaluator::withPreload);
            IdleWarmUp warm = new IdleWarmUp(cells, System.err);
            Thread t = warm.start(CompletableFuture.completedFuture(ev), 1000);
            warm.arm();
            // requests every 20 ms, well inside the idle time: the warm-up must wait
            long end = System.nanoTime() + 4 * IdleWarmUp.IDLE_MILLIS * 1_000_000L;
            while (System.nanoTime() < end) {
                warm.touch();
                Thread.sleep(20);
            }
            assertEquals(0, warm.slicesRun());
            warm.stop();
            t.join(60_000);
            assertTrue(!t.isAlive() && warm.slicesRun() <= 1, "stopped after at most the slice in progress");
            ev.close();
        }
    }

    @Test
    void theKnobMustBeANonNegativeCount() {
        String saved = System.getProperty(IdleWarmUp.KNOB);
        try {
            System.setProperty(IdleWarmUp.KNOB, "-1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, IdleWarmUp::slicesSetting);
            assertTrue(e.getMessage().contains(IdleWarmUp.KNOB + " = -1"), e.getMessage());
            System.setProperty(IdleWarmUp.KNOB, "0");
            assertEquals(0, IdleWarmUp.slicesSetting());
        } finally {
            if (saved == null) {
                System.clearProperty(IdleWarmUp.KNOB);
            } else {
                System.setProperty(IdleWarmUp.KNOB, saved);
            }
        }
    }
}
