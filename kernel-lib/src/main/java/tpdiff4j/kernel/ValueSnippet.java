package tpdiff4j.kernel;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The last expression of a cell rewritten as a declaration {@code Object $tpdiff4j$value17 = (expression);}, which
 * JShell compiles once: an expression snippet as written costs JShell an extra compilation to infer its type before
 * it compiles the snippet itself (about twice the time of a declaration for {@code 1 + 1}).
 *
 * <p>The rewrite is only tried on code that may be an expression; code that is not one fails to compile inside
 * the parentheses and runs as written instead, so the shown value and every message stay those of JShell.
 * {@code switch} expressions stay as written: in a context typed {@code Object} their arms are not promoted to one
 * numeric type ({@code default -> 2.0} would show {@code 1} instead of {@code 1.0} for the arm {@code 1}).
 */
final class ValueSnippet {

    /**
     * Start of the name of the variable that holds the value, followed by a serial number that is new for every
     * snippet; the kernel drops the variable at once and nulls its field after the cell. A new name each time: JShell
     * (Java 17) makes every later declaration of a name that was declared and dropped before slower than the one
     * before it, in proportion to how often that happened, so one fixed name made each cell that shows a value about
     * 2 ms slower than the previous one (300 cells into a session, 0.6 s for {@code 1 + 1}).
     */
    static final String NAME = "$tpdiff4j$value";

    private static final Set<String> STATEMENT_WORDS = Set.of("import", "class", "interface", "enum", "record",
            "public", "private", "protected", "static", "final", "abstract", "sealed", "non", "strictfp", "default",
            "if", "for", "while", "do", "switch", "try", "throw", "return", "break", "continue", "synchronized",
            "assert", "yield", "var", "void");
    /** A declaration {@code Type name}, {@code Type name = ...} or {@code Type<A, B>[] name ...}. */
    private static final Pattern DECLARATION = Pattern.compile(
            "[\\p{L}_$][\\p{L}\\p{N}_$.]*\\s*(<[^=;()]*>)?\\s*(\\[\\s*]\\s*)*\\s[\\p{L}_$][\\p{L}\\p{N}_$]*\\s*(=.*|[,;]?)",
            Pattern.DOTALL);
    private static final Pattern SWITCH = Pattern.compile("\\bswitch\\b");

    private ValueSnippet() {
    }

    /**
     * @param text   a complete snippet as written in the cell, without a trailing semicolon
     * @param serial a number not used before in this session: the variable is {@code NAME + serial}
     * @return the declaration to try instead, or null where the text is surely not an expression whose value shows
     */
    static String wrap(String text, long serial) {
        String s = text.strip();
        if (s.isEmpty() || s.endsWith(";") || s.endsWith("}") || s.startsWith("@") || s.startsWith("{")
                || SWITCH.matcher(s).find()) {
            return null;
        }
        int end = 0;
        while (end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) {
            end++;
        }
        if (STATEMENT_WORDS.contains(s.substring(0, end)) || DECLARATION.matcher(s).matches()) {
            return null;
        }
        // new lines around the code: a trailing // comment must not swallow the closing parenthesis
        return "Object " + NAME + serial + " = (\n" + text + "\n);";
    }
}
