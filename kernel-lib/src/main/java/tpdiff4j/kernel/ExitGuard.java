package tpdiff4j.kernel;

import java.security.Permission;

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
     * Installs the guard.
     *
     * @return true when installed; false when the JVM forbids a security manager (then a warning names the option)
     */
    public static boolean install() {
        if (System.getSecurityManager() instanceof ExitGuard) {
            return true;
        }
        try {
            System.setSecurityManager(new ExitGuard());
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            System.err.println("tpdiff4j kernel: System.exit written in a cell is guarded, but one called by other "
                    + "code (a jar's own) ends the kernel: this JVM has no security manager"
                    + (Runtime.version().feature() < KernelJvmOptions.NO_SECURITY_MANAGER_FROM
                    ? "; start it with " + String.join(" ", KernelJvmOptions.forThisJvm()) : "")
                    + " (" + e + ")");
            return false;
        }
    }

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
