package tpdiff4j.kernel;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

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
 * (or, for a thread a cell started, of the last cell), before the first cell the kernel's own standard error. The
 * Jupyter protocol layer's lines always go to the kernel's own standard error ({@link KernelLogger}).
 *
 * <p>The level comes from the knob {@value #VARIABLE} (environment variable or system property, {@link Knobs}) when
 * the kernel starts: {@code error}, {@code warn} (the default: warnings and errors), {@code info}, {@code debug},
 * {@code trace} or {@code off}, in any case. Any other value is reported on standard error, naming it and the allowed
 * ones, and the default applies. {@code %env TPDIFF4J_LOG=info} in a cell changes it for every logger ({@link #set}).
 */
public final class KernelLogProvider implements SLF4JServiceProvider {

    /** The knob (environment variable, or system property as {@code %env} sets it) that sets the level. */
    public static final String VARIABLE = "TPDIFF4J_LOG";
    /** The level without {@value #VARIABLE}. */
    public static final String DEFAULT = "warn";
    /** The values {@value #VARIABLE} takes, least to most verbose. */
    public static final String ALLOWED = "off, error, warn, info, debug or trace";

    private final ILoggerFactory loggers;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** The level that is written now; holds null for {@code off}. */
    private static final AtomicReference<Level> THRESHOLD = new AtomicReference<>(Level.WARN);
    /** Whether SLF4J made this provider, i.e. whether {@link #set} has an effect. */
    private static volatile boolean bound;

    /** Creates the provider with the level of {@value #VARIABLE}; called by SLF4J, once. */
    public KernelLogProvider() {
        String value = Knobs.get(VARIABLE);
        try {
            THRESHOLD.set(threshold(value));
        } catch (IllegalArgumentException e) {
            System.err.println("tpdiff4j kernel: " + e.getMessage() + "; logging at " + DEFAULT);
            THRESHOLD.set(threshold(DEFAULT));
        }
        bound = true;
        PrintStream console = System.err; // the kernel binds SLF4J before it points System.err at the cells
        ConcurrentMap<String, Logger> made = new ConcurrentHashMap<>();
        loggers = name -> made.computeIfAbsent(name, n -> new KernelLogger(n, THRESHOLD::get, console));
    }

    /**
     * Changes the level of every logger at once ({@code %env TPDIFF4J_LOG=debug} in a cell).
     *
     * @param value a value of {@value #VARIABLE}; null or blank: the default
     * @throws IllegalArgumentException for a value that is not a level, or where SLF4J does not use this back end
     */
    static void set(String value) {
        Level level = threshold(value);
        if (!bound) {
            throw new IllegalArgumentException(VARIABLE + " sets the level of the kernel's SLF4J back end, and this "
                    + "JVM logs through another one (slf4j.provider = " + System.getProperty("slf4j.provider")
                    + "); set the level in that back end's own way");
        }
        THRESHOLD.set(level);
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
            default -> throw new IllegalArgumentException(VARIABLE + " = '" + value + "'; allowed: a log level, "
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
