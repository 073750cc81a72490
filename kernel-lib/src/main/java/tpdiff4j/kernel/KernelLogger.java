package tpdiff4j.kernel;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One logger of {@link KernelLogProvider}: writes each message at or above its threshold to {@code System.err} as it
 * is at the call, as one line {@code LEVEL ShortName: message}, followed by the stack trace of the exception logged
 * with it. Messages of the kernel's Jupyter protocol layer, and any logged on a thread while it sends output to the
 * front end, go to the kernel's own standard error instead: at {@code trace} that layer logs each message it sends,
 * and such a line in a cell's output would be sent as a message, logged again, and so on. The whole text goes out in one write, so lines of threads that log at once do not mix.
 */
final class KernelLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    /** The least severe level written now; null: none. */
    private final transient Supplier<Level> threshold;
    /** Where a message of the Jupyter layer goes, or one logged while output is sent; null: {@code System.err}. */
    private final transient PrintStream console;
    private final String shortName;

    /**
     * @param name the logger's name, a class name as a rule
     * @param threshold the least severe level written at the moment (null: none), asked at every call
     * @param console the kernel's own standard error, for the Jupyter layer's messages and for those logged on a
     *        thread that is sending output; null: every message to {@code System.err}
     */
    KernelLogger(String name, Supplier<Level> threshold, PrintStream console) {
        this.name = name;
        this.threshold = threshold;
        this.console = console;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
    }

    private boolean enabled(Level level) {
        Level least = threshold.get();
        return least != null && level.toInt() >= least.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    /** The package of the kernel's Jupyter protocol layer, whose loggers are named after channels and loops. */
    static final String PROTOCOL = "org.dflib.jjava.";

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** @return whether the code that logs (the first frame outside SLF4J and this class) is the Jupyter layer's */
    private static boolean fromProtocol() {
        return WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(c -> !c.startsWith("org.slf4j.") && !c.equals(KernelLogger.class.getName()))
                .findFirst().map(c -> c.startsWith(PROTOCOL)).orElse(false));
    }

    /**
     * DJL's probe for GPUs. Where a CUDA runtime library is installed but no driver can serve it (a CUDA toolkit on a
     * machine or container without a GPU, or a driver older than the runtime), it warns at every count of the GPUs,
     * and the kernel counts them more than once while it starts: in every notebook the same warning came twice,
     * without saying what it means for the user.
     */
    static final String CUDA_PROBE = "ai.djl.util.cuda.CudaUtils";

    /** What the probe's warning means, added to it the first time it is written. */
    static final String CUDA_EXPLAINED = " (DJL found a CUDA runtime library but no GPU it can use with"
            + " it, so it counts no GPU; written once per process)";

    /** The probe's warnings written so far in this process (a kernel, or a command-line run): each distinct one once. */
    private static final java.util.Set<String> CUDA_SAID = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        if (name.equals(CUDA_PROBE) && level == Level.WARN) {
            if (!CUDA_SAID.add(message)) {
                return;
            }
            message += CUDA_EXPLAINED;
        }
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        w.print(level);
        w.print(' ');
        w.print(shortName);
        w.print(": ");
        w.println(message);
        if (throwable != null) {
            throwable.printStackTrace(w);
        }
        w.flush();
        PrintStream err = console != null && (StreamPump.publishingOnThisThread() || fromProtocol()) ? console
                : System.err;
        err.print(text);
        err.flush();
    }
}
