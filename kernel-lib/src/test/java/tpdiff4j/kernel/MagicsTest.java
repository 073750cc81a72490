package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %time, %%time, %env, %classpath and line numbers around magics. */
class MagicsTest {

    static CellEvaluator ev;
    static Magics magics;

    @BeforeAll
    static void start() {
        ev = new CellEvaluator();
        magics = new Magics(ev);
    }

    @AfterAll
    static void stop() {
        ev.close();
        System.clearProperty("TPDIFF4J_TEST_KNOB");
    }

    /** Runs {@code body} with System.out captured; @return {output, value} */
    private static Object[] captured(Callable<Object> body) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Object v = body.call();
            return new Object[]{buf.toString(StandardCharsets.UTF_8), v};
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void timeMagicsPrintWallTimeAndKeepTheValue() throws Exception {
        Object[] line = captured(() -> magics.run("%time 6 * 7"));
        assertEquals(42, line[1]);
        assertTrue(((String) line[0]).startsWith("Wall time: "), (String) line[0]);
        Object[] cell = captured(() -> magics.run("%%time\nThread.sleep(120);\n\"done\""));
        assertEquals("done", cell[1]);
        String out = (String) cell[0];
        String wall = out.substring("Wall time: ".length(), out.indexOf(" ("));
        double ms = wall.endsWith(" s") ? 1000 * Double.parseDouble(wall.replace(" s", ""))
                : Double.parseDouble(wall.replace(" ms", ""));
        assertTrue(ms >= 120, "slept 120 ms, measured " + wall);
    }

    @Test
    void durationsAreFormattedWithUnits() {
        assertEquals("512 us", Magics.duration(512_000));
        assertEquals("12.3 ms", Magics.duration(12_300_000));
        assertEquals("4.56 s", Magics.duration(4_560_000_000L));
    }

    @Test
    void envSetsKnobsThatCellsAndTheLibrarySee() throws Exception {
        Object[] r = captured(() -> magics.run("%env TPDIFF4J_TEST_KNOB=17\ntpdiff4j.kernel.Knobs.intValue(\"TPDIFF4J_TEST_KNOB\", 0)"));
        assertEquals(17, r[1]);
        assertEquals("17", System.getProperty("TPDIFF4J_TEST_KNOB"));
        Object[] listed = captured(() -> magics.run("%env"));
        assertTrue(((String) listed[0]).contains("TPDIFF4J_TEST_KNOB=17"), (String) listed[0]);
        Object[] read = captured(() -> magics.run("%env TPDIFF4J_TEST_KNOB"));
        assertEquals("TPDIFF4J_TEST_KNOB=17\n", read[0]);
    }

    @Test
    void envAppliesTheThreadKnobAtOnce() throws Exception {
        try {
            Object[] r = captured(() -> magics.run("%env TPDIFF4J_THREADS=2\nai.djl.pytorch.jni.JniUtils.getNumThreads()"));
            assertEquals(2, r[1]);
            assertTrue(((String) r[0]).contains("PyTorch CPU threads: 2"), (String) r[0]);
        } finally {
            System.clearProperty("TPDIFF4J_THREADS");
            tpdiff4j.nn.Compute.useThreads(1); // the tests' one thread
        }
    }

