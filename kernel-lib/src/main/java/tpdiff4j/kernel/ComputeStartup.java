package tpdiff4j.kernel;

import tpdiff4j.nn.Compute;

/**
 * What the kernel does with the compute knobs when it starts, on the cell thread before the first cell: applies
 * {@code TPDIFF4J_THREADS} (default: the machine's physical cores) and resolves {@code TPDIFF4J_DEVICE}, so the
 * first cell already runs with both. A setting that cannot be honoured does not stop the kernel: its one-sentence
 * reason is shown on the first cell's error stream, and library calls that need the device fail with the same
 * sentence.
 *
 * <p>The engine's native libraries (about 0.9 s) load on a thread of their own ({@link #startEngine}) while JShell
 * starts on the cell thread; {@link #apply} then makes the cell thread compute like the engine's own thread
 * ({@link Compute#adoptThread}: autograd off, which PyTorch keeps per thread).
 */
final class ComputeStartup {

    private ComputeStartup() {
    }

    /**
     * Starts loading the PyTorch engine on a daemon thread and returns that thread; join it before {@link #apply}.
     * A failure here is not reported: {@link #apply} meets it again and turns it into the first cell's note.
     */
    static Thread startEngine() {
        Thread t = new Thread(() -> {
            try {
                Compute.adoptThread();
            } catch (RuntimeException | LinkageError e) {
                // reported by apply() on the cell thread
            }
        }, "tpdiff4j-engine-start");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Applies both knobs on the calling thread (the cell thread) and makes it compute like the engine's own thread.
     *
     * @return null when both knobs were applied, else a one-line note for the first cell
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
            return "tpdiff4j: the PyTorch engine did not start (" + firstLine(e) + ")";
        }
    }

    private static String firstLine(Throwable e) {
        String s = String.valueOf(e);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
