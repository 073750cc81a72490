package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits cell code into JShell snippets (one statement, declaration or expression each), keeping where each one
 * starts in the cell so that diagnostics and the cursor map back to cell positions.
 *
 * <p>JShell's analysis answers "unknown" and swallows the whole rest of the cell for some valid code (on Java 17, a
 * {@code switch} expression with {@code default -> throw ...}), and {@code JShell.eval} then runs only the first
 * statement of that rest. Such a rest is cut here at the end of its first top-level statement (a {@code ;} or a
 * closing {@code }} outside brackets, strings and comments), so every statement runs or fails on its own.
 */
final class Chunks {

    /**
     * One snippet of a cell.
     *
     * @param start offset of the snippet's first character in the cell
     * @param text the snippet exactly as written in the cell
     * @param source what JShell evaluates (text, with a semicolon added where needed); null when incomplete
     * @param completeness JShell's verdict on the snippet
     */
    record Chunk(int start, String text, String source, Completeness completeness) {

        /**
         * @return true when the snippet as written ends with a semicolon (its value is then not shown); a semicolon
         *         in a comment after it ({@code total // per step;}) does not count
         */
        boolean endsWithSemicolon() {
            return lastCodeChar(text) == ';';
        }

        /** @return offset just past the snippet in the cell */
        int end() {
            return start + text.length();
        }
    }

    private Chunks() {
    }

