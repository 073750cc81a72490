package tpdiff4j.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Trainer#train} call does when the JVM is asked to end while it trains: Ctrl-C, {@code kill} (SIGTERM),
 * a batch system's stop, or {@code System.exit} on another thread. Without it the JVM ran its exit while the step was
 * inside PyTorch's native code, which tore PyTorch's globals down under the running step: the JVM crashed with a
 * SIGSEGV report ({@code hs_err_pid*.log}, exit status 134) and the steps since the last checkpoint were lost.
 *
 * <p>For the duration of one call a shutdown hook interrupts the training thread, so that the call stops at the next
 * step boundary as after any interrupt, and waits for the call to return (at most {@link #WAIT_SECONDS} seconds),
 * so that the JVM ends only after the step. The call then also writes a checkpoint of its steps when it has a
 * checkpoint folder, since the process does not go on to save them. When the training thread itself ends the JVM
 * ({@code System.exit} in a listener), the hook does not wait for it.
 */
final class ShutdownStop {

    /** How long the JVM's exit waits for the current step and the checkpoint. */
    static final long WAIT_SECONDS = 60;

    private final Thread training;
    private final CountDownLatch returned = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private ShutdownStop(Thread training) {
        this.training = training;
        this.hook = new Thread(this::stop, "tpdiff4j-train-shutdown");
    }

    /** Watches the calling thread's train call; {@link #release()} when it returns. */
    static ShutdownStop register() {
        ShutdownStop s = new ShutdownStop(Thread.currentThread());
        try {
            Runtime.getRuntime().addShutdownHook(s.hook);
        } catch (IllegalStateException e) {
            s.requested = true; // the JVM is already ending: train as asked is pointless, stop at once
            s.training.interrupt();
        }
        return s;
    }

    /** Whether the JVM is ending (the interrupt the call sees came from its exit). */
    boolean requested() {
        return requested;
    }

    private void stop() {
        requested = true;
        training.interrupt();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            // the training thread itself may be the one that ends the JVM (System.exit in a listener): it waits for
            // this hook and never returns from train, so waiting for it would only delay the exit by a minute
            while (!returned.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                if (exiting(training)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code t} is inside {@code System.exit} (or {@code Runtime.exit}), waiting for the shutdown hooks. */
    static boolean exiting(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals("java.lang.Shutdown")
                    || (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit"))) {
                return true;
            }
        }
        return false;
    }

    /** The call returned (or failed): the JVM's exit need not wait for it any more. */
    void release() {
        returned.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is ending and runs the hook now, which returns at once
        }
    }
}
