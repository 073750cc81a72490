package tpdiff4j.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Permission;
import java.util.List;

/**
 * Keeps {@code System.exit} in a cell from ending the kernel.
 *
 * <p>Java 17 to 23 offer only the (deprecated, still working) {@link SecurityManager} hook {@code checkExit}; it needs
 * the JVM option {@code -Djava.security.manager=allow}, which the kernelspec passes there ({@link KernelJvmOptions}).
 * Java 24 and newer have no security manager: there {@link CellExit} alone guards {@code System.exit} written in a
 * cell, and an exit called by other code ends the kernel. Every other permission is granted
 * without a check, so the guard costs nothing elsewhere. The kernel's own shutdown calls {@link #allowExit()} first.
 */
@SuppressWarnings({"removal", "deprecation"})
public final class ExitGuard extends SecurityManager {

    private static volatile boolean exitAllowed;

    private ExitGuard() {
    }

    /**
     * The four lines Java 17 to 23 write the first time a class calls {@code System.setSecurityManager}, each line's
     * start. They go to the standard error the JVM started with (the terminal of {@code jupyter console} or of the
     * Notebook server), not to {@code System.err}; {@link #install()} keeps them off it.
     */
    static final List<String> JDK_WARNING = List.of(
            "WARNING: A terminally deprecated method in java.lang.System has been called",
            "WARNING: System::setSecurityManager has been called by ",
            "WARNING: Please consider reporting this to the maintainers of ",
            "WARNING: System::setSecurityManager will be removed in a future release");

    /**
     * Installs the guard. The JDK's four-line warning about {@code setSecurityManager} is left out of the process's
     * standard error (it would greet every kernel start, and the kernel knows: {@link CellExit} is the guard where the
     * security manager is gone); anything else written there meanwhile, by any thread, is passed on.
     *
     * @return true when installed; false when the JVM forbids a security manager (then a line says what that means)
     */
    public static boolean install() {
        if (System.getSecurityManager() instanceof ExitGuard) {
            return true;
        }
        ExitGuard guard = new ExitGuard();
        try {
            if (Runtime.version().feature() >= KernelJvmOptions.NO_SECURITY_MANAGER_FROM) {
                System.setSecurityManager(guard); // throws: no security manager, and no warning to keep off
                return true;
            }
            byte[] written;
            try {
                written = StandardErrorCapture.capture(() -> System.setSecurityManager(guard));
            } catch (StandardErrorCapture.Unavailable e) {
                System.setSecurityManager(guard); // the JDK's warning shows
                return true;
            }
            byte[] rest = withoutJdkWarning(written);
            System.err.write(rest, 0, rest.length);
            System.err.flush();
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            System.err.println("tpdiff4j kernel: Java " + Runtime.version().feature() + " " + NO_GUARD
                    + (Runtime.version().feature() < KernelJvmOptions.NO_SECURITY_MANAGER_FROM
                    ? " (start it with " + String.join(" ", KernelJvmOptions.forThisJvm()) + ")" : ""));
            return false;
        }
    }

    /**
     * @param written bytes written to standard error
     * @return the same bytes without the lines of {@link #JDK_WARNING}; every other byte stays, in order
     */
    static byte[] withoutJdkWarning(byte[] written) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(written.length);
        int start = 0;
        while (start < written.length) {
            int end = start;
            while (end < written.length && written[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, written.length);
            String line = new String(written, start, end - start, StandardCharsets.ISO_8859_1);
            boolean complete = end < written.length;
            if (!(complete && JDK_WARNING.stream().anyMatch(line::startsWith))) {
                kept.write(written, start, next - start);
            }
            start = next;
        }
        return kept.toByteArray();
    }

    /** What a JVM without a security manager means for the kernel, after "Java 25 ". */
    static final String NO_GUARD = "has no security manager, so only a System.exit written in a cell is blocked; one "
            + "inside a jar's code ends the kernel";

    /** Lets the next {@code System.exit} through: the kernel is shutting down. */
    public static void allowExit() {
        exitAllowed = true;
    }

    @Override
    public void checkExit(int status) {
        if (!exitAllowed) {
            boolean halt = StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("halt")));
            throw new ExitBlocked(halt ? "Runtime.halt" : "System.exit", status);
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        // everything else is allowed
    }
}
