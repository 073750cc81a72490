package tpdiff4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.zeromq.ZMQException;
import zmq.ZError;

/**
 * {@code System.out} and {@code System.err} of the kernel: what any thread prints reaches the notebook, complete
 * and in order, as a few large {@code stream} messages.
 *
 * <p>Each stream has a bounded buffer. A writer appends to it and waits while it is full (back-pressure: nothing is
 * dropped, a flood only runs as fast as the messages go out). One publisher thread sends what has collected, at
 * most every {@link #COALESCE_MILLIS} milliseconds, so a loop of 200,000 {@code println}s becomes some dozens of
 * messages instead of 200,000 (Jupyter's IOPub socket drops messages beyond its high-water mark of 1,000).
 * {@link #drain()} sends everything before the kernel replies to a cell. Output goes to the last cell that ran, so
 * a background thread a cell started still prints into the notebook after the cell ended; before the first cell it
 * goes to the kernel's console. {@link #publishInOrder} sends a display the same way, after the text printed before it.
 *
 * <p>{@link #publishUpdate} sends updates of one display at most every {@link #UPDATE_MILLIS} milliseconds: a loop
 * that updates a display at every step (thousands a second) sends the latest one at that pace, and the last one
 * always goes out (before the next other display or clear, and when the cell ends). Sent one by one, such updates
 * pass the Notebook server's limit of 1,000 messages a second, which then drops output, the final update included,
 * and they keep the page busy long after the cell ended.
 */
final class StreamPump implements AutoCloseable {

    /** Longest wait between a print and its message while output keeps coming. */
    static final long COALESCE_MILLIS = 10;
    /** Bytes a stream buffers before writers wait for the publisher. */
    static final int LIMIT = 64 * 1024;
    /** Shortest time between two updates of one display that are sent; the latest one in between waits. */
    static final long UPDATE_MILLIS = 50;

    private final PrintStream consoleOut;
    private final PrintStream consoleErr;
    private final Sink outSink = new Sink();
    private final Sink errSink = new Sink();
    private final Object signal = new Object();
    private final Object publishing = new Object();
    private final Thread publisher;
    private volatile ShellReplyEnvironment target;
    private volatile boolean pending;
    private volatile boolean closed;
    /** When the last update of a display was sent (System.nanoTime), oldest first; only the last UPDATE_MILLIS. */
    private final java.util.LinkedHashMap<String, Long> updateSent = new java.util.LinkedHashMap<>();
    /** Updates that wait for their display's interval to pass, by display id (used under {@code publishing}). */
    private final java.util.LinkedHashMap<String, Held<?>> held = new java.util.LinkedHashMap<>();
    private volatile boolean updatesHeld;
    /** A clear that waits went out less than UPDATE_MILLIS ago (at clearSentAt), and nothing was sent since. */
    private volatile boolean clearPaced;
    private long clearSentAt;
    /** A later clear that waits is held back; clearedOut and clearedErr were printed before it. */
    private boolean clearHeld;
    private String clearedOut = "";
    private String clearedErr = "";

    /** An update of a display that waits to be sent. */
    private record Held<T extends ContentType<T>>(T content, String plainText) {
    }

    /** Standard output into the notebook. */
    final PrintStream out = new Unclosable(outSink);
    /** Standard error into the notebook. */
    final PrintStream err = new Unclosable(errSink);

    /**
     * A stream of the notebook that a cell cannot close. {@code System.out.close()}, or a writer around
     * {@code System.out} that a try-with-resources closes, would otherwise close it for the rest of the session, and a
     * closed {@link PrintStream} drops what is printed to it without a word: every later cell, and the kernel's own
     * notes on {@code System.err}, would print nothing. Closing it only flushes it.
     */
    private static final class Unclosable extends PrintStream {

