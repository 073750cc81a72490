package tpdiff4j.kernel;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import tpdiff4j.nn.Compute;

/**
 * What the kernel does with the PyTorch engine and the compute knobs when it starts: the engine's native libraries
 * load on a thread of their own, and the cell thread then applies {@code TPDIFF4J_THREADS} (default: the machine's
 * physical cores), resolves {@code TPDIFF4J_DEVICE} and turns autograd off (PyTorch keeps grad mode per thread), so
 * every computation of a cell runs with both knobs. A setting that cannot be honoured does not stop the kernel: its
 * one-sentence reason is shown once on a cell's error stream, and library calls that need the device fail with the
 * same sentence.
 *
 * <p>No cell waits for the engine unless it uses it. On the 2-core machine, loading it (about 0.6 s) at the same
 * time as JShell's start (about 1.1 s) and the sockets' set-up slowed all three down, and the first reply waited for
 * both: JShell was ready 0.25 s later and the sockets answered 0.5 s later than without the engine. So the engine
 * starts loading once JShell is ready ({@link #start}), a cell runs as soon as JShell is, and the cell thread adopts
 * the engine ({@link #adoptCellThread}) at the first of:
 * <ul>
 *   <li>the cell thread is free after the engine has loaded (a task queued by the loading thread);</li>
 *   <li>a snippet whose classes refer to DJL or the library is about to run ({@link InProcessExecution} finds the
 *       reference in the class files JShell loads): that snippet waits for the rest of the loading, then runs with
 *       the knobs applied.</li>
 * </ul>
 * A cell that reaches DJL only through a jar added with {@code %maven} or {@code %jars}, or by reflection, in the
 * first second of the kernel's life is the one case that runs before the knobs apply; its results are the same,
 * only its thread count and autograd recording may differ.
 */
final class ComputeStartup {

    private final Thread loading;
    private volatile boolean adopted;
    private final AtomicReference<String> note = new AtomicReference<>();

    private ComputeStartup(Thread loading) {
        this.loading = loading;
    }

    /**
     * Prepares loading the engine on a daemon thread ({@link #start}). When it has loaded, {@code whenLoaded} runs on
     * that thread (the kernel queues {@link #adoptCellThread} on the cell thread there). A failure to load is not
     * reported here: {@link #apply} meets it again on the cell thread and turns it into a note. Before loading, the
     * half-extracted copies of PyTorch's libraries that killed kernels left in DJL's cache are removed
     * ({@link StaleExtractions}, named on {@code console}).
     */
    static ComputeStartup prepare(java.io.PrintStream console, Runnable whenLoaded) {
        return prepare(() -> {
            StaleExtractions.removeFromDjlCache(console);
            Compute.adoptThread();
        }, whenLoaded);
    }

    /** {@link #prepare(java.io.PrintStream, Runnable)} with another way to load (tests). */
    static ComputeStartup prepare(Runnable load, Runnable whenLoaded) {
        Thread t = new Thread(() -> {
            try {
                load.run();
            } catch (RuntimeException | LinkageError e) {
                // reported by apply() on the cell thread
            }
            whenLoaded.run();
        }, "tpdiff4j-engine-start");
        t.setDaemon(true);
        return new ComputeStartup(t);
    }

    /** Starts loading the engine (once JShell is ready: the two would slow each other down on a small machine). */
    void start() {
        loading.start();
    }

    /** @return true once the cell thread computes with the knobs applied */
    boolean adopted() {
        return adopted;
    }

    /**
     * On the cell thread: waits until the engine has loaded, then applies the knobs there ({@link #apply}, which
     * loads the engine itself when {@link #start} was not called); does nothing once done. An interrupt while waiting leaves it undone (the next call tries again) and keeps the
     * thread's interrupt flag set.
     */
    void adoptCellThread() {
        if (adopted) {
            return;
        }
        try {
            loading.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        note.set(apply());
        adopted = true;
    }

    /** @return the note of a knob that could not be honoured, once (null when there is none, or it was taken) */
    String takeNote() {
        return note.getAndSet(null);
    }

    /**
     * Applies both knobs on the calling thread (the cell thread) and makes it compute like the engine's own thread.
     *
     * @return null when both knobs were applied, else a one-line note for a cell
     */
    static String apply() {
        try {
            Compute.adoptThread();
            Compute.configureFromEnvironment();
            Compute.device();
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "tpdiff4j: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return engineFailure(e, djlCache());
        }
    }

    /**
     * The note for an engine that did not start: the exception and each of its causes (DJL's "Failed to extract
     * PyTorch native library" says why only in its cause, such as "No space left on device"), and where a file error
     * is among them, where PyTorch's libraries go and what to do.
     *
     * @param cache DJL's cache folder, or null when unknown
     */
    static String engineFailure(Throwable e, Path cache) {
        StringBuilder b = new StringBuilder("tpdiff4j: the PyTorch engine did not start (").append(firstLine(e));
        boolean file = false;
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause() == c ? null : c.getCause()) {
            b.append("; caused by ").append(firstLine(c));
            file |= c instanceof java.io.IOException;
        }
        b.append(')');
        if (file || e instanceof java.io.UncheckedIOException) {
            b.append(". On first use PyTorch's libraries (about 430 MB) are copied into DJL's cache folder ")
                    .append(cache == null ? "(DJL_CACHE_DIR, else ~/.djl.ai)" : cache.toString())
                    .append(": free space on that disk, or set DJL_CACHE_DIR to a folder on another disk in the"
                            + " kernel's environment, then restart the kernel");
        }
        return b.toString();
    }

    /** The folder DJL extracts PyTorch into ({@code DJL_CACHE_DIR} or {@code ~/.djl.ai}, then {@code pytorch}), or null. */
    private static Path djlCache() {
        try {
            return ai.djl.util.Utils.getEngineCacheDir("pytorch");
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String firstLine(Throwable e) {
        String s = String.valueOf(e);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
