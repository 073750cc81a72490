package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Scanner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A cell interrupted while it waits for a line of System.in: the kernel learns that the read was interrupted, the
 * error is one sentence without the Scanner's NoSuchElementException, and a Scanner left at its end is named.
 */
class InterruptedInputTest {

    private static final PrintStream NO_LOG = new PrintStream(OutputStream.nullOutputStream());

    /** A stream whose reads fail as the kernel's System.in fails when the waiting cell is interrupted. */
    private static final InputStream INTERRUPTED = new InputStream() {
        @Override
        public int read() throws InterruptedIOException {
            throw new InterruptedIOException("interrupted while waiting for input");
        }
    };

    @Test
    void theInputTellsOnceWhichThreadsReadWasInterrupted() throws Exception {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        CountDownLatch asked = new CountDownLatch(1);
        in.answerWith(parent -> {
            asked.countDown();
            return new CompletableFuture<>(); // never answered
        });
        in.begin(TestRequests.request(), true);
        Thread reader = new Thread(() -> {
            try {
                new Scanner(in).nextLine();
            } catch (NoSuchElementException e) {
                // what a Scanner makes of the interrupted read
            }
        });
        reader.start();
        assertTrue(asked.await(10, TimeUnit.SECONDS));
        assertFalse(in.takeInterruptedRead(reader), "waiting, not interrupted yet");
        reader.interrupt();
        reader.join(10_000);
        assertFalse(reader.isAlive());
        assertFalse(in.takeInterruptedRead(Thread.currentThread()), "another thread's read was interrupted");
        assertTrue(in.takeInterruptedRead(reader));
        assertFalse(in.takeInterruptedRead(reader), "told once");
    }

    @Test
    void aNewRequestForgetsAnEarlierInterruptedRead() throws Exception {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> new CompletableFuture<>());
        in.begin(TestRequests.request(), true);
        Thread reader = new Thread(() -> assertThrows(InterruptedIOException.class, in::read));
        reader.start();
        Thread.sleep(200);
        reader.interrupt();
        reader.join(10_000);
        in.begin(TestRequests.request(), true);
        assertFalse(in.takeInterruptedRead(reader));
    }

    @Test
    void aScannerWhoseReadWasInterruptedIsSpentAndNamed() {
        Scanner spent = new Scanner(INTERRUPTED);
        assertThrows(NoSuchElementException.class, spent::nextLine);
        assertThrows(NoSuchElementException.class, spent::nextLine, "at its end for good");
        Scanner fresh = new Scanner("7\n");
        assertTrue(SpentScanners.spent(spent));
        assertFalse(SpentScanners.spent(fresh));
        assertFalse(SpentScanners.spent("sc"));
        Map<String, Object> values = Map.of("sc", spent, "fresh", fresh, "n", 3);
        assertEquals(List.of("sc"), SpentScanners.holders(values));
        String advice = SpentScanners.afterInterruptedRead(new NoSuchElementException(), values);
        assertEquals("; a Scanner takes an interrupted read as the end of its input for good, and sc is such a "
                + "Scanner now: make a new one (sc = new Scanner(System.in);) before reading again", advice);
        assertEquals("", SpentScanners.afterInterruptedRead(new InterruptedIOException(), Map.of()),
                "a reader's read, no Scanner: nothing to add");
        assertTrue(SpentScanners.afterInterruptedRead(new RuntimeException(new NoSuchElementException()), Map.of())
                .contains("make a new one (sc = new Scanner(System.in);)"), "a Scanner in no variable");
        List<String> notes = SpentScanners.notes(new NoSuchElementException("No line found"), values);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("note: sc is a Scanner whose read of System.in was interrupted"),
                notes.get(0));
        assertEquals(List.of(), SpentScanners.notes(new IllegalStateException(), values), "another failure");
    }

    @Test
    void theErrorIsOneSentencePlacedAtTheStatementWithoutTheScannersException() {
        NoSuchElementException scanner = new NoSuchElementException();
        CellInterrupted generic = new CellInterrupted("the cell was interrupted", scanner);
        CellInterrupted e = CellInterrupted.waitingForInput(generic, "; make a new one");
        assertEquals("the cell was interrupted while it waited for a line of input (System.in); make a new one",
                e.getMessage());
        CellEvaluator.Stop stop = new CellEvaluator.Stop(generic, "line 3 of the cell: int steps = sc.nextInt();",
                new CellEvaluator.Skipped(1, 4, 4, true, ""));
        List<String> lines = ErrorReport.traceback(e, stop);
        String all = String.join("\n", lines);
        assertFalse(all.contains("NoSuchElementException"), all);
        assertFalse(all.contains("Caused by"), all);
        assertEquals(ErrorReport.RED + ErrorReport.BOLD + "CellInterrupted: " + e.getMessage() + ErrorReport.RESET,
                lines.get(0));
        assertEquals("    at line 3 of the cell: int steps = sc.nextInt();", lines.get(1));
        assertTrue(lines.get(2).contains("the statement after it (line 4) did not run"), lines.get(2));
        assertTrue(ErrorReport.traceback(generic, stop).stream().anyMatch(l -> l.contains("Caused by")),
                "other interrupts still show their cause");
    }
}
