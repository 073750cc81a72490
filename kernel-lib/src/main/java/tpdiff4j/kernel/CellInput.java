package tpdiff4j.kernel;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.reply.InputReply;
import org.dflib.jjava.jupyter.messages.request.InputRequest;
import org.zeromq.ZMQ;

/**
 * {@code System.in} of the cells: reading it asks the front end for a line ({@code input_request}), as Python's
 * {@code input()} does in IPython, and the answer is read as that line and a line separator.
 *
 * <p>Only one thread, {@code tpdiff4j-stdin}, ever touches the stdin socket; a reading cell waits for its answer on a
 * future. Interrupting the cell therefore ends the wait ({@link InterruptedIOException}) without touching the
 * socket: a cell thread interrupted inside ZeroMQ's own wait closes the socket's channels for good, and every later
 * input request of the session failed. Before each request the relay discards answers that came too late for an
 * earlier one (an interrupted cell's input box answered after all).
 *
 * <p>A front end that sends a cell with {@code allow_stdin} false (nbconvert, papermill) cannot answer: reading then
 * fails with a sentence that says so, instead of an end of input that looks like an empty answer.
 *
 * <p>A front end answers input only for a cell that runs. A thread a cell started that reads {@code System.in} while
 * no cell runs, or that still waits for a line when its cell ends ({@link #end}), fails with a sentence that says so,
 * instead of an end of input or a wait that never ends (and that would hold {@code System.in} from every later cell).
 * While a later cell runs, such a thread's read asks under that cell, as its printed lines appear there.
 */
final class CellInput extends InputStream {

    /** How long the relay sleeps between two looks at the socket while it waits for an answer. */
    static final long POLL_MILLIS = 20;

    private final Runnable beforeAsk;
    private final PrintStream log;
    private final BlockingQueue<Ask> asks = new LinkedBlockingQueue<>();
    private volatile StdinChannel socket;
    private volatile Thread relay;
    private volatile Asker asker;
    private volatile MessageContext parent;
    private volatile boolean allowed;
    private volatile boolean closed;
    private volatile boolean anyCellRan;
    /** The question the reading thread waits for, with the request it was asked under; null when none waits. */
    private volatile Pending pending;
    /** A thread whose wait for a line was interrupted since the last {@link #begin}; null when none. */
    private volatile Thread interruptedReader;
    private byte[] line = new byte[0];
    private int pos;

    /** Asks the front end of the request {@code parent} for one line. */
    @FunctionalInterface
    interface Asker {
        /**
         * @return the line the user typed, without a line separator, once it is there; cancelling it withdraws the
         *         question (the reading thread was interrupted, or the cell ended)
         */
        CompletableFuture<String> ask(MessageContext parent);
    }

    /** One line asked of the front end. */
    private record Ask(MessageContext parent, CompletableFuture<String> answer) {
    }

    /** The line a thread waits for, asked under the request {@code parent}. */
    private record Pending(MessageContext parent, CompletableFuture<String> answer) {
    }

    /** Ends the wait of a thread whose cell ended before the front end answered. */
    private static final class CellEnded extends RuntimeException {
        CellEnded() {
            super(null, null, false, false);
        }
    }

    /**
     * @param beforeAsk runs on the reading thread before each request (sends what the cell printed, the prompt)
     * @param log       the kernel's console, for answers that cannot be read
     */
    CellInput(Runnable beforeAsk, PrintStream log) {
        this.beforeAsk = beforeAsk;
        this.log = log;
    }

