package tpdiff4j.kernel;

/** A cell stopped because the user interrupted the kernel; the kernel itself keeps running. */
public final class CellInterrupted extends Exception {

    /** @param message what was interrupted; @param cause what the cell threw when it stopped (may be null) */
    public CellInterrupted(String message, Throwable cause) {
        super(message, cause);
    }
}
