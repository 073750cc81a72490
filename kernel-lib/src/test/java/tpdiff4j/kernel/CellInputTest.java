package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.dflib.jjava.jupyter.messages.MessageContext;
import org.junit.jupiter.api.Test;

/** System.in of a cell: lines asked of the front end, a clear refusal without stdin, interrupts while waiting. */
class CellInputTest {

    private static final MessageContext REQUEST = TestRequests.request();

    private static final PrintStream NO_LOG = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void eachLineIsAskedForAfterWhatTheCellPrintedIsSent() throws Exception {
        List<String> events = new ArrayList<>();
        CellInput in = new CellInput(() -> events.add("printed text sent"), NO_LOG);
        List<String> answers = new ArrayList<>(List.of("Ada Lovelace \u00fc", "20 22"));
        in.answerWith(parent -> {
            assertSame(REQUEST, parent);
            events.add("asked");
            return CompletableFuture.completedFuture(answers.remove(0));
        });
        in.begin(REQUEST, true);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        assertEquals("Ada Lovelace \u00fc", reader.readLine());
        Scanner scanner = new Scanner(reader);
        assertEquals(42, scanner.nextInt() + scanner.nextInt());
        assertEquals(List.of("printed text sent", "asked", "printed text sent", "asked"), events);
    }

    @Test
    void withoutStdinReadingFailsWithASentenceInsteadOfAnEmptyAnswer() {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> {
            throw new AssertionError("a front end without stdin must not be asked");
        });
        in.begin(REQUEST, false);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, in::read);
        assertTrue(e.getMessage().contains("allow_stdin = false"), e.getMessage());
        Scanner scanner = new Scanner(in);
        assertThrows(UnsupportedOperationException.class, scanner::nextLine); // not Scanner's 'No line found'
        assertEquals(0, in.available());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysTheCellsInterrupt() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CellInput in = new CellInput(() -> { }, NO_LOG);
        CompletableFuture<String> never = new CompletableFuture<>(); // the front end never answers
        in.answerWith(parent -> {
            asked.countDown();
            return never;
        });
        in.begin(REQUEST, true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                in.read();
            } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        cell.start();
        assertTrue(asked.await(10, TimeUnit.SECONDS));
        cell.interrupt();
        cell.join(10_000);
        assertFalse(cell.isAlive(), "the read still waits after the interrupt");
        assertNotNull(thrown.get());
        assertEquals(InterruptedIOException.class, thrown.get().getClass());
        assertTrue(flag.get(), "the interrupt flag must stay set for the kernel to see the interrupt");
        assertTrue(never.isCancelled(), "the question must be withdrawn");
    }

    @Test
    void beforeAnyCellSystemInIsAtItsEnd() throws Exception {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> CompletableFuture.completedFuture("x"));
        assertEquals(-1, in.read());
    }

    @Test
    void aThreadThatReadsWhileNoCellRunsGetsASentenceNotAnEndOfInput() throws Exception {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> {
            throw new AssertionError("no front end may be asked while no cell runs");
        });
        in.begin(REQUEST, true);
        in.end(REQUEST);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                new Scanner(in).nextLine();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "late-reader");
        worker.start();
        worker.join(10_000);
        assertEquals(IllegalStateException.class, thrown.get().getClass(), String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().startsWith("thread \"late-reader\" read System.in while no cell runs"),
                thrown.get().getMessage());
    }

    @Test
    void aThreadStillWaitingWhenItsCellEndsStopsAndTheNextCellCanRead() throws Exception {
        MessageContext next = TestRequests.request();
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<String> unanswered = new CompletableFuture<>(); // a front end ignores a finished cell's box
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> {
            if (parent == REQUEST) {
                asked.countDown();
                return unanswered;
            }
            return CompletableFuture.completedFuture("for the next cell");
        });
        in.begin(REQUEST, true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "waiting-reader");
        worker.start();
        assertTrue(asked.await(10, TimeUnit.SECONDS));
        in.end(REQUEST); // the cell that started the thread ends before anyone answers
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the thread still waits for an answer that cannot come");
        assertEquals(IllegalStateException.class, thrown.get().getClass(), String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("\"waiting-reader\" waited for a line of System.in when the "
                + "cell it was asked under ended"), thrown.get().getMessage());
        assertTrue(unanswered.isDone(), "the question must be withdrawn from the relay");
        in.begin(next, true); // System.in is free again for the next cell
        assertEquals("for the next cell", new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                .readLine());
    }
}
