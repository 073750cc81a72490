package tpdiff4j.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import tpdiff4j.Refusals;

/**
 * The one thread on which the kernel runs JShell: every compile, every cell and every completion request.
 *
 * <p>One thread because DJL's PyTorch grad mode is per thread and JShell is not thread safe. {@link #interrupt(java.util.function.BooleanSupplier)}
 * interrupts it (a {@code Thread.sleep}, a blocking call or a loop that checks {@code Thread.interrupted()} stops at
 * once); when user code ignores the interrupt for {@code stopAfterMillis}, the thread is stopped with
 * {@link Thread#stop()} while it is inside user code, which ends the cell with {@code ThreadDeath} and keeps the
 * kernel usable. A thread inside one of the library's steps ({@link tpdiff4j.ode.StepInProgress}: a training or solver
 * step, which checks the interrupt when it ends) is never stopped there: a big model's slow step finishes and the run
 * stops cleanly at its boundary. Code that calls steps in a loop and ignores the interrupt is stopped at its next
 * step instead (the step refuses to start), and stopped forcibly only after a grace period outside any step.
 */
public final class CellThread implements AutoCloseable {

    /**
     * Stack of the cell thread: JShell's compiler recurses once per operator of an expression, and a 12 KB
     * expression {@code 1 + 1 + ...} overflows the default 8 MB stack while completion or compilation analyses
     * it. Reserved address space only; the pages are used when the recursion is that deep.
     */
    static final long STACK_BYTES = 512L << 20;

    private final ExecutorService executor;
    private final long stopAfterMillis;
    private volatile Thread thread;
    private volatile boolean busy;
    private volatile long taskSeq;

    /** @param stopAfterMillis how long an interrupted cell may keep running before it is stopped forcibly */
    public CellThread(long stopAfterMillis) {
        if (stopAfterMillis < 0) {
            throw Refusals.refuse("stopAfterMillis", stopAfterMillis, "at least 0");
        }
        this.stopAfterMillis = stopAfterMillis;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "tpdiff4j-cell", STACK_BYTES);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /**
     * Runs {@code task} on the cell thread and waits for it.
     *
     * @return the task's value
     * @throws Exception what the task threw (an {@link Error} is rethrown as is)
     */
    public <T> T call(Callable<T> task) throws Exception {
        Future<T> f = executor.submit(() -> {
            Thread.interrupted(); // a stale interrupt from an earlier cell must not hit this one
            tpdiff4j.ode.StepInProgress.clearStop(Thread.currentThread()); // nor a stop meant for an earlier cell
            taskSeq++;
            busy = true;
            try {
                return task.call();
            } finally {
                busy = false;
                Thread.interrupted();
            }
        });
        while (true) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                // the caller was interrupted, not the cell; keep waiting for the cell to finish
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw e;
            }
        }
    }

    /**
     * Queues {@code task} on the cell thread without waiting (e.g. warming JShell up while the kernel connects). After
     * {@link #close()} the task does not run and its future is cancelled: the engine, which loads on a thread of its
     * own, may finish loading while the kernel shuts down, and its hand-over to the cell thread is then moot.
     */
    public <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!executor.isShutdown()) {
                throw e;
            }
            java.util.concurrent.FutureTask<T> none = new java.util.concurrent.FutureTask<>(task);
            none.cancel(false);
            return none;
        }
    }

    /** @return the cell thread (created on the first {@link #call}) or null */
    public Thread thread() {
        return thread;
    }

    /** @return true while a task runs */
    public boolean busy() {
        return busy;
    }

    /**
     * Interrupts the running task. If it is still inside user code after the grace period, stops it.
     *
     * @param inUserCode tells whether the thread is inside user code (only then is a forced stop safe for JShell)
     * @return true when a task was running
     */
    @SuppressWarnings({"deprecation", "removal"})
    public boolean interrupt(BooleanSupplier inUserCode) {
        Thread t = thread;
        if (t == null || !busy) {
            return false;
        }
        long interrupted = taskSeq;
        t.interrupt();
        Thread watchdog = new Thread(() -> {
            long grace = stopAfterMillis * 1_000_000L;
            long graceEnd = System.nanoTime() + grace;
            long lastInside = 0;
            boolean seenInside = false;
            boolean told = false;
            while (busy && taskSeq == interrupted) {
                long now = System.nanoTime();
                if (tpdiff4j.ode.StepInProgress.inside(t)) {
                    // a library step (training, solver) checks the interrupt when it ends: wait for it rather than
                    // stop the thread half-way through it. Past the grace period, code that ignored the interrupt
                    // and calls steps in a loop is stopped where its next step would begin
                    seenInside = true;
                    lastInside = now;
                    if (now >= graceEnd) {
                        tpdiff4j.ode.StepInProgress.stopAtNextStep(t);
                        if (!(busy && taskSeq == interrupted)) {
                            tpdiff4j.ode.StepInProgress.clearStop(t); // the cell ended meanwhile: not for the next
                            break;
                        }
                        if (!told) {
                            told = true;
                            System.err.println("tpdiff4j kernel: waiting for the current step to end; it stops there");
                        }
                    }
                } else if (now >= graceEnd && (!seenInside || now - lastInside >= grace / 2)) {
                    break; // outside any step for a while: a forced stop cannot land in one
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!(busy && taskSeq == interrupted)) {
                tpdiff4j.ode.StepInProgress.clearStop(t); // the cell ended: its next cell's steps must run
            }
            if (busy && taskSeq == interrupted && inUserCode.getAsBoolean()) {
                try {
                    t.stop();
                } catch (UnsupportedOperationException e) {
                    // Java 20+ removed Thread.stop: the cell runs on until it checks the interrupt
                    System.err.println("tpdiff4j kernel: the cell ignores the interrupt and this JVM cannot stop "
                            + "it; restart the kernel");
                }
            }
        }, "tpdiff4j-interrupt-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return true;
    }

    /**
     * Stops the cell thread. Tasks still queued are cancelled, so a request handler waiting in {@link #call} (a
     * completion sent just before a shutdown) gets a {@link java.util.concurrent.CancellationException} instead of
     * waiting for good, which kept the JVM from exiting.
     */
    @Override
    public void close() {
        for (Runnable queued : executor.shutdownNow()) {
            if (queued instanceof Future) {
                ((Future<?>) queued).cancel(false);
            }
        }
    }
}
