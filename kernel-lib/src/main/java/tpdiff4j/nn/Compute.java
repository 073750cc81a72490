package tpdiff4j.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import tpdiff4j.Refusals;
import tpdiff4j.ode.Denormals;
import tpdiff4j.ode.DeviceKnob;

/**
 * The compute facade: the device every tensor of the library lives on, and how many CPU threads PyTorch may use.
 *
 * <p><b>Device.</b> {@link #device()} is the knob {@code TPDIFF4J_DEVICE=auto|cpu|gpu|gpu:N} (or the system
 * property {@code tpdiff4j.device}), read once; see {@link DeviceKnob} for the grammar. {@link #newManager()} is the
 * one way to open a root manager on it; everything else follows the manager or model it is given.
 *
 * <p><b>Threads.</b> {@code TPDIFF4J_THREADS} sets PyTorch's intra-op CPU threads; unset, the default is
 * {@link #defaultThreads()}: the machine's physical cores (distinct {@code (physical id, core id)} pairs of
 * {@code /proc/cpuinfo}), at most {@link Runtime#availableProcessors()} (which counts hyper-threads but honours
 * container CPU limits), and {@code availableProcessors()} where {@code /proc/cpuinfo} names no cores. Measured on the
 * shared 2-core machine of this project: with more threads than free cores a tiny training step took 2.8 s under
 * load (the OpenMP threads fight the other processes); with one thread it took 42 ms, so the test command sets
 * {@code TPDIFF4J_THREADS=1}. The kernel applies the setting on its cell thread before any cell computes.
 */
public final class Compute {

    /** Environment variable (and kernel knob) for PyTorch's CPU threads. */
    public static final String THREADS = "TPDIFF4J_THREADS";

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    private Compute() {
    }

    /** The device of {@code TPDIFF4J_DEVICE} (default auto: GPU 0 when DJL sees one, else CPU), resolved once. */
    public static Device device() {
        return DeviceKnob.device();
    }

    /** A new root manager on {@link #device()}; the caller closes it. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(device());
    }

    /**
     * A device chosen in code, checked before any tensor is made on it: a GPU that DJL does not see is an
     * {@link IllegalStateException} with one readable sentence.
     */
    public static Device require(Device device) {
        return DeviceKnob.requireAvailable(device);
    }

    /**
     * One line naming the engine, its version, the knob's device (or why it cannot be used) and the CPU thread count
     * that the library's work uses: {@code TPDIFF4J_THREADS} is applied first where nothing has configured the count
     * yet, so a program's start line does not name PyTorch's default while its training runs with the setting.
     */
    public static String describe() {
        Engine e = Engine.getInstance();
        if (!settingRead) {
            applySettingOnce();
        }
        int asked = threadsAsked;
        String device;
        try {
            device = String.valueOf(device());
        } catch (IllegalStateException | IllegalArgumentException ex) {
            device = "unusable: " + ex.getMessage();
        }
        int gpus = e.getGpuCount();
        return "DJL " + e.getEngineName() + " " + e.getVersion() + ", device " + device + " (" + gpus
                + " GPU" + (gpus == 1 ? "" : "s") + " seen), CPU threads "
                + (asked > 0 ? asked : threads()) + "; "
                + tpdiff4j.ode.NativeHeap.apply() + "; " + Denormals.applyToThisThread();
    }

    /**
     * Makes the calling thread compute like the thread that started the engine: autograd off outside a
     * {@code GradientCollector}. PyTorch's grad mode is per thread and DJL turns it off only on the thread that
     * creates the engine; on any other thread it stays on, so every operation records a graph and an in-place write
     * into a weight that requires a gradient (the EMA swap) fails. The library's entry points that compute with a
     * network ({@code Trainer.step}, {@code Trainer.withEmaWeights}, checkpoint loading, {@link NetDenoiser#predict})
     * call it themselves, so training and sampling work on any thread (a notebook's background thread, an executor);
     * code that runs its own DJL operations on another thread calls it once first. It costs one native call. It also
     * applies {@code TPDIFF4J_DENORMALS} to the thread, once ({@link Denormals}: subnormal floats flushed to zero, the
     * default, which keeps attention's softmax from slowing down several times over).
     */
    public static void adoptThread() {
        Engine.getInstance();
        Denormals.applyToThisThread();
        JniUtils.setGradMode(false);
        if (!settingRead) {
            applySettingOnce();
        }
        int wanted = threadsAsked;
        int[] applied = APPLIED.get();
        if (wanted > 0 && applied[0] != wanted) { // once per thread and useThreads call, not per prediction
            if (JniUtils.getNumThreads() != wanted) {
                JniUtils.setNumThreads(wanted); // this thread computed before the last useThreads on another one
            }
            applied[0] = wanted;
        }
    }

