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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.junit.jupiter.api.Test;

/** System.in of a cell: lines asked of the front end, a clear refusal without stdin, interrupts while waiting. */
class CellInputTest {

    private static final MessageContext REQUEST = new MessageContext() {
        @Override
        public List<byte[]> getIdentities() {
            return List.of();
        }

        @Override
        public Header getHeader() {
            return null;
        }
    };

    private static final PrintStream NO_LOG = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void eachLineIsAskedForAfterWhatTheCellPrintedIsSent() throws Exception {
        List<String> events = new ArrayList<>();
        CellInput in = new CellInput(() -> events.add("printed text sent"), NO_LOG);
        List<String> answers = new ArrayList<>(List.of("Ada Lovelace \u00fc", "20 22"));
        in.answerWith(parent -> {
            assertSame(REQUEST, parent);
            events.add("asked");
            return answers.remove(0);
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
        in.answerWith(parent -> {
            asked.countDown();
            Thread.sleep(60_000); // the front end never answers
            return "never";
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
    }

    @Test
    void beforeAnyCellSystemInIsAtItsEnd() throws Exception {
        CellInput in = new CellInput(() -> { }, NO_LOG);
        in.answerWith(parent -> "x");
        assertEquals(-1, in.read());
    }
}
