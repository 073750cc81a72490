package tpdiff4j.ode;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Flushes subnormal ("denormal") floating-point numbers to zero on the threads that compute with PyTorch on the CPU
 * (the default; {@code TPDIFF4J_DENORMALS=keep} keeps IEEE gradual underflow), as {@code torch.set_flush_denormal(True)}
 * does in Python and as GPUs do in their fast arithmetic.
 *
 * <p>A float below 1.18e-38 is subnormal, and x86 CPUs compute with such numbers far more slowly than with normal
 * ones. Attention makes many of them: a softmax row whose logits spread over more than about 87 (sharp attention, as
 * a network learns it) has entries {@code exp(x - max)} below that bound, and the products of the backward pass
 * with them are subnormal too. Measured on the project's 2-core machine (AMD EPYC, one PyTorch thread): a softmax of
 * {@code [8, 4, 256, 256]} logits spread over [-100, 0] took 3.2 ms keeping subnormals and 1.25 ms flushing them
 * (logits over [-10, 0]: 1.3 ms either way). Flushing changes a result only where it was below 1.18e-38 in
 * magnitude; such a number becomes 0.
 *
 * <p>How: the SSE control register MXCSR of the calling thread gets its flush-to-zero and denormals-are-zero bits
 * (via the C library's {@code fegetenv}/{@code fesetenv}; Linux on x86-64 only, elsewhere nothing changes and
 * {@link #applyToThisThread()} says so). The register belongs to one thread, and threads started later by that
 * thread (PyTorch's worker threads) inherit it. The Java code of a thread that computes with PyTorch then flushes
 * too: a float below 1.18e-38 or a double below 2.2e-308 becomes 0 there, where Java would keep a subnormal.
 * {@code nn.Compute.adoptThread()}, which every library entry point that computes with a network calls, applies it.
 */
public final class Denormals {

    /** Environment variable: {@code flush} (default) or {@code keep}. */
    public static final String ENV = "TPDIFF4J_DENORMALS";
    /** System property with the same meaning as {@link #ENV}; it wins over the environment. */
    public static final String PROPERTY = "tpdiff4j.denormals";

    /** MXCSR bits: flush to zero (15) and denormals are zero (6). */
    static final int FTZ_DAZ = 0x8040;
    /** Offset of the MXCSR image in glibc's x86-64 {@code fenv_t} (28 bytes of x87 state come first). */
    static final int MXCSR_OFFSET = 28;
    private static final int FENV_BYTES = 32;

    private static final ThreadLocal<String> DONE = new ThreadLocal<>();

    private Denormals() {
    }

    /**
     * Applies the knob to the calling thread once (later calls on the same thread return the first outcome).
     *
     * @return what was done, in words
     */
    public static String applyToThisThread() {
        String done = DONE.get();
        if (done == null) {
            done = configure(choice(System.getProperty(PROPERTY), System.getenv(ENV)));
            DONE.set(done);
        }
        return done;
    }

    private static final TwoWayKnob KNOB = new TwoWayKnob(ENV, PROPERTY, "flush",
            "subnormal floats become 0 on computing threads", "keep", "IEEE gradual underflow");

    /** The knob's value: the property, else the environment, else {@code flush}; anything else is an error. */
    static String choice(String property, String env) {
        return KNOB.choice(property, env);
    }

    static String configure(String choice) {
        if (!(Platform.isLinux() && Platform.isIntel() && Platform.is64Bit())) {
            return "subnormals: kept (flushing needs Linux on x86-64)";
        }
        try {
            int before = mxcsr();
            int after = choice.equals("flush") ? before | FTZ_DAZ : before & ~FTZ_DAZ;
            if (after != before) {
                setMxcsr(after);
            }
            boolean flushing = (mxcsr() & FTZ_DAZ) == FTZ_DAZ;
            if (flushing != choice.equals("flush")) {
                return "subnormals: the CPU's control register did not change; IEEE behaviour kept";
            }
            return flushing ? "subnormals: flushed to zero" : "subnormals: kept";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "subnormals: unchanged (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /** The calling thread's MXCSR, read through {@code fegetenv}. */
    static int mxcsr() {
        Memory env = environment();
        return env.getInt(MXCSR_OFFSET);
    }

    private static void setMxcsr(int value) {
        Memory env = environment();
        env.setInt(MXCSR_OFFSET, value);
        if (libm("fesetenv").invokeInt(new Object[] {env}) != 0) {
            throw new IllegalStateException("fesetenv failed");
        }
    }

    private static Memory environment() {
        Memory env = new Memory(FENV_BYTES);
        env.clear();
        if (libm("fegetenv").invokeInt(new Object[] {env}) != 0) {
            throw new IllegalStateException("fegetenv failed");
        }
        return env;
    }

    private static Function libm(String name) {
        return NativeLibrary.getInstance("m").getFunction(name);
    }
}
