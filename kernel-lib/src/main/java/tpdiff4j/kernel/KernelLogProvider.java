package tpdiff4j.kernel;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The kernel's SLF4J back end: DJL (and anything else in the kernel that logs through SLF4J) writes its messages to
 * standard error, one line each, such as {@code WARN PtEngine: ...}, with the stack trace of an exception below it.
 *
 * <p>Selected by the system property {@code slf4j.provider} in the kernel's JVM options ({@link KernelJvmOptions}),
 * never by a {@code META-INF/services} entry: a program that uses tpdiff4j as a library keeps the SLF4J back end it
 * chose. A line goes to {@code System.err} as it is at the call: in the kernel that is the output of the running cell
 * (or, for a thread a cell started, of the last cell), before the first cell the kernel's own standard error.
 *
 * <p>The level is read once, from the environment variable {@value #VARIABLE}: {@code error}, {@code warn} (the
 * default: warnings and errors), {@code info}, {@code debug}, {@code trace} or {@code off}, in any case. Any other
 * value is reported on standard error, naming it and the allowed ones, and the default applies.
 */
public final class KernelLogProvider implements SLF4JServiceProvider {

    /** The environment variable that sets the level. */
    public static final String VARIABLE = "TPDIFF4J_LOG";
    /** The level without {@value #VARIABLE}. */
    public static final String DEFAULT = "warn";
    /** The values {@value #VARIABLE} takes, least to most verbose. */
    public static final String ALLOWED = "off, error, warn, info, debug or trace";

    private final ILoggerFactory loggers;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Creates the provider with the level of {@value #VARIABLE}; called by SLF4J. */
    public KernelLogProvider() {
        String value = System.getenv(VARIABLE);
        Level threshold;
        try {
            threshold = threshold(value);
        } catch (IllegalArgumentException e) {
            System.err.println("tpdiff4j kernel: " + e.getMessage() + "; logging at " + DEFAULT);
            threshold = threshold(DEFAULT);
        }
        Level level = threshold;
        ConcurrentMap<String, Logger> made = new ConcurrentHashMap<>();
        loggers = name -> made.computeIfAbsent(name, n -> new KernelLogger(n, level));
    }

    /**
     * @param value a value of {@value #VARIABLE}; null or blank: the default
     * @return the least severe level that is written, or null for {@code off}
     * @throws IllegalArgumentException for any other value, naming it and the allowed ones
     */
    static Level threshold(String value) {
        String v = value == null || value.isBlank() ? DEFAULT : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "off" -> null;
            case "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> throw new IllegalArgumentException(VARIABLE + " = '" + value + "' is not a log level: use "
                    + ALLOWED + " (default " + DEFAULT + ")");
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // everything is made in the constructor
    }
}
