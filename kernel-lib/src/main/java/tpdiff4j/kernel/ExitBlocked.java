package tpdiff4j.kernel;

/** Thrown instead of ending the JVM when a cell calls {@code System.exit} or {@code Runtime.halt}. */
public final class ExitBlocked extends SecurityException {

    /**
     * @param call   the call the cell made, {@code "System.exit"} or {@code "Runtime.halt"}
     * @param status the exit status the cell asked for
     */
    public ExitBlocked(String call, int status) {
        super(call + "(" + status + ") was called in a cell; the kernel keeps running "
                + "(restart it from the Kernel menu instead; in jupyter console, type exit to end the session)");
    }
}
