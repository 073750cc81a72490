package tpdiff4j.kernel;

/** A cell stopped because the user interrupted the kernel; the kernel itself keeps running. */
public final class CellInterrupted extends Exception {

    private final transient Object value;

    /** @param message what was interrupted; @param cause what the cell threw when it stopped (may be null) */
    public CellInterrupted(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param value the value of the cell's last expression when that expression returned early because of the
     *              interrupt (an interrupted {@code trainer.train(...)} returns the steps it made); null: none
     */
    CellInterrupted(String message, Throwable cause, Object value) {
        super(message, cause, true, false); // no trace of its own: it is made by the kernel, not by the cell's code
        this.value = value;
    }

    /** The partial value the interrupted statement returned, shown above the error; null when there is none. */
    public Object value() {
        return value;
    }
}