    /** Whether {@code e} is PyTorch's allocation failure (the CPU allocator's "can't allocate memory"). */
    public static boolean outOfMemory(ai.djl.engine.EngineException e) {
        return String.valueOf(e.getMessage()).contains("can't allocate memory");
    }

    /**
     * The first computation of a process that nothing configured ({@link #useThreads} or
     * {@link #configureFromEnvironment} not called yet) applies {@code TPDIFF4J_THREADS} where it is set, so a plain
     * Java program gets the count it asked for without a call; unset, PyTorch keeps its own default.
     */
    private static synchronized void applySettingOnce() {
        if (settingRead) {
            return;
        }
        if (threadsAsked == 0) {
            String value = System.getProperty(THREADS, System.getenv(THREADS));
            if (value != null && !value.isBlank()) {
                useThreads(threadsSetting(value, 0)); // a malformed value is refused here, by every computation
            }
        }
        settingRead = true;
    }

    /** Whether {@link #applySettingOnce} has run. */
    private static volatile boolean settingRead;

    /** The count of the last {@link #useThreads} call; 0 before any. */
    private static volatile int threadsAsked;
    /** The count {@link #adoptThread} or {@link #useThreads} last applied on this thread; 0 before any. */
    private static final ThreadLocal<int[]> APPLIED = ThreadLocal.withInitial(() -> new int[1]);

    /** PyTorch's intra-op CPU threads now, as the calling thread uses them. */
    public static int threads() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /**
     * Sets PyTorch's intra-op CPU threads (at least 1), for every thread. PyTorch keeps the count per thread, and a
     * thread that has already computed keeps its own when another thread changes it; so the count is also applied
     * by {@link #adoptThread()}, which the library's training and sampling call on the thread they run on: a
     * background thread that trained with 1 thread trains with 2 after {@code useThreads(2)} on the cell's thread.
     */
    public static void useThreads(int n) {
        if (n < 1) {
            throw Refusals.refuse("threads", n, "at least 1");
        }
        Engine.getInstance();
        threadsAsked = n;
        JniUtils.setNumThreads(n);
        APPLIED.get()[0] = n;
    }

    /**
     * Applies {@code TPDIFF4J_THREADS} (system property first, then environment; default {@link #defaultThreads()})
     * and returns the thread count in use.
     */
    public static int configureFromEnvironment() {
        int n = threadsSetting(System.getProperty(THREADS, System.getenv(THREADS)), defaultThreads());
        useThreads(n);
        return n;
    }

    /** The thread count a setting asks for: {@code fallback} when null or blank, else a positive integer. */
    static int threadsSetting(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(THREADS + " = '" + value + "'; allowed: a positive integer (CPU threads)");
    }

    /**
     * Total physical memory of the machine in bytes, or +infinity where the JVM cannot tell: what the trainer and the
     * sampler compare a step's attention memory with before they allocate it.
     */
    public static double physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os && os.getTotalMemorySize() > 0) {
            return os.getTotalMemorySize();
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The default CPU thread count of this machine: its physical cores (see the class comment). */
    public static int defaultThreads() {
        String cpuinfo = "";
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall back to availableProcessors below
        }
        return physicalCores(cpuinfo, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Physical cores named by a {@code /proc/cpuinfo} text (distinct {@code physical id}/{@code core id} pairs), at
     * most {@code available}; {@code available} when the text names no cores.
     */
    static int physicalCores(String cpuinfo, int available) {
        Set<String> cores = new HashSet<>();
        String physical = "0";
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("physical id")) {
                physical = value;
            } else if (key.equals("core id")) {
                cores.add(physical + "/" + value);
            }
        }
        return cores.isEmpty() ? available : Math.max(1, Math.min(cores.size(), available));
    }
}
