package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JShell cells in-process: values, errors with cell lines, redefinition, completion, completeness. */
class CellEvaluatorTest {

    static CellEvaluator ev;

    @BeforeAll
    static void start() throws Exception {
        ev = CellEvaluator.withPreload();
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void finalExpressionIsTheValueUnlessItEndsWithASemicolon() throws Exception {
        assertEquals(42, ev.run("int a = 40;\nint b = 2;\na + b"));
        assertNull(ev.run("a + b;"));
        assertNull(ev.run("int c = 3;"));
        assertEquals(List.of(1, 2), ev.run("List.of(1, 2)"));
        assertNull(ev.run("System.out.print(\"\")"), "a void call has no value");
    }

    /**
     * A final expression runs as a declaration of an Object variable (one compilation instead of two); what it shows
     * must be exactly what JShell's own expression snippet gives, and code that is no such expression runs as written.
     */
    /**
     * A statement on which JShell's own compiler fails ({@code var a = a;} makes Java 17's JShell throw
     * "InternalError: Exception during analyze") is a compile error at its line, like code that does not compile: the
     * cell stops there with the usual sentence, and the session goes on.
     */
    @Test
    void aFailureInsideJShellIsACompileErrorAtItsLine() throws Exception {
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int beforeSelf = 1;\nvar selfRef = selfRef;\nint afterSelf = 2;"));
        assertTrue(e.getMessage().startsWith("JShell's compiler failed on the statement at line 2 (InternalError: "),
                e.getMessage());
        assertTrue(e.traceback().get(0).startsWith("line 2: JShell's compiler failed on this statement"),
                String.join("\n", e.traceback()));
        assertEquals("    var selfRef = selfRef;", e.traceback().get(1));
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did",
                ev.stopOf(e).orElseThrow().skipped());
        assertEquals(3, ev.run("beforeSelf + 2"), "the session goes on");
    }

    /** A class broken by a later change of what it implements waits for nothing: the note says why it fails instead. */
    @Test
    void usingAClassThatNoLongerCompilesSaysWhy() throws Exception {
        ev.run("interface Walker { String walk(); }\nclass Duck implements Walker { public String walk() { return \"w\"; } }");
        ev.run("interface Walker { String walk(); int legs(); }");
        CompileError e = assertThrows(CompileError.class, () -> ev.run("new Duck()"));
        String all = String.join("\n", e.traceback());
        assertTrue(all.contains("note: Duck is declared in this session but no longer compiles (Duck is not abstract"
                + " and does not override abstract method legs() in Walker); declare it again"), all);
        assertFalse(all.contains("until  are"), all);
    }

