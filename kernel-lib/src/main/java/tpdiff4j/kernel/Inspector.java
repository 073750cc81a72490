package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * What {@code inspect} (Shift-Tab) shows for the name under the cursor: a class, a method (every overload), a field
 * or a variable of the session.
 *
 * <p>The name is the dotted chain around the cursor ({@code Math.max}, {@code list.add}, {@code x}); with the cursor
 * inside a call's parentheses, the called method. Signatures come from JShell's compiler, so every class on the
 * kernel's class path (the JDK, tpdiff4j, jars added by {@code %maven} or {@code %jars}) is covered; the Javadoc
 * summary (first sentence; the whole comment for detail level 1) comes from {@link JavadocSummary} where sources
 * are available. A variable of the session shows its type and the start of its value.
 */
final class Inspector {

    /** The longest value summary shown for a variable (characters). */
    static final int VALUE_CHARS = 200;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;

    Inspector(JShell shell, SourceCodeAnalysis analysis) {
        this.shell = shell;
        this.analysis = analysis;
    }

    /**
     * @param code   one snippet of the cell (the one that holds the cursor)
     * @param cursor position in {@code code}, in chars
     * @param detail true for the whole Javadoc (detail level 1), false for the first sentence
     * @return one entry per symbol: its signature, then its documentation; empty when nothing is known there
     */
    List<String> describe(String code, int cursor, boolean detail) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int start = chainStart(code, end);
        if (start == end) {
            int open = openParen(code, at);
            if (open < 0) {
                return List.of();
            }
            end = open;
            while (end > 0 && Character.isWhitespace(code.charAt(end - 1))) {
                end--;
            }
            start = chainStart(code, end);
            if (start == end) {
                return List.of();
            }
        }
        String chain = code.substring(start, end);
        String upTo = code.substring(0, end);
        List<String> out = new ArrayList<>();
        if (!chain.contains(".")) {
            variable(chain).ifPresent(out::add);
            if (!out.isEmpty()) {
                return out;
            }
        }
        List<String> imports = importedPackages();
        for (String probe : new String[]{upTo + "(", upTo}) {
            for (SourceCodeAnalysis.Documentation d : analysis.documentation(probe, probe.length(), detail)) {
                String doc = d.javadoc() != null ? summary(d.javadoc(), detail)
                        : JavadocSummary.of(d.signature(), detail, imports).orElse(null);
                out.add(d.signature() + (doc == null || doc.isBlank() ? "" : "\n" + doc));
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        String type = analysis.analyzeType(upTo, upTo.length());
        if (type != null && !type.isBlank()) {
            out.add(chain + " : " + type);
        }
        return out;
    }

    /** @return where the dotted identifier chain that ends at {@code end} starts */
    private static int chainStart(String code, int end) {
        int s = end;
        while (s > 0 && (Character.isJavaIdentifierPart(code.charAt(s - 1)) || code.charAt(s - 1) == '.')) {
            s--;
        }
        while (s < end && code.charAt(s) == '.') {
            s++;
        }
        return s;
    }

    /** @return the '(' of the innermost call still open at {@code at}, or -1 */
    private static int openParen(String code, int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ';' || c == '{' || c == '}') {
                return -1;
            }
        }
        return -1;
    }

    private Optional<String> variable(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isActive())
                .reduce((a, b) -> b).map(this::describeVariable);
    }

    private String describeVariable(VarSnippet v) {
        String value;
        try {
            value = shell.varValue(v);
        } catch (RuntimeException e) {
            value = "(value not available: " + e.getClass().getSimpleName() + ")";
        }
        if (value.length() > VALUE_CHARS) {
            value = value.substring(0, VALUE_CHARS) + "... (" + value.length() + " characters)";
        }
        String type = v.typeName();
        String doc = JavadocSummary.of(type, false, importedPackages()).orElse(null);
        return type + " " + v.name() + " = " + value + (doc == null ? "" : "\n" + type + ": " + doc);
    }

    /** @return the packages of the session's wildcard imports, e.g. {@code java.util} */
    private List<String> importedPackages() {
        List<String> out = new ArrayList<>();
        shell.imports().filter(i -> shell.status(i).isActive() && !i.isStatic())
                .map(ImportSnippet::fullname)
                .filter(n -> n.endsWith(".*"))
                .forEach(n -> out.add(n.substring(0, n.length() - 2)));
        return out;
    }

    /** @return the first sentence of JShell's Javadoc text, or all of it with {@code detail} */
    private static String summary(String javadoc, boolean detail) {
        return detail ? javadoc.strip() : JavadocSummary.clean(javadoc, false);
    }
}
