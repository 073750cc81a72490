package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell did not compile. The message is JShell's first diagnostic; {@link #traceback()} adds every diagnostic with
 * the offending line of the cell and a caret under the offending code.
 */
public final class CompileError extends Exception {

    private final List<String> traceback = new ArrayList<>();

    /** @param message the first diagnostic; @param traceback the lines shown under it */
    public CompileError(String message, List<String> traceback) {
        super(message);
        this.traceback.addAll(traceback);
    }

    /** @return the diagnostics with the offending cell lines */
    public List<String> traceback() {
        return List.copyOf(traceback);
    }

    /** Adds {@code line} below the diagnostics (a note on why the code reads as it does). */
    void note(String line) {
        traceback.add(line);
    }
}
