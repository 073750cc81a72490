package tpdiff4j.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The compute facade: which device DJL uses, and how many CPU threads PyTorch may use.
 *
 * <p>Measured on the shared 2-core machine of this project: with PyTorch's default intra-op thread pool a tiny
 * training step took 2.8 s under load (the OpenMP threads fight the other processes); with one thread it took 42 ms.
 * {@link #useThreads} sets the pool size at run time ({@code torch::set_num_threads}); environment variable
 * {@code TPDIFF4J_THREADS} gives the default of {@link #configureFromEnvironment}.
 */
public final class Compute {

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    private Compute() {
    }

    /** The device DJL picks by default (a GPU if a CUDA engine and device exist, else CPU). */
    public static Device defaultDevice() {
        return Engine.getInstance().defaultDevice();
    }

    /** One line naming the engine, its version, the default device and the CPU thread count. */
    public static String describe() {
        Engine e = Engine.getInstance();
        return "DJL " + e.getEngineName() + " " + e.getVersion() + ", device " + e.defaultDevice()
                + ", CPU threads " + JniUtils.getNumThreads();
    }

    /** Sets PyTorch's intra-op CPU threads (at least 1). */
    public static void useThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads = " + n + ": must be at least 1");
        }
        Engine.getInstance();
        JniUtils.setNumThreads(n);
    }

    /** Applies {@code TPDIFF4J_THREADS} (default 1) and returns the thread count in use. */
    public static int configureFromEnvironment() {
        String v = System.getenv("TPDIFF4J_THREADS");
        int n = 1;
        if (v != null && !v.isBlank()) {
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("TPDIFF4J_THREADS = " + v + ": must be a positive integer", ex);
            }
        }
        useThreads(n);
        return n;
    }
}
