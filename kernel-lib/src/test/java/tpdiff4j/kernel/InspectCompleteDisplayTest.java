package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.ToolProvider;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tpdiff4j.viz.Displayable;

/** inspect (Shift-Tab) on any symbol, completion order, and display/render with MIME types. */
class InspectCompleteDisplayTest {

    @TempDir
    static Path tmp;
    static CellEvaluator ev;

    @BeforeAll
    static void start() throws Exception {
        ev = new CellEvaluator();
        ev.run("import java.util.*;");
        ev.run("var letters = new ArrayList<String>(List.of(\"a\", \"b\"));");
        ev.run("int maxSeen = 7;");
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void inspectListsEveryOverloadOfAJdkMethodWithOrWithoutParenthesis() {
        for (String code : new String[]{"Math.max", "Math.max(1, ", "int k = Math.max(maxSeen, 3)"}) {
            int cursor = code.startsWith("int k") ? code.indexOf("max(") + 2 : code.length();
            List<String> docs = ev.documentation(code, cursor, false);
            List<String> signatures = docs.stream().map(d -> d.split("\n")[0]).toList();
            assertEquals(List.of("int Math.max(int a, int b)", "long Math.max(long a, long b)",
                    "float Math.max(float a, float b)", "double Math.max(double a, double b)"), signatures, code);
        }
        assertTrue(ev.documentation("letters.add", 11, false).get(0).startsWith("boolean ArrayList<E>.add(E e)"));
        assertEquals(List.of(), ev.documentation("1 + ", 4, false), "no symbol at the cursor: nothing");
    }

    @Test
    void inspectNamesTheParametersOfInterfaceMethodsToo() {
        // an abstract method has no local variable table: its parameter names come from the class file's
        // MethodParameters (javac -parameters), without which Shift-Tab showed "double NoiseSchedule.gamma(double)"
        String code = "tpdiff4j.schedule.Schedules.flowMatching().gamma(";
        assertEquals("double tpdiff4j.schedule.NoiseSchedule.gamma(double t)",
                ev.documentation(code, code.length(), false).get(0).split("\n")[0]);
        code = "tpdiff4j.schedule.Schedules.flowMatching().timeAtLogSnr(";
        assertEquals("double tpdiff4j.schedule.NoiseSchedule.timeAtLogSnr(double logSnr)",
                ev.documentation(code, code.length(), false).get(0).split("\n")[0]);
    }

    @Test
    void inspectShowsAVariablesTypeAndValue() {
        String d = ev.documentation("letters", 3, false).get(0);
        assertTrue(d.startsWith("ArrayList<String> letters = [a, b]"), d);
        assertTrue(ev.documentation("maxSeen", 7, false).get(0).startsWith("int maxSeen = 7"));
    }

    @Test
    void inspectGivesTheFirstSentenceOfTheJdkJavadocWhenItsSourcesArePresent() {
        String zip = System.getProperty("tpdiff4j.jdk.sources", "");
        assumeTrue(Files.isReadable(Path.of(zip))
                        || Files.isReadable(Path.of(System.getProperty("java.home"), "lib", "src.zip")),
                "no JDK src.zip here (environment/setup extracts it)");
        List<String> docs = ev.documentation("Math.max", 8, false);
        assertEquals("int Math.max(int a, int b)\nReturns the greater of two int values.", docs.get(0));
        assertEquals("double Math.max(double a, double b)\nReturns the greater of two double values.",
                docs.get(3));
        String cls = ev.documentation("letters", 7, false).get(0);
        assertTrue(cls.contains("\nArrayList<String>: Resizable-array implementation of the List interface."),
                cls);
    }

    @Test
    void aValueThatCannotBeShownSaysTheCellRan() throws Exception {
        Object bad = ev.run("class Unshowable {\n"
                + "  public String toString() { throw new IllegalStateException(\"no text\"); }\n}\n"
                + "new Unshowable()");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MimeBundles.ofCellValue(bad));
        assertEquals("every statement of the cell ran, but its value, of class Unshowable, could not be shown: "
                + "IllegalStateException: no text", e.getMessage());
        assertEquals("no text", e.getCause().getMessage());
        assertEquals("[1, 2]", MimeBundles.ofCellValue(List.of(1, 2)).getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void arrayBracketsAfterTheParameterNameStillSelectTheRightOverload() {
        // the JDK's String.java declares valueOf(char data[]) before valueOf(char c)
        String src = "class S {\n  /** Of the char array. */\n  static String valueOf(char data[]) { return null; }\n"
                + "  /** Of a grid. */\n  static String valueOf(char grid [] [], int n) { return null; }\n"
                + "  /** Of the char. */\n  static String valueOf(char c) { return null; }\n}\n";
        assertEquals(List.of("char[]", "int"), JavadocSummary.parameterTypes("char data[], int offset"));
        assertEquals(List.of("char[][]", "int"), JavadocSummary.parameterTypes("char grid [] [], int n"));
        assertEquals(" Of the char. ", JavadocSummary.find(src, "S", "valueOf", List.of("char")).orElseThrow());
        assertEquals(" Of the char array. ",
                JavadocSummary.find(src, "S", "valueOf", List.of("char[]")).orElseThrow());
        assertEquals(" Of a grid. ",
                JavadocSummary.find(src, "S", "valueOf", List.of("char[][]", "int")).orElseThrow());
    }

    @Test
    void theSummaryDoesNotEndAtAnAbbreviationOrBeforeANumber() {
        assertEquals("The stage-local time (TPDiff v1 Eq. 12) of a window, cf. Fig. 3 and Sec. 4.",
                JavadocSummary.clean(" The stage-local time (TPDiff v1 Eq. 12) of a window, cf. Fig. 3 and Sec. 4."
                        + " More text. ", false));
        assertEquals("As in Ran et al. and Eqs. 5-6, e.g. here.",
                JavadocSummary.clean(" As in Ran et al. and Eqs. 5-6, e.g. here. Not this. ", false));
        assertEquals("Ends here!", JavadocSummary.clean(" Ends here! Not this. ", false));
    }

    @Test
    void theSummaryDoesNotEndInsideAnInlineTagAtAnEllipsisOrADottedAbbreviation() {
        // the class comment of TemporalPyramid: the first ". " sits inside {@code ...}, where cutting left "{@code"
        assertEquals("Boundaries 0 = t_0 < t_1 < ... < t_K = 1 cut the axis into\nK stages.",
                JavadocSummary.clean(" Boundaries {@code 0 = t_0 < t_1 < ... < t_K = 1} cut the axis into\n * "
                        + "{@code K} stages. Stage 0 is the noisiest. ", false));
        assertEquals("Waits, then ... goes on.", JavadocSummary.clean(" Waits, then ... goes on. Not this. ", false));
        assertEquals("I.i.d. N(0, 1) entries from seed.",
                JavadocSummary.clean(" I.i.d. {@code N(0, 1)} entries from {@code seed}.\n *\n * @param seed s", false));
        assertEquals("Makes i.i.d. draws.", JavadocSummary.clean(" Makes i.i.d. draws. Not this. ", false));
        assertEquals("The stage over [t_{k-1}, t_k] runs at r_{k+1} = B_k r_k; see TemporalPyramid#stages().",
                JavadocSummary.clean(" The stage over {@code [t_{k-1}, t_k]} runs at {@code r_{k+1} = B_k r_k}; see"
                        + " {@link TemporalPyramid#stages()}.", false));
        assertEquals("Unclosed {@code x", JavadocSummary.inlineTags("Unclosed {@code x"));
    }

    @Test
    void aRecordAccessorIsDocumentedByItsComponentsParamTag() {
        String code = "tpdiff4j.pyramid.TemporalPyramid.uniform(tpdiff4j.schedule.Schedules.flowMatching(), 3, 16)"
                + ".stage(0).start";
        List<String> doc = ev.documentation(code, code.length(), false);
        assertEquals(List.of("double tpdiff4j.pyramid.Stage.start()\n"
                + "the noisier end of the window, s (the paper's s_k)"), doc);
        String src = "/**\n * A pair.\n *\n * @param left the first,\n *        on two lines\n * @param right the second\n"
                + " */\npublic record Pair(int left, int right) {\n    /** Not left's. */\n    public int sum() { return 0; }\n}";
        assertEquals(Optional.of("the first, on two lines"), JavadocSummary.recordComponent(src, "Pair", "left"));
        assertEquals(Optional.of("the second"), JavadocSummary.recordComponent(src, "Pair", "right"));
        assertEquals(Optional.empty(), JavadocSummary.recordComponent(src.replace("record", "class"), "Pair", "left"));
    }

    /**
     * Shift-Tab on the result accessors that notebook 04 reads (the covariance check's errors, the jump moments)
     * shows what each value is, not the bare signature.
     */
    @Test
    void theResultAccessorsOfNotebook04AreDocumented() throws Exception {
        ev.run("tpdiff4j.oracle.PyramidCovarianceCheck.Result covarianceResult = null;");
        ev.run("tpdiff4j.pyramid.JumpMoments moments = null;");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("covarianceResult.pyramidError", "under each jump rule");
        expected.put("covarianceResult.vanillaError", "one-stage sampler");
        expected.put("covarianceResult.exactSampleError", "Monte-Carlo floor");
        expected.put("covarianceResult.predictedFloor", "expected error of exact samples");
        expected.put("covarianceResult.frameVectors", "frame vectors");
        expected.put("moments.meanError", "bias");
        expected.put("moments.varianceError", "variance");
        expected.put("moments.blockCorrelation", "correlation");
        expected.put("moments.meanFloor", "sqrt(N)");
        expected.put("moments.varianceFloor", "sqrt(2 / (N - 1))");
        for (var e : expected.entrySet()) {
            List<String> doc = ev.documentation(e.getKey(), e.getKey().length(), false);
            assertEquals(1, doc.size(), e.getKey() + ": " + doc);
            String[] lines = doc.get(0).split("\n", 2);
            assertTrue(lines[0].endsWith("." + e.getKey().substring(e.getKey().indexOf('.') + 1) + "()"), doc.get(0));
            assertTrue(lines.length == 2 && lines[1].contains(e.getValue()), e.getKey() + " shows no documentation"
                    + " saying \"" + e.getValue() + "\": " + doc.get(0));
        }
    }

    /**
     * Every component accessor of the library's public records shows documentation on Shift-Tab: the result records
     * the notebooks read (training, side-by-side runs, timings, experiments, schedule tables, the covariance check,
     * jump moments) and every other one, found in the sources.
     */
    @Test
    void everyAccessorOfTheLibrarysRecordsIsDocumented() throws Exception {
        Path sources = tpdiff4j.Checkout.root().resolve("kernel-lib/src/main/java");
        List<Class<?>> records = new java.util.ArrayList<>();
        try (var files = Files.walk(sources.resolve("tpdiff4j"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).toList()) {
                String rel = sources.relativize(f).toString().replace('\\', '/');
                Class<?> c = Class.forName(rel.substring(0, rel.length() - ".java".length()).replace('/', '.'), false,
                        getClass().getClassLoader());
                java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>(List.of(c));
                while (!todo.isEmpty()) {
                    Class<?> t = todo.pop();
                    boolean visible = true;   // public, and so is every class around it
                    for (Class<?> o = t; o != null; o = o.getEnclosingClass()) {
                        visible &= java.lang.reflect.Modifier.isPublic(o.getModifiers());
                    }
                    if (t.isRecord() && visible) {
                        records.add(t);
                    }
                    todo.addAll(List.of(t.getDeclaredClasses()));
                }
            }
        }
        for (Class<?> named : List.of(tpdiff4j.oracle.PyramidCovarianceCheck.Result.class,
                tpdiff4j.pyramid.JumpMoments.class, tpdiff4j.train.TrainResult.class,
                tpdiff4j.experiment.SideBySide.Outcome.class, tpdiff4j.experiment.QualityCurve.class,
                tpdiff4j.experiment.TimedInTurn.class, tpdiff4j.experiment.ExperimentResult.class,
                tpdiff4j.schedule.Tabulation.class)) {
            assertTrue(records.contains(named), "the scan finds " + named);
        }
        List<String> bare = new java.util.ArrayList<>();
        for (Class<?> r : records) {
            String variable = "documented" + r.getSimpleName();
            ev.run(r.getCanonicalName() + " " + variable + " = null;");
            for (java.lang.reflect.RecordComponent c : r.getRecordComponents()) {
                String code = variable + "." + c.getName();
                // the accessor's entry (a record may have other methods of the same name)
                List<String> doc = ev.documentation(code, code.length(), false).stream()
                        .filter(d -> d.split("\n", 2)[0].endsWith("." + c.getName() + "()")).toList();
                if (doc.size() != 1 || doc.get(0).split("\n", 2).length < 2 || doc.get(0).split("\n", 2)[1].isBlank()) {
                    bare.add(r.getSimpleName() + "." + c.getName() + "(): " + doc);
                }
            }
        }
        assertEquals(List.of(), bare, "accessors whose Shift-Tab shows only the signature");
        // an accessor beside a method of the same name with parameters shows its own component's text
        assertEquals(List.of("List<double[]> tpdiff4j.experiment.TimedInTurn.seconds()\n"
                        + "per piece of work, the seconds of its finished calls in call order",
                "double[] tpdiff4j.experiment.TimedInTurn.seconds(int work)\n"
                        + "The seconds of piece work's finished calls, in call order."),
                ev.documentation("documentedTimedInTurn.seconds", "documentedTimedInTurn.seconds".length(), false)
                        .stream().sorted(java.util.Comparator.comparing(d -> d.contains("(int"))).toList());
    }

    /**
     * A comment of tags only shows what the method returns wherever its {@code @return} stands: the notebooks' trace
     * styles ({@code color}, {@code dash}) put their {@code @param} first and showed a bare signature.
     */
    @Test
    void aCommentOfTagsOnlyShowsItsReturnWhereverItStands() {
        String code = "tpdiff4j.viz.Trace.line(new double[] {1, 2}).color";
        assertEquals(List.of("tpdiff4j.viz.Trace tpdiff4j.viz.Trace.color(String cssColor)\nReturns a copy with that"
                + " colour"), ev.documentation(code, code.length(), false));
        assertEquals("Returns a copy with that dash", JavadocSummary.clean("""
                 * @param style {@code "solid"} or {@code "dash"}
                 *     on two lines
                 * @return a copy with that dash
                 * @throws IllegalArgumentException for another style
                """, false));
        assertEquals("Returns the legend name", JavadocSummary.clean(" * @return the legend name\n", false));
        assertEquals("See schedules(NoiseSchedule...)", JavadocSummary.clean(" * @see #schedules(NoiseSchedule...)\n",
                false));
        assertEquals("", JavadocSummary.clean(" * @param x the x\n", false), "nothing to say without a return");
    }

    /**
     * A method that overrides without a comment of its own shows the comment of the method it overrides, as javadoc
     * does: {@code data.spec()} of the notebooks' sprite clips, and a schedule class's {@code gamma}.
     */
    @Test
    void anOverrideWithoutACommentShowsTheCommentItOverrides() {
        String code = "tpdiff4j.data.SpriteVideos.builder().build().spec";
        assertEquals(List.of("tpdiff4j.data.VideoSpec tpdiff4j.data.SpriteVideos.spec()\nShape of every clip."),
                ev.documentation(code, code.length(), false));
        code = "((tpdiff4j.schedule.FlowMatchingSchedule) tpdiff4j.schedule.Schedules.flowMatching()).gamma";
        List<String> gamma = ev.documentation(code, code.length(), false);
        assertEquals(1, gamma.size(), gamma.toString());
        assertTrue(gamma.get(0).startsWith("double tpdiff4j.schedule.FlowMatchingSchedule.gamma(double t)\n"), gamma.get(0));
        String declared = ev.documentation("tpdiff4j.schedule.Schedules.flowMatching().gamma", 48, false).get(0);
        assertEquals(declared.split("\n", 2)[1], gamma.get(0).split("\n", 2)[1], "the comment NoiseSchedule.gamma has");
    }

    @Test
    void inspectReadsTheJavadocOfAJarFromItsSourcesJar() throws Exception {
        String src = "package org.example.doc;\n/** Tools for testing. More text. */\npublic final class Tools {\n"
                + "  /** Adds one to x. Never overflows silently. */\n  public static long inc(long x) {"
                + " return Math.addExact(x, 1); }\n"
                + "  /** Adds y to x. */\n  public static long inc(long x, long y) { return x + y; }\n}\n";
        Path dir = tmp.resolve("doc");
        Path file = dir.resolve("org/example/doc/Tools.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, src);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                file.toString()));
        Path jar = tmp.resolve("tools-1.0.jar");
        Path sources = tmp.resolve("tools-1.0-sources.jar");
        for (Path out : new Path[]{jar, sources}) {
            String ext = out == jar ? ".class" : ".java";
            try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(out))) {
                j.putNextEntry(new JarEntry("org/example/doc/Tools" + ext));
                Files.copy(dir.resolve("org/example/doc/Tools" + ext), j);
                j.closeEntry();
            }
        }
        Magics m = new Magics(ev);
        m.run("%jars " + jar);
        assertEquals(5L, m.run("org.example.doc.Tools.inc(4L)"));
        List<String> docs = ev.documentation("org.example.doc.Tools.inc(", 26, false);
        // compiled without -parameters: JShell knows the types only; the doc comment still goes to the right overload
        assertEquals(List.of("long org.example.doc.Tools.inc(long)\nAdds one to x.",
                "long org.example.doc.Tools.inc(long, long)\nAdds y to x."), docs);
        List<String> full = ev.documentation("org.example.doc.Tools.inc(", 26, true);
        assertEquals("long org.example.doc.Tools.inc(long)\nAdds one to x. Never overflows silently.", full.get(0));
    }

    @Test
    void completionPutsVariablesFirstThenMembersThenTypesDeterministically() throws Exception {
        ev.run("int sum(int a) { return a; }");
        ev.run("String sample = \"s\";");
        int[] anchor = new int[1];
        // JShell proposes the keyword short, the method sum(, the variable sample and packages such as sun., in an
        // order of its own. It indexes packages in the background, so whether sun. is among them yet depends on
        // timing: the check keeps packages apart and asserts they come last.
        List<String> c = ev.complete("var t = s", 9, anchor);
        assertEquals(List.of("sample", "sum(", "short"), withoutPackages(c));
        assertTrue(c.stream().skip(3).allMatch(x -> x.endsWith(".")), "packages come after the others: " + c);
        assertEquals(8, anchor[0]);
        assertEquals(withoutPackages(c), withoutPackages(ev.complete("var t = s", 9, anchor)),
                "the same request gives the same order");
        List<CompletionRanking.Candidate> in = List.of(new CompletionRanking.Candidate("Maximum", false),
                new CompletionRanking.Candidate("max(", false), new CompletionRanking.Candidate("max(", true),
                new CompletionRanking.Candidate("maxSeen", false), new CompletionRanking.Candidate("MAX_VALUE", false),
                new CompletionRanking.Candidate("mapper(", true), new CompletionRanking.Candidate("Max", false));
        // typed "Max": same-case prefixes first (types Max, Maximum), then case-insensitive ones: variable, member
        assertEquals(List.of("Max", "Maximum", "maxSeen", "max(", "MAX_VALUE", "mapper("),
                CompletionRanking.rank(in, "Max", Set.of("maxSeen")));
        // typed "ma": same-case prefixes (variable, then members, shorter first), then the others (constant, types)
        assertEquals(List.of("maxSeen", "max(", "mapper(", "MAX_VALUE", "Max", "Maximum"),
                CompletionRanking.rank(in, "ma", Set.of("maxSeen")));
    }

    @Test
    void objectsOwnMethodsComeAfterTheTypesOwnMembers() throws Exception {
        ev.run("tpdiff4j.pyramid.TemporalPyramid rk1 = tpdiff4j.pyramid.TemporalPyramid.uniform(\n"
                + "        tpdiff4j.schedule.Schedules.flowMatching(), 3, 16);");
        int[] anchor = new int[1];
        List<String> c = ev.complete("rk1.", 4, anchor);
        List<String> object = List.of("wait(", "equals(", "notify()", "getClass()", "hashCode()", "toString()",
                "notifyAll()");
        assertEquals(object, c.subList(c.size() - object.size(), c.size()), "wait( and notify() last: " + c);
        assertEquals(List.of("jump(", "size()", "stage("), c.subList(0, 3));
        assertEquals(List.of("equals("), ev.complete("rk1.eq", 6, anchor), "still offered when typed");
    }

    @Test
    void displayAndRenderKeepTheAskedMimeTypesAndTextPlain() {
        Displayable fig = () -> Map.of("text/html", "<div>fig</div>", "image/svg+xml", "<svg/>",
                "text/plain", "fig");
        DisplayData svg = Notebook.render(fig, "image/svg+xml");
        assertEquals("<svg/>", svg.getData(MIMEType.parse("image/svg+xml")));
        assertEquals("fig", svg.getData(MIMEType.TEXT_PLAIN));
        assertEquals(null, svg.getData(MIMEType.TEXT_HTML), "only what was asked for, and text/plain");
        DisplayData html = Notebook.render("<b>bold</b>", "text/html");
        assertEquals("<b>bold</b>", html.getData(MIMEType.TEXT_HTML), "a string is the content of the type");
        assertEquals("<div>fig</div>", Notebook.render(fig).getData(MIMEType.TEXT_HTML), "no type: everything");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Notebook.render(42, "image/png"));
        assertTrue(e.getMessage().startsWith("MIME type = 'image/png' for a java.lang.Integer, which has no image/png form;"
                + " allowed: text/plain (the forms it offers), or pass a String"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Notebook.render(fig, "html"));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Notebook.display(fig,
                "text/html"));
        assertTrue(none.getMessage().contains("needs the tpdiff4j Jupyter kernel"), none.getMessage());
    }

    private static List<String> withoutPackages(List<String> completions) {
        return completions.stream().filter(x -> !x.endsWith(".")).toList();
    }
}