    @Test
    void envSetsOnlyKnobsAndSaysWhyForOtherNames() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> magics.run("%env OMP_NUM_THREADS=2"));
        assertTrue(e.getMessage().startsWith("%env argument = 'OMP_NUM_THREADS=2'; allowed: one of the TPDIFF4J_* knobs,"
                + " which can be set here"),
                e.getMessage());
        assertEquals(null, System.getProperty("OMP_NUM_THREADS"));
        Object[] read = captured(() -> magics.run("%env NO_SUCH_VARIABLE_HERE"));
        assertEquals("NO_SUCH_VARIABLE_HERE is not set\n", read[0], "reading any name still works");
    }

    @Test
    void aThreadCountTheLibraryRefusesIsNotKept() throws Exception {
        try {
            captured(() -> magics.run("%env TPDIFF4J_THREADS=2"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> magics.run("%env TPDIFF4J_THREADS=abc"));
            assertTrue(e.getMessage().contains("'abc'") && e.getMessage().endsWith("TPDIFF4J_THREADS stays 2"),
                    e.getMessage());
            assertEquals("2", System.getProperty("TPDIFF4J_THREADS"));
            assertEquals(2, tpdiff4j.nn.Compute.configureFromEnvironment()); // later cells still work
        } finally {
            System.clearProperty("TPDIFF4J_THREADS");
            tpdiff4j.nn.Compute.useThreads(1); // the tests' one thread
        }
    }

    @Test
    void aQuickValueThatIsNeitherOnNorOffIsRefusedAndNotKept() throws Exception {
        boolean quickBefore = Knobs.quick();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> magics.run("%env TPDIFF4J_QUICK=2"));
            assertTrue(e.getMessage().startsWith("TPDIFF4J_QUICK = '2'; allowed: 1, true, yes or on to turn it on; "
                    + "0, false, no, off or unset to turn it off"), e.getMessage());
            assertEquals(null, System.getProperty("TPDIFF4J_QUICK"), "the refused value is not kept");
            assertEquals(quickBefore, Knobs.quick());
            captured(() -> magics.run("%env TPDIFF4J_QUICK=off"));
            assertEquals(false, Knobs.quick());
        } finally {
            System.clearProperty("TPDIFF4J_QUICK");
        }
    }

    @Test
    void unknownMagicsNameTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> magics.run("%who x"));
        assertTrue(e.getMessage().contains("%who") && e.getMessage().contains("%classpath")
                && e.getMessage().contains("%maven"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> magics.run("%%bash\nls"));
        assertTrue(e.getMessage().contains("%%bash"), e.getMessage());
    }

    @Test
    void javaAfterAMagicKeepsItsCellLineNumber() {
        CompileError e = assertThrows(CompileError.class,
                () -> magics.run("%env TPDIFF4J_TEST_KNOB=1\nint ok = 1;\nint bad = missingName;"));
        assertTrue(String.join("\n", e.traceback()).contains("line 3"), e.traceback().toString());
    }

    /** A magic line splits a cell into parts; when one part fails, the error names the parts after it too. */
    @Test
    void theErrorNamesTheStatementsAndMagicsAfterAMagicThatDidNotRun(@TempDir Path dir) throws Exception {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> magics.run(
                "int p1 = 1;\nint p2 = p1 / 0;\nint p3 = 3;\n%env TPDIFF4J_TEST_KNOB\n\n"
                        + "int p4 = 4; int p5 = 5;\n// end"));
        CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
        assertEquals("line 2 of the cell: int p2 = p1 / 0;", stop.where());
        assertEquals("the cell stopped there: the 4 statements after it (lines 3-6) did not run; the ones before it "
                + "did", stop.skipped());

        // a failing magic: its line is the place, what follows did not run
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> magics.run("int q1 = 1;\n%classpath /no/such.jar\nint q2 = 2;"));
        stop = ev.stopOf(m).orElseThrow();
        assertEquals("line 2 of the cell: %classpath /no/such.jar", stop.where());
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did",
                stop.skipped());
        assertTrue(String.join("\n", ErrorReport.traceback(m, stop)).contains("at line 2 of the cell: %classpath"));

        // a failing %load: the file's lines, then the cell's
        Path script = dir.resolve("fails.jsh");
        Files.writeString(script, "int r1 = 1;\nint r2 = r1 / 0;\nint r3 = 3;\n");
        ArithmeticException l = assertThrows(ArithmeticException.class,
                () -> magics.run("%load " + script + "\nint r4 = 4;"));
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did; "
                + "back in the cell, the statement after the %load line (line 2) did not run",
                ev.stopOf(l).orElseThrow().skipped());
        assertEquals(1, magics.run("p1 + q1 + r1 - 2"));
        assertThrows(CompileError.class, () -> magics.run("p3"), "p3 did not run");
    }

    @Test
    void classpathAddsAFolderOfClasses(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/tpdemo/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package tpdemo; public class Hello { public String hi() { return \"hi from jar\"; } }");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        Object[] r = captured(() -> magics.run("%classpath " + classes + "\nnew tpdemo.Hello().hi()"));
        assertEquals("hi from jar", r[1]);
        assertTrue(((String) r[0]).contains("added to the class path"), (String) r[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> magics.run("%classpath " + dir.resolve("nope.jar")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aLineThatStartsWithTheRemainderOperatorIsJava() throws Exception {
        assertEquals(2, magics.run("int rem = 17\n    % 5;\nrem"));
        assertEquals(1, magics.run("10\n  %3"));
        String cell = "int rem2 = 17\n  % 5;";
        assertEquals(cell, TpdiffKernel.maskMagics(cell), "completion and is_complete see the operator");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> magics.run("%nosuch 1"));
        assertTrue(e.getMessage().contains("'%nosuch'"), e.getMessage());
    }

    /** A line inside a text block or a block comment is text, even when it starts with a percent sign and a letter. */
    @Test
    void percentLinesInsideTextBlocksAndCommentsAreNotMagics() throws Exception {
        String format = "String fmt = \"\"\"\n    %s has %d frames\n    \"\"\";\nfmt.formatted(\"pyramid\", 16)";
        assertEquals("pyramid has 16 frames\n", magics.run(format));
        assertEquals(format, TpdiffKernel.maskMagics(format), "completion sees the text block as written");
        // a magic line that was commented out does not run (it would have set the knob)
        Object[] r = captured(() -> magics.run("/*\n%env TPDIFF4J_TEST_COMMENTED=5\n*/\nint afterComment = 3;\n"
                + "afterComment + tpdiff4j.kernel.Knobs.intValue(\"TPDIFF4J_TEST_COMMENTED\", 0)"));
        assertEquals(3, r[1]);
        // after the text block and the comment have closed, a magic line is a magic again
        Object[] after = captured(() -> magics.run("String t = \"\"\"\n%x\n\"\"\";\n/* %y\n*/\n%env TPDIFF4J_TEST_AFTER=4\n"
                + "t.strip() + tpdiff4j.kernel.Knobs.intValue(\"TPDIFF4J_TEST_AFTER\", 0)"));
        assertEquals("%x4", after[1]);
    }

    @Test
    void magicWordsAreMaskedForAnalysisWithoutMovingOffsets() {
        String cell = "%%time\n%env A=1\n  %time Math.max(1, 2)\nint x = 1;";
        String masked = TpdiffKernel.maskMagics(cell);
        assertEquals(cell.length(), masked.length());
        assertEquals(cell.indexOf("Math.max"), masked.indexOf("Math.max"));
        assertTrue(masked.indexOf('%') < 0, masked);
    }

    @Test
    void theNextLineOfAnUnfinishedCellKeepsItsIndent() {
        // jupyter console fills the next line with this indent, as IPython does: the current block's indent stays
        assertEquals("    ", TpdiffKernel.indentAfter("for (int i = 0; i < 3; i++) {"));
        assertEquals("    ", TpdiffKernel.indentAfter("for (int i = 0; i < 3; i++) {\n    int sq = i * i;"));
        assertEquals("        ", TpdiffKernel.indentAfter("void f() {\n    if (true) {\n"));
        assertEquals("  ", TpdiffKernel.indentAfter("int r = switch (3) {\n  case 1 -> 2;\n\n"));
        assertEquals("", TpdiffKernel.indentAfter("String s = \"a\" +"));
        assertEquals("", TpdiffKernel.indentAfter(""));
    }

    @Test
    void isCompleteAnswersAtOnceWhileJShellStarts() {
        // jupyter console waits 1 s for the answer and, without one, stops asking for the rest of the session; input
        // typed ahead while the console starts is asked about before JShell is up: the brackets answer then
        java.util.concurrent.CompletableFuture<CellEvaluator> starting = new java.util.concurrent.CompletableFuture<>();
        java.util.function.Function<CellEvaluator, String> noJShell = ev -> {
            throw new AssertionError("JShell has not started");
        };
        String[][] cases = {
                {"class A {", "    "}, {"void f() {\n  int y = 2;", "  "}, {"int[] xs = {1,\n", ""},
                {"/* open", ""}, {"String s = \"\"\"\n  a \\\"\"\" b", "  "}, {"for (int i = 0; i < 3; i++) {", "    "},
                {"\"abc", "invalid"}, {"char c = '{", "invalid"}, {"}", "invalid"},
                {"int x = 1;", "unknown"}, {"Map.of(\"{\", '(') // {", "unknown"}, {"String s = \"\"\"\n  a\n  \"\"\";", "unknown"},
                {"%maven a:b:1\nclass B {", "    "}, {"%%time", ""}, {"%%time\nint x = 1;\n", "complete"},
        };
        long t0 = System.nanoTime();
        for (String[] c : cases) {
            assertEquals(c[1], TpdiffKernel.completeness(c[0], starting, 20, noJShell), c[0]);
        }
        assertTrue((System.nanoTime() - t0) / 1e6 < cases.length * 20 + 500, "each answer waits at most 20 ms");
        // once JShell is up, it judges
        java.util.concurrent.CompletableFuture<CellEvaluator> up = java.util.concurrent.CompletableFuture.completedFuture(null);
        assertEquals("complete", TpdiffKernel.completeness("x +", up, 20, ev -> "complete"));
        assertEquals("", TpdiffKernel.completeness("x +", up, 20, ev -> "incomplete"));
        assertEquals("invalid", TpdiffKernel.completeness("x", up, 20, ev -> "invalid"));
    }

    @Test
    void tabAfterAPercentSignOffersTheMagicsNames() {
        int[] anchor = new int[1];
        assertEquals(List.of("%maven", "%mavenRepo"), Magics.completeName("%mav", 4, anchor));
        assertEquals(0, anchor[0]);
        assertEquals(List.of("%%time", "%%loadFromPOM", "%%html", "%%markdown", "%%latex", "%%svg", "%%javascript",
                "%%js"), Magics.completeName("%%", 2, anchor));
        // a later line: line magics only (a cell magic must open the cell), after the line's indent
        assertEquals(List.of("%time"), Magics.completeName("int a = 1;\n  %ti", 16, anchor));
        assertEquals(13, anchor[0]);
        assertEquals(List.of(), Magics.completeName("int a = 1;\n%%ht", 15, anchor));
        assertEquals(Magics.NAMES.size(), Magics.completeName("\n%", 2, anchor).size(), "blank lines before it");
        assertNull(Magics.completeName("int r = 7 % 2", 11, anchor), "the remainder operator is Java's");
        assertNull(Magics.completeName("%maven a:b:1\nSchedules.", 23, anchor), "Java below a magic");
        assertTrue(Magics.NAMES.stream().allMatch(n -> n.startsWith("%")));
    }

    /**
     * A line that starts with % and a letter is a magic, also inside a method or an expression: the Java above it
     * then ends there unfinished, and the error says why, instead of only that a brace that the user closed further
     * down is never closed.
     */
    @Test
    void javaCutShortByAMagicLineSaysThatTheLineIsAMagic() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> magics.run(
                "int modulo(int a, int b) {\n    return a\n%b;\n}\nmodulo(7, 3)"));
        assertTrue(e.getMessage().startsWith("incomplete code: "), e.getMessage());
        String notes = String.join("\n", e.traceback());
        assertTrue(notes.contains("note: line 3 starts with % and a letter, so it is the magic %b, and the Java code"
                + " above it ends there; to go on with the remainder operator, write a space after the % (% b;)"),
                notes);
        assertEquals(1, magics.run("int modulo(int a, int b) {\n    return a\n% b;\n}\nmodulo(7, 3)"),
                "with a space the line is Java");
    }

    /** Blank lines at the start of a cell, or after a magic line, count: the error names the line the cell shows. */
    @Test
    void blankLinesBeforeJavaKeepTheLineNumbers() {
        Exception first = assertThrows(ArithmeticException.class, () -> magics.run("\n\nint blank1 = 1 / 0;"));
        assertEquals("line 3 of the cell: int blank1 = 1 / 0;", ev.stopOf(first).orElseThrow().where());
        Exception after = assertThrows(ArithmeticException.class,
                () -> magics.run("int blank2 = 1;\n%env\n\nint blank3 = 1 / 0;"));
        assertEquals("line 4 of the cell: int blank3 = 1 / 0;", ev.stopOf(after).orElseThrow().where());
        Exception timed = assertThrows(ArithmeticException.class,
                () -> magics.run("%%time\nint blank4 = 1;\nint blank5 = blank4 / 0;"));
        assertEquals("line 3 of the cell: int blank5 = blank4 / 0;", ev.stopOf(timed).orElseThrow().where());
    }

    /** A statement of a %load-ed script that fails is named by the script's line and the script, not as a cell line. */
    @Test
    void aFailureInALoadedScriptNamesTheScriptsLine(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("helpers.jsh");
        Files.writeString(script, "int loaded1 = 1;\nint loaded2 = loaded1 / 0;\nint loaded3 = 3;\n");
        Exception e = assertThrows(ArithmeticException.class, () -> magics.run("int before = 0;\n%load " + script));
        CellEvaluator.Stop stop = ev.stopOf(e).orElseThrow();
        assertEquals("line 2 of helpers.jsh: int loaded2 = loaded1 / 0;", stop.where());
        assertTrue(stop.skipped().startsWith("the cell stopped there: the statement after it (line 3) did not run"),
                stop.skipped());
    }
}
