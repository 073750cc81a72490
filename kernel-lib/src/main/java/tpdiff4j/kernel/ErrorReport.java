package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Readable tracebacks for Jupyter: the exception's type and message, then the frames of the cell, then at most a
 * few library frames (tpdiff4j and other code between the throw and the cell); JDK reflection, JShell and kernel
 * frames are dropped. Causes follow the same way.
 *
 * <p>JShell compiles each snippet into a class of package {@code REPL}, whose line numbers count the lines of JShell's
 * wrapper around the snippet. When the kernel knows which statement of the cell failed, the cell's own frame names its
 * line, and a last line names the statements after it that did not run; a frame in a method a cell declared names the
 * line of that declaration, mapped back through the wrapper ({@link CellEvaluator#declaredLine}).
 */
public final class ErrorReport {

    static final String RED = "\u001B[31m";
    static final String BOLD = "\u001B[1m";
    static final String RESET = "\u001B[0m";
    private static final int LIBRARY_FRAMES = 6;
    /**
     * The prefix JShell's wrapper class puts before a cell's names: {@code REPL.$JShell$27.s} for a variable
     * {@code s}, {@code REPL.$JShell$12$P} for a class {@code P}; a snippet recompiled because something it uses
     * was redeclared gets a letter after its number ({@code REPL.$JShell$12B}).
     */
    private static final java.util.regex.Pattern WRAPPER =
            java.util.regex.Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]*[.$]");

    private ErrorReport() {
    }

    /** @return the traceback lines for {@code t} */
    public static List<String> traceback(Throwable t) {
        return traceback(t, null);
    }

    /**
     * The traceback lines for {@code t}, which ended a cell at {@code stop} (null when unknown): the cell's own frame
     * names the line of the failing statement, and a last line says which statements after it did not run.
     */
    static List<String> traceback(Throwable t, CellEvaluator.Stop stop) {
        return traceback(t, stop, frame -> null);
    }

    /**
     * The same, with the line of each method declared in a cell where it failed: {@code lines} gives, for a frame of a
     * method, lambda or class a cell declared, its line inside that declaration and the line's text (null when
     * unknown).
     */
    static List<String> traceback(Throwable t, CellEvaluator.Stop stop, Function<StackTraceElement, DeclaredLine> lines) {
        List<String> out = new ArrayList<>();
        if (t instanceof CompileError) {
            out.add(RED + BOLD + "CompileError: " + RESET + t.getMessage());
            out.addAll(((CompileError) t).traceback());
            if (stop != null && !stop.skipped().isEmpty()) {
                out.add("  " + stop.skipped());
            }
            return out;
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        // a JVM Error is shown as itself, with the kernel's advice in its headline, not under the wrapper it came in
        String first = headline(t);
        Throwable cur = t instanceof CellError && t.getCause() != null ? t.getCause() : t;
        String prefix = "";
        String where = stop == null ? null : stop.where();
        boolean placed = false;
        while (cur != null && !seen.containsKey(cur)) {
            seen.put(cur, true);
            out.add(RED + BOLD + prefix + (first != null ? first : headline(cur)) + RESET);
            first = null;
            placed |= frames(cur, out, where, lines);
            suppressed(cur, out, seen, lines);
            prefix = "Caused by: ";
            cur = cur instanceof CellInterrupted ci && !ci.causeShown() ? null : cur.getCause();
        }
        if (where != null && !placed) {
            out.add(1, "    at " + where);
        }
        if (stop != null && !stop.skipped().isEmpty()) {
            out.add("  " + stop.skipped());
        }
        return out;
    }

    /**
     * Adds the exceptions that {@code t} suppressed, with their frames and causes, as {@code printStackTrace} does: a
     * try-with-resources whose body threw and whose {@code close()} threw too keeps the second one there, and it is
     * often the one that tells what went wrong.
     */
    private static void suppressed(Throwable t, List<String> out, Map<Throwable, Boolean> seen,
            Function<StackTraceElement, DeclaredLine> lines) {
        for (Throwable s : t.getSuppressed()) {
            String prefix = "Suppressed: ";
            for (Throwable cur = s; cur != null && !seen.containsKey(cur); cur = cur.getCause()) {
                seen.put(cur, true);
                out.add(RED + BOLD + prefix + headline(cur) + RESET);
                frames(cur, out, null, lines);
                suppressed(cur, out, seen, lines);
                prefix = "Caused by: ";
            }
        }
    }

    /**
     * @return {@code SimpleName: message} of a throwable, without the names of JShell's wrapper classes (a cell's
     *     variable {@code s} is the field {@code REPL.$JShell$27.s} to the JVM, and a null-pointer message says so)
     */
    public static String headline(Throwable t) {
        String m = text(t);
        return name(t) + (m == null ? "" : ": " + m);
    }

    /**
     * @return the message of {@code t} as the user should read it (see {@link #message}); for a JVM Error the cell
     *         ended with ({@link CellError}), the Error's own message followed by the kernel's advice in brackets, or
     *         the advice alone; null when there is nothing to say
     */
    private static String text(Throwable t) {
        if (t instanceof CellError c && c.getCause() != null) {
            String own = message(c.getCause(), c.getCause().getLocalizedMessage());
            String hint = c.hint();
            return own == null ? hint : hint == null ? own : own + " (" + hint + ")";
        }
        return message(t, t.getLocalizedMessage()); // as Throwable.toString and printStackTrace have it
    }

    /** JVM's message for a cast between two classes of the session; group 1 and 2 are their names. */
    private static final java.util.regex.Pattern CELL_CAST = java.util.regex.Pattern.compile(
            "class (REPL\\.\\S+) cannot be cast to class (REPL\\.\\S+) \\(.*\\)", java.util.regex.Pattern.DOTALL);

    /**
     * {@code m}, the message of {@code t}, with the cell's names as the cell wrote them. A cast of an object made
     * from an earlier declaration of a class to the class as declared now reads, to the JVM, "class Box cannot be
     * cast to class Box (Box and Box are in unnamed module of loader ...)": it says which is which instead.
     */
    private static String message(Throwable t, String m) {
        if (m == null) {
            return null;
        }
        java.util.regex.Matcher cast = t instanceof ClassCastException ? CELL_CAST.matcher(m) : null;
        if (cast != null && cast.matches()) {
            String from = cellNames(cast.group(1));
            String to = cellNames(cast.group(2));
            if (from.equals(to)) {
                return "class " + from + " of an earlier declaration cannot be cast to class " + to + " as declared"
                        + " now: the object was made before " + to + " was declared again; run the cells that make"
                        + " it again";
            }
            return "class " + from + " cannot be cast to class " + to;
        }
        return cellNames(m);
    }

    /**
     * The exception's name as the user knows it, for the traceback's headline and the {@code ename} of the error
     * reply: the simple name of a library class ({@code IllegalArgumentException}); for a class a cell declared, the
     * name the cell gave it, with its enclosing classes ({@code MyException}, {@code Outer.Inner}) instead of JShell's
     * wrapper name ({@code REPL.$JShell$12$Outer$Inner}); for an anonymous class ({@code new RuntimeException("x")
     * {}}), that of the class it extends; for a JVM Error a cell ended with, the Error's ({@code StackOverflowError}).
     * Never empty.
     */
    static String name(Throwable t) {
        if (t instanceof CellError && t.getCause() != null) {
            return name(t.getCause()); // StackOverflowError, OutOfMemoryError: the name a Java user knows
        }
        Class<?> c = t.getClass();
        while (c.isAnonymousClass() || c.getSimpleName().isEmpty()) {
            c = c.getSuperclass(); // ends at Throwable at the latest
        }
        String canonical = c.getCanonicalName();
        if (canonical != null && WRAPPER.matcher(canonical).lookingAt()) {
            return cellNames(canonical);
        }
        return c.getSimpleName();
    }

    /**
     * The exception's message as the {@code evalue} of the error reply: as in the traceback's headline, with the
     * cell's names as the cell wrote them ({@code Cannot invoke "String.length()" because "s" is null}, where the JVM
     * says {@code "REPL.$JShell$24.s"}); empty when it has none.
     */
    static String value(Throwable t) {
        String m = text(t);
        return m == null ? "" : m;
    }

    /**
     * {@code text} with the cell's names as the cell wrote them: JShell's wrapper-class prefixes removed, and a nested
     * class's binary name written as in Java ({@code REPL.$JShell$23$Outer$Inner} as {@code Outer.Inner}; an
     * anonymous class keeps its number, {@code P$1}).
     */
    static String cellNames(String text) {
        return CELL_NAME.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).replaceAll("\\$(?=[\\p{L}_])", ".")));
    }

    /** A name behind JShell's wrapper prefix: a variable, method or class, and the classes nested in it. */
    private static final java.util.regex.Pattern CELL_NAME = java.util.regex.Pattern.compile(
            WRAPPER.pattern() + "((?:[\\p{L}_][\\p{L}\\p{N}_]*(?:\\$[\\p{L}\\p{N}_]+)*)?)");

    /** @return whether a frame of the cell's own code was shown as {@code where} (when given) */
    private static boolean frames(Throwable t, List<String> out, String where,
            Function<StackTraceElement, DeclaredLine> lines) {
        boolean placed = false;
        StackTraceElement[] st = t.getStackTrace();
        int firstCell = -1;
        for (int i = 0; i < st.length; i++) {
            if (isCell(st[i])) {
                firstCell = i;
                break;
            }
        }
        String previous = null;
        int repeats = 0; // a deep recursion (StackOverflowError) shows its frame once, with a count
        for (StackTraceElement e : st) {
            if (isCell(e)) {
                boolean own = where != null && e.getMethodName().startsWith("do_it$");
                String line = "    at " + (own ? where : located(e, cellFrame(e), lines));
                if (line.equals(previous)) {
                    if (!e.getMethodName().startsWith("do_it$")) { // JShell's wrapper may show a statement twice: no recursion
                        repeats++;
                    }
                    continue;
                }
                repeated(out, repeats);
                repeats = 0;
                out.add(line);
                previous = line;
                placed |= own;
            }
        }
        repeated(out, repeats);
        int end = firstCell < 0 ? st.length : firstCell;
        int shown = 0;
        int hidden = 0;
        for (int i = 0; i < end; i++) {
            if (isPlumbing(st[i])) {
                continue;
            }
            if (shown < LIBRARY_FRAMES) {
                if (shown == 0) {
                    out.add("  library frames, innermost first:");
                }
                out.add("    at " + st[i]);
                shown++;
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            out.add("    ... " + hidden + " more library frames");
        }
        return placed;
    }

    private static void repeated(List<String> out, int repeats) {
        if (repeats > 0) {
            out.add("    ... the same " + (repeats == 1 ? "frame once more" : "frame " + repeats + " more times"));
        }
    }

    /**
     * For {@link Thread#setDefaultUncaughtExceptionHandler}: a thread died of {@code e}. When the cell's code is in
     * its trace (a thread a cell started), the trace is written to {@code err} like a cell's error; otherwise as the
     * JVM writes it. A {@link ThreadDeath} (a stopped thread) is not reported, as by the JVM.
     */
    static void uncaught(Thread thread, Throwable e, java.io.PrintStream err) {
        if (e instanceof ThreadDeath) {
            return;
        }
        if (!fromCell(e)) {
            err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(err);
            return;
        }
        StringBuilder sb = new StringBuilder("Exception in thread \"" + thread.getName() + "\", which a cell started:\n");
        for (String line : traceback(e)) {
            sb.append(line).append('\n');
        }
        err.print(sb); // one write: the lines stay together when other threads print
        err.flush();
    }

    private static boolean fromCell(Throwable e) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cur = e; cur != null && !seen.containsKey(cur); cur = cur.getCause()) {
            seen.put(cur, true);
            for (StackTraceElement el : cur.getStackTrace()) {
                if (isCell(el)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isCell(StackTraceElement e) {
        return e.getClassName().startsWith("REPL.");
    }

    private static boolean isPlumbing(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("jdk.jshell.") || c.startsWith("tpdiff4j.kernel.")
                || c.startsWith("java.util.concurrent.")
                || c.equals("java.lang.Thread") && e.getMethodName().equals("run"); // where every thread starts
    }

    /** A line inside a declaration a cell made: its number (1 = the declaration's first line) and text. */
    record DeclaredLine(int line, String text) {
    }

    /**
     * {@code described} ("parse(...), declared in a cell") with its line where the frame is in a method, class or
     * lambda a cell declared and {@code lines} knows it: "line 3 of parse(...), declared in a cell: return
     * Integer.parseInt(s);". The cell's own statements are left as they are (their line is the cell's, which the
     * kernel names from the failing statement).
     */
    private static String located(StackTraceElement e, String described, Function<StackTraceElement, DeclaredLine> lines) {
        if (!described.endsWith("declared in a cell")) {
            return described;
        }
        DeclaredLine at;
        try {
            at = lines.apply(e);
        } catch (RuntimeException ex) {
            return described; // the line is a courtesy: the frame itself is already named
        }
        return at == null ? described : "line " + at.line() + " of " + described + ": " + at.text().strip();
    }

    private static String cellFrame(StackTraceElement e) {
        // JShell wraps each snippet in a class $JShell$N of package REPL; its line numbers count the wrapper's
        // lines, not the cell's: here only the method is named (located adds the declaration's line where it can).
        String method = e.getMethodName();
        if (method.startsWith("do_it$")) {
            return "the cell's code";
        }
        if (method.startsWith("lambda$")) { // javac's lambda$<enclosing method>$<n>
            String enclosing = method.substring("lambda$".length(), Math.max("lambda$".length(), method.lastIndexOf('$')));
            return enclosing.startsWith("do_it$") || enclosing.isEmpty() ? "a lambda in the cell's code"
                    : "a lambda in " + enclosing + "(...), declared in a cell";
        }
        if (method.equals("<init>") || method.equals("<clinit>")) {
            return "a class declared in a cell";
        }
        return method + "(...), declared in a cell";
    }
}