    /** Serves input requests on the stdin socket of {@code connection}. */
    void connect(JupyterConnection connection) {
        try {
            Field f = JupyterConnection.class.getDeclaredField("stdin");
            f.setAccessible(true);
            socket = (StdinChannel) f.get(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.println("tpdiff4j kernel: cannot reach the stdin socket (" + e + "); System.in of a cell is empty");
            return;
        }
        Thread t = new Thread(this::relayLoop, "tpdiff4j-stdin");
        t.setDaemon(true);
        relay = t;
        t.start();
        answerWith(this::relayAsk);
    }

    /** Reads of System.in ask {@code a} (the stdin socket's relay; a stand-in in tests). */
    void answerWith(Asker a) {
        asker = a;
    }

    /** Later reads ask the front end of the request {@code context}, if {@code allowStdin}. */
    void begin(MessageContext context, boolean allowStdin) {
        allowed = allowStdin;
        parent = context;
        anyCellRan = true;
        interruptedReader = null;
    }

    /**
     * @return whether {@code t} was interrupted while it waited for a line since the request began (the flag is
     *         cleared, so that it is told once)
     */
    boolean takeInterruptedRead(Thread t) {
        if (interruptedReader != t) {
            return false;
        }
        interruptedReader = null;
        return true;
    }

    /**
     * The request {@code context} has ended: later reads fail until the next {@link #begin}, and a thread that still
     * waits for a line asked under it stops waiting, with a sentence that says why.
     */
    void end(MessageContext context) {
        if (parent == context) {
            parent = null;
        }
        Pending p = pending;
        if (p != null && p.parent() == context) {
            p.answer().completeExceptionally(new CellEnded());
        }
    }

    @Override
    public synchronized int read() throws InterruptedIOException {
        if (!fill()) {
            return -1;
        }
        return line[pos++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws InterruptedIOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - pos;
    }

    /** @return false at the end of input (no front end); else the buffer holds at least one byte */
    private boolean fill() throws InterruptedIOException {
        if (pos < line.length) {
            return true;
        }
        MessageContext context = parent;
        Asker a = asker;
        if (context == null && anyCellRan && !closed) {
            throw new IllegalStateException(Thread.currentThread().getName().equals("tpdiff4j-cell")
                    ? "System.in was read while no cell runs: the front end answers input only for a running cell"
                    : "thread \"" + Thread.currentThread().getName() + "\" read System.in while no cell runs: the "
                    + "front end answers input only for a running cell; read the input in the cell and hand it to "
                    + "the thread, or have the cell wait for the thread (join, Future.get)");
        }
        if (context == null || a == null || closed) {
            return false;
        }
        if (!allowed) {
            throw new UnsupportedOperationException("the cell reads System.in, but this front end does not take "
                    + "input: it sent the cell with allow_stdin = false (nbconvert and papermill do); run it in "
                    + "the Notebook, JupyterLab or jupyter console, or give the values in the code");
        }
        beforeAsk.run();
        CompletableFuture<String> answer = a.ask(context);
        pending = new Pending(context, answer);
        String value;
        try {
            if (parent != context) { // the cell ended while the question went out
                answer.completeExceptionally(new CellEnded());
            }
            value = answer.get();
        } catch (InterruptedException e) {
            answer.cancel(false);
            interruptedReader = Thread.currentThread();
            Thread.currentThread().interrupt(); // the interrupt stays the cell's
            throw new InterruptedIOException("interrupted while waiting for input");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CellEnded) {
                throw new IllegalStateException("thread \"" + Thread.currentThread().getName() + "\" waited for a "
                        + "line of System.in when the cell it was asked under ended; the front end answers input "
                        + "only for a running cell: have the cell wait for the thread (join, Future.get), or read the "
                        + "input in the cell and hand it to the thread");
            }
            throw new IllegalStateException("the front end's answer could not be read: " + e.getCause(),
                    e.getCause());
        } finally {
            pending = null;
        }
        line = (value + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    @Override
    public void close() {
        // System.in of the kernel is never closed by a cell; the relay ends with the kernel (stop())
    }

    /** Ends the relay: the kernel shuts down. */
    void stop() {
        closed = true;
        Thread t = relay;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Hands the question to the relay thread; completing or cancelling its answer withdraws it. */
    private CompletableFuture<String> relayAsk(MessageContext context) {
        Ask ask = new Ask(context, new CompletableFuture<>());
        asks.add(ask);
        return ask.answer();
    }

    private void relayLoop() {
        while (!closed) {
            Ask ask;
            try {
                ask = asks.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (!ask.answer().isDone()) {
                    exchange(ask);
                }
            } catch (InterruptedException e) {
                ask.answer().cancel(false);
                return;
            } catch (RuntimeException e) {
                ask.answer().completeExceptionally(e);
            }
        }
    }

    /** Sends one input request and waits for its answer, or until the asking cell gives up (interrupted). */
    private void exchange(Ask ask) throws InterruptedException {
        StdinChannel s = socket;
        while (readable(s)) {
            Message<?> stale = s.readMessage();
            log.println("tpdiff4j kernel: dropped a late answer to an earlier input request: "
                    + (stale == null ? null : stale.getHeader().getType().getName()));
        }
        s.sendMessage(new Message<>(ask.parent(), InputRequest.MESSAGE_TYPE, new InputRequest("", false)));
        while (!ask.answer().isDone()) {
            if (!readable(s)) {
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            Message<?> m;
            try {
                m = s.readMessage();
            } catch (RuntimeException e) {
                log.println("tpdiff4j kernel: dropped an unreadable message on the stdin socket: " + e);
                continue;
            }
            if (m != null && m.getContent() instanceof InputReply reply) {
                ask.answer().complete(reply.getValue() == null ? "" : reply.getValue());
            } else {
                log.println("tpdiff4j kernel: ignored a message on the stdin socket that is not an input reply: "
                        + (m == null ? null : m.getHeader().getType().getName()));
            }
        }
    }

    private static boolean readable(StdinChannel s) {
        return (s.getEvents() & ZMQ.Poller.POLLIN) != 0;
    }
}
