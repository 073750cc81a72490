package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;

/**
 * The kernel's own JVM options, some of which depend on the Java version it runs on; {@code environment/setup} runs
 * {@link #main} with the JDK that will run the kernel and writes the lines it prints into the kernelspec.
 *
 * <ul>
 *   <li>{@code -Dslf4j.provider=tpdiff4j.kernel.KernelLogProvider} and {@code -Dslf4j.internal.verbosity=WARN} on
 *       every version: DJL logs through SLF4J, and without a back end SLF4J printed three "No SLF4J providers" lines
 *       at every kernel start and dropped every message, warnings included. {@link KernelLogProvider} writes them to
 *       the cell's standard error; it is chosen here, for the kernel only, so that a program using the library keeps
 *       its own back end. The verbosity keeps SLF4J's own note that it loads the named provider off the console (its
 *       warnings still show).</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED} on every version (Java 17 accepts it): from Java 24 on, the first
 *       native library a jar on the class path loads (JNA, PyTorch through DJL) otherwise prints a four-line
 *       "restricted method" warning at every kernel start.</li>
 *   <li>{@code -Djava.security.manager=allow} on Java 17 to 23 only, for {@link ExitGuard}. Java 24 removed the
 *       security manager, and a JVM started with this option there stops at once with "Enabling a Security Manager
 *       is not supported": the kernel would never start.</li>
 * </ul>
 */
public final class KernelJvmOptions {

    /** The first Java feature release without a security manager. */
    public static final int NO_SECURITY_MANAGER_FROM = 24;

    /**
     * Selects the kernel's SLF4J back end; its name is written out, since {@code environment/setup} runs
     * {@link #main} with only the kernel's jar on the class path, where SLF4J's classes are missing.
     */
    public static final String LOG_PROVIDER = "-Dslf4j.provider=tpdiff4j.kernel.KernelLogProvider";
    /** Keeps SLF4J's informational notes about itself (which provider it loads) off the console. */
    public static final String LOG_QUIET = "-Dslf4j.internal.verbosity=WARN";

    /** The oldest Java feature release the kernel runs on. */
    public static final int OLDEST = 17;

    private KernelJvmOptions() {
    }

    /**
     * @param feature the Java feature release the kernel runs on ({@code Runtime.version().feature()}), 17 or newer
     * @return the options, in the order they go on the command line
     */
    public static List<String> forFeature(int feature) {
        if (feature < OLDEST) {
            throw Refusals.refuse("feature", feature,
                    OLDEST + " or newer (the kernel needs Java " + OLDEST + " or newer)");
        }
        List<String> options = new ArrayList<>();
        options.add("--enable-native-access=ALL-UNNAMED");
        options.add(LOG_PROVIDER);
        options.add(LOG_QUIET);
        if (feature < NO_SECURITY_MANAGER_FROM) {
            options.add("-Djava.security.manager=allow");
        }
        return List.copyOf(options);
    }

    /** @return the options for the JVM this code runs in */
    public static List<String> forThisJvm() {
        return forFeature(Runtime.version().feature());
    }

    /**
     * Prints {@link #forThisJvm()}, one option a line.
     *
     * @param args none
     */
    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: java -cp kernel-lib.jar " + KernelJvmOptions.class.getName()
                    + " (no arguments: prints the kernel's JVM options for this java, one a line)");
            System.exit(2);
        }
        forThisJvm().forEach(System.out::println);
    }
}
