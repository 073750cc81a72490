package tpdiff4j.kernel;

/** A cell stopped because the user interrupted the kernel; the kernel itself keeps running. */
public final class CellInterrupted extends Exception {

    private final transient Object value;
    /** Whether the traceback shows the cause (false: the message says all, the cause only places the statement). */
    private final boolean causeShown;

    /** @param message what was interrupted; @param cause what the cell threw when it stopped (may be null) */
    public CellInterrupted(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param value the value of the cell's last expression when that expression returned early because of the
     *              interrupt (an interrupted {@code trainer.train(...)} returns the steps it made); null: none
     */
    CellInterrupted(String message, Throwable cause, Object value) {
        this(message, cause, value, true);
    }

    private CellInterrupted(String message, Throwable cause, Object value, boolean causeShown) {
        super(message + stillRunning(), cause, true, false); // no trace of its own: made by the kernel, not the cell
        this.value = value;
        this.causeShown = causeShown;
    }

    /**
     * The cell was interrupted while it waited for a line of {@code System.in}: one sentence, without the exception
     * that the reading code made of the interrupted read ({@code NoSuchElementException} from a Scanner,
     * {@code InterruptedIOException} from a reader), which is kept as the cause only to place the statement.
     *
     * @param failure what the cell threw
     * @param advice  empty, or what to do before reading again, from "; " on
     *                ({@link SpentScanners#afterInterruptedRead})
     */
    static CellInterrupted waitingForInput(Throwable failure, String advice) {
        return new CellInterrupted("the cell was interrupted while it waited for a line of input (System.in)"
                + advice, failure, null, false);
    }

    /** @return whether the traceback shows the cause chain (false where the message already says what happened) */
    boolean causeShown() {
        return causeShown;
    }

    /**
     * What an interrupt leaves running: Kernel → Interrupt reaches the cell's thread only, so library work the cell
     * handed to other threads (an executor, a parallel stream, a CompletableFuture) goes on. The threads inside a
     * training or solver step now, other than the calling one, are named with how to stop them; empty when there are
     * none.
     */
    static String stillRunning() {
        java.util.List<String> names = tpdiff4j.ode.StepInProgress.threadsInside().stream()
                .filter(t -> t != Thread.currentThread()).map(Thread::getName).sorted().toList();
        if (names.isEmpty()) {
            return "";
        }
        return ". The interrupt reached the cell's own thread only: library work (a training or sampling step) still"
                + " runs on " + (names.size() == 1 ? "thread " + names.get(0) : names.size() + " other threads "
                + names) + ", and its output goes on into the notebook. Stop it through what runs it:"
                + " future.cancel(true) or executor.shutdownNow() interrupt it, and it ends at its next step"
                + " (CompletableFuture.cancel does not interrupt; submit such work to an ExecutorService instead)";
    }

    /** The partial value the interrupted statement returned, shown above the error; null when there is none. */
    public Object value() {
        return value;
    }
}
