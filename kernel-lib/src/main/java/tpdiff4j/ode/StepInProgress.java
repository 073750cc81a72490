package tpdiff4j.ode;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks a thread as inside one step of the library's long work (a training step, a solver step): work that cannot be
 * cut short, because it runs in native code, and that checks {@link Thread#interrupted()} as soon as it ends. A
 * supervisor that would otherwise stop a thread which does not answer an interrupt (the notebook kernel stops such a
 * cell after a few seconds) asks {@link #inside} and waits for the step instead: a big model's step may take longer
 * than the grace period, and a thread stopped in the middle of it leaves the run's state half-updated.
 *
 * <pre>{@code
 * try (StepInProgress step = StepInProgress.enter()) {
 *     ... one step ...
 * }
 * }</pre>
 */
public final class StepInProgress implements AutoCloseable {

    private static final Map<Thread, Integer> DEPTH = new ConcurrentHashMap<>();
    /** Threads whose next step is refused: their code ignores the interrupt between steps. */
    private static final Set<Thread> STOP_AT_NEXT = ConcurrentHashMap.newKeySet();

    private final Thread thread;
    private boolean closed;

    private StepInProgress(Thread thread) {
        this.thread = thread;
    }

    /**
     * Marks the calling thread until {@link #close}; sections may nest.
     *
     * @throws CancellationException when a supervisor asked this thread to stop at its next step
     *     ({@link #stopAtNextStep}): the step does not start
     */
    public static StepInProgress enter() {
        Thread t = Thread.currentThread();
        if (STOP_AT_NEXT.remove(t)) {
            throw new CancellationException("stopped before the next step: the code that runs the steps went on after"
                    + " the interrupt (it does not check Thread.interrupted() between them)");
        }
        DEPTH.merge(t, 1, Integer::sum);
        return new StepInProgress(t);
    }

    /**
     * Asks {@code thread} to stop at its next step: its next {@link #enter} throws {@link CancellationException}. For a
     * supervisor whose interrupt was ignored by code that calls steps in a loop (a step itself is never cut short).
     */
    public static void stopAtNextStep(Thread thread) {
        STOP_AT_NEXT.add(thread);
    }

    /** Withdraws {@link #stopAtNextStep} for {@code thread} (its task ended before another step began). */
    public static void clearStop(Thread thread) {
        STOP_AT_NEXT.remove(thread);
    }

    /** True while {@code thread} is inside a step. */
    public static boolean inside(Thread thread) {
        return thread != null && DEPTH.containsKey(thread);
    }

    /** The threads inside a step now, in no particular order (a snapshot). */
    public static java.util.List<Thread> threadsInside() {
        return java.util.List.copyOf(DEPTH.keySet());
    }

    /** Ends this section (once; a second call does nothing). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.computeIfPresent(thread, (t, n) -> n == 1 ? null : n - 1);
        }
    }
}
