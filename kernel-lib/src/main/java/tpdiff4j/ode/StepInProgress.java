package tpdiff4j.ode;

import java.util.Map;
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

    private final Thread thread;
    private boolean closed;

    private StepInProgress(Thread thread) {
        this.thread = thread;
    }

    /** Marks the calling thread until {@link #close}; sections may nest. */
    public static StepInProgress enter() {
        Thread t = Thread.currentThread();
        DEPTH.merge(t, 1, Integer::sum);
        return new StepInProgress(t);
    }

    /** True while {@code thread} is inside a step. */
    public static boolean inside(Thread thread) {
        return thread != null && DEPTH.containsKey(thread);
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
