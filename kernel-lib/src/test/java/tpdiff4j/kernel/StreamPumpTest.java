package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The kernel's output path: nothing dropped under a flood, order kept, UTF-8 characters never split. */
class StreamPumpTest {

    @Test
    void aFloodFromSeveralWritesArrivesCompleteAndInOrder() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    pump.out.println(i + " \u00e9\uD83D\uDE00"); // multi-byte characters cross buffer boundaries
                }
            });
            writer.start();
            writer.join();
            pump.drain();
        }
        String[] lines = console.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(200_000, lines.length);
        for (int i = 0; i < lines.length; i += 9_999) {
            assertEquals(i + " \u00e9\uD83D\uDE00", lines[i]);
        }
    }

    @Test
    void completeUtf8StopsBeforeAnUnfinishedCharacter() {
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 4 bytes
        byte[] text = new byte[]{'a', emoji[0], emoji[1]};
        assertEquals(1, StreamPump.completeUtf8(text));
        assertEquals(5, StreamPump.completeUtf8(new byte[]{'a', emoji[0], emoji[1], emoji[2], emoji[3]}));
        byte[] eAcute = "\u00e9".getBytes(StandardCharsets.UTF_8); // 2 bytes
        assertEquals(1, StreamPump.completeUtf8(new byte[]{'a', eAcute[0]}));
        assertEquals(3, StreamPump.completeUtf8(new byte[]{'a', eAcute[0], eAcute[1]}));
        assertEquals(0, StreamPump.completeUtf8(new byte[0]));
    }

    @Test
    void anUnfinishedCharacterAtTheEndOfACellStaysInThatCell() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.out.write(new byte[]{'a', (byte) 0xE2, (byte) 0x82}); // the first two of the three bytes of a euro sign
            pump.out.flush();
            pump.drain(); // while the cell runs, the rest may still come
            assertEquals("a", console.toString(StandardCharsets.UTF_8));
            pump.endCell(); // the cell ended without it: its bytes are shown there, not at the next cell's start
            assertEquals("a\uFFFD", console.toString(StandardCharsets.UTF_8));
            console.reset();
            pump.out.println("b");
            pump.endCell();
            assertEquals("b" + System.lineSeparator(), console.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLoopOfUpdatesSendsTheLatestAtAPaceAndAlwaysTheLast() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        int n = 20_000;
        long t0 = System.nanoTime();
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.publishInOrder(new org.dflib.jjava.jupyter.messages.publish.PublishDisplayData(
                    new org.dflib.jjava.jupyter.kernel.display.DisplayData("shown")), "shown");
            for (int i = 1; i <= n; i++) {
                pump.publishUpdate("fig", update("step " + i), "step " + i);
                pump.publishUpdate("other", update("other " + i), "other " + i);
            }
            pump.out.println("printed after the loop");
            pump.endCell();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        java.util.List<String> lines = java.util.List.of(console.toString(StandardCharsets.UTF_8).split("\n"));
        java.util.List<String> fig = lines.stream().filter(l -> l.startsWith("step ")).toList();
        java.util.List<String> other = lines.stream().filter(l -> l.startsWith("other ")).toList();
        // one update per display and interval, at most, plus the first and the last
        long most = 2 + (long) Math.ceil(seconds * 1000 / StreamPump.UPDATE_MILLIS);
        assertEquals(true, fig.size() <= most && other.size() <= most, fig.size() + " and " + other.size()
                + " updates sent in " + seconds + " s, at most " + most);
        assertEquals("step 1", fig.get(0), "the first update goes out at once");
        assertEquals("step " + n, fig.get(fig.size() - 1), "the last update is never lost");
        assertEquals("other " + n, other.get(other.size() - 1));
        assertEquals("shown", lines.get(0));
        for (int i = 1; i < fig.size(); i++) {
            assertEquals(true, Integer.parseInt(fig.get(i).substring(5)) > Integer.parseInt(fig.get(i - 1).substring(5)),
                    "in order: " + fig);
        }
    }

    @Test
    void aHeldUpdateGoesOutBeforeTheNextDisplayAndAfterItsIntervalBetweenCells() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.publishUpdate("fig", update("a"), "a");
            pump.publishUpdate("fig", update("b"), "b"); // held: "a" went out just now
            assertEquals("a\n", console.toString(StandardCharsets.UTF_8));
            pump.publishInOrder(new org.dflib.jjava.jupyter.messages.publish.PublishDisplayData(
                    new org.dflib.jjava.jupyter.kernel.display.DisplayData("next")), "next");
            assertEquals("a\nb\nnext\n", console.toString(StandardCharsets.UTF_8), "held update first");
            pump.publishUpdate("fig", update("c"), "c");
            Thread.sleep(20 * StreamPump.UPDATE_MILLIS); // no cell ends, nothing else is shown: the publisher sends it
            assertEquals("a\nb\nnext\nc\n", console.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLoopThatClearsAndPrintsSendsTheLatestTextAtAPaceAndItsLastLine() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        int n = 20_000;
        long t0 = System.nanoTime();
        try (StreamPump pump = new StreamPump(sink, sink)) {
            for (int i = 1; i <= n; i++) {
                pump.clearOutput(true);
                pump.out.println("step " + i);
            }
            pump.endCell();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String[] lines = console.toString(StandardCharsets.UTF_8).split("\n");
        long most = 2 + (long) Math.ceil(seconds * 1000 / StreamPump.UPDATE_MILLIS);
        assertEquals(true, lines.length <= most, lines.length + " lines sent in " + seconds + " s, at most " + most);
        assertEquals("step " + n, lines[lines.length - 1], "the last line is never lost");
    }

    @Test
    void aHeldClearWithNothingAfterItKeepsTheTextBeforeIt() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.clearOutput(true);
            pump.out.println("a");
            pump.clearOutput(true); // within the interval: held, with "a"
            pump.out.println("b");
            pump.clearOutput(true); // held again: "b" is shown only if nothing follows
            pump.endCell();
            assertEquals("b\n", console.toString(StandardCharsets.UTF_8), "a front end shows b: the last clear waits");
            console.reset();
            pump.out.println("printed later");
            Thread.sleep(10 * StreamPump.UPDATE_MILLIS);
            assertEquals("printed later\n", console.toString(StandardCharsets.UTF_8), "sent by the publisher");
        }
    }

    /**
     * A cell interrupted while it shows or updates a display (a training loop whose listener updates its progress
     * line) keeps its interrupt, and the message goes out: the IOPub socket refuses to send on an interrupted thread
     * and clears the flag, which left a trainer that checks the flag between steps running on until the kernel's
     * watchdog cancelled it, and the cell lost what the training had returned.
     */
    @Test
    void aSendOnAnInterruptedThreadGoesOutAndKeepsTheInterrupt() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        SocketLike socket = new SocketLike();
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.attach(socket);
            Thread.currentThread().interrupt();
            pump.publishInOrder(new org.dflib.jjava.jupyter.messages.publish.PublishDisplayData(
                    new org.dflib.jjava.jupyter.kernel.display.DisplayData("shown")), "shown");
            assertEquals(true, Thread.currentThread().isInterrupted(), "the interrupt is kept for the cell");
            pump.publishUpdate("fig", update("step 1"), "step 1");
            assertEquals(true, Thread.currentThread().isInterrupted(), "kept after an update too");
            pump.out.println("printed");
            pump.drain();
            assertEquals(true, Thread.interrupted(), "kept after printed text went out on this thread");

            socket.interruptDuringNextSend = true; // an interrupt that lands while the message goes out
            pump.publishUpdate("other", update("step 2"), "step 2");
            assertEquals(true, Thread.interrupted(), "an interrupt during the send is kept as well");
            pump.attach(null);
        } finally {
            Thread.interrupted();
        }
        assertEquals(java.util.List.of("display_data", "update_display_data", "stdout printed" + System.lineSeparator(),
                "update_display_data"),
                socket.sent);
        assertEquals("", console.toString(StandardCharsets.UTF_8), "nothing fell back to the console");
    }

    /**
     * A reply environment that sends as the IOPub socket does: on an interrupted thread it clears the flag and throws
     * {@code ZMQException} with {@code EINTR} instead of sending.
     */
    private static final class SocketLike extends org.dflib.jjava.jupyter.channels.ShellReplyEnvironment {
        final java.util.List<String> sent = new java.util.ArrayList<>();
        volatile boolean interruptDuringNextSend;

        SocketLike() {
            super(null, null, null, null);
        }

        private void send(String what) {
            if (interruptDuringNextSend) {
                interruptDuringNextSend = false;
                Thread.currentThread().interrupt();
            }
            if (Thread.interrupted()) {
                throw new org.zeromq.ZMQException("Interrupted function", zmq.ZError.EINTR);
            }
            sent.add(what);
        }

        @Override
        public <T extends org.dflib.jjava.jupyter.messages.ContentType<T>> void publish(T content) {
            send(content.getType().getName());
        }

        @Override
        public void writeToStdOut(String text) {
            send("stdout " + text);
        }

        @Override
        public void writeToStdErr(String text) {
            send("stderr " + text);
        }
    }

    private static org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData update(String text) {
        org.dflib.jjava.jupyter.kernel.display.DisplayData d = new org.dflib.jjava.jupyter.kernel.display.DisplayData(text);
        d.setDisplayId("id of " + text);
        return new org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData(d);
    }

    @Test
    void closingTheNotebooksStreamsKeepsThemOpenForLaterOutput() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            // what a cell does with try (var w = new PrintWriter(System.out)) { ... } or System.err.close()
            try (java.io.PrintWriter w = new java.io.PrintWriter(pump.out)) {
                w.print("through a writer");
            }
            pump.err.close();
            pump.out.println(" / out after close");
            pump.err.println("err after close");
            pump.endCell();
            assertFalse(pump.out.checkError(), "System.out was closed");
            assertFalse(pump.err.checkError(), "System.err was closed");
        }
        assertEquals("through a writer / out after close\nerr after close\n", console.toString(StandardCharsets.UTF_8));
    }
}
