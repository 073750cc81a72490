package tpdiff4j.kernel;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The display ids that {@code display(...)} returned: every one of the session, which {@code updateDisplay} accepts
 * (a front end silently ignores an update for an id it never showed), and those of the running cell. A cell whose last line is
 * {@code display(x)} shows {@code x}, and not also the id as its value, as IPython's {@code display} shows nothing
 * more; {@code String id = display(x);} keeps the id for {@code updateDisplay}, and a last line that names a variable
 * or field holding an id ({@code id}, {@code ids[0]}) shows it.
 *
 * <p>Ids are kept by identity: the very string that {@code display} returned, not another string with the same text.
 * Only ids returned while a cell runs are kept (a thread a cell started may call {@code display} between cells for
 * hours), and they are forgotten when the next cell starts.
 */
final class DisplayIds {

    /** A variable, a field or an array element: {@code id}, {@code run.id}, {@code ids[2]}, in parentheses or not. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*"
            + "(\\s*\\.\\s*[\\p{L}_$][\\p{L}\\p{N}_$]*|\\s*\\[[^\\[\\]()]*])*");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    private final Set<String> returned = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Set<String> session = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean cellRuns;

    /** A cell starts: the ids of earlier cells are forgotten. */
    void cellStarts() {
        returned.clear();
        cellRuns = true;
    }

    /** The cell has ended: ids returned from now on (by threads it started) are not kept. */
    void cellEnded() {
        cellRuns = false;
        returned.clear();
    }

    /** {@code display} returned {@code id} (on any thread). */
    void returned(String id) {
        session.add(id);
        if (cellRuns) {
            returned.add(id);
        }
    }

    /** @return whether {@code display} returned {@code id} in this session (on any thread, in any cell) */
    boolean known(String id) {
        return session.contains(id);
    }

    /**
     * @param value  the value of the cell's last expression
     * @param source that expression as written (null when unknown: the value is then kept)
     * @return {@code value}, or null where it is an id that {@code display} returned in this cell and the expression
     *         is a call rather than a name ({@code display(x)}, a method of the cell's that calls it)
     */
    Object shown(Object value, String source) {
        if (!(value instanceof String s) || !returned.contains(s)) {
            return value;
        }
        return source == null || isName(source) ? value : null;
    }

    /** @return whether {@code source} is a variable, a field or an array element, not a call or other expression */
    static boolean isName(String source) {
        String s = COMMENT.matcher(source).replaceAll(" ").strip();
        while (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return NAME.matcher(s).matches();
    }
}
