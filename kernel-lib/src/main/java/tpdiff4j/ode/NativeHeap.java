package tpdiff4j.ode;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Keeps the C heap's freed memory in the process, so that PyTorch's tensors reuse pages instead of faulting in fresh
 * ones on every operation (the default; {@code TPDIFF4J_NATIVE_HEAP=system} keeps glibc's own behaviour).
 *
 * <p>PyTorch allocates every CPU tensor with the C library's allocator. With glibc's defaults, a block above the
 * mmap threshold (128 KiB, rising only as such blocks are freed) is mapped on allocation and unmapped on free, and
 * the top of the heap is returned to the system once more than 128 KiB are free. A forward pass of a video
 * network allocates and frees hundreds of such blocks (activations of {@code B * F * S * D} floats, attention
 * scores of {@code B * heads * L^2}), so every operation faults its output pages in again. Measured on the
 * project's 2-core virtual machine with one PyTorch thread, for the attention-bound preset at 16 frames
 * of 16x16: a forward pass at batch 16 took 164 ms with glibc's defaults and 40 ms with retention
 * (batch 8: 56 ms and 21 ms), with the same results bit for bit.
 *
 * <p>With {@code retain} (the default; or {@code TPDIFF4J_NATIVE_HEAP=retain}, or the system property
 * {@code tpdiff4j.nativeHeap=retain}), {@link #apply()} raises the mmap threshold to glibc's maximum (32 MiB), the
 * trim threshold to 2 GiB and the top pad to 64 MiB ({@code mallopt(M_MMAP_THRESHOLD | M_TRIM_THRESHOLD |
 * M_TOP_PAD)}). The cost: memory freed by tensors stays with the process (its resident size stays at its peak)
 * instead of going back to the system; choose {@code system} where that matters more than speed. On other C
 * libraries and operating systems nothing is changed and {@link #status()} says so. {@link DjlNetwork#apply()},
 * which every entry point of the library calls before DJL starts, calls this too.
 *
 * <p>Reused memory holds old values where fresh pages hold zeros, so it exposes any read of memory a program does
 * not own. It did once here: DJL's arithmetic with a Java number ({@code a.muli(0.25f)}) wraps the number in a
 * buffer that the garbage collector frees while autograd may still need it, and training ended in a non-finite loss
 * in 2 of 5 runs. The library multiplies by engine-owned scalars instead ({@code data.Tensors.scalar}), and a test
 * provokes that window on every build.
 */
public final class NativeHeap {

    /** Environment variable: {@code retain} (default) or {@code system}. */
    public static final String ENV = "TPDIFF4J_NATIVE_HEAP";
    /** System property with the same meaning as {@link #ENV}; it wins over the environment. */
    public static final String PROPERTY = "tpdiff4j.nativeHeap";

    static final int M_TRIM_THRESHOLD = -1;
    static final int M_TOP_PAD = -2;
    static final int M_MMAP_THRESHOLD = -3;
    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = Integer.MAX_VALUE;
    static final int TOP_PAD = 64 << 20;

    private static String status;

    private NativeHeap() {
    }

    /** Applies the setting once per process (later calls return the first outcome); see the class comment. */
    public static synchronized String apply() {
        if (status == null) {
            status = configure(choice(System.getProperty(PROPERTY), System.getenv(ENV)));
        }
        return status;
    }

    /** What {@link #apply()} did, in words; null before it ran. */
    public static synchronized String status() {
        return status;
    }

    private static final TwoWayKnob KNOB = new TwoWayKnob(ENV, PROPERTY, "retain",
            "keep freed native memory for reuse", "system", "glibc's defaults");

    /** The knob's value: the property, else the environment, else {@code retain}; anything else is an error. */
    static String choice(String property, String env) {
        return KNOB.choice(property, env);
    }

    static String configure(String choice) {
        if (choice.equals("system")) {
            return "native heap: glibc defaults";
        }
        if (!Platform.isLinux()) {
            return "native heap: unchanged (not Linux)";
        }
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
            return ok ? "native heap: freed memory retained (mmap threshold 32 MiB)"
                    : "native heap: mallopt refused a setting (not glibc?); defaults kept";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "native heap: unchanged (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}
