package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits cell code into JShell snippets (one statement, declaration or expression each), keeping where each one
 * starts in the cell so that diagnostics and the cursor map back to cell positions.
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

        /** @return true when the snippet as written ends with a semicolon (its value is then not shown) */
        boolean endsWithSemicolon() {
            return text.strip().endsWith(";");
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
}