    /** A line indented with a tab keeps the tab under it, so that the caret points at the code however wide a tab shows. */
    @Test
    void theCaretUnderALineIndentedWithATabStaysUnderItsPlace() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("int tabbed1 = 1;\n\tint tabbed2 = \"s\";"));
        List<String> tb = e.traceback();
        assertEquals("    \tint tabbed2 = \"s\";", tb.get(1));
        assertEquals("    \t" + " ".repeat("int tabbed2 = ".length()) + ErrorReport.RED + "^" + ErrorReport.RESET, tb.get(2));
    }

    /** A try-with-resources whose close() throws after its body threw keeps that exception as suppressed: shown too. */
    @Test
    void suppressedExceptionsAreShownWithTheirLines() throws Exception {
        Exception e = assertThrows(IllegalArgumentException.class, () -> ev.run("""
                void closesBadly() throws Exception {
                    try (AutoCloseable a = () -> { throw new IllegalStateException("close failed"); }) {
                        throw new IllegalArgumentException("body failed");
                    }
                }
                closesBadly();"""));
        String all = String.join("\n", ErrorReport.traceback(e, ev.stopOf(e).orElse(null), ev::declaredLine));
        assertTrue(all.contains("IllegalArgumentException: body failed"), all);
        assertTrue(all.contains("Suppressed: IllegalStateException: close failed"), all);
        assertTrue(all.indexOf("Suppressed: ") > all.indexOf("at line 6 of the cell: closesBadly();"), all);
    }

    /**
     * JShell runs the variables of one declaration one after the other and goes on after one of them throws: the
     * error is still that variable's own exception, not JShell's wrapper of it with a frame of no file.
     */
    @Test
    void aVariableThatThrowsAmongSeveralInOneDeclarationReportsItsOwnException() throws Exception {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ev.run("int several1 = 1, several2 = 1 / 0, several3 = 3;"));
        assertEquals("/ by zero", e.getMessage());
        assertEquals("line 1 of the cell: int several1 = 1, several2 = 1 / 0, several3 = 3;",
                ev.stopOf(e).orElseThrow().where());
        assertEquals(1, ev.run("several1"));
        assertThrows(CompileError.class, () -> ev.run("several2"), "the variable whose initializer threw is not declared");
    }

    /** javac reads a unicode line end in a // comment as a line end: the code after it must not be skipped silently. */
    @Test
    void codeAfterAnEscapedLineEndInACommentIsAnErrorNotSkipped() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> ev.run(
                "int beforeEscape = 1;\n// note \\u000A int hiddenByEscape = 1;\nint afterEscape = 2;"));
        assertTrue(e.getMessage().contains("unicode line end"), e.getMessage());
        assertTrue(e.traceback().get(0).startsWith("line 2: "), e.traceback().toString());
        assertEquals(1, ev.run("beforeEscape"), "the statement before it ran");
        assertThrows(CompileError.class, () -> ev.run("afterEscape"), "the cell stopped there");
        assertEquals(3, ev.run("// harmless at the end of a comment \\u000A\n3"));
        assertEquals("// \\u000A x", ev.run("\"// \\\\u000A x\""), "in a string it is text");
    }

    @Test
    void finalExpressionShowsWhatJShellWouldShow() throws Exception {
        assertEquals('x', ev.run("'x'"), "a char stays a char");
        assertEquals(2.5f, ev.run("1.25f * 2"));
        assertNull(ev.run("null"));
        assertEquals(7, ev.run("Math.max(3, 7) // a comment after the expression"));
        assertEquals(8, ev.run("Math.max(3, 8) // a comment that ends with a semicolon;"),
                "only a semicolon of the code hides the value");
        assertEquals(9, ev.run("Math.max(3, 9) /* ; */"));
        assertNull(ev.run("Math.max(3, 9); // shown? no"));
        assertEquals(";", ev.run("\";\""), "a string that holds a semicolon is a value");
        assertEquals(1.0, ev.run("int sw = 1;\nswitch (sw) { case 1 -> 1; default -> 2.0; }"),
                "the arms of a switch expression are promoted to double as in JShell");
        assertEquals(1.0, ev.run("(switch (sw) { case 1 -> 1; default -> 2.0; })"));
        assertNull(ev.run("int noSemicolon = 5"), "a declaration without a semicolon has no value");
        assertEquals(5, ev.run("noSemicolon"));
        assertEquals(6, ev.run("noSemicolon = 6"), "an assignment shows the assigned value");
        assertEquals(6, ev.run("noSemicolon"));
        assertInstanceOf(Runnable.class, ev.run("(Runnable) () -> { }"));
        assertThrows(CompileError.class, () -> ev.run("() -> 1"), "a lambda without a target type");
        assertThrows(ArithmeticException.class, () -> ev.run("noSemicolon / 0"));
        List<String> valueNames = ev.variableSnippets().map(v -> v.name()).filter(n -> n.startsWith(ValueSnippet.NAME))
                .distinct().toList();
        assertFalse(valueNames.isEmpty());
        for (String name : valueNames) {
            assertThrows(CompileError.class, () -> ev.run("Object kept = " + name + ";"),
                    "the kernel's variable " + name + " is dropped at once");
        }
    }

    @Test
    void everyShownValueGoesThroughAVariableNameOfItsOwn() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, ev.run("1 + " + i));
        }
        // JShell (Java 17) makes each declaration of a name that was declared and dropped before slower than the last,
        // in proportion to how many times that happened: one fixed name slowed every later cell with a value
        java.util.Map<String, Long> perName = ev.variableSnippets().map(v -> v.name())
                .filter(n -> n.startsWith(ValueSnippet.NAME))
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.stream.Collectors.counting()));
        assertTrue(perName.size() >= 6, "value variables: " + perName);
        assertEquals(1L, perName.values().stream().mapToLong(Long::longValue).max().orElse(0), "declared twice: "
                + perName);
    }

    @Test
    void emptyAndCommentCellsHaveNoValue() throws Exception {
        assertNull(ev.run(""));
        assertNull(ev.run("  \n\n "));
        assertNull(ev.run("// a comment\n/* and a block */"));
    }

    @Test
    void compileErrorNamesTheMessageAndTheOffendingCellLine() {
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int x1 = 1;\nint x2 = 2;\nint x3 = x1 + noSuchName;"));
        assertTrue(e.getMessage().contains("cannot find symbol"), e.getMessage());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("line 3"), tb);
        assertTrue(tb.contains("int x3 = x1 + noSuchName;"), tb);
        // the caret stands under the unknown name: column of "noSuchName" in its line plus the 4-space indent
        String caretLine = e.traceback().get(2);
        assertEquals(4 + "int x3 = x1 + ".length(), caretLine.indexOf(ErrorReport.RED + "^"));
    }

    @Test
    void incompleteCodeIsACompileError() {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("for (int i = 0; i < 3; i++) {"));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void userExceptionsKeepTheirTypeAndMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ev.run("throw new IllegalStateException(\"boom\");"));
        assertEquals("boom", e.getMessage());
        assertThrows(IOException.class, () -> ev.run("throw new java.io.IOException(\"disk\");"));
    }

    /**
     * The idle warm-up runs code between a failed cell and its error report (which the protocol thread writes after
     * the cell ends): it must not make the report forget where the cell stopped.
     */
    @Test
    void theIdleWarmUpLeavesWhereTheLastCellStopped() throws Exception {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> ev.run("int w1 = 1 / 0;\nint w2 = 2;"));
        assertEquals(2, ev.warmUp("1 + 1"));
        CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
        assertEquals("line 1 of the cell: int w1 = 1 / 0;", stop.where());
        assertEquals("the cell stopped there: the statement after it (line 2) did not run", stop.skipped());
    }

    /** A statement that throws ends the cell: the traceback names its line and the statements after it that did not run. */
    @Test
    void aFailingStatementNamesItsLineAndWhatDidNotRun() throws Exception {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ev.run("int s1 = 10;\nint s2 = s1 / 0;\nint s3 = 5;\n\nint s4 = 6; // last"));
        CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
        assertEquals("line 2 of the cell: int s2 = s1 / 0;", stop.where());
        assertEquals("the cell stopped there: the 2 statements after it (lines 3-5) did not run; the ones before it did",
                stop.skipped());
        assertEquals(10, ev.run("s1"));
        assertThrows(CompileError.class, () -> ev.run("s3"), "s3 was never declared");
        assertTrue(ev.stopOf(e).isEmpty(), "a later cell forgets the earlier stop");

        // a statement over several lines, the first of the cell; a final expression; a trailing comment only
        IndexOutOfBoundsException f = assertThrows(IndexOutOfBoundsException.class,
                () -> ev.run("  int s5 = List.of(1,\n     2).get(7);\ns1 + 1"));
        assertEquals("line 1 of the cell: int s5 = List.of(1,", ev.stopOf(f).orElseThrow().where());
        assertEquals("the cell stopped there: the statement after it (line 3) did not run", ev.stopOf(f).orElseThrow().skipped());
        ArithmeticException g = assertThrows(ArithmeticException.class, () -> ev.run("int s6 = 1;\ns6 / 0"));
        assertEquals("line 2 of the cell: s6 / 0", ev.stopOf(g).orElseThrow().where());
        assertEquals("the statements before it ran", ev.stopOf(g).orElseThrow().skipped(),
                "the last statement failed: the ones before it ran, and the error says so");
        ArithmeticException h = assertThrows(ArithmeticException.class, () -> ev.run("int s7 = 1 / 0;\n// a comment"));
        assertEquals("", ev.stopOf(h).orElseThrow().skipped(), "a comment is no statement that did not run");

        // a statement that does not compile ends the cell the same way (it did not run; its traceback has the column)
        CompileError c = assertThrows(CompileError.class, () -> ev.run("int s8 = 8;\nint s9 = ;\nint s10 = 10;"));
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did",
                ev.stopOf(c).orElseThrow().skipped());
        assertEquals(8, ev.run("s8"));
    }

    /**
     * A statement after a line that ends in a comment (notebook 01's convergence cell: a declaration whose last line
     * ends in "// log-log, ...", then the loop that failed) is named by its own line, not by the comment's line,
     * which belongs to the statement before it; so are comments on lines of their own above it.
     */
    @Test
    void aFailingStatementAfterACommentIsNamedByItsOwnLine() throws Exception {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ev.run("int c1 = Math.max(1,\n    2);   // a comment\nfor (int i = 0; i < 1; i++) {\n"
                        + "    int c2 = 1 / 0;\n}\nint c3 = 3;"));
        assertEquals("line 3 of the cell: for (int i = 0; i < 1; i++) {", ev.stopOf(e).orElseThrow().where());
        ArithmeticException f = assertThrows(ArithmeticException.class,
                () -> ev.run("int c4 = 4; /* a block\n comment */\n// a line of comment\nint c5 = c4 / 0;"));
        assertEquals("line 4 of the cell: int c5 = c4 / 0;", ev.stopOf(f).orElseThrow().where());
    }

    /** A runaway recursion says what a StackOverflowError means, and shows the recursing method once, with a count. */
    @Test
    void aRunawayRecursionSaysWhatHappened() throws Exception {
        ev.run("long down(long n) { return down(n + 1) + 1; }");
        CellError e = assertThrows(CellError.class, () -> ev.run("long deep = 0;\ndown(0)"));
        assertEquals("java.lang.StackOverflowError (a method called itself again and again until the stack was full: a "
                + "recursive method needs a case that returns without calling itself; the kernel is still running)",
                e.getMessage());
        String all = String.join("\n", ErrorReport.traceback(e, ev.stopOf(e).orElse(null)));
        assertTrue(all.contains("    at down(...), declared in a cell\n    ... the same frame"), all);
        assertEquals(0L, ev.run("deep"), "the statement before it ran");
        // the reply and the traceback name the Error itself, not the wrapper it travels in, with the advice
        String advice = "a method called itself again and again until the stack was full: a recursive method needs a "
                + "case that returns without calling itself; the kernel is still running";
        assertEquals("StackOverflowError", ErrorReport.name(e));
        assertEquals(advice, ErrorReport.value(e));
        assertTrue(all.startsWith(ErrorReport.RED + ErrorReport.BOLD + "StackOverflowError: " + advice
                + ErrorReport.RESET + "\n"), all);
        assertFalse(all.contains("CellError") || all.contains("Caused by"), all);
        CellError thrown = assertThrows(CellError.class, () -> ev.run("throw new StackOverflowError(\"deep\");"));
        assertEquals("deep (" + advice + ")", ErrorReport.value(thrown));
        assertEquals("StackOverflowError: deep (" + advice + ")", ErrorReport.headline(thrown));
    }

    /**
     * A method declared in a cell that throws names the line of its declaration where it failed, with that line's
     * text, as the cell's own statements do; a method of a class declared in a cell too. Without the snippet's text
     * (a traceback without the evaluator) the frame is named as before.
     */
    @Test
    void aMethodDeclaredInACellNamesTheLineWhereItFailed() throws Exception {
        ev.run("int parseTwice(String s) {\n    int once = 1;\n    return Integer.parseInt(s) * 2;\n}");
        ev.run("class Box {\n    int size;\n    int inverse() {\n        return 1 / size;\n    }\n}");
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> ev.run("int ok = 1;\nparseTwice(\"x\")"));
        String all = String.join("\n", ErrorReport.traceback(e, ev.stopOf(e).orElse(null), ev::declaredLine));
        assertTrue(all.contains("    at line 3 of parseTwice(...), declared in a cell: return Integer.parseInt(s) * 2;\n"
                + "    at line 2 of the cell: parseTwice(\"x\")"), all);
        assertTrue(String.join("\n", ErrorReport.traceback(e, ev.stopOf(e).orElse(null)))
                .contains("    at parseTwice(...), declared in a cell\n"), "without the sources: as before");
        ArithmeticException a = assertThrows(ArithmeticException.class, () -> ev.run("new Box().inverse()"));
        String inClass = String.join("\n", ErrorReport.traceback(a, ev.stopOf(a).orElse(null), ev::declaredLine));
        assertTrue(inClass.contains("    at line 4 of inverse(...), declared in a cell: return 1 / size;"), inClass);
    }

    /**
     * A cell that ends inside a statement (a method without its closing brace, a call without its parenthesis, a text
     * block without its end) names what is never closed, where it opened, in the cell's words; the statements before
     * it ran.
     */
    @Test
    void aCellThatEndsInsideAStatementNamesWhatIsNeverClosed() throws Exception {
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int u1 = 1;\nvoid greet() {\n    System.out.println(\"hi\");\n"));
        assertEquals("incomplete code: the cell ends inside the statement that starts at line 2; the '{' at line 2 "
                + "is never closed", e.getMessage());
        assertEquals(List.of("line 2: the '{' is never closed", "    void greet() {",
                "                 " + ErrorReport.RED + "^" + ErrorReport.RESET), e.traceback());
        assertEquals(1, ev.run("u1"));
        // the innermost open bracket is the one named
        CompileError f = assertThrows(CompileError.class,
                () -> ev.run("void twice() {\n    for (int i = 0; i < 2; i++) {\n        System.out.println(i\n"));
        assertTrue(f.getMessage().endsWith("the '(' at line 3 is never closed"), f.getMessage());
        CompileError g = assertThrows(CompileError.class, () -> ev.run("String u2 = \"\"\"\n    text"));
        assertTrue(g.getMessage().endsWith("the text block \"\"\" at line 1 is never closed"), g.getMessage());
        CompileError h = assertThrows(CompileError.class, () -> ev.run("int u3 = 3;\n/* a note\nu3"));
        assertTrue(h.getMessage().endsWith("the comment /* at line 2 is never closed"), h.getMessage());
        CompileError k = assertThrows(CompileError.class, () -> ev.run("int u4 = 4 +"));
        assertEquals("incomplete code: the cell ends inside the statement that starts at line 1", k.getMessage());
    }

    /**
     * A closing brace too many (a beginner's slip) fails on its own line: the statement before it ran, the one after
     * it did not run, and the error says both.
     */
    @Test
    void aStrayClosingBraceFailsAloneAndNamesTheStatementsAfterIt() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("int b1 = 1;\n}\nint b2 = 2;"));
        String all = String.join("\n", e.traceback());
        assertTrue(all.contains("line 2: "), all);
        CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
        assertEquals("line 2 of the cell: }", stop.where());
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did",
                stop.skipped());
        assertEquals(1, ev.run("b1"));
        assertThrows(CompileError.class, () -> ev.run("b2"), "b2 was never declared");
        // the same slip after a block: the block ran, the stray brace fails, the rest did not run
        CompileError f = assertThrows(CompileError.class,
                () -> ev.run("int b3 = 0;\nfor (int i = 0; i < 3; i++) {\n    b3 += i;\n}}\nb3 = 100;\nint b4 = 4;"));
        assertEquals("the cell stopped there: the 2 statements after it (lines 5-6) did not run; the ones before it did",
                ev.stopOf(f).orElseThrow().skipped());
        assertEquals(3, ev.run("b3"));
    }

    /**
     * The idiom {@code catch (InterruptedException e) { Thread.currentThread().interrupt(); }} leaves the cell thread's
     * interrupt flag set: without an interrupt request the rest of the cell runs; with one, the cell stops before the
     * next statement and names it and the statements after it.
     */
    @Test
    void anInterruptFlagThatAStatementSetsIsNoInterruptRequest() throws Exception {
        String cell = "int before = 1;\n"
                + "try { throw new InterruptedException(\"x\"); }"
                + " catch (InterruptedException e) { Thread.currentThread().interrupt(); }\n"
                + "  int i2 = before + 1;\n"
                + "int i3 = i2 + 1;";
        boolean[] asked = {false};
        ev.interruptAsked(() -> asked[0]);
        try {
            java.io.PrintStream saved = System.err;
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                ev.run(cell);
            } finally {
                System.setErr(saved);
            }
            assertEquals(3, ev.run("i3"));
            assertTrue(buf.toString(java.nio.charset.StandardCharsets.UTF_8).contains(
                    "note: the statement before line 3 left the cell thread's interrupt flag set"), buf.toString());
            assertTrue(!Thread.currentThread().isInterrupted(), "the flag is cleared");

            asked[0] = true;
            CellInterrupted e = assertThrows(CellInterrupted.class, () -> ev.run(cell.replace("i2", "j2")
                    .replace("i3", "j3")));
            assertEquals("the cell was interrupted before the statement at line 3, which did not run", e.getMessage());
            CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
            assertEquals("line 3 of the cell: int j2 = before + 1;", stop.where());
            assertEquals("the cell stopped there: the statement after it (line 4) did not run; the ones before it did",
                    stop.skipped());
            Thread.interrupted();
            assertThrows(CompileError.class, () -> ev.run("j2"), "j2 did not run");
        } finally {
            ev.interruptAsked(() -> true);
            Thread.interrupted();
        }
    }

    /**
     * A last statement that stops early on an interrupt and returns what it did (an interrupted
     * {@code trainer.train(...)} returns its steps with the flag set again) ends the cell as interrupted, as a next
     * statement would: a front end then stops the cells queued after it instead of running them on a partial result.
     * The value travels with the error and the variables it assigned stand.
     */
    @Test
    void anInterruptDuringTheLastStatementEndsTheCellAsInterrupted() throws Exception {
        ev.run("int stopEarly(int done) { Thread.currentThread().interrupt(); return done; }");
        boolean[] asked = {true};
        ev.interruptAsked(() -> asked[0]);
        try {
            CellInterrupted e = assertThrows(CellInterrupted.class, () -> ev.run("int k1 = 40;\nstopEarly(k1 + 2)"));
            assertEquals(42, e.value());
            assertEquals("the cell was interrupted during the statement at line 2, which then returned; its value,"
                    + " shown above, tells how far it got (an interrupted training or experiment says so in its result)",
                    e.getMessage());
            assertEquals("line 2 of the cell: stopEarly(k1 + 2)", ev.stopOf(e).orElseThrow().where());
            Thread.interrupted();

            e = assertThrows(CellInterrupted.class, () -> ev.run("var k2 = stopEarly(7);"));
            assertNull(e.value());
            assertTrue(e.getMessage().contains("at line 1, which then returned; what it assigned tells how far it got"),
                    e.getMessage());
            Thread.interrupted();
            assertEquals(7, ev.run("k2"), "the variable the interrupted statement assigned stands");

            asked[0] = false; // the flag alone, without an interrupt request, is no interrupt
            assertEquals(5, ev.run("stopEarly(5)"));
        } finally {
            ev.interruptAsked(() -> true);
            Thread.interrupted();
        }
    }

    /** A declaration that uses something undeclared gets a note after the cell, unless the cell declared it later. */
    @Test
    void undeclaredDependenciesAreNotedOnlyWhenStillMissingAfterTheCell() throws Exception {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            ev.run("class U1 { U2 other; int v() { return 1; } }\nclass U2 { }\nnew U1().v()");
            assertEquals("", buf.toString(java.nio.charset.StandardCharsets.UTF_8), "U2 was declared by the same cell");
            ev.run("int u3() { return u4 + 1; }");
            assertEquals("note: 'int u3() { return u4 + 1; }' can be used once variable u4 is declared\n",
                    buf.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n"));
        } finally {
            System.setErr(err);
        }
        assertEquals(8, ev.run("int u4 = 7;\nu3()"));
    }

    /** A null-pointer message names the cell's variables and classes as the cell wrote them, not JShell's wrappers. */
    @Test
    void nullPointerMessagesUseTheCellsNames() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ev.run("class PQ { int v() { return 1; } }\nPQ pq = null;\npq.v()"));
        String h = ErrorReport.headline(e);
        assertEquals("NullPointerException: Cannot invoke \"PQ.v()\" because \"pq\" is null", h);
        assertTrue(e.getMessage().contains("REPL.$JShell$"), "the JVM's own message names the wrapper: " + e.getMessage());

        // JShell recompiles what depends on a redeclared class into wrappers with a letter: $JShell$24B
        NullPointerException again = assertThrows(NullPointerException.class, () -> ev.run(
                "class PQ { int v() { return 2; } int w() { return 3; } }\npq.v()"));
        assertTrue(again.getMessage().matches(".*\\$JShell\\$\\d+[A-Z].*"), again.getMessage());
        assertEquals("NullPointerException: Cannot invoke \"PQ.v()\" because \"pq\" is null",
                ErrorReport.headline(again));
    }

    /** Compile errors name the cell's classes as written and leave out the location javac gives as JShell's wrapper. */
    @Test
    void compileErrorsLeaveJShellsWrapperOut() {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("undeclaredThing9 + 1"));
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("symbol:   variable undeclaredThing9"), tb);
        assertFalse(tb.contains("location: class") || tb.contains("REPL."), tb);
        CompileError f = assertThrows(CompileError.class, () -> ev.run("class P3 { }\nnew P3().nope()"));
        String tf = String.join("\n", f.traceback());
        assertTrue(tf.contains("symbol:   method nope()") && tf.contains("P3"), tf);
        assertFalse(tf.contains("REPL.") || tf.contains("$JShell$"), tf);
    }

    @Test
    void errorsBecomeCellErrorWithTheErrorAsCause() {
        CellError e = assertThrows(CellError.class,
                () -> ev.run("int deep(int n) { return deep(n + 1) + 1; }\ndeep(0)"));
        assertInstanceOf(StackOverflowError.class, e.getCause());
        assertTrue(e.getMessage().startsWith("java.lang.StackOverflowError"), e.getMessage());
    }

    /**
     * A full heap says how large the heap is against the machine, and suggests a larger one only where it fits: on an
     * 8 GiB laptop a 4 GiB heap is already half the memory (PyTorch's arrays live outside it), so a bigger -Xmx would
     * let the system end the kernel instead.
     */
    @Test
    void aFullHeapSaysHowLargeItIsAndWhatFits() {
        CellError e = assertThrows(CellError.class, () -> ev.run("throw new OutOfMemoryError(\"Java heap space\");"));
        assertTrue(e.getMessage().startsWith("java.lang.OutOfMemoryError: Java heap space (the kernel is still running;"),
                e.getMessage());
        assertTrue(e.getMessage().contains(String.format(java.util.Locale.ROOT, "the heap is %.2f GiB",
                Runtime.getRuntime().maxMemory() / (double) (1L << 30))), e.getMessage());
        long g = 1L << 30;
        String laptop = CellEvaluator.heapHint(4 * g, 8.0 * g);
        assertTrue(laptop.startsWith("the heap is 4.00 GiB of the machine's 8.00 GiB, already as much as fits"), laptop);
        assertFalse(laptop.contains("TPDIFF4J_KERNEL_HEAP="), laptop);
        String server = CellEvaluator.heapHint(4 * g, 64.0 * g); // twice the heap: 8g
        assertTrue(server.contains("TPDIFF4J_KERNEL_HEAP=8g environment/setup"), server);
        String small = CellEvaluator.heapHint(2 * g, 6.0 * g);   // half the machine: 3g
        assertTrue(small.contains("TPDIFF4J_KERNEL_HEAP=3g"), small);
        assertTrue(CellEvaluator.heapHint(g, Double.POSITIVE_INFINITY).contains("TPDIFF4J_KERNEL_HEAP=2g"));
    }

    @Test
    void redefinitionReplacesMethodsClassesAndVariables() throws Exception {
        ev.run("int f(int x) { return x + 1; }");
        assertEquals(2, ev.run("f(1)"));
        ev.run("int f(int x) { return x * 10; }");
        assertEquals(10, ev.run("f(1)"));
        ev.run("class Q { int v() { return 1; } }");
        assertEquals(1, ev.run("new Q().v()"));
        ev.run("class Q { int v() { return 2; } }");
        assertEquals(2, ev.run("new Q().v()"));
        ev.run("String w = \"a\";");
        ev.run("int w = 3;");
        assertEquals(4, ev.run("w + 1"));
    }

    @Test
    void completenessOfCells() {
        assertEquals("complete", ev.completeness("int y = 1;\ny + 1"));
        assertEquals("incomplete", ev.completeness("class A {"));
        assertEquals("incomplete", ev.completeness("1 +"));
        assertEquals("invalid", ev.completeness("}"));
        assertEquals("invalid", ev.completeness("int z = 1 +;"));
    }

    @Test
    void completionAndDocumentation() {
        int[] anchor = new int[1];
        List<String> c = ev.complete("int q = 1;\nMath.sqr", "int q = 1;\nMath.sqr".length(), anchor);
        assertEquals(List.of("sqrt("), c);
        assertEquals("int q = 1;\nMath.".length(), anchor[0]);
        List<String> docs = ev.documentation("Math.max(", 9, false);
        assertTrue(docs.stream().anyMatch(d -> d.split("\n")[0].equals("int Math.max(int a, int b)")), docs.toString());
    }

    /** Completion and inspection know the variables that earlier statements of the same cell declare, before it runs. */
    @Test
    void completionSeesVariablesDeclaredEarlierInTheCell() {
        int[] anchor = new int[1];
        String cell = "int helper7() { return 1; }\nvar pyr7 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);\n"
                + "int n7 = 2;\nSystem.out.println(pyr7.stageW";
        assertEquals(List.of("stageWithFrames("), ev.complete(cell, cell.length(), anchor));
        assertEquals(cell.length() - "stageW".length(), anchor[0]);
        String loop = "var names7 = new ArrayList<String>();\nfor (int i = 0; i < 2; i++) {\n    names7.isEm";
        assertEquals(List.of("isEmpty()"), ev.complete(loop, loop.length(), anchor));
        assertEquals(List.of(), ev.complete("nothingLikeThis7.si", "nothingLikeThis7.si".length(), anchor));
        // a plain name, which JShell itself does not propose for a variable of the same cell
        String plain = "int gamma7 = 1;\nString gammaName7 = \"g\";\nvoid g7() { }\nint z7 = 2 * gam";
        assertEquals(List.of("gamma7", "gammaName7"), ev.complete(plain, plain.length(), anchor));
        assertEquals(plain.length() - "gam".length(), anchor[0]);
        String member = "int gamma8 = 1;\nMath.gam";
        assertEquals(List.of(), ev.complete(member, member.length(), anchor), "a member is not a local name");
        // Shift-Tab as well: a method of the local variable's type, and the variable itself
        String call = cell + "ithFrames(";
        List<String> docs = ev.documentation(call, call.length(), false);
        assertTrue(docs.stream().anyMatch(d -> d.contains("stageWithFrames(long frames)")), docs.toString());
        String bare = "var pyr8 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);\npyr8";
        assertEquals(List.of("pyr8:tpdiff4j.pyramid.TemporalPyramid"), ev.documentation(bare, bare.length(), false));
    }

    @Test
    void inspectShowsTheLibrarysJavadocSummary() {
        List<String> docs = ev.documentation("Knobs.quick(", "Knobs.quick(".length(), false);
        assertEquals(1, docs.size(), docs.toString());
        assertEquals("boolean Knobs.quick()\nReturns true when TPDIFF4J_QUICK is on: notebooks "
                + "shrink epochs, data and steps", docs.get(0));
        String cls = JavadocSummary.of("tpdiff4j.kernel.Knobs", false).orElseThrow();
        assertTrue(cls.startsWith("Shrink knobs of the notebooks"), cls);
        assertTrue(!cls.contains("<p>") && !cls.contains("{@code"), cls);
        String full = JavadocSummary.of("void tpdiff4j.kernel.Knobs.set(String name, String value)", true).orElseThrow();
        assertTrue(full.startsWith("Sets the knob for this kernel"), full);
        assertEquals(java.util.Optional.empty(), JavadocSummary.of("int tpdiff4j.kernel.NoSuchType.f(int a)", false));
    }

    @Test
    void tpdiff4jPackagesArePreloaded() throws Exception {
        assertTrue(Preload.imports().contains("import tpdiff4j.kernel.Knobs;"));
        assertTrue(Preload.imports().contains("import static tpdiff4j.kernel.Notebook.*;"));
        assertEquals(false, ev.run("Knobs.flag(\"TPDIFF4J_NO_SUCH_KNOB\")"));
    }

    /**
     * The hook before compute code: it runs on the cell thread before a snippet whose classes refer to DJL or the
     * library (the kernel lets such a snippet wait there for the engine), also when the reference sits in a method
     * declared by an earlier cell, and never for plain Java.
     */
    @Test
    void theComputeHookRunsBeforeSnippetsThatReferToDjlOrTheLibrary() throws Exception {
        try (CellEvaluator own = CellEvaluator.withPreload()) {
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            own.engine().beforeComputeCode(() -> {
                runs.incrementAndGet();
                System.setProperty("tpdiff4j.test.hook", "ran");
                own.engine().beforeComputeCode(null); // as the kernel does once the engine is adopted
            });
            System.clearProperty("tpdiff4j.test.hook");
            assertEquals(2, own.run("int k = 1;\nk + 1"));
            assertEquals(0, runs.get(), "plain Java does not wait");
            own.run("String shapeName() { return ai.djl.ndarray.types.Shape.class.getSimpleName(); }");
            assertEquals(0, runs.get(), "a declaration runs nothing");
            assertEquals("Shape ran", own.run("shapeName() + \" \" + System.getProperty(\"tpdiff4j.test.hook\")"),
                    "the hook ran before the snippet that calls into DJL");
            assertEquals(1, runs.get());
            assertEquals(3, own.run("1 + 2"));
            assertEquals(1, runs.get(), "removed by its own run");
        } finally {
            System.clearProperty("tpdiff4j.test.hook");
        }
    }

    @Test
    void classFilesThatReferToDjlOrTheLibraryAreFound() throws Exception {
        java.util.function.Predicate<String> refers = text -> InProcessExecution.refersToCompute(
                text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(refers.test("..(Lai/djl/ndarray/NDArray;)V.."));
        assertTrue(refers.test("..tpdiff4j/nn/Compute.."));
        assertTrue(refers.test("..tpdiff4j/kernel/Notebook..tpdiff4j/train/Trainer"), "the second name counts");
        assertFalse(refers.test("..tpdiff4j/kernel/Notebook..java/util/List.."), "the kernel's own helpers do not");
        assertFalse(refers.test(""));
        try (var in = String.class.getResourceAsStream("String.class")) {
            assertFalse(InProcessExecution.refersToCompute(in.readAllBytes()));
        }
    }

    @Test
    void aMisspeltMemberGetsADidYouMeanLineUnderItsCaret() {
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int h1 = 1;\nSpriteVideos h2 = SpriteVideos.builder().withFrame(16).build();"));
        String shown = String.join("\n", e.traceback());
        assertTrue(shown.contains("line 2: cannot find symbol"), shown);
        assertTrue(shown.contains("did you mean withFrames(...)?"), shown);
        CompileError f = assertThrows(CompileError.class,
                () -> ev.run("TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).stage(0).frame()"));
        assertTrue(String.join("\n", f.traceback()).contains("did you mean frames()?"), f.traceback().toString());
        CompileError g = assertThrows(CompileError.class, () -> ev.run("Schedules.ddim()"));
        assertFalse(String.join("\n", g.traceback()).contains("did you mean"), "no Schedules member is close");
    }

    /**
     * After a restart, a cell from the middle of a notebook names a helper or a variable that an earlier cell declared
     * in the old kernel: the error says to run the declaring cell, or offers the declared name a typo was meant to be.
     */
    @Test
    void aNameNoCellDeclaredSaysToRunItsCellFirstAndATypoGetsTheDeclaredName() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("needTrainingFirst();\nint after = 1;"));
        String shown = String.join("\n", e.traceback());
        assertTrue(shown.contains("note: no cell run in this kernel declares needTrainingFirst: run the cell that"
                + " declares it first"), shown);
        CompileError v = assertThrows(CompileError.class, () -> ev.run("double[] vl = lossesOfVanilla.size();"));
        assertTrue(String.join("\n", v.traceback()).contains("no cell run in this kernel declares lossesOfVanilla"),
                v.traceback().toString());
        ev.run("java.util.List<Double> trainedLosses = new java.util.ArrayList<>();");
        ev.run("void needTrainedModel() { }");
        String typo = String.join("\n", assertThrows(CompileError.class, () -> ev.run("trainedLoses.size()")).traceback());
        assertTrue(typo.contains("did you mean trainedLosses? (declared by an earlier cell)"), typo);
        assertFalse(typo.contains("no cell run"), typo);
        String call = String.join("\n", assertThrows(CompileError.class, () -> ev.run("needTrainedModle();")).traceback());
        assertTrue(call.contains("did you mean needTrainedModel()?"), call);
        String type = String.join("\n", assertThrows(CompileError.class, () -> ev.run("Schedulez.flowMatching()"))
                .traceback());
        assertFalse(type.contains("no cell run"), "a capitalised name is a class, not a cell's variable: " + type);
        String member = String.join("\n", assertThrows(CompileError.class, () -> ev.run("trainedLosses.sizee()"))
                .traceback());
        assertFalse(member.contains("no cell run"), "a member is not a cell's declaration: " + member);
        // a local variable misspelt inside the cell: the cell's own name, not "run the cell that declares it"
        String local = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("double runningTotal = 0;\nfor (int i = 0; i < 3; i++) { runningTotl += i; }")).traceback());
        assertTrue(local.contains("did you mean runningTotal?") && !local.contains("earlier cell"), local);
        assertFalse(local.contains("no cell run"), local);
        // declared in a block and used after it: out of scope, not undeclared
        String scope = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("for (int i = 0; i < 3; i++) { double stepLoss = i; }\nSystem.out.println(stepLoss);")).traceback());
        assertTrue(scope.contains("stepLoss is named elsewhere in this cell but is not in scope here"), scope);
        assertFalse(scope.contains("no cell run"), scope);
        // the same undeclared name used twice is still undeclared, not out of scope
        String twice = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("double before = restartedValue;\nreturn restartedValue;")).traceback());
        assertTrue(twice.contains("no cell run in this kernel declares restartedValue"), twice);
        assertTrue(CellEvaluator.declaresLocally("java.util.List<Double> stepLoss = null;", "stepLoss"));
        assertTrue(CellEvaluator.declaresLocally("for (double[] stepLoss : all) { }", "stepLoss"));
        assertFalse(CellEvaluator.declaresLocally("return stepLoss;", "stepLoss"));
    }

    /**
     * After a restart, a cell from the middle of a notebook uses names that earlier cells declare ({@code st},
     * {@code p}, {@code xs}, {@code stage}, {@code pyramid}), while only the parameter cell ran again. None of them is
     * a typo: a name of one or two letters is one edit from almost any other short name ({@code s} of the parameter
     * cell, {@code x} and {@code t} of a lambda, {@code i} of a loop), and a word of the cell that it does not declare
     * (the member {@code stages()}) is no variable of the cell. Each gets the note to run the declaring cell first.
     */
    @Test
    void aNameDeclaredByACellNotRunYetSaysToRunThatCellInsteadOfOfferingAnotherShortName() throws Exception {
        try (CellEvaluator fresh = CellEvaluator.withPreload()) {
            fresh.run("double s = 0.6, e = 0.3; int K = 3;");   // the parameter cell ran again, st's cell did not
            CompileError err = assertThrows(CompileError.class, () -> fresh.run(
                    "System.out.println(pyramid.stages().size() + stage.frames() + st.start() + p.size() + xs.getShape());\n"
                            + "Denoiser still = Denoiser.of(PredictionType.EPSILON, (x, t) -> x.zerosLike());\n"
                            + "for (int i = 0; i < 2; i++) { System.out.println(s - e + i); }"));
            String shown = String.join("\n", err.traceback());
            for (String name : List.of("pyramid", "stage", "st", "p", "xs")) {
                assertTrue(shown.contains("note: no cell run in this kernel declares " + name + ": run the cell that"
                        + " declares it first"), name + ":\n" + shown);
            }
            assertFalse(shown.contains("did you mean"), shown);
            // a typo of a name an earlier cell declared is still offered, and so is a case slip of a short one
            String typo = String.join("\n", assertThrows(CompileError.class, () -> fresh.run("double back = k * e;"))
                    .traceback());
            assertTrue(typo.contains("did you mean K? (declared by an earlier cell)"), typo);
        }
    }

    /** A method named without its parentheses ({@code stage.start}) is offered as the call it was meant to be. */
    @Test
    void aMethodWrittenWithoutParenthesesGetsDidYouMeanTheCall() {
        String start = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).stage(0).start")).traceback());
        assertTrue(start.contains("did you mean start()?"), start);
        String uniform = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("var made = TemporalPyramid.uniform;")).traceback());
        assertTrue(uniform.contains("did you mean uniform(...)?"), uniform);
    }

    /**
     * The benchmark classes are not among the notebook's imports (their names would crowd it): using one by its simple
     * name says where it is and which import makes it known, in each form javac reports it.
     */
    @Test
    void aLibraryClassLeftOutOfTheImportsNamesTheImportToAdd() throws Exception {
        for (String cell : List.of("Comparison.Options o = null;",
                "Comparison c = null;", "Comparison.main(new String[0]);")) {
            String shown = String.join("\n", assertThrows(CompileError.class, () -> ev.run(cell)).traceback());
            assertTrue(shown.contains("note: Comparison is tpdiff4j.bench.Comparison, which the notebook's imports leave"
                    + " out: add import tpdiff4j.bench.Comparison; at the top of the cell"), cell + ":\n" + shown);
        }
        assertEquals(Optional.empty(), CellEvaluator.importHint("cannot find symbol\n  symbol:   class NoSuchTypeAnywhere"));
        assertEquals(Optional.empty(), CellEvaluator.importHint("cannot find symbol\n  symbol:   variable lowercase"));
        assertEquals(1, ev.run("import tpdiff4j.bench.Comparison;\nComparison.Options imported = null;\n1"),
                "with the import it compiles");
    }

    /**
     * {@code new TemporalPyramid(...)} fails with the parameters of a private constructor, which say nothing a student
     * can use: a note names the static methods that make one.
     */
    @Test
    void newOfAClassMadeByFactoriesNamesTheFactories() {
        String shown = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("new TemporalPyramid(Schedules.flowMatching(), 3, 16)")).traceback());
        assertTrue(shown.contains("note: TemporalPyramid has no public constructor; make one with"
                + " TemporalPyramid.builder(...), TemporalPyramid.fromJson(...) or TemporalPyramid.uniform(...)"), shown);
        String trainer = String.join("\n", assertThrows(CompileError.class, () -> ev.run("new Trainer()")).traceback());
        assertTrue(trainer.contains("note: Trainer has no public constructor; make one with Trainer.builder()"), trainer);
        String record = String.join("\n", assertThrows(CompileError.class,
                () -> ev.run("new Stage(0, 1.0, 0.5)")).traceback());
        assertFalse(record.contains("no public constructor"), "a record's constructor is public: " + record);
    }

    @Test
    void aNotebookOfLastWeekThatCallsARemovedMemberIsToldWhatReplacedIt() {
        CompileError e = assertThrows(CompileError.class, () -> ev.run("Experiment.of(SpriteVideos.builder().build(),"
                + " ModelConfig.tiny(16, 1, 16, 16)).withQuiet(true)"));
        String shown = String.join("\n", e.traceback());
        assertTrue(shown.contains("withQuiet was replaced by withProgress(false)"), shown);
    }

    @Test
    void systemConsoleIsNullInACellAndTheErrorSaysWhatToReadInstead() {
        // the kernel's JVM has no terminal (a Notebook server or nbconvert starts it), nor has this test's
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ev.run("String typed = System.console().readLine(\"name? \");"));
        assertTrue(e.getMessage().startsWith("Cannot invoke \"java.io.Console.readLine(String, Object[])\" because "
                + "the return value of \"java.lang.System.console()\" is null: the kernel has no terminal"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("read System.in instead (new Scanner(System.in).nextLine()), which asks "
                + "the front end for a line"), e.getMessage());
        assertTrue(e.getStackTrace().length > 0 && ErrorReport.isCell(e.getStackTrace()[0]),
                "the trace stays the cell's: " + java.util.Arrays.toString(e.getStackTrace()));
    }
}
