package tpdiff4j.kernel;

/**
 * Shift-Tab pressed again asks for the whole Javadoc. Jupyter's front-ends send every inspect request with
 * {@code detail_level = 0} (classic Notebook always; a second Shift-Tab there only enlarges the tooltip and asks the
 * kernel again), so the kernel reads a request for the same code and cursor as the one just before it as
 * {@code detail_level = 1}: the first press shows the signature and the first sentence, the second the whole comment
 * with its {@code @param} lines. Any other request in between starts over.
 */
final class RepeatedInspect {

    private String lastCode;
    private int lastCursor = -1;

    /**
     * @param code   the request's code
     * @param cursor the request's cursor position
     * @param asked  whether the front-end itself asked for more detail ({@code detail_level > 0})
     * @return whether to answer with the whole comment
     */
    synchronized boolean detail(String code, int cursor, boolean asked) {
        boolean again = cursor == lastCursor && code.equals(lastCode);
        lastCode = code;
        lastCursor = cursor;
        return asked || again;
    }
}
