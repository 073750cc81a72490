package tpdiff4j.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.CommInfoReply;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import tpdiff4j.ode.ProgressStreams;

/**
 * The tpdiff4j Jupyter kernel: Java cells on JShell, run in this JVM on one thread, with tpdiff4j preloaded.
 *
 * <p>jjava-jupyter's {@link BaseKernel} speaks the wire protocol (ZeroMQ sockets, signing, status messages, stream
 * capture); this class supplies the language: {@link #evalRaw} (a cell, with {@link Magics}), {@link #complete},
 * {@link #isComplete}, {@link #inspect}, {@link #interrupt} and readable errors ({@link ErrorReport}). Every JShell
 * call runs on the {@link CellThread}.
 */
public final class TpdiffKernel extends BaseKernel {

    /** Kernel version reported in {@code kernel_info}. */
    public static final String VERSION = "0.1.0";
    private static final long STOP_AFTER_MILLIS = 3000;
    /** Characters of a cell's shown value kept in the history. */
    static final int HISTORY_TEXT = 2000;

    private final CellThread cells = new CellThread(STOP_AFTER_MILLIS);
    private final StreamPump streams = new StreamPump(System.out, System.err);
    /** System.in of the cells: what the cell printed (its prompt) goes out before the front end is asked. */
    private final CellInput input = new CellInput(() -> {
        System.out.flush();
        System.err.flush();
        streams.drain();
    }, streams.console());
    private final CellHistory history;
    /** The ids display(...) returned in the running cell: a last line {@code display(x)} shows no id as its value. */
    private final DisplayIds displayIds = new DisplayIds();
    private final RepeatedInspect repeatedInspect = new RepeatedInspect();
    private final Future<CellEvaluator> warmUp;
    private final IdleWarmUp idleWarmUp;
    private volatile CellEvaluator evaluator;
    /** How many execute requests the kernel has taken; the number of the one it handles now, 0 while idle. */
    private final java.util.concurrent.atomic.AtomicLong requestsTaken = new java.util.concurrent.atomic.AtomicLong();
    private volatile long runningRequest;
    /** The number of the last request an interrupt arrived for (an interrupt while idle stops nothing later). */
    private volatile long interruptedRequest;
    /** False while a request that asked for {@code store_history} false (or {@code silent}) runs. */
    private volatile boolean storeHistory = true;
    /** The Help menu's entries: the method's paper and the API of the Java release the kernel runs on. */
    static final List<HelpLink> HELP_LINKS = List.of(
            new HelpLink("TPDiff paper (arXiv 2503.09566)", "https://arxiv.org/abs/2503.09566"),
            new HelpLink("Java SE " + Runtime.version().feature() + " API",
                    "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"));
    /** The engine's start and the compute knobs; a knob that cannot be honoured is shown once on a cell. */
    private final ComputeStartup startup;
    private Magics magics; // the session's magics (repositories, added jars); used on the cell thread only

    /** Creates the kernel and starts JShell (with the preloaded imports) on the cell thread in the background. */
    public TpdiffKernel() {
        this(new CellHistory());
    }

