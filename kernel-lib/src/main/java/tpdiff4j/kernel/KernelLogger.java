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
 * with it. The whole text goes out in one write, so lines of threads that log at once do not mix.
 */
final class KernelLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    /** The least severe level written now; null: none. */
    private final transient Supplier<Level> threshold;
    private final String shortName;

    KernelLogger(String name, Supplier<Level> threshold) {
        this.name = name;
        this.threshold = threshold;
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

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        w.print(level);
        w.print(' ');
        w.print(shortName);
        w.print(": ");
        w.println(MessageFormatter.basicArrayFormat(messagePattern, arguments));
        if (throwable != null) {
            throwable.printStackTrace(w);
        }
        w.flush();
        PrintStream err = System.err;
        err.print(text);
        err.flush();
    }
}
