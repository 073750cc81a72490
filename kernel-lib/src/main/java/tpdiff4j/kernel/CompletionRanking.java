package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of completions: the most likely first, always the same for the same input.
 *
 * <p>Sort keys, in order: (1) how the text matches what was typed: same case prefix, then prefix ignoring case, then
 * the rest; (2) kind: variables of the session, then members (methods, fields, constants; other lower-case names
 * count here too), then the methods every object has from {@code java.lang.Object} ({@code wait(}, {@code notify()},
 * {@code hashCode()}, ...: after {@code p.} the pyramid's own methods come first), then types, then keywords, then
 * packages (JShell writes them with a trailing dot); (3) whether the compiler says it fits the expected type there;
 * (4) shorter first; (5) alphabetical. Duplicates (overloads give one {@code max(} each) keep their best place.
 */
final class CompletionRanking {

    private CompletionRanking() {
    }

    /** One completion as JShell proposes it. */
    record Candidate(String text, boolean matchesType) {
    }

    /**
     * @param candidates the proposals, in any order
     * @param typed      the text being completed (from the replacement start to the cursor)
     * @param variables  the names of the session's variables
     * @return the distinct texts, best first
     */
    static List<String> rank(List<Candidate> candidates, String typed, Set<String> variables) {
        Map<String, Candidate> best = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            best.merge(c.text(), c, (a, b) -> a.matchesType() ? a : b);
        }
        List<Candidate> sorted = new ArrayList<>(best.values());
        sorted.sort(Comparator.<Candidate>comparingInt(c -> match(c.text(), typed))
                .thenComparingInt(c -> kind(c.text(), variables))
                .thenComparing(c -> !c.matchesType())
                .thenComparingInt(c -> c.text().length())
                .thenComparing(Candidate::text));
        List<String> out = new ArrayList<>(sorted.size());
        sorted.forEach(c -> out.add(c.text()));
        return out;
    }

    /** @return 0 for a same-case prefix of {@code typed}, 1 for a prefix ignoring case, 2 otherwise */
    static int match(String text, String typed) {
        if (text.startsWith(typed)) {
            return 0;
        }
        return text.regionMatches(true, 0, typed, 0, typed.length()) ? 1 : 2;
    }

    /**
     * @return 0 variable, 1 member (method, field, constant, other lower-case name), 2 a method of
     *         {@code java.lang.Object}, 3 type, 4 keyword, 5 package
     */
    static int kind(String text, Set<String> variables) {
        if (variables.contains(text)) {
            return 0;
        }
        if (text.endsWith("(") || text.endsWith("()")) {
            return OBJECT_METHODS.contains(text.substring(0, text.indexOf('('))) ? 2 : 1;
        }
        if (text.isEmpty()) {
            return 4;
        }
        if (text.endsWith(".")) {
            return 5;
        }
        char first = text.charAt(0);
        if (Character.isUpperCase(first)) {
            boolean constant = text.chars().allMatch(ch -> Character.isUpperCase(ch) || Character.isDigit(ch)
                    || ch == '_');
            return constant && text.length() > 1 ? 1 : 3;
        }
        return Character.isLowerCase(first) && JAVA_KEYWORDS.contains(text) ? 4 : 1;
    }

    /** The public methods of {@code java.lang.Object}, which every completion after a dot offers. */
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "getClass", "hashCode", "notify", "notifyAll",
            "toString", "wait");

    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "var", "record", "yield", "true", "false", "null");
}
