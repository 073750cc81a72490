package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A session never loses state or code silently: recompiled variables keep their values, every statement runs. */
class CellStateTest {

    static CellEvaluator ev;

    @BeforeAll
    static void start() throws Exception {
        ev = CellEvaluator.withPreload();
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    /** Runs a cell and returns what it printed on System.err (the kernel's notes go there). */
    private static String notesOf(String code) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ev.run(code);
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** @return what {@code code}, which must throw {@code type}, wrote to System.err */
    private static String notesOfFailing(Class<? extends Exception> type, String code) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThrows(type, () -> ev.run(code));
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /**
     * A declaration whose initializer throws does not leave the variable at 0 or null as if it had been computed: a
     * new variable is not declared, one declared before keeps its value, and a note says which.
     */
    @Test
    void aVariableWhoseInitializerThrowsIsNotLeftAtZero() throws Exception {
        assertEquals("note: variable quot was not declared, since its initializer threw\n",
                notesOfFailing(ArithmeticException.class, "int den = 0;\nint quot = 10 / den;"));
        assertThrows(CompileError.class, () -> ev.run("quot"), "quot was never computed");
        ev.run("String word = \"kept\";");
        assertEquals("note: variable word keeps its earlier value, since its new initializer threw\n",
                notesOfFailing(IndexOutOfBoundsException.class, "String word = List.of(\"a\").get(3);"));
        assertEquals("kept", ev.run("word"));
        ev.run("String typed = \"text\";");
        assertEquals("note: variable typed was not declared, since its initializer threw (its earlier value did not "
                + "fit the new type int)\n", notesOfFailing(ArithmeticException.class, "int typed = 1 / den;"));
        assertThrows(CompileError.class, () -> ev.run("typed"));
    }

    /** Using a variable whose declaring statement failed or did not run says so, with that statement's line. */
    @Test
    void aVariableFromAFailedCellIsNamedWithWhyItIsMissing() throws Exception {
        assertThrows(CompileError.class, () -> ev.run("int fine = 1;\nint broken = \"x\";\nint after = 7;"));
        CompileError b = assertThrows(CompileError.class, () -> ev.run("broken + 1"));
        assertTrue(b.traceback().contains("    note: broken was not declared: its declaration (line 2 of the cell "
                + "that failed: int broken = \"x\";) did not compile"), String.join("\n", b.traceback()));
        CompileError a = assertThrows(CompileError.class, () -> ev.run("after"));
        assertTrue(a.traceback().contains("    note: after was not declared: its declaration (line 3 of the cell "
                + "that failed: int after = 7;) did not run: a statement before it failed"),
                String.join("\n", a.traceback()));
        notesOfFailing(ArithmeticException.class, "int zeroed = 1 / (fine - 1);");
        CompileError z = assertThrows(CompileError.class, () -> ev.run("zeroed"));
        assertTrue(z.traceback().contains("    note: zeroed was not declared: its initializer threw"),
                String.join("\n", z.traceback()));
        CompileError n = assertThrows(CompileError.class, () -> ev.run("neverMentioned"));
        String never = String.join("\n", n.traceback());
        assertFalse(never.contains("was not declared"), "a name no cell meant to declare gets no such note: " + never);
        assertTrue(never.contains("note: no cell run in this kernel declares neverMentioned"), never);
    }

    /**
     * JShell drops {@code final} from a variable a cell declares (it stays assignable and is no constant): a note
     * says so, also behind annotations and comments and for a declaration of several variables; other modifiers and
     * a final local variable or class get none.
     */
    @Test
    void finalOnACellsVariableIsNotedAsIgnored() throws Exception {
        assertEquals("note: JShell ignores 'final' on a variable that a cell declares: limitF is not final (a later"
                + " statement can assign it) and not a constant a case label can use; for a constant, declare it in a class"
                + " or interface: interface K { int limitF = ...; }, then K.limitF\n", notesOf("final int limitF = 3;"));
        assertEquals(4, ev.run("limitF = 4;\nlimitF"), "JShell really drops it: the note must not claim more");
        assertTrue(notesOf("@SuppressWarnings(\"unused\") /* fixed */ static final String nameF = \"a\", otherF = \"b\"")
                .contains("nameF, otherF are not final"));
        assertEquals("", notesOf("static int plainF = 1;\nfinal class ClassF {}\n"
                + "void methodF() { final int localF = 2; }\nfor (final int i : new int[] {1}) { }"));
        assertTrue(CellEvaluator.declaredFinal("// counts\nprivate final var countF = 1;"));
        assertFalse(CellEvaluator.declaredFinal("finalCount = 3;"));
        assertFalse(CellEvaluator.declaredFinal("int finalF = 3;"));
    }

    /** A program pasted into a cell is declared, not run: a note says how to run it. */
    @Test
    void aPastedProgramSaysThatItsMainWasNotRun() throws Exception {
        String notes = notesOf("public class HelloMain {\n    public static void main(String[] args) {\n"
                + "        System.out.println(\"Hello\");\n    }\n}");
        assertEquals("note: main was declared, not run: a cell runs its statements; to run the program, call "
                + "HelloMain.main(new String[0]);\n", notes.replace("\r\n", "\n"));
        assertTrue(notesOf("static void main(String... args) { }").contains("call main(new String[0]);"));
        // a cell that calls it (or declares no main) gets no note
        assertEquals("", notesOf("class RunMain { public static void main(String[] a) { } }\nRunMain.main(null);"));
        assertEquals("", notesOf("class NoMain { void mainly(String s) { } }"));
    }

    /**
     * A variable declared again with another type can break a method that uses it ({@code count * 2} once count is a
     * String): the cell that does it says so, and a later call names the compile error, not a missing declaration.
     */
    @Test
    void aMethodThatARedeclarationBreaksIsNamedThenAndWhenCalled() throws Exception {
        ev.run("int tally = 3;\nint twiceTally() { return tally * 2; }");
        assertEquals(6, ev.run("twiceTally()"));
        String notes = notesOf("String tally = \"three\";");
        assertTrue(notes.contains("note: 'int twiceTally() { return tally * 2; }' no longer compiles after this cell: "
                + "bad operand types for binary operator '*'"), notes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ev.run("twiceTally()"));
        assertEquals("'int twiceTally() { return tally * 2; }' cannot run: it no longer compiles (bad operand types "
                + "for binary operator '*'); declare it again", e.getMessage());
        // a method that waits for a declaration still says which one
        ev.run("int waits() { return notYetThere + 1; }");
        IllegalStateException w = assertThrows(IllegalStateException.class, () -> ev.run("waits()"));
        assertEquals("'int waits() { return notYetThere + 1; }' cannot run before variable notYetThere is declared",
                w.getMessage());
    }

    @Test
    void wildcardImportsKeepObjectVariables() throws Exception {
        ev.run("var kept = new StringBuilder(\"kept\");\nint prim = 5;\nList<Integer> li = new ArrayList<>(List.of(1, 2));");
        ev.run("import com.google.gson.*;\nimport java.nio.file.*;");
        assertEquals("kept 5 [1, 2]", ev.run("kept.toString() + \" \" + prim + \" \" + li"));
    }

    @Test
    void switchExpressionWithThrowingDefaultRunsTheRestOfTheCell() throws Exception {
        Object v = ev.run("int w = 1;\n"
                + "String t = switch (w) { case 1 -> \"one\"; default -> throw new IllegalStateException(\"x\"); };\n"
                + "// a comment between statements\n"
                + "int afterSwitch = t.length();\n"
                + "switch (w) { case 1 -> afterSwitch += 10; default -> throw new IllegalStateException(\"y\"); }\n"
                + "afterSwitch * 2");
        assertEquals(26, v);
    }

    /**
     * A generic method declared right after a switch statement in the same cell is a declaration of its own: JShell's
     * analysis would read its {@code <T>} as a comparison with the switch and run the two as one broken statement.
     */
    @Test
    void aGenericMethodAfterASwitchStatementIsDeclaredOnItsOwn() throws Exception {
        String[] switches = {"switch (sw1) {\n    case 1 -> picked.add(\"one\");\n    default -> picked.add(\"other\");\n}",
                "switch (sw1) {\n    case 1:\n        picked.add(\"one\");\n        break;\n    default:\n"
                        + "        picked.add(\"other\");\n}"};
        ev.run("int sw1 = 1;\nList<String> picked = new ArrayList<>();");
        for (int i = 0; i < switches.length; i++) {
            String generic = "<T extends Comparable<T>> T larger" + i + "(T a, T b) { return a.compareTo(b) >= 0 ? a : b; }";
            String cell = switches[i] + "\n" + generic + "\nlarger" + i + "(\"a\", \"b\") + picked";
            assertEquals("b[one]", ev.run(cell), cell);
            ev.run("picked.clear();");
            // with a declaration after it, JShell's analysis gives up on the three ("unknown") instead
            String three = switches[i] + "\n<T> ArrayList<T> listOf" + i + "(T a, T b) { return new ArrayList<>(List.of(a,"
                    + " b)); }\nstatic long times" + i + "(int x) { return x * 5L; }\nlistOf" + i + "(1, 2) + \" \" + times"
                    + i + "(2) + picked";
            assertEquals("[1, 2] 10[one]", ev.run(three), three);
            ev.run("picked.clear();");
            assertEquals(switches[i].length(), Chunks.switchStatementEnd(switches[i] + "\n" + generic));
        }
        assertEquals(-1, Chunks.switchStatementEnd("int switched = 1;"));
        assertEquals(-1, Chunks.switchStatementEnd("switchOn(1);"));
        assertEquals("/* c */ switch (x) { }".length(), Chunks.switchStatementEnd("/* c */ switch (x) { }\n<T> T f() {}"));
    }

    /**
     * A variable declared again with another type makes JShell compile again the variables computed from it, whose new
     * fields start at 0 or null; the new declaration reads them with the values they kept, not those zeros, and it is
     * declared also when one of them no longer compiles and the kernel declares that one again.
     */
    @Test
    void aRedeclarationReadsTheKeptValuesOfTheVariablesItMadeJShellRecompile() throws Exception {
        ev.run("int srcA = 3;\nvar fromA = srcA;\nString srcB = \"ab\";\nvar fromB = srcB.length();\n"
                + "List<Integer> srcC = List.of(1, 2, 3);\nvar fromC = srcC.size();");
        assertEquals("4 3", ev.run("Integer srcA = fromA + 1;\nsrcA + \" \" + fromA"));
        assertEquals("q2 2", ev.run("StringBuilder srcB = new StringBuilder(\"q\" + fromB);\nsrcB + \" \" + fromB"));
        assertEquals("[3] 3", ev.run("ArrayList<Integer> srcC = new ArrayList<>(List.of(fromC));\nsrcC + \" \" + fromC"));
        // one that JShell cannot compile again with the new type (long from a String) is declared again by the kernel
        // with its value; the new declaration, which waited for it, then runs instead of staying undeclared
        ev.run("int srcD = 3;\nvar fromD = (long) srcD;");
        assertEquals("r3 3", ev.run("String srcD = \"r\" + fromD;\nsrcD + \" \" + fromD"));
        // the declaration's own variable is its initializer's: declared again from itself, it reads JShell's new 0
        ev.run("int selfD = 5;");
        assertEquals(0L, ev.run("long selfD = selfD * 10L;\nselfD"));
    }

    @Test
    void redeclaredMethodKeepsTheValuesOfVariablesThatUsedIt() throws Exception {
        ev.run("int base() { return 1; }\nint fromBase = base();\nvar boxed = List.of(base());");
        ev.run("int base() { return 2; }");
        assertEquals("1 [1]", ev.run("fromBase + \" \" + boxed"));
        // a new return type: JShell refuses to recompile 'var boxed' with the type it inferred first; the kernel
        // declares it again with that type, so it keeps its value and type (fromBase is not recompiled, keeps 1)
        String notes = notesOf("long base() { return 3L; }");
        assertEquals("", notes);
        assertEquals("1 [1] 1", ev.run("fromBase + \" \" + boxed + \" \" + boxed.get(0).intValue()"));
    }

    @Test
    void aVarOfARedeclaredRecordIsResetLikeADeclaredOneNotDropped() throws Exception {
        ev.run("record Rp(int a, int b) { int sum() { return a + b; } }\nvar viaVar = new Rp(2, 3);\n"
                + "Rp typed = new Rp(2, 3);\nint useViaVar() { return viaVar.a(); }");
        String notes = notesOf("record Rp(int a, int b) { int sum() { return a * b; } }");
        assertTrue(notes.contains("variable viaVar was reset to null: its type Rp was redeclared"), notes);
        assertTrue(notes.contains("variable typed was reset to null"), notes);
        assertTrue(!notes.contains("dropped"), notes);
        assertEquals("null null", ev.run("viaVar + \" \" + typed"));
        assertEquals(20, ev.run("viaVar = new Rp(4, 5);\nviaVar.sum()"));
        assertEquals(4, ev.run("useViaVar()"));
        // a list of the old records keeps them (the list is still a list), and a note says they are stale
        ev.run("List<Rp> rps = new ArrayList<>(List.of(new Rp(1, 1)));\nint rpCount = 1;");
        notes = notesOf("record Rp(int a, int b) { int sum() { return a - b; } }");
        assertTrue(notes.contains("note: variable rps (List<Rp>) keeps its value, but the Rp objects in it are of the "
                + "old declaration of Rp"), notes);
        assertTrue(!notes.contains("rpCount"), notes);
        assertEquals(1, ev.run("rps.size()"));
    }

    /**
     * A list filled from a variable of the record ({@code List.of(q)}) is recompiled because that variable no longer
     * compiles, not because of the record: its stale elements are noted all the same.
     */
    @Test
    void aListFilledFromAVariableOfARedeclaredRecordIsNotedToHoldOldObjects() throws Exception {
        ev.run("record Rq(int x) {}\nRq rq = new Rq(1);\nList<Rq> rqs = new ArrayList<>(List.of(rq));\n"
                + "Map<String, Rq> rqm = new HashMap<>(Map.of(\"a\", rq));");
        String notes = notesOf("record Rq(int x, int y) {}");
        assertTrue(notes.contains("variable rq was reset to null"), notes);
        assertTrue(notes.contains("note: variable rqs (List<Rq>) keeps its value, but the Rq objects in it are of the "
                + "old declaration of Rq"), notes);
        assertTrue(notes.contains("note: variable rqm (Map<String, Rq>) keeps its value"), notes);
        assertEquals(1, ev.run("rqs.size()"));
    }

    /**
     * A new declaration of a class, method or variable that does not compile leaves the earlier one in place, with
     * what uses it: the variable of the class keeps its object, the records of a sealed interface stay usable.
     */
    @Test
    void aRedeclarationThatDoesNotCompileLeavesTheEarlierOneAndItsVariables() throws Exception {
        ev.run("class Kd { int a = 1; int get() { return a; } }\nKd kd = new Kd();\nkd.a = 7;\n"
                + "int useKd(Kd x) { return x.get(); }\nint plusOne(int x) { return x + 1; }\nint kept = 5;");
        String notes = notesOfFailing(CompileError.class, "class Kd { int a = \"s\"; int get() { return a; } }");
        assertTrue(notes.contains("note: the earlier 'class Kd { int a = 1; int get() { return a; } }' stands"), notes);
        assertEquals(7, ev.run("useKd(kd)"), "kd keeps its object, and useKd still compiles");
        assertEquals(1, ev.run("new Kd().get()"));
        notesOfFailing(CompileError.class, "int plusOne(int x) { return x + \"s\"; }");
        assertEquals(3, ev.run("plusOne(2)"));
        notesOfFailing(CompileError.class, "int kept = \"s\";");
        assertEquals(5, ev.run("kept"));
        ev.run("sealed interface Ex permits Nm, Ad {\n}\nrecord Nm(int v) implements Ex {}\n"
                + "record Ad(Ex l, Ex r) implements Ex {}\nint evalEx(Ex e) { return e instanceof Nm n ? n.v() "
                + ": evalEx(((Ad) e).l()) + evalEx(((Ad) e).r()); }");
        CompileError e = assertThrows(CompileError.class, () -> ev.run("record Nm(int v) implements Ex { Nm { if (v < 0) "
                + "throw new IllegalArgumentException(); } }"));
        assertTrue(e.traceback().stream().noneMatch(l -> l.contains("cannot be used until")), String.join("\n",
                e.traceback()));
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("invalid canonical constructor")), String.join(
                "\n", e.traceback()));
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("must be public too (public Nm(...) or public Nm "
                + "{ ... })")), String.join("\n", e.traceback()));
        assertEquals(4, ev.run("record Nm(int v) implements Ex { public Nm { if (v < 0) throw new "
                + "IllegalArgumentException(); } }\nevalEx(new Ad(new Nm(1), new Nm(3)))"), "as the hint says");
        assertEquals(5, ev.run("evalEx(new Ad(new Nm(2), new Nm(3)))"), "the sealed hierarchy is intact");
    }

    @Test
    void redeclaredClassResetsItsObjectsWithANoteNamingTheVariable() throws Exception {
        ev.run("class Pt { int x = 4; }\nPt pt = new Pt();\nString other = \"o\";");
        String notes = notesOf("class Pt { int x = 4; int y = 5; }");
        assertTrue(notes.contains("variable pt was reset"), notes);
        assertTrue(notes.contains("Pt was redeclared"), notes);
        assertEquals("o", ev.run("other"));
    }

    /**
     * A method that a cell's interface or class calls, declared again, makes JShell compile that type again: its
     * variables are reset. The note says which method's change did it (the type itself was not redeclared) and names
     * what the variable held: a lambda or an anonymous object, which keeps the old code, not a raw class name.
     */
    @Test
    void aResetNamesTheLambdaOrAnonymousObjectAndTheMethodThatChanged() throws Exception {
        ev.run("int scaleR(int x) { return x * 2; }\n"
                + "interface OpR { int ap(int x); default int viaScale(int x) { return scaleR(ap(x)); } }\n"
                + "OpR lambdaR = x -> x + 1;\nOpR anonR = new OpR() { public int ap(int x) { return x - 1; } };\n"
                + "class HolderR { int h() { return scaleR(3); } }\nHolderR holderR = new HolderR();");
        String notes = notesOf("int scaleR(int x) { return x * 10; }");
        assertTrue(notes.contains("note: variable lambdaR was reset to null: JShell compiled its type OpR again because"
                + " method scaleR(int) changed, so the lambda it held, which keeps the old code, is not a OpR of the new "
                + "declaration; run the cell that makes it again\n"), notes);
        assertTrue(notes.contains("note: variable anonR was reset to null: JShell compiled its type OpR again because "
                + "method scaleR(int) changed, so the anonymous OpR it held, which keeps the old code, is not"), notes);
        assertTrue(notes.contains("note: variable holderR was reset to null: JShell compiled its type HolderR again "
                + "because method scaleR(int) changed, so the old HolderR object is not"), notes);
        assertFalse(notes.contains("$"), notes);
        assertEquals(40, ev.run("lambdaR = x -> x + 3;\nlambdaR.viaScale(1)"), "declared again, it runs the new code");
    }

    /**
     * A redeclared class: a variable of another type (Object, an interface) that holds an object of the old
     * declaration is named too (JShell leaves it alone, and a cast to the new type throws), and an array of the type
     * gets one note, that it was reset, not a second one saying that it keeps its value.
     */
    @Test
    void aRedeclaredClassNamesEveryVariableThatHoldsAnOldObjectOnce() throws Exception {
        ev.run("class Bx implements Runnable { public void run() { } }\nBx bx = new Bx();\nObject obx = new Bx();\n"
                + "Runnable rbx = new Bx();\nBx[] abx = { new Bx() };\nObject same = \"kept\";");
        String notes = notesOf("class Bx implements Runnable { int w = 1; public void run() { } }");
        assertTrue(notes.contains("note: variable obx (Object) holds a Bx of the old declaration of Bx: using it as Bx "
                + "throws ClassCastException; run the cell that makes it again\n"), notes);
        assertTrue(notes.contains("note: variable rbx (Runnable) holds a Bx of the old declaration"), notes);
        assertTrue(notes.contains("note: variable abx was reset to null"), notes);
        assertFalse(notes.contains("abx (Bx[]) keeps its value"), notes);
        assertFalse(notes.contains("variable same"), notes);
        assertEquals(2, notes.lines().filter(l -> l.contains("of the old declaration")).count(), notes);
        assertEquals("", notesOf("class Bx implements Runnable { int w = 1; public void run() { } }"),
                "the same declaration again changes nothing");
        // the cast the notes warn of: the JVM's "class Bx cannot be cast to class Bx (Bx and Bx are in unnamed
        // module of loader ...)" says which Bx is which
        ClassCastException cast = assertThrows(ClassCastException.class, () -> ev.run("((Bx) obx).w"));
        String said = "class Bx of an earlier declaration cannot be cast to class Bx as declared now: the object was "
                + "made before Bx was declared again; run the cells that make it again";
        assertEquals("ClassCastException: " + said, ErrorReport.headline(cast));
        assertEquals(said, ErrorReport.value(cast));
        ev.run("enum Hue { RED { }, GREEN }\nObject hue = Hue.RED;");
        assertTrue(notesOf("enum Hue { RED { }, GREEN, BLUE }").contains("note: variable hue (Object) holds a Hue of "
                + "the old declaration of Hue"), "a constant with a body is of an anonymous subclass of its enum");
    }

    /**
     * An import that keeps a method from compiling ({@code List<T>} under {@code import java.awt.List;}) leaves it
     * declared but not callable. Calling it says so, with the compiler's reason, instead of claiming no cell declared
     * it; and once a later import gives the name back its meaning ({@code import java.util.List;}), which JShell alone
     * does not notice, the kernel compiles the method again and a note says so.
     */
    @Test
    void aMethodAnImportBrokeCompilesAgainWhenALaterImportMendsIt() throws Exception {
        CellEvaluator own = CellEvaluator.withPreload(); // the imports would change List for the other tests
        own.run("<T extends Number> double sum(List<T> xs) { double s = 0; for (T x : xs) s += x.doubleValue(); "
                + "return s; }\nclass Bag { List<String> items = new ArrayList<>(); }");
        assertEquals(3.0, own.run("sum(List.of(1, 2))"));
        own.run("import java.awt.List;");
        CompileError e = assertThrows(CompileError.class, () -> own.run("sum(java.util.List.of(1, 2))"));
        String trace = String.join("\n", e.traceback());
        assertTrue(trace.contains("note: an earlier cell declared '<T extends Number> double sum(List<T> xs) { double"
                + " s = 0; for (T x : xs) s += x.doubleValue(); return s; }', but it does not compile now (type "
                + "java.awt.List does not take parameters): declare it again once it does"), trace);
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            own.run("// back to the collections\nimport java.util.List;");
        } finally {
            System.setErr(saved);
        }
        String notes = buf.toString(StandardCharsets.UTF_8);
        assertTrue(notes.contains("note: '<T extends Number> double sum(List<T> xs) { double s = 0; for (T x : xs) "
                + "s += x.doubleValue(); return s; }' compiles again after this import"), notes);
        assertTrue(notes.contains("note: 'class Bag { List<String> items = new ArrayList<>(); }' compiles again"),
                notes);
        assertEquals(6.0, own.run("sum(List.of(1, 2, 3))"));
        assertEquals(0, own.run("new Bag().items.size()"));
    }

    /**
     * A single-type import and a type a cell declared with the same simple name cannot stand side by side: JShell
     * accepts the second of the two and then refuses every later statement ("a type with the same simple name is
     * already defined by the single-type-import"), dropping the variables of that type. The kernel refuses the second
     * one, in either order, and the session goes on with its variables; an on-demand import, under which the cell's
     * type keeps its name, and a static import of a method are left alone.
     */
    @Test
    void anImportAndADeclaredTypeOfOneNameAreRefusedWhicheverComesSecond() throws Exception {
        CellEvaluator own = CellEvaluator.withPreload(); // the imports would change names for the other tests
        own.run("record Point(int x) { }\nPoint p = new Point(4);");
        CompileError e = assertThrows(CompileError.class, () -> own.run("int before = 1;\nimport java.awt.Point;\n"
                + "int after = 2;"));
        assertEquals("import java.awt.Point would give Point a second meaning beside record Point, which a cell"
                + " declared", e.getMessage());
        String trace = String.join("\n", e.traceback());
        assertTrue(trace.contains("line 2: JShell would then refuse every later statement of the session; write "
                + "java.awt.Point in full where you use it, or import its package (import java.awt.*;)"), trace);
        assertEquals(4, own.run("p.x()"));
        assertEquals(1, own.run("before"));
        assertEquals(7, own.run("int y = 7;\ny"));
        own.run("import java.awt.*;"); // on demand: Point stays the record
        assertEquals(5, own.run("new Point(5).x()"));
        assertEquals(3.0, own.run("new java.awt.Point(3, 0).getX()"));

        own.run("import java.util.concurrent.atomic.AtomicLong;\nAtomicLong n = new AtomicLong(9);");
        CompileError t = assertThrows(CompileError.class, () -> own.run("class AtomicLong { }"));
        assertEquals("class AtomicLong would give AtomicLong a second meaning beside "
                + "java.util.concurrent.atomic.AtomicLong (an earlier cell ran import "
                + "java.util.concurrent.atomic.AtomicLong;)", t.getMessage());
        assertEquals(9L, own.run("n.get()"));
        CompileError knobs = assertThrows(CompileError.class, () -> own.run("enum Knobs { A }"));
        assertTrue(knobs.getMessage().contains("(the notebook's imports hold import tpdiff4j.kernel.Knobs;)"),
                knobs.getMessage());

        own.run("import static java.util.Map.Entry;");
        assertThrows(CompileError.class, () -> own.run("record Entry(int k) { }"));
        own.run("import static java.lang.Math.max;"); // a method, not a type: a record max may stand beside it
        own.run("record max(int m) { }");
        assertEquals(3, own.run("max(2, 3)"));
        assertEquals(11, own.run("int z = 11;\nz"));
    }

    /**
     * An import that gives a name of the notebook's imports another meaning ({@code java.awt.List} for {@code List})
     * makes JShell recompile the variables declared with that name, and their declarations no longer compile. The
     * kernel declares each again with its type written in full, as the variable had it, so it keeps its value (JShell
     * alone drops it); a note says how it is declared now. The same holds where the declaration still compiles but
     * names another class ({@code Shape djl} after {@code import java.awt.Shape;}): JShell would reset it to null.
     */
    @Test
    void aVariableThatAnImportShadowsKeepsItsValue() throws Exception {
        CellEvaluator own = CellEvaluator.withPreload(); // the import would change List for the other tests
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            own.run("List<String> shadowed = new ArrayList<>(List.of(\"a\"));\n"
                    + "Map<String, List<Integer>> nested = Map.of(\"k\", List.of(1, 2));\n"
                    + "List<Map.Entry<String, Integer>> entries = List.of(Map.entry(\"e\", 3));\n"
                    + "record Pt(int x) { }\n"
                    + "List<Pt> points = List.of(new Pt(4));\n"
                    + "int untouched = 5;\n"
                    + "Shape djl = new Shape(2, 3);\n"
                    + "Object some = new Shape(7);\n"
                    + "Shape cast = (Shape) some;"); // still compiles once Shape is java.awt's
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            own.run("import java.awt.List;");
            own.run("import java.awt.Shape;"); // compiles with java.awt.Shape, which DJL's Shape is not
            System.setErr(saved);
            String notes = buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertEquals(6, notes.lines().count(), notes);
            assertTrue(notes.contains("note: variable cast keeps its value and is now declared as "
                    + "ai.djl.ndarray.types.Shape cast: after this cell, its type Shape would mean another class\n"),
                    notes);
            assertEquals(7L, own.run("cast.get(0)"));
            assertTrue(notes.contains("note: variable djl keeps its value and is now declared as "
                    + "ai.djl.ndarray.types.Shape djl: after this cell, its type Shape would mean another class\n"),
                    notes);
            assertEquals(3L, own.run("djl.get(1)"));
            assertTrue(notes.contains("note: variable shadowed keeps its value and is now declared as "
                    + "java.util.List<java.lang.String> shadowed: after this cell, its type List<String> would mean "
                    + "another class\n"), notes);
            assertTrue(notes.contains("declared as java.util.Map<java.lang.String, java.util.List<java.lang.Integer>> "
                    + "nested"), notes);
            assertTrue(notes.contains("declared as java.util.List<java.util.Map.Entry<java.lang.String, "
                    + "java.lang.Integer>> entries"), notes);
            assertTrue(notes.contains("declared as java.util.List<Pt> points"), notes);
            assertEquals("a", own.run("shadowed.get(0)"));
            assertEquals(2, own.run("nested.get(\"k\").get(1)"));
            assertEquals(3, own.run("entries.get(0).getValue()"));
            assertEquals(4, own.run("points.get(0).x()"));
            assertEquals(5, own.run("untouched"));
            assertEquals("java.awt.List", own.run("List.class.getName()"), "the import holds");
            own.run("shadowed.add(\"b\");");
            assertEquals(2, own.run("shadowed.size()"), "the variable is the same list, not a copy");
        } finally {
            System.setErr(saved);
            own.close();
        }
    }

    /**
     * A declaration that waits for several others says "are declared"; a method a cell declares {@code abstract} is a
     * declaration without a body, and its note and the error of a call say so (they said it could be used "once
     * method am() is declared", which it was); declared again with a body, it runs.
     */
    @Test
    void whatADeclarationWaitsForIsSaidPlainly() throws Exception {
        assertEquals("note: 'sealed interface Pending permits PendA, PendB {}' can be used once class PendA, class "
                + "PendB are declared\n", notesOf("sealed interface Pending permits PendA, PendB {}"));
        assertEquals("note: 'abstract int later();' has no body: later(...) can be called once a cell declares it "
                + "again with one\n", notesOf("abstract int later();"));
        IllegalStateException call = assertThrows(IllegalStateException.class, () -> ev.run("later()"));
        assertEquals("'abstract int later();' has no body: declare later(...) again with one before calling it",
                call.getMessage());
        assertEquals(7, ev.run("int later() { return 7; }\nlater()"));
    }

    /**
     * The text form of a value whose class a cell declared, without a toString of its own, names the class as the
     * cell wrote it ({@code Bz@1b6d3586}; it showed {@code REPL.$JShell$53$Bz@1b6d3586}), also inside a list, an
     * array and for a nested class; a string that holds such text is shown as it is.
     */
    @Test
    void aValueOfACellsClassIsShownWithTheClassNameTheCellWrote() throws Exception {
        Object bz = ev.run("class Bz { static class In { } }\nnew Bz()");
        String plain = (String) MimeBundles.of(bz).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
        assertEquals("Bz@" + Integer.toHexString(bz.hashCode()), plain);
        for (String code : List.of("List.of(new Bz(), new Bz.In())", "new Object[] { new Bz.In() }")) {
            String shown = (String) MimeBundles.of(ev.run(code)).getData(
                    org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
            assertTrue(shown.matches("\\[(Bz@\\p{XDigit}+, )?Bz\\.In@\\p{XDigit}+]"), shown);
        }
        String text = "REPL.$JShell$53$Bz@1";
        assertEquals(text, MimeBundles.of(text).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }

    /**
     * A string constant over 65535 bytes fails javac, and JShell then refuses every later variable declaration of the
     * session ("too long for the constant pool"): the kernel refuses such a statement before JShell sees it.
     */
    @Test
    void anOverlongStringConstantIsRefusedAndLaterDeclarationsStillWork() throws Exception {
        String big = "ab".repeat(40_000);
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int beforeHuge = 1;\nString huge = \"" + big + "\";\nint afterHuge = 2;"));
        assertTrue(e.getMessage().contains("longer than 65535 bytes"), e.getMessage());
        assertTrue(e.traceback().get(0).startsWith("line 2: "), e.traceback().toString());
        assertEquals("the cell stopped there: the statement after it (line 3) did not run; the ones before it did",
                ev.stopOf(e).orElseThrow().skipped());
        assertEquals("x 1 3",
                ev.run("String small = \"x\";\nint later = 3;\nsmall + \" \" + beforeHuge + \" \" + later"));
        assertEquals(80_000, ev.run("\"ab\".repeat(40_000).length()"), "built at run time it is fine");

        String comment = "// \"" + big + "\n";
        assertEquals(-1, Chunks.overlongLiteral(comment + "'\"' + \"" + "é".repeat(32_767) + "\""));
        assertEquals(4, Chunks.overlongLiteral("s = \"" + "é".repeat(32_768) + "\""), "2 bytes a character");
        assertEquals(0, Chunks.overlongLiteral("\"\"\"\n" + big + "\"\"\""));
    }

    /** A declaration javac refuses for good ("code too large") fails the cell; it used to leave a wrong note. */
    @Test
    void aDeclarationThatCannotEverCompileFailsTheCell() throws Exception {
        String data = java.util.stream.IntStream.range(0, 20_000).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ", "int[] pasted = {", "};"));
        CompileError e = assertThrows(CompileError.class,
                () -> ev.run("int beforeData = 1;\n" + data + "\nint afterData = 2;"));
        assertEquals("code too large", e.getMessage());
        assertTrue(e.traceback().get(0).startsWith("line 2: code too large"), e.traceback().toString());
        assertThrows(CompileError.class, () -> ev.run("afterData"), "the statement after it did not run");
        assertEquals(5, ev.run("int laterData = 4;\nlaterData + beforeData"));
    }

    /**
     * The textbook sealed hierarchy: the interface waits for its permitted records, and meanwhile its name is DJL's
     * Shape of the preloaded imports; the error says so and how to declare them.
     */
    @Test
    void aTypeThatWaitsForOthersIsNamedInTheCompileError() throws Exception {
        CompileError e = assertThrows(CompileError.class, () -> ev.run(
                "sealed interface Shape permits Circle, Square {}\nrecord Circle(double r) implements Shape {}"));
        String all = String.join("\n", e.traceback());
        assertTrue(all.contains("note: Shape is declared in this session but cannot be used until class Circle, "
                + "class Square are declared; until then Shape here means ai.djl.ndarray.types.Shape of the "
                + "notebook's imports"), all);
        assertEquals("circle", ev.run("sealed interface Shape { record Circle(double r) implements Shape {} "
                + "record Square(double s) implements Shape {} }\n"
                + "Shape sh = new Shape.Circle(1);\nsh instanceof Shape.Circle ? \"circle\" : \"square\""));
    }

    @Test
    void firstStatementEndSkipsStringsCommentsAndBrackets() {
        assertEquals("int a = 1;".length(), Chunks.firstStatementEnd("int a = 1; int b;"));
        String s = "String s = \"a;b}\" + ';' + \"\"\"\n;}\"\"\";";
        assertEquals(s.length(), Chunks.firstStatementEnd(s + "\nint c;"));
        String block = "if (x) { a(); }";
        assertEquals(block.length(), Chunks.firstStatementEnd(block + "\nb();"));
        String ifElse = "if (x) { a(); } else { b(); }";
        assertEquals(ifElse.length(), Chunks.firstStatementEnd(ifElse + " // c\nc();"));
        String lambda = "Runnable r = () -> { go(); };";
        assertEquals(lambda.length(), Chunks.firstStatementEnd(lambda + "x();"));
        assertEquals(-1, Chunks.firstStatementEnd("foo(1, 2"));
        // a closing brace or parenthesis too many: the brace is a statement of its own, the parenthesis is not
        assertEquals(1, Chunks.firstStatementEnd("}\nint a2 = 2;"));
        assertEquals("f(1));".length(), Chunks.firstStatementEnd("f(1));\nint a3 = 3;"));
    }
    @Test
    void anOpenTrainerOrManagerThatNoVariableHoldsAnyMoreIsNamedWithItsSize() throws Exception {
        // 250,000 float32 zeros: 1.0 MB that only close() frees; declaring the variable again lets it go open
        ev.run("NDManager lostNd = NDManager.newBaseManager(); lostNd.zeros(new ai.djl.ndarray.types.Shape(250_000));");
        String notes = notesOf("NDManager lostNd = NDManager.newBaseManager();");
        assertTrue(notes.contains("note: the NDManager that lostNd held (1 array, 1.0 MB) was not closed, and no"
                + " variable holds it now"), notes);
        assertTrue(notes.contains("(lostNd.close();)"), notes);
        assertEquals("", notesOf("lostNd.close();\nNDManager lostNd = NDManager.newBaseManager();"), "closed first");
        assertEquals("", notesOf("List<NDManager> keptNd = List.of(lostNd);\nlostNd = NDManager.newBaseManager();"),
                "still held by a list");
        String assigned = notesOf("lostNd = null;");
        assertTrue(assigned.contains("the NDManager that lostNd held (0 arrays, 0.0 MB) was not closed"), assigned);
        ev.run("keptNd.get(0).close();");

        String build = "Trainer lostTr = Trainer.builder().withModel(ModelConfig.tiny(4, 1, 16, 16))"
                + ".withConfig(TrainConfig.flowMatching(1, 4, 1).withBatchSize(2))"
                + ".withData(SpriteVideos.builder().withFrames(4).withSize(16).build()).withProgress(false).build();";
        ev.run(build);
        long weights = ((Number) ev.run("lostTr.model().weightCount()")).longValue();
        String again = notesOf(build);
        assertTrue(again.contains("note: the Trainer that lostTr held (" + weights + " weights; "), again);
        assertEquals("", notesOf("lostTr.close();\n" + build));
        ev.run("lostTr.close();");
        assertEquals("", notesOf("int afterOwners = 1;"), "closed owners are not named");
    }

    /**
     * A cell run again after the notebook's clean-up cell closed its manager fails in DJL with "NDManager has been
     * closed already", which names no variable: a note says which variable holds the closed manager (or trainer)
     * and that the cell declaring it must run first. Other failures, and variables whose manager is open, get none.
     */
    @Test
    void aCellThatUsesAClosedManagerIsToldWhichVariableToDeclareAgain() throws Exception {
        ev.run("NDManager cleanNd = NDManager.newBaseManager(); NDManager openNd = NDManager.newBaseManager();"
                + " NDArray made = cleanNd.zeros(new ai.djl.ndarray.types.Shape(4));");
        ev.run("cleanNd.close();");
        String notes = notesOfFailing(IllegalStateException.class,
                "NDArray again = cleanNd.ones(new ai.djl.ndarray.types.Shape(4));");
        assertTrue(notes.contains("note: cleanNd holds a closed NDManager (cleanNd.close() ran): run the cell that"
                + " declares cleanNd again first"), notes);
        assertFalse(notes.contains("openNd"), notes);
        assertEquals("", notesOfFailing(IllegalStateException.class, "throw new IllegalStateException(\"other\");"),
                "a failure not about a closed manager");
        ev.run("openNd.close();");
    }

    /**
     * A cell run again after the clean-up cell that only reads arrays made in the closed manager (notebook 01's
     * convergence cell after its {@code nd.close();}) fails in DJL with "Native resource has been released already",
     * which names neither the manager nor the variable: it gets the same note as a cell that uses the manager itself.
     */
    @Test
    void aCellThatReadsAnArrayOfAClosedManagerIsToldWhichVariableToDeclareAgain() throws Exception {
        ev.run("NDManager readNd = NDManager.newBaseManager();"
                + " NDArray kept = readNd.ones(new ai.djl.ndarray.types.Shape(4));");
        ev.run("readNd.close();");
        String notes = notesOfFailing(IllegalStateException.class, "double total = kept.sum().getDouble();");
        assertTrue(notes.contains("note: readNd holds a closed NDManager (readNd.close() ran): run the cell that"
                + " declares readNd again first"), notes);
    }
}
