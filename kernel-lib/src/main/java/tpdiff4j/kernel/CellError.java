package tpdiff4j.kernel;

/**
 * A cell ended with a JVM {@link Error} such as {@link OutOfMemoryError} or {@link StackOverflowError}. The kernel
 * reports it as this exception (Jupyter's error message needs an {@code Exception}) and keeps running.
 */
public final class CellError extends Exception {

    private final String hint;

    /** @param hint advice shown after the error's own description; @param cause the error */
    public CellError(Error cause, String hint) {
        super(cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + (hint == null ? "" : " (" + hint + ")"), cause);
        this.hint = hint;
    }

    /** @return the advice shown after the error's own description; null when there is none */
    public String hint() {
        return hint;
    }
}
