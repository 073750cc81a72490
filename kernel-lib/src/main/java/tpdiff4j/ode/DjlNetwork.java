package tpdiff4j.ode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tpdiff4j.Refusals;

/**
 * What DJL may do on the network, decided by the library before DJL's engine starts.
 *
 * <p>DJL 0.36 reports usage when its engine starts (on an EC2-like network it asks the cloud metadata address
 * {@code 169.254.169.254} and sends a report) unless {@code OPT_OUT_TRACKING=true} (environment variable or system
 * property) or offline mode ({@code ai.djl.offline=true}, or environment variable {@code DJL_OFFLINE}) is set; in
 * online mode it may also download native libraries and models. The library therefore sets, unless the user set
 * them already (their own value wins):
 * <ul>
 *   <li>{@code OPT_OUT_TRACKING=true}: usage reporting off, always;</li>
 *   <li>{@code ai.djl.offline=true}: no downloads, unless the user asks to go online with the system property
 *       {@code tpdiff4j.online=true} or the environment variable {@code TPDIFF4J_ONLINE=true} (for example to let DJL
 *       download a CUDA build of PyTorch on a GPU machine).</li>
 * </ul>
 * The library's classes that start DJL ({@code nn.Compute}, {@code train.Trainer}, the command-line entry points)
 * call {@link #apply()} in their static initialisers. Code that starts DJL itself before touching any of them
 * should call {@link #apply()} first. It also applies {@link NativeHeap}, the allocator setting PyTorch's CPU speed
 * depends on.
 */
public final class DjlNetwork {

    /** System property that allows DJL to go online (downloads; usage reporting stays off). */
    public static final String ONLINE_PROPERTY = "tpdiff4j.online";
    /** Environment variable with the same meaning as {@link #ONLINE_PROPERTY}. */
    public static final String ONLINE_ENV = "TPDIFF4J_ONLINE";

    static {
        apply();
    }

    private DjlNetwork() {
    }

    /**
     * Sets the system properties of {@link #settings} that are not set yet; idempotent.
     *
     * @return true when the user asked to go online
     */
    public static synchronized boolean apply() {
        NativeHeap.apply();
        settings(System::getProperty, System::getenv).forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
        return online(System::getProperty, System::getenv);
    }

    /**
     * The system properties the library sets, given the current system properties and environment: only those the
     * user has not set (in either place).
     */
    static Map<String, String> settings(UnaryOperator<String> property, UnaryOperator<String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (property.apply("OPT_OUT_TRACKING") == null && env.apply("OPT_OUT_TRACKING") == null) {
            out.put("OPT_OUT_TRACKING", "true");
        }
        if (!online(property, env) && property.apply("ai.djl.offline") == null && env.apply("DJL_OFFLINE") == null) {
            out.put("ai.djl.offline", "true");
        }
        return out;
    }

    /** True when {@code tpdiff4j.online} or {@code TPDIFF4J_ONLINE} is "true" (or "1"). */
    static boolean online(UnaryOperator<String> property, UnaryOperator<String> env) {
        String v = property.apply(ONLINE_PROPERTY);
        if (v == null) {
            v = env.apply(ONLINE_ENV);
        }
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("1")) {
            return true;
        }
        if (s.equals("false") || s.equals("0") || s.isEmpty()) {
            return false;
        }
        throw Refusals.refuse(ONLINE_PROPERTY + " / " + ONLINE_ENV, v, "true, false, 1 or 0");
    }
}
