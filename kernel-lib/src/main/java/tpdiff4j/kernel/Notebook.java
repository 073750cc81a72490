package tpdiff4j.kernel;

import java.util.UUID;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Helpers every cell sees through {@code import static tpdiff4j.kernel.Notebook.*}.
 *
 * <pre>{@code
 * String id = display(figure);        // shows it now, in this cell's output
 * updateDisplay(id, newerFigure);     // replaces that output in place, e.g. from a training loop
 * display("<b>bold</b>", "text/html"); // a string as the content of a MIME type
 * render(figure, "image/png")          // as a cell's last expression: only that form (and text/plain)
 * clearOutput(true);                   // clears the cell's output when the next output comes
 * }</pre>
 *
 * <p>A thread that a cell started may call them too, also after the cell ended: they go where printed text goes (the
 * running cell, or between cells the last one that ran).
 */
public final class Notebook {

    private static volatile TpdiffKernel kernel;

    private Notebook() {
    }

    static void attach(TpdiffKernel k) {
        kernel = k;
    }

    /**
     * Shows {@code value} as a {@code display_data} output.
     *
     * @param mimeTypes the forms to send (see {@link MimeBundles#as}); none: every form the value has
     * @return the display id, for {@link #updateDisplay}
     */
    public static String display(Object value, String... mimeTypes) {
        DisplayData d = new DisplayData(MimeBundles.as(value, mimeTypes));
        String id = UUID.randomUUID().toString();
        d.setDisplayId(id);
        TpdiffKernel k = requireKernel("display");
        k.display(d);
        k.displayed(id); // a last line display(x) shows x, not also this id as the cell's value
        return id;
    }

    /**
     * @param mimeTypes the forms to keep (see {@link MimeBundles#as}); none: every form the value has
     * @return the MIME bundle of {@code value}, shown when it is a cell's value; nothing is sent now
     */
    public static DisplayData render(Object value, String... mimeTypes) {
        return MimeBundles.as(value, mimeTypes);
    }

    /**
     * Replaces the output shown under {@code displayId} by {@code value}.
     *
     * @param displayId an id that {@link #display} returned in this kernel session, in any cell or thread (a front
     *                  end ignores an update for any other id, so another one is refused rather than lost)
     */
    public static void updateDisplay(String displayId, Object value) {
        if (displayId == null || displayId.isBlank()) {
            throw new IllegalArgumentException("displayId = '" + displayId
                    + "'; allowed: the id that display(...) returned");
        }
        TpdiffKernel k = requireKernel("updateDisplay");
        if (!k.knowsDisplay(displayId)) {
            throw new IllegalArgumentException("displayId = '" + displayId + "'; allowed: an id that display(...)"
                    + " returned in this kernel session (String id = display(x);), after a restart from a cell run again;"
                    + " this one is no such id, so no output shows it and the update would be lost");
        }
        k.updateDisplay(displayId, MimeBundles.of(value));
    }

    /**
     * Clears this cell's output, as IPython's {@code clear_output}: what the cell printed before is sent first, so
     * it is cleared too.
     *
     * @param wait true: the output is cleared only when the next output arrives (a loop that clears and shows again
     *             does not flicker); false: at once
     */
    public static void clearOutput(boolean wait) {
        requireKernel("clearOutput").clearOutput(wait);
    }

    /** Clears this cell's output at once ({@link #clearOutput(boolean)} with {@code wait} false). */
    public static void clearOutput() {
        clearOutput(false);
    }

    private static TpdiffKernel requireKernel(String what) {
        TpdiffKernel k = kernel;
        if (k == null) {
            throw new IllegalStateException(what + "(...) needs the tpdiff4j Jupyter kernel; none is running");
        }
        return k;
    }
}