        Unclosable(OutputStream sink) {
            super(sink, true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** @param consoleOut where output goes before any cell ran; @param consoleErr the same for errors */
    StreamPump(PrintStream consoleOut, PrintStream consoleErr) {
        this.consoleOut = consoleOut;
        this.consoleErr = consoleErr;
        publisher = new Thread(this::publishLoop, "tpdiff4j-stream-pump");
        publisher.setDaemon(true);
        publisher.start();
    }

    /** @return the kernel's own console (the process's original standard error), for the kernel's log lines */
    PrintStream console() {
        return consoleErr;
    }

    /** @return the request that output goes to now (the running cell, or the last one); null before the first */
    ShellReplyEnvironment target() {
        return target;
    }

    /** Sends later output to the request of {@code env} (the running cell; null: the kernel's console). */
    void attach(ShellReplyEnvironment env) {
        endCell();
        target = env;
    }

    /**
     * Sends everything printed so far, on the calling thread, before it returns; the bytes of a UTF-8 character
     * that is not complete yet wait for the rest.
     */
    void drain() {
        drain(false);
    }

    /**
     * Sends everything printed so far, also the bytes of an unfinished UTF-8 character (shown as U+FFFD): the cell
     * has ended, and what it wrote must not open the next cell's output.
     */
    void endCell() {
        synchronized (publishing) {
            drain(true);
            sendHeld(true);
        }
    }

    /**
     * Sends what was printed so far, then a {@code clear_output} message to the current cell.
     *
     * <p>A {@code clearOutput(true)} less than {@link #UPDATE_MILLIS} after the last one, with nothing sent in
     * between, waits instead, with the text printed since the last one: a loop that clears and prints its progress
     * thousands of times a second then sends a clear and the latest text at that pace (each clear would otherwise be a
     * message, past the Notebook server's limit of 1,000 a second, which then drops output, the last line included).
     * What the front end shows stays as if each clear had gone out: the last text before the latest clear when nothing
     * follows it, else what follows it.
     */
    void clearOutput(boolean wait) {
        synchronized (publishing) {
            if (wait && clearPaced && System.nanoTime() - clearSentAt < UPDATE_MILLIS * 1_000_000) {
                String o = outSink.take(false);
                String e = errSink.take(false);
                if (!o.isEmpty() || !e.isEmpty()) { // printed since the last clear: shown only if nothing follows
                    clearedOut = o;
                    clearedErr = e;
                }
                clearHeld = true;
                wake();
                return;
            }
            drain(false);
            sendHeld(true);
            publishClear(wait);
            clearPaced = wait;
            clearSentAt = System.nanoTime();
            if (wait) {
                wake(); // the publisher sends what comes next once the interval has passed
            }
        }
    }

    private void publishClear(boolean wait) {
        ShellReplyEnvironment env = target;
        if (env != null) {
            keepingInterrupt(() -> env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW));
        }
    }

    /**
     * Sends a clear that waits, as if every clear since the last one sent had gone out: the clear, and when nothing
     * was printed after the latest one, the text printed before it and the latest clear again. Under {@code publishing}.
     */
    private void sendHeldClear() {
        if (!clearHeld) {
            return;
        }
        clearHeld = false;
        boolean more = outSink.size() > 0 || errSink.size() > 0;
        publishClear(true);
        if (!more) {
            publish("stdout", clearedOut);
            publish("stderr", clearedErr);
            publishClear(true);
        }
        clearedOut = "";
        clearedErr = "";
        clearPaced = true;
        clearSentAt = System.nanoTime();
    }

    /**
     * Sends what was printed so far, then {@code content} (a display or its update), to the request that output goes
     * to: the running cell, or between cells the last one, as printed text. A thread a cell started can so show and
     * update figures after the cell ended, in the same place as its printed lines. Before the first cell, and when
     * the IOPub socket is gone, the kernel's console gets {@code plainText} instead.
     */
    <T extends ContentType<T>> void publishInOrder(T content, String plainText) {
        synchronized (publishing) {
            drain(false);
            sendHeld(true); // updates held back go out before what comes after them
            send(content, plainText);
        }
    }

    /**
     * Sends {@code update} of the display {@code displayId} as {@link #publishInOrder} does, unless an update of that
     * display went out less than {@link #UPDATE_MILLIS} ago: then it waits, replacing any earlier one that waits,
     * and goes out once the interval has passed, or before the next display, clear or the cell's end if sooner.
     */
    <T extends ContentType<T>> void publishUpdate(String displayId, T update, String plainText) {
        synchronized (publishing) {
            long now = System.nanoTime();
            forgetSentBefore(now);
            if (updateSent.containsKey(displayId)) {
                held.put(displayId, new Held<>(update, plainText));
                updatesHeld = true;
                wake();
                return;
            }
            held.remove(displayId);
            updatesHeld = !held.isEmpty();
            drain(false);
            send(update, plainText);
            updateSent.put(displayId, now);
        }
    }

    /** Drops the send times older than the interval (the map is in the order of sending). */
    private void forgetSentBefore(long now) {
        var it = updateSent.values().iterator();
        while (it.hasNext() && now - it.next() >= UPDATE_MILLIS * 1_000_000) {
            it.remove();
        }
    }

    /** Sends the held updates whose interval has passed ({@code all}: every one). Under {@code publishing}. */
    private void sendHeld(boolean all) {
        if (held.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        forgetSentBefore(now);
        var it = held.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (all || !updateSent.containsKey(e.getKey())) {
                it.remove();
                drain(false);
                sendHeldOne(e.getValue());
                updateSent.remove(e.getKey());
                updateSent.put(e.getKey(), now);
            }
        }
        updatesHeld = !held.isEmpty();
    }

    private <T extends ContentType<T>> void sendHeldOne(Held<T> h) {
        send(h.content(), h.plainText());
    }

    private <T extends ContentType<T>> void send(T content, String plainText) {
        ShellReplyEnvironment env = target;
        if (env == null) {
            consoleOut.println(plainText);
            return;
        }
        boolean outer = !PUBLISHING.get();
        PUBLISHING.set(true);
        try {
            keepingInterrupt(() -> env.publish(content));
        } catch (RuntimeException e) {
            consoleErr.println("tpdiff4j kernel: could not send " + content.getType().getName() + " (" + e
                    + "); its text was:");
            consoleErr.println(plainText);
        } finally {
            if (outer) {
                PUBLISHING.remove();
            }
        }
    }

    private void drain(boolean all) {
        synchronized (publishing) {
            sendHeldClear();
            String o = outSink.take(all);
            String e = errSink.take(all);
            publish("stdout", o);
            publish("stderr", e);
            if (!o.isEmpty() || !e.isEmpty()) {
                clearPaced = false; // text after the last clear went out: the next clear goes out at once
            }
        }
    }

    /** The publisher's send: as {@link #drain()}, but text after a recent clear waits for the interval to pass. */
    private void drainWhenDue() {
        synchronized (publishing) {
            if (clearPaced && System.nanoTime() - clearSentAt < UPDATE_MILLIS * 1_000_000) {
                return;
            }
            boolean wasHeld = clearHeld;
            drain(false);
            if (!wasHeld) {
                clearPaced = false;
            }
        }
    }

    private void publishLoop() {
        while (!closed) {
            try {
                synchronized (signal) {
                    while (!pending && !closed && !updatesHeld && !clearPaced) {
                        signal.wait();
                    }
                    pending = false;
                }
                Thread.sleep(COALESCE_MILLIS);
                synchronized (publishing) {
                    drainWhenDue();
                    sendHeld(false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                consoleErr.println("tpdiff4j kernel: output could not be sent: " + t);
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            pending = true;
            signal.notifyAll();
        }
    }

    private void publish(String stream, String text) {
        if (text.isEmpty()) {
            return;
        }
        ShellReplyEnvironment env = target;
        if (env == null) {
            (stream.equals("stdout") ? consoleOut : consoleErr).print(text);
            return;
        }
        boolean outer = !PUBLISHING.get();
        PUBLISHING.set(true);
        try {
            keepingInterrupt(() -> {
                if (stream.equals("stdout")) {
                    env.writeToStdOut(text);
                } else {
                    env.writeToStdErr(text);
                }
            });
        } catch (RuntimeException e) {
            // the IOPub socket is gone (the kernel shuts down): the kernel's console gets the text instead
            consoleErr.println("tpdiff4j kernel: could not send " + stream + " (" + e + "); it was:");
            consoleErr.print(text);
        } finally {
            if (outer) {
                PUBLISHING.remove();
            }
        }
    }

    /**
     * Runs one send on the calling thread with its interrupt flag clear, and sets the flag again afterwards. The IOPub
     * socket refuses to send on an interrupted thread ({@link ZMQException} with {@link ZError#EINTR}) and clears the
     * flag as it does: a cell interrupted while it shows or updates a display (a training listener that updates its
     * progress line at every step) would lose the message and the interrupt, and a loop that checks the flag between
     * its steps would run on. An interrupt that arrives during the send is kept the same way, and the send is tried
     * once more with the flag clear.
     */
    static void keepingInterrupt(Runnable send) {
        boolean interrupted = Thread.interrupted();
        try {
            send.run();
        } catch (ZMQException e) {
            if (e.getErrorCode() != ZError.EINTR) {
                throw e;
            }
            interrupted = true;
            Thread.interrupted();
            send.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Set on a thread while it sends output (of any {@code StreamPump}): the sending code must not print into it. */
    private static final ThreadLocal<Boolean> PUBLISHING = ThreadLocal.withInitial(() -> false);

    /**
     * @return whether this thread is sending output now: what it writes to {@code System.err} would come back into
     *         the output it sends (and wait for itself when the buffer is full), so it writes to the console instead
     */
    static boolean publishingOnThisThread() {
        return PUBLISHING.get();
    }

    @Override
    public void close() {
        endCell();
        closed = true;
        wake();
    }

    /** One stream's bounded buffer. */
    private final class Sink extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws InterruptedIOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws InterruptedIOException {
            boolean wasEmpty = buf.size() == 0;
            // the publisher itself never waits (it empties the buffer); anyone else waits while the buffer is full
            while (buf.size() >= LIMIT && !closed && Thread.currentThread() != publisher) {
                wake();
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    // the cell is being interrupted while it floods the output: PrintStream keeps the interrupt
                    // for the cell and this one write is not shown
                    throw new InterruptedIOException("output of an interrupted cell");
                }
            }
            buf.write(b, off, len);
            if (wasEmpty || buf.size() >= LIMIT) {
                wake();
            }
        }

        synchronized int size() {
            return buf.size();
        }

        /** @return the buffered text up to the last complete UTF-8 character (all of it if {@code all}); the rest stays */
        synchronized String take(boolean everything) {
            byte[] all = buf.toByteArray();
            int end = everything ? all.length : completeUtf8(all);
            buf.reset();
            buf.write(all, end, all.length - end);
            notifyAll();
            return new String(all, 0, end, StandardCharsets.UTF_8);
        }
    }

    /** @return the length of the longest prefix of {@code bytes} that ends on a UTF-8 character boundary */
    static int completeUtf8(byte[] bytes) {
        int n = bytes.length;
        int i = n - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--; // continuation bytes
            back++;
        }
        if (i < 0) {
            return n;
        }
        int lead = bytes[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return n - i >= need ? n : i;
    }
}