    private TpdiffKernel(CellHistory history) {
        super("tpdiff4j", VERSION, languageInfo(), HELP_LINKS, history, new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(), new Renderer(), new MagicParser("%", "%%", new MagicTranspiler()),
                new MagicsRegistry(), false, new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG).addHighlightStyle(TextColor.BOLD_RESET_FG)
                        .build());
        this.history = history;
        // a notebook shows "\r" as a rewrite of the line: progress in cells stays one line (elsewhere whole lines)
        ProgressStreams.declareInPlace(streams.out);
        ProgressStreams.declareInPlace(streams.err);
        // the engine loads on a thread of its own once JShell is ready; the cell thread adopts it when free, or
        // when a snippet needs it, whichever comes first
        this.startup = ComputeStartup.prepare(streams.console(), () -> cells.submit(() -> {
            adoptEngine();
            return null;
        }));
        this.warmUp = cells.submit(() -> {
            CellEvaluator ev;
            try {
                ev = startJShell();
                ev.engine().beforeComputeCode(() -> {
                    adoptEngine();
                    String note = startup.takeNote();
                    if (note != null) {
                        System.err.println(note); // inside the cell that needed the engine
                    }
                });
                ev.interruptAsked(this::interruptRequested);
                evaluator = ev;
            } finally {
                startup.start();
            }
            return ev;
        });
        this.idleWarmUp = new IdleWarmUp(cells, streams.console());
        int slices = IdleWarmUp.DEFAULT_SLICES;
        try {
            slices = IdleWarmUp.slicesSetting();
        } catch (IllegalArgumentException e) {
            streams.console().println("tpdiff4j kernel: " + e.getMessage() + "; using " + slices);
        }
        idleWarmUp.start(warmUp, slices);
        Notebook.attach(this);
    }

    /** On the cell thread: applies the compute knobs there once the engine has loaded (see {@link ComputeStartup}). */
    private void adoptEngine() {
        startup.adoptCellThread();
        CellEvaluator ev = evaluator;
        if (startup.adopted() && ev != null) {
            ev.engine().beforeComputeCode(null);
        }
    }

    /** @return JShell with the preloaded imports, after a first expression (the first real cell is then fast) */
    private static CellEvaluator startJShell() throws Exception {
        CellEvaluator ev = CellEvaluator.withPreload();
        ev.run("1 + 1");
        return ev;
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java").version(System.getProperty("java.version"))
                .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java")
                .codemirror("text/x-java").build();
    }

    @Override
    public String getBanner() {
        return "tpdiff4j " + VERSION + " on Java " + System.getProperty("java.version")
                + " (JShell, in-process, one cell thread)";
    }

    /** Throws {@code t} unchanged although the overridden methods declare no checked exception. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }

    private <T> T onCellThread(java.util.concurrent.Callable<T> task) {
        idleWarmUp.touch();
        try {
            return cells.call(task);
        } catch (Exception e) {
            throw rethrow(e);
        } finally {
            idleWarmUp.touch();
        }
    }

    private CellEvaluator evaluator() {
        idleWarmUp.touch(); // a request is here: no idle warm-up slice starts while it runs
        CellEvaluator ev = evaluator;
        if (ev != null) {
            return ev;
        }
        try {
            ev = warmUp.get();
            idleWarmUp.touch(); // waited for the start: still a request in flight
            return ev;
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell did not start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JShell starts", e);
        }
    }

    @Override
    public Object evalRaw(String code) {
        int number = executionCount.get() - 1;
        displayIds.cellStarts();
        try {
            CellEvaluator ev = evaluator();
            String note = startup.takeNote();
            if (note != null) {
                System.err.println(note);
            }
            DisplayData shown = onCellThread(() -> {
                if (interruptRequested()) { // asked for while the cell waited for JShell's start or the cell thread
                    throw new CellInterrupted("the cell was interrupted before it started; none of it ran", null);
                }
                magics = magics == null ? new Magics(ev) : magics;
                Object v;
                try {
                    v = displayIds.shown(magics.run(code), ev.valueSource());
                } catch (Exception e) {
                    // a Scanner turns the interrupted read into NoSuchElementException, a reader into
                    // InterruptedIOException: say in one sentence what happened, and what a Scanner needs now
                    if (interruptRequested() && (!(e instanceof CellInterrupted) || e.getCause() != null)
                            && input.takeInterruptedRead(Thread.currentThread())) {
                        throw CellInterrupted.waitingForInput(e, ev.afterInterruptedRead(e));
                    }
                    throw e;
                }
                return v == null ? null : MimeBundles.ofCellValue(v);
            });
            if (storeHistory) {
                history.add(number, code, shown == null ? null : historyText(String.valueOf(
                        shown.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN))));
            }
            return shown;
        } catch (Exception e) {
            if (storeHistory) {
                history.add(number, code, ErrorReport.headline(e));
            }
            Object partial = e instanceof CellInterrupted stopped && stopped.value() != null
                    ? displayIds.shown(stopped.value(), evaluator == null ? null : evaluator.valueSource()) : null;
            if (partial != null) {
                display(MimeBundles.ofCellValue(partial)); // the partial result, above the error
            }
            if (interruptRequested() && !(e instanceof CellInterrupted)) {
                throw rethrow(new CellInterrupted("the cell was interrupted"
                        + (e instanceof java.util.concurrent.CancellationException ? ": " + e.getMessage() : ""), e));
            }
            throw rethrow(e);
        } catch (Error e) {
            if (storeHistory) {
                history.add(number, code, ErrorReport.headline(e));
            }
            throw rethrow(new CellError(e, null));
        } finally {
            displayIds.cellEnded();
            System.out.flush();
            System.err.flush();
            streams.endCell(); // every byte the cell printed goes out before its result and reply
            idleWarmUp.arm(); // idle time after the first cell may warm the JIT up
        }
    }

    /**
     * Points {@code System.out} and {@code System.err} at the notebook for this cell and every later moment: output
     * of threads a cell started reaches the notebook (under the last cell) instead of the kernel's console. While
     * the cell runs, {@code System.in} asks the front end for lines ({@link CellInput}); between cells, reading it
     * fails with a sentence (a thread a cell started would otherwise read the process's empty standard input).
     */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        streams.attach(env);
        System.setOut(streams.out);
        System.setErr(streams.err);
        System.setIn(input);
    }

    /**
     * Notes whether the front end answers input requests of this cell ({@code allow_stdin}), then runs it. A
     * request with {@code store_history} false or {@code silent} true (tools that poll the session, not the user's
     * cells) runs as in IPython: the execution count stays, nothing enters the history, and a silent one sends no
     * {@code execute_input} and no {@code execute_result} (what it prints, displays and its errors still go out).
     */
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        ExecuteRequest request = message.getContent();
        // numbered before the busy status goes out: an interrupt that arrives once the front end can see this
        // request running is meant for it, even while it still waits for JShell's start
        runningRequest = requestsTaken.incrementAndGet();
        input.begin(env.getContext(), request.isStdinEnabled());
        try {
            execute(env, message, request);
        } finally {
            runningRequest = 0;
            input.end(env.getContext()); // the front end answers no input for this request any more
        }
    }

    /** @return whether an interrupt arrived while the execute request now handled was running */
    private boolean interruptRequested() {
        long running = runningRequest;
        return running != 0 && interruptedRequest == running;
    }

    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> message, ExecuteRequest request) {
        long started = System.nanoTime();
        noteLag(message, started);
        if (abortedAsQueued(env, message)) {
            return;
        }
        String exitWord = request.isSilent() ? null : exitWord(request.getCode());
        if (exitWord != null && !declares(exitWord)) {
            askExit(env, message, request);
            return;
        }
        boolean store = !request.isSilent() && request.shouldStoreHistory();
        commManager.setMessageContext(message);
        // a stored cell takes the next number; another repeats the last stored cell's number
        int count = store ? executionCount.getAndIncrement() : executionCount.get() - 1;
        env.setBusyDeferIdle();
        if (!request.isSilent()) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        ShellReplyEnvironment shown = streams.target(); // where threads that cells started print now
        replaceOutputStreams(env);
        ioEnv("setEnv", env);
        env.defer(() -> ioEnv("retractEnv", env));
        storeHistory = store;
        try {
            DisplayData out = eval(request.getCode());
            if (out != null && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, out));
            }
            java.util.Map<String, String> asked = request.getUserExpr();
            if (asked == null || asked.isEmpty()) {
                env.defer().reply(new ExecuteReply(count, java.util.Map.of()));
            } else {
                env.defer().reply(new OkReplies.Executed(count, userExpressions(asked)));
            }
        } catch (Exception e) {
            // the reply carries what the error output shows: nbconvert's CellExecutionError and other clients read
            // the reply's name, message and traceback, and a cell's class is named as the cell wrote it
            List<String> traceback = formatError(e);
            ErrorReply error = new ErrorReply(ErrorReport.name(e), ErrorReport.value(e), traceback);
            error.setExecutionCount(count);
            env.publish(new PublishError(ErrorReport.name(e), ErrorReport.value(e), traceback));
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
            Long sent = sent(message);
            if (!request.isSilent() && request.shouldStopOnError() && sent != null) {
                // the requests sent before this one failed wait behind it: their front end meant them to follow it
                long failed = System.nanoTime();
                abortSentUpTo = sent + (failed - started) / 1_000;
                abortFailedAt = failed;
                abortSession = session(message);
            }
        } finally {
            storeHistory = true;
            if (request.isSilent()) {
                // no front end shows a silent request's output (a variable view polls with them): what threads
                // print and display after it goes under the cell it went to before, not into that void
                streams.attach(shown);
            }
        }
    }

    /**
     * The values of a request's {@code user_expressions}, evaluated after its cell ran without error, as the reply's
     * {@code user_expressions}: per name a mime bundle of the value, or the name, message and traceback of that
     * expression's own failure (the others still count). Front ends that poll values send them, often with a silent
     * request; they are no cells: they take no number, enter no history and publish no error output.
     */
    private com.google.gson.JsonObject userExpressions(java.util.Map<String, String> asked) {
        CellEvaluator ev = evaluator();
        com.google.gson.Gson gson = new com.google.gson.Gson();
        com.google.gson.JsonObject values = new com.google.gson.JsonObject();
        for (java.util.Map.Entry<String, String> e : asked.entrySet()) {
            com.google.gson.JsonObject value = new com.google.gson.JsonObject();
            try {
                Object v = onCellThread(() -> ev.warmUp(e.getValue())); // not a cell: its stop stays the last one's
                DisplayData d = v == null ? new DisplayData("null") : MimeBundles.ofCellValue(v);
                com.google.gson.JsonObject bundle = gson.toJsonTree(d).getAsJsonObject(); // data, metadata
                value.addProperty("status", "ok");
                value.add("data", bundle.get("data"));
                value.add("metadata", bundle.has("metadata") ? bundle.get("metadata")
                        : new com.google.gson.JsonObject());
            } catch (Exception x) { // the code's Errors come as CellError (OutOfMemoryError, StackOverflowError)
                value.addProperty("status", "error");
                value.addProperty("ename", ErrorReport.name(x));
                value.addProperty("evalue", ErrorReport.value(x));
                value.add("traceback", gson.toJsonTree(formatError(x)));
            }
            values.add(e.getKey(), value);
        }
        return values;
    }

    /**
     * After a cell failed with {@code stop_on_error} (a front end's default; Run All relies on it), the time, in the
     * front end's clock (µs), before which a request was sent while that cell ran; null when none failed so. The
     * bound is the failed request's sending time plus the time it ran here: a request sent after the front end saw
     * the error is later than that whatever the two clocks say, so it never counts as queued. It misses the time the
     * failed request waited behind an earlier cell; {@link #abortFailedAt} and {@link #leastLag} cover that.
     */
    private Long abortSentUpTo;
    /** When the cell of {@link #abortSentUpTo} failed, in {@link System#nanoTime()}. */
    private long abortFailedAt;
    /** The front end session that sent the cell of {@link #abortSentUpTo}. */
    private String abortSession;
    /**
     * Per front end session, the least difference seen between the time the kernel took up one of its requests
     * ({@link System#nanoTime()}, in µs) and the time the front end says it sent it (µs of its clock): the offset
     * between the two clocks plus the least transit and waiting time. The kernel's time of a failure less this is
     * then never later than the failure in that front end's clock, which makes a bound for requests that waited while
     * the failed cell itself waited behind another: cells queued during a long training before the one that failed.
     */
    private final java.util.Map<String, Long> leastLag = new java.util.concurrent.ConcurrentHashMap<>();

    private void noteLag(Message<?> message, long takenUp) {
        Long sent = sent(message);
        if (sent != null) {
            leastLag.merge(session(message), takenUp / 1_000 - sent, Math::min);
        }
    }

    private static String session(Message<?> message) {
        String s = message.getHeader() == null ? null : message.getHeader().getSessionId();
        return s == null ? "" : s;
    }

    /**
     * Answers "aborted" to a request that was sent while a cell before it failed with {@code stop_on_error}, as
     * IPython does: it runs nothing, takes no number and shows nothing. The first request sent later ends that.
     *
     * @return whether {@code message} was answered so
     */
    private boolean abortedAsQueued(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        Long upTo = abortSentUpTo;
        if (upTo == null) {
            return false;
        }
        Long sent = sent(message);
        String session = session(message);
        long bound = session.equals(abortSession) ? upTo : Long.MIN_VALUE; // sending times of one clock
        Long lag = leastLag.get(session); // known: noted before this is asked
        if (lag != null) {
            bound = Math.max(bound, abortFailedAt / 1_000 - lag);
        }
        if (sent == null || sent >= bound) {
            abortSentUpTo = null;
            return false;
        }
        env.setBusyDeferIdle();
        env.defer().reply(new OkReplies.Aborted());
        return true;
    }

    /**
     * @return when the front end sent {@code message}, in µs of its clock: its header's ISO 8601 date with an offset
     *         ({@code 2026-12-03T18:38:38.685118Z}, which jjava-jupyter cannot read); null when it has none or one
     *         without an offset (the request then runs, aborted never)
     */
    static Long sent(Message<?> message) {
        org.dflib.jjava.jupyter.messages.KernelTimestamp t = message.getHeader() == null ? null
                : message.getHeader().getTimestamp();
        return t == null ? null : sentMicros(t.getDateString());
    }

    /** @return the µs since the epoch of an ISO 8601 date with an offset; null for anything else */
    static Long sentMicros(String date) {
        if (date == null) {
            return null;
        }
        try {
            java.time.Instant at = java.time.OffsetDateTime.parse(date).toInstant();
            return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** @return whether the session declares a variable or method {@code name} (asked on the cell thread) */
    private boolean declares(String name) {
        CellEvaluator ev = evaluator(); // waits for JShell's start, which runs on the cell thread
        return onCellThread(() -> ev.declares(name));
    }

    /** What {@link #askExit} prints under the cell: the Notebook and JupyterLab ignore the request. */
    static final String EXIT_NOTE = "exit: asked the front end to end this session (jupyter console leaves and shuts"
            + " the kernel down; the Notebook and JupyterLab ignore it: use Kernel > Shut Down there)\n";

    /**
     * @return the name to look up in the session when {@code code} is only a request to leave, as in IPython and
     *         JShell: {@code exit}, {@code quit}, {@code exit()}, {@code quit()} (each with or without a {@code ;}) or
     *         JShell's {@code /exit}; null for any other code. A variable or method of that name (see {@link
     *         CellEvaluator#declares}) makes the cell Java again.
     */
    static String exitWord(String code) {
        String c = code.strip();
        if (c.endsWith(";")) {
            c = c.substring(0, c.length() - 1).stripTrailing();
        }
        if (c.endsWith("()")) {
            c = c.substring(0, c.length() - 2).stripTrailing();
        }
        return switch (c) {
            case "exit", "quit" -> c;
            case "/exit" -> code.strip().equals("/exit") ? "/exit" : null;
            default -> null;
        };
    }

    /**
     * Answers a cell that asks to leave ({@link #exitWord}) the way IPython does: an ok reply whose payload asks the
     * front end to exit ({@link OkReplies.AskExit}), and a line under the cell that says so, since a notebook ignores
     * the payload. The cell counts and enters the history as any other; no Java runs.
     */
    private void askExit(ShellReplyEnvironment env, Message<ExecuteRequest> message, ExecuteRequest request) {
        commManager.setMessageContext(message);
        boolean store = request.shouldStoreHistory();
        int count = store ? executionCount.getAndIncrement() : executionCount.get() - 1;
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        System.out.flush();
        System.err.flush();
        streams.drain(); // what threads printed before goes out first
        env.publish(new PublishStream(PublishStream.StreamType.OUT, EXIT_NOTE));
        if (store) {
            history.add(count, request.getCode(), null);
        }
        env.defer().reply(new OkReplies.AskExit(count));
    }

    /** Points {@code display(...)} at {@code env} or away from it (jjava keeps these two methods protected). */
    private void ioEnv(String method, ShellReplyEnvironment env) {
        try {
            java.lang.reflect.Method m = JupyterIO.class.getDeclaredMethod(method, ShellReplyEnvironment.class);
            m.setAccessible(true);
            m.invoke(io, env);
        } catch (ReflectiveOperationException | RuntimeException e) {
            streams.console().println("tpdiff4j kernel: " + method + " of the display stream failed: " + e);
        }
    }

    /**
     * Shows {@code data} after everything printed before it (printed text waits a few ms to coalesce), where printed
     * text goes: under the running cell, or between cells under the last one, so that a thread a cell started still
     * shows its figures after the cell ended (jjava's display stream drops them once the cell's request is over).
     */
    @Override
    public void display(DisplayData data) {
        System.out.flush();
        System.err.flush();
        streams.publishInOrder(new PublishDisplayData(data), plainText(data));
    }

    /** {@code display(...)} returned {@code id}: while a cell runs, it is not shown as that cell's value. */
    void displayed(String id) {
        displayIds.returned(id);
    }

    /** @return whether {@code display(...)} returned {@code id} in this kernel session */
    boolean knowsDisplay(String id) {
        return displayIds.known(id);
    }

    /** Replaces the output shown under {@code displayId} by {@code data}, from a cell or from any thread a cell started. */
    void updateDisplay(String displayId, DisplayData data) {
        data.setDisplayId(displayId);
        System.out.flush();
        System.err.flush();
        streams.publishUpdate(displayId, new PublishUpdateDisplayData(data), plainText(data));
    }

    private static String plainText(DisplayData data) {
        return String.valueOf(data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }

    /** Sends what was printed so far, then clears the current cell's output (at once, or before the next one). */
    void clearOutput(boolean wait) {
        System.out.flush();
        System.err.flush();
        streams.clearOutput(wait);
    }

    /** Serves {@code connection}, with every request handler guarded ({@link RequestGuard}). */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
        input.connect(connection);
        RequestGuard.wrapHandlers(connection, streams.console());
    }

    /** @return where the kernel's own log lines go (the process's standard error, not a cell) */
    PrintStream console() {
        return streams.console();
    }

    /** @return at most {@link #HISTORY_TEXT} characters of a cell's shown text: history holds every cell for good */
    private static String historyText(String text) {
        return text.length() <= HISTORY_TEXT ? text
                : text.substring(0, HISTORY_TEXT) + "... (" + (text.length() - HISTORY_TEXT) + " more characters)";
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new OkReplies.KernelInfo(name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer().reply(new OkReplies.Shutdown(restart));
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new OkReplies.Interrupt());
        interrupt();
    }

    /** {@code comm_info_request}: the open comms, of one target when the request names it. */
    private void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        String target = message.getContent().getTargetName();
        env.setBusyDeferIdle();
        java.util.Map<String, CommInfoReply.CommInfo> comms = new java.util.LinkedHashMap<>();
        for (Comm c : commManager) {
            if (target == null || target.isEmpty() || target.equals(c.getTargetName())) {
                comms.put(c.getID(), new CommInfoReply.CommInfo(c.getTargetName()));
            }
        }
        env.reply(new OkReplies.CommInfo(comms));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest req = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (req.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries;
        if (req instanceof HistoryRequest.Tail) {
            entries = history.lookupTail(((HistoryRequest.Tail) req).getMaxReturnLength(), flags);
        } else if (req instanceof HistoryRequest.Range) {
            HistoryRequest.Range r = (HistoryRequest.Range) req;
            entries = history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
        } else if (req instanceof HistoryRequest.Search) {
            HistoryRequest.Search s = (HistoryRequest.Search) req;
            if (s.filterUnique()) {
                flags.add(HistoryManager.ResultFlag.UNIQUE);
            }
            entries = history.search(s.getPattern(), s.getMaxReturnLength(), flags);
        } else {
            entries = List.of();
        }
        env.reply(new OkReplies.History(entries));
    }

    @Override
    public List<String> formatError(Throwable t) {
        CellEvaluator ev = evaluator;
        return ev == null ? ErrorReport.traceback(t) : ErrorReport.traceback(t, ev.stopOf(t).orElse(null), ev::declaredLine);
    }

    /** Completion; Jupyter counts the cursor and the replaced range in code points, JShell in UTF-16 units. */
    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEvaluator ev = evaluator();
        String masked = maskMagics(code);
        int cursor = utf16(code, at);
        int[] anchor = new int[1];
        List<String> options = Magics.completeName(code, cursor, anchor);
        if (options != null) {
            return options.isEmpty() ? null : new ReplacementOptions(options, code.codePointCount(0, anchor[0]),
                    code.codePointCount(0, cursor));
        }
        try {
            options = onCellThread(() -> ev.complete(masked, cursor, anchor));
        } catch (StackOverflowError e) {
            return null; // code nested too deeply for JShell's analysis: no completions
        }
        return options.isEmpty() ? null : new ReplacementOptions(options,
                code.codePointCount(0, anchor[0]), code.codePointCount(0, cursor));
    }

    /** @return the UTF-16 index of code point {@code at} of {@code code}, clamped to the code */
    static int utf16(String code, int at) {
        int points = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.max(0, Math.min(at, points)));
    }

    /**
     * How long {@code is_complete} waits for JShell's start before it answers from the brackets alone: jupyter console
     * waits 1 s for the reply and, when none came, stops asking the kernel for the rest of the session (every cell
     * then needs an extra empty line), and input typed ahead while the console starts is asked about at once.
     */
    static final long START_WAIT_MILLIS = 300;

    /** Whether Enter in a console runs {@code code} or continues it ({@link #completeness}). */
    @Override
    public String isComplete(String code) {
        idleWarmUp.touch(); // a request is here: no idle warm-up slice starts while it runs
        return completeness(code, warmUp, START_WAIT_MILLIS,
                ev -> onCellThread(() -> ev.completeness(maskMagics(code))));
    }

    /**
     * @param code    the input so far
     * @param started JShell's start
     * @param wait    milliseconds to wait for {@code started}
     * @param jshell  JShell's verdict on the code ("complete", "invalid", or else incomplete)
     * @return {@code is_complete}'s answer: a cell magic ({@code %%time}, {@code %%html}, ...) takes every line up to
     *         an empty one, as in IPython, since its body need not be Java; Java is judged by JShell, or, while JShell
     *         has not started within {@code wait}, by its brackets, comments and literals ({@link #bracketVerdict})
     */
    static String completeness(String code, Future<CellEvaluator> started, long wait,
            java.util.function.Function<CellEvaluator, String> jshell) {
        if (code.strip().startsWith("%%")) {
            String[] lines = code.split("\n", -1);
            return lines.length > 1 && lines[lines.length - 1].isBlank() ? IS_COMPLETE_YES : "";
        }
        CellEvaluator ev;
        try {
            ev = started.get(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return bracketVerdict(maskMagics(code));
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell did not start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return IS_COMPLETE_MAYBE;
        }
        String verdict;
        try {
            verdict = jshell.apply(ev);
        } catch (StackOverflowError e) {
            return IS_COMPLETE_MAYBE; // nested too deeply for JShell's analysis
        }
        switch (verdict) {
            case "complete":
                return IS_COMPLETE_YES;
            case "invalid":
                return IS_COMPLETE_BAD;
            default:
                return indentAfter(code);
        }
    }

    /**
     * @return {@code is_complete}'s answer from the text alone: incomplete (the indent) inside an open bracket, block
     *         comment or text block; invalid for a string or char literal that a line ends inside, or a closing
     *         bracket with none open; else unknown (a front end then runs the input)
     */
    static String bracketVerdict(String code) {
        int depth = 0;
        int n = code.length();
        int i = 0;
        while (i < n) {
            char c = code.charAt(i);
            if (code.startsWith("//", i)) {
                int end = code.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                if (end < 0) {
                    return indentAfter(code);
                }
                i = end + 2;
            } else if (code.startsWith("\"\"\"", i)) {
                int j = i + 3;
                while (j < n && !code.startsWith("\"\"\"", j)) {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= n) {
                    return indentAfter(code);
                }
                i = j + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && code.charAt(j) != c && code.charAt(j) != '\n') {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= n || code.charAt(j) != c) {
                    return IS_COMPLETE_BAD;
                }
                i = j + 1;
            } else {
                if ("({[".indexOf(c) >= 0) {
                    depth++;
                } else if (")}]".indexOf(c) >= 0 && --depth < 0) {
                    return IS_COMPLETE_BAD;
                }
                i++;
            }
        }
        return depth > 0 ? indentAfter(code) : IS_COMPLETE_MAYBE;
    }

    /**
     * @return the indent of the next line of unfinished {@code code}, as IPython gives it: that of the last line
     *         that is not blank, four spaces more after an opening brace
     */
    static String indentAfter(String code) {
        String[] lines = code.split("\n", -1);
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].stripTrailing();
            if (!line.isBlank()) {
                String indent = line.substring(0, line.length() - line.stripLeading().length());
                return line.endsWith("{") ? indent + "    " : indent;
            }
        }
        return "";
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        CellEvaluator ev = evaluator();
        String masked = maskMagics(code);
        int cursor = utf16(code, at);
        boolean whole = repeatedInspect.detail(code, at, extraDetail); // Shift-Tab twice: the whole comment
        List<String> docs;
        try {
            docs = onCellThread(() -> ev.documentation(masked, cursor, whole));
        } catch (StackOverflowError e) {
            return null; // nested too deeply for JShell's analysis: nothing found
        }
        if (docs.isEmpty()) {
            return null;
        }
        DisplayData d = new DisplayData();
        d.putText(String.join("\n\n", docs));
        return d;
    }

    @Override
    public void interrupt() {
        long running = runningRequest;
        if (running == 0) {
            // idle: nothing to stop, and the next cell must not find a stale interrupt (nor may the idle warm-up
            // on the cell thread be cut short)
            return;
        }
        interruptedRequest = running;
        CellEvaluator ev = evaluator;
        cells.interrupt(() -> ev != null && ev.engine().inClientCode());
    }

    @Override
    public void onShutdown(boolean restart) {
        idleWarmUp.stop();
        input.stop();
        streams.close();
        cells.close();
        super.onShutdown(restart);
    }

    /** @return {@code code} with magic words blanked out (same length), so that JShell analyses the Java rest */
    static String maskMagics(String code) {
        String[] lines = code.split("\n", -1);
        List<String> out = new ArrayList<>(lines.length);
        boolean[] magic = Magics.magicLines(lines);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.stripLeading();
            int indent = line.length() - s.length();
            boolean magicLine = magic[i] || s.startsWith("%%") && String.join("", out).isBlank(); // a cell magic opens the cell
            String word = !magicLine ? null : s.startsWith("%%time") ? "%%time" : s.startsWith("%time") ? "%time" : null;
            if (word != null) {
                out.add(" ".repeat(indent + word.length()) + s.substring(word.length()));
            } else if (magicLine) {
                out.add(" ".repeat(line.length()));
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }
}
