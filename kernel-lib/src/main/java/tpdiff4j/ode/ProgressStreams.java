package tpdiff4j.ode;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import tpdiff4j.Refusals;

/**
 * Where a progress display may rewrite one line in place with a carriage return ({@code "\r"}), and where it must
 * print whole lines instead. A terminal and a notebook's cell output show {@code "\r"} as "go back to the start of
 * the line"; a log file keeps every rewrite on one ever longer line that {@code tail -f} shows only when the run
 * ends. So the trainer's and the solvers' progress rewrite a line in place only on
 * <ul>
 *   <li>a stream declared with {@link #declareInPlace(PrintStream)} (the Jupyter kernel declares its cell output),
 *   and</li>
 *   <li>{@code System.out} or {@code System.err} while the JVM runs in a terminal ({@link Console}; from Java 22 on
 *   also {@code Console.isTerminal()}): {@code java Main > run.log}, a pipe, {@code nohup} or a service get lines.</li>
 * </ul>
 * Everywhere else they print a whole line now and then ({@link #LINE_INTERVAL_SECONDS}).
 */
public final class ProgressStreams {

    /** Shortest time between two whole progress lines of one run on a stream that is not rewritten in place. */
    public static final double LINE_INTERVAL_SECONDS = 10.0;

    private static final Set<PrintStream> IN_PLACE = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private ProgressStreams() {
    }

    /**
     * Declares that {@code stream} shows a carriage return by rewriting the current line, as a notebook's output
     * does, so that progress on it is one line rewritten in place.
     */
    public static void declareInPlace(PrintStream stream) {
        Refusals.notNull(stream, "stream", "a PrintStream");
        IN_PLACE.add(stream);
    }

    /** Whether progress printed to {@code stream} may rewrite one line in place (see the class comment). */
    public static boolean rewritesInPlace(PrintStream stream) {
        if (IN_PLACE.contains(stream)) {
            return true;
        }
        return (stream == System.out || stream == System.err) && terminal();
    }

    /** Whether the JVM's standard input and output are a terminal. */
    static boolean terminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22 and later give a Console also without a terminal, and say which with isTerminal()
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // Java 17 to 21: a Console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