    /** @return the snippets of {@code code}; an incomplete or unparsable tail is one last chunk */
    static List<Chunk> split(SourceCodeAnalysis sca, String code) {
        List<Chunk> out = new ArrayList<>();
        int offset = 0;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            if (ci.source() == null || !c.isComplete() && c != Completeness.UNKNOWN) {
                out.add(new Chunk(offset, rest, null, c));
                break;
            }
            int consumed = Math.max(0, rest.length() - ci.remaining().length());
            // what JShell took as one snippet reaches past a switch statement's closing brace: the switch ends there
            int upTo = c == Completeness.UNKNOWN ? rest.length() : consumed;
            int switchEnd = switchStatementEnd(rest);
            if (switchEnd > 0 && switchEnd < upTo && !rest.substring(switchEnd, upTo).isBlank()) {
                out.add(new Chunk(offset, rest.substring(0, switchEnd), rest.substring(0, switchEnd), c));
                offset += switchEnd;
                rest = rest.substring(switchEnd);
                continue;
            }
            if (c == Completeness.UNKNOWN) {
                int end = firstStatementEnd(rest);
                if (end > 0 && end < rest.length() && !rest.substring(end).isBlank()) {
                    out.add(new Chunk(offset, rest.substring(0, end), rest.substring(0, end), c));
                    offset += end;
                    rest = rest.substring(end);
                    continue;
                }
            }
            if (consumed == 0) {
                out.add(new Chunk(offset, rest, ci.source(), c));
                break;
            }
            out.add(new Chunk(offset, rest.substring(0, consumed), ci.source(), c));
            offset += consumed;
            rest = rest.substring(consumed);
        }
        return out;
    }

    /**
     * @return when {@code code} starts (after white space and comments) with a {@code switch} statement: the offset
     *         just past the closing brace of its body, or -1 when it does not start so or the body is not closed.
     *         JShell's analysis reads a {@code <} after that brace as a comparison, as if the switch were an
     *         expression, and so joins a generic method declared next ({@code <T> T first(List<T> xs) ...}) to the
     *         switch; a switch statement ends at its closing brace, whatever follows.
     */
    static int switchStatementEnd(String code) {
        int n = code.length();
        int i = 0;
        while (i < n) {
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                i = comment + 1;
            } else if (Character.isWhitespace(code.charAt(i))) {
                i++;
            } else {
                break;
            }
        }
        if (!code.startsWith("switch", i) || i + 6 < n && Character.isJavaIdentifierPart(code.charAt(i + 6))) {
            return -1;
        }
        int depth = 0;
        boolean body = false;
        for (int k = i + 6; k < n; k++) {
            char ch = code.charAt(k);
            int comment = commentEnd(code, k);
            if (comment >= 0) {
                k = comment;
            } else if (ch == '"' || ch == '\'') {
                k = literalEnd(code, k);
            } else if (ch == '(' || ch == '[' || ch == '{') {
                body |= ch == '{' && depth == 0;
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                depth--;
                if (depth == 0 && body) {
                    return k + 1;
                }
                if (depth < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * @return the offset just past the first top-level statement of {@code code} (its {@code ;}, a closing brace
     *         that is not followed by something that continues the statement, or a closing brace that closes
     *         nothing), or -1 when there is none
     */
    static int firstStatementEnd(String code) {
        int depth = 0;
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char ch = code.charAt(i);
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                i = comment;
            } else if (ch == '"' || ch == '\'') {
                i = literalEnd(code, i);
            } else if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth = Math.max(0, depth - 1); // one too many closes nothing: the statement still ends at its ;
            } else if (ch == '}') {
                if (depth == 0) { // a closing brace too many is a statement of its own (it fails on its line)
                    return i + 1;
                }
                depth--;
                if (depth == 0 && !continues(code, i + 1)) {
                    return i + 1;
                }
            } else if (ch == ';' && depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * @return the offset of the innermost bracket ({@code (}, {@code [} or <code>&#123;</code>), text block or block comment of {@code code} that
     *         is still open where the code ends, or -1 when none is
     */
    static int unclosedAt(String code) {
        java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char ch = code.charAt(i);
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                if (code.charAt(i + 1) == '*' && comment >= n) {
                    return i;
                }
                i = comment;
            } else if (ch == '"' || ch == '\'') {
                boolean block = code.startsWith("\"\"\"", i);
                int end = skipQuoted(code, i + (block ? 3 : 1), block ? "\"\"\"" : String.valueOf(ch));
                if (end >= n) {
                    return i;
                }
                i = end;
            } else if (ch == '(' || ch == '[' || ch == '{') {
                open.push(i);
            } else if ((ch == ')' || ch == ']' || ch == '}') && !open.isEmpty()) {
                open.pop();
            }
        }
        return open.isEmpty() ? -1 : open.peek();
    }

    /**
     * @return when a comment starts at {@code i}: the offset of its last character (the line's end for a line
     *         comment, the {@code /} of a block comment's end, or the code's length when it does not end); else -1
     */
    private static int commentEnd(String code, int i) {
        int n = code.length();
        if (code.charAt(i) != '/' || i + 1 >= n) {
            return -1;
        }
        if (code.charAt(i + 1) == '/') {
            int nl = code.indexOf('\n', i);
            return nl < 0 ? n : nl;
        }
        if (code.charAt(i + 1) == '*') {
            int close = code.indexOf("*/", i + 2);
            return close < 0 ? n : close + 1;
        }
        return -1;
    }

    /** @return the last character of {@code code} that is neither white space nor in a comment; 0 when none is */
    static char lastCodeChar(String code) {
        char last = 0;
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char ch = code.charAt(i);
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                i = comment;
            } else if (ch == '"' || ch == '\'') {
                i = Math.min(n - 1, literalEnd(code, i));
                last = code.charAt(i);
            } else if (!Character.isWhitespace(ch)) {
                last = ch;
            }
        }
        return last;
    }

    private static final java.util.regex.Pattern ESCAPED_LINE_END =
            java.util.regex.Pattern.compile("(?<!\\\\)\\\\u+000[aAdD]");

    /**
     * @return the offset of the first unicode escape of a line end ({@code \u000A}, {@code \u000D}) in a line comment
     *         that has code after it on the same line, or -1 when there is none. javac reads such an escape as a line
     *         end, so the rest of the line is code; JShell reads it as part of the comment and never runs it.
     */
    static int escapedLineEndInComment(String code) {
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char ch = code.charAt(i);
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                if (code.charAt(i + 1) == '/') {
                    String body = code.substring(i, Math.min(n, comment));
                    java.util.regex.Matcher m = ESCAPED_LINE_END.matcher(body);
                    if (m.find() && !body.substring(m.end()).isBlank()) {
                        return i + m.start();
                    }
                }
                i = comment;
            } else if (ch == '"' || ch == '\'') {
                i = literalEnd(code, i);
            }
        }
        return -1;
    }

    /** The most bytes a string constant takes in a class file (its UTF-8 form, a 16-bit length). */
    static final int MAX_CONSTANT_BYTES = 65535;

    /**
     * @return the offset of the first string literal or text block in {@code code} whose UTF-8 form is longer than
     *         {@value #MAX_CONSTANT_BYTES} bytes (an escape counted as one character), or -1 when there is none
     */
    static int overlongLiteral(String code) {
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char ch = code.charAt(i);
            int comment = commentEnd(code, i);
            if (comment >= 0) {
                i = comment;
            } else if (ch == '"' || ch == '\'') {
                boolean block = code.startsWith("\"\"\"", i);
                int from = i + (block ? 3 : 1);
                int end = skipQuoted(code, from, block ? "\"\"\"" : String.valueOf(ch));
                long bytes = 0;
                for (int k = from; k < Math.min(end, n) - (block ? 2 : 0); k++) {
                    char c = code.charAt(k);
                    if (c == '\\') {
                        k++;
                        bytes++;
                    } else {
                        bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
                    }
                }
                if (ch == '"' && bytes > MAX_CONSTANT_BYTES) {
                    return i;
                }
                i = end;
            }
        }
        return -1;
    }

    /**
     * @return the index of the last character of the string, character literal or text block that starts at
     *         {@code i} (a {@code "}, {@code '} or {@code """}), or the code's length when it is not closed
     */
    private static int literalEnd(String code, int i) {
        boolean block = code.startsWith("\"\"\"", i);
        return skipQuoted(code, i + (block ? 3 : 1), block ? "\"\"\"" : String.valueOf(code.charAt(i)));
    }

    /** @return the index of the last character of the literal closed by {@code quote} (escapes skipped) */
    private static int skipQuoted(String code, int from, String quote) {
        for (int i = from; i < code.length(); i++) {
            if (code.charAt(i) == '\\') {
                i++;
            } else if (code.startsWith(quote, i)) {
                return i + quote.length() - 1;
            }
        }
        return code.length();
    }

    /** @return true when the code after a top-level closing brace continues the same statement */
    private static boolean continues(String code, int from) {
        String next = code.substring(from).stripLeading();
        while (next.startsWith("//") || next.startsWith("/*")) {
            int end = next.startsWith("//") ? next.indexOf('\n') : next.indexOf("*/");
            next = end < 0 ? "" : next.substring(end + (next.startsWith("//") ? 1 : 2)).stripLeading();
        }
        if (next.isEmpty()) {
            return false;
        }
        char c = next.charAt(0);
        if (";,.)]?:+-*/%&|^=<>!".indexOf(c) >= 0) {
            return true;
        }
        for (String word : new String[]{"else", "catch", "finally", "while", "instanceof"}) {
            if (next.startsWith(word) && (next.length() == word.length()
                    || !Character.isJavaIdentifierPart(next.charAt(word.length())))) {
                return true;
            }
        }
        return false;
    }
}
