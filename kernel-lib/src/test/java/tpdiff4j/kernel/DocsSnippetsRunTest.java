package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of the documentation run: for every page ({@code README.md} and {@code docs/*.md}) with {@code java}
 * code blocks, the blocks run in order as the cells of one fresh kernel session (the kernel's own evaluator, with the
 * imports every notebook starts with), as a newcomer would paste them into a notebook; a page builds on its own
 * earlier blocks, never on another page's. A block that throws or does not compile fails the page, naming the page's
 * line, the block's first line and the error as the notebook would show it.
 *
 * <p>What does not run here, and why:
 * <ul>
 *   <li>a block with a magic line ({@code %maven ...}, {@code %load ...}): a kernel cell that fetches from the
 *       network or reads the user's own files;</li>
 *   <li>a block right after a line {@code <!-- not run: REASON -->} in the markdown (the reason is required): it
 *       waits for typed input, needs a notebook to show its output, reads the user's own files or trains for hours.
 *       Such blocks are still compiled against the library by {@code tpdiff4j.DocsSnippetsCompileTest}.</li>
 * </ul>
 * After each block, the values that the page's comments state ({@link #CLAIMS}: "// 21/48 and 7/12", "equals sd")
 * are checked as soon as the names they read exist, before a later block closes what they hold.
 *
 * <p>The session runs in quick mode ({@code TPDIFF4J_QUICK=1}, set for it), so blocks that train read their sizes through
 * {@code Knobs.pick(quick, full)} and stay short. A relative path in {@code Path.of("...")} is resolved in a temporary
 * folder instead of the working folder, so that the runs leave nothing in the checkout.
 */
class DocsSnippetsRunTest extends InQuickMode {

    /** The marker of a block that is only compiled, with its reason. */
    static final Pattern NOT_RUN = Pattern.compile("^\\s*<!--\\s*not run:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern MAGIC = Pattern.compile("^\\s*%%?[A-Za-z]");
    private static final Pattern RELATIVE_PATH = Pattern.compile("Path\\.of\\(\"(?!/)");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Path ROOT = root();

    /**
     * What a page's comments say about its values, checked in the page's session after its blocks ran: {the words of
     * the page, a boolean expression that holds when they are true, an expression that shows the value}.
     */
    static final Map<String, List<String[]>> CLAIMS = Map.of(
            "docs/guide.md", List.of(
                    new String[] {"back == 1/3 (step 333 of 1000)", "Math.abs(back - 1.0 / 3) < 1e-9", "back"},
                    new String[] {"Schedules.fromJson(sd.toJson()) equals sd", "same.equals(sd)", "same"},
                    new String[] {"gamma(1)/sigma(1): Stable Diffusion 1.5 has 0.068",
                            "Math.abs(sd.gamma(1) / sd.sigma(1) - 0.068) < 5e-4", "sd.gamma(1) / sd.sigma(1)"},
                    new String[] {"stage 2/3: 8 frames, 10 steps, t 0.6667 -> 0.2612 for the pyramid above",
                            "p.stage(1).frames() == 8 && Math.abs(p.stage(1).start() - 0.6667) < 5e-5"
                                    + " && Math.abs(p.stage(1).end() - 0.2612) < 5e-5", "p.stage(1)"},
                    new String[] {"4 -> 8 -> 16 frames", "docsTestFrameCounts(p).equals(List.of(4, 8, 16))", "p"},
                    new String[] {"start 1, end 0.5858, 4 frames",
                            "first.start() == 1 && Math.abs(first.end() - 0.5858) < 5e-5 && first.frames() == 4", "first"},
                    new String[] {"K = 4, 4 -> 8 -> 16 -> 32 frames",
                            "docsTestFrameCounts(custom).equals(List.of(4, 8, 16, 32))", "custom"},
                    new String[] {"costFactor 21/48 and 7/12",
                            "Math.abs(c2 - 21.0 / 48) < 1e-12 && Math.abs(c1 - 7.0 / 12) < 1e-12", "List.of(c2, c1)"},
                    new String[] {"gap ~1e-16", "gap < 1e-12", "gap"},
                    new String[] {"expected error of exact samples: same order", "err < 10 * floor && floor < 10 * err",
                            "List.of(err, floor)"},
                    new String[] {"[8, 16, 1, 16, 16] bouncing sprites",
                            "clips.getShape().equals(new Shape(8, 16, 1, 16, 16))", "clips.getShape()"},
                    new String[] {"paired[i] = noise[col[i]]",
                            "IntStream.range(0, 8).allMatch(i -> paired.get(i).contentEquals(noise.get(col[i])))",
                            "Arrays.toString(col)"},
                    new String[] {"LinearAssignment.solve(...) is {1, 0, 2}", "Arrays.equals(best, new int[] {1, 0, 2})",
                            "Arrays.toString(best)"},
                    new String[] {"config.costFactor(2.0) is 21/48", "Math.abs(cost - 21.0 / 48) < 1e-12", "cost"},
                    new String[] {"ownClips [8, 16, 1, 16, 16]",
                            "ownClips.getShape().equals(new Shape(8, 16, 1, 16, 16))", "ownClips.getShape()"},
                    new String[] {"diffusers' 958, 925, ..., 1, then 0 (step i at t = i/999)",
                            "sdGrid.times().length == 31 && Math.abs(sdGrid.times()[0] - 958.0 / 999) < 1e-12"
                                    + " && Math.abs(sdGrid.times()[1] - 925.0 / 999) < 1e-12"
                                    + " && Math.abs(sdGrid.times()[29] - 1.0 / 999) < 1e-12 && sdGrid.times()[30] == 0",
                            "Arrays.toString(sdGrid.times())"},
                    new String[] {"Schedules.fromDiffusersConfig(...) is the same schedule as sd", "sdAgain.equals(sd)",
                            "sdAgain"},
                    new String[] {"ExperimentResult.load(...) is equal to res", "loaded.equals(res)", "loaded"},
                    new String[] {"Knobs.pick(30, 1000) is 30 in quick mode", "steps == 30", "steps"}),
            "docs/levers.md", List.<String[]>of(
                    new String[] {"the global draw trains the middle stage half of the time and the full-rate stage a"
                            + " fifth, so its steps are also cheaper than the paper's",
                            "Math.abs(matched.stageDraw().probabilities(matched.pyramid())[1] - 0.5) < 0.05"
                                    + " && Math.abs(matched.stageDraw().probabilities(matched.pyramid())[2] - 0.2) < 0.03"
                                    + " && matched.costFactor(2.0) < config.costFactor(2.0)",
                            "Arrays.toString(matched.stageDraw().probabilities(matched.pyramid()))"}));

    /**
     * A java block of a page.
     *
     * @param line   the page line (1-based) of its first code line
     * @param code   its code
     * @param skip   why it does not run; null when it runs
     */
    record Block(int line, String code, String skip) {

        String firstLine() {
            return code.lines().findFirst().orElse("").strip();
        }
    }

    /** The pages with java blocks. */
    static Stream<String> pages() throws IOException {
        List<String> out = new ArrayList<>();
        out.add("README.md");
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(p -> out.add("docs/" + p.getFileName()));
        }
        return out.stream().filter(page -> !blocks(read(ROOT.resolve(page))).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyJavaBlockOfThePageRunsInOneSession(String page) throws Exception {
        List<Block> blocks = blocks(read(ROOT.resolve(page)));
        Path work = Files.createTempDirectory("doc-run");
        List<String> failures = new ArrayList<>();
        try (CellEvaluator ev = CellEvaluator.withPreload()) {
            ev.run("List<Integer> docsTestFrameCounts(TemporalPyramid pyramid) {"
                    + " return pyramid.stages().stream().map(Stage::frames).toList(); }");
            List<String[]> pending = new ArrayList<>(CLAIMS.getOrDefault(page, List.of()));
            for (Block b : blocks) {
                if (b.skip() != null) {
                    continue;
                }
                String code = RELATIVE_PATH.matcher(b.code()).replaceAll(
                        Matcher.quoteReplacement("Path.of(\"" + work.toString().replace("\\", "/") + "/"));
                long t0 = System.nanoTime();
                try {
                    ev.run(code);
                } catch (Exception | Error e) {
                    List<String> report = ErrorReport.traceback(e, ev.stopOf(e).orElse(null), ev::declaredLine);
                    failures.add(page + ":" + b.line() + ": the block that starts with \"" + b.firstLine()
                            + "\" fails:\n    " + ANSI.matcher(String.join("\n", report)).replaceAll("")
                            .replace("\n", "\n    "));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (seconds > 5) {   // where the time goes, for whoever keeps the test short
                    System.out.printf(Locale.ROOT, "%s:%d: %.1f s: %s%n", page, b.line(), seconds, b.firstLine());
                }
                checkClaims(ev, page, pending, failures);
            }
            boolean blockFailed = !failures.isEmpty();
            for (String[] claim : pending) {
                failures.add(page + ": the page says \"" + claim[0] + "\", but " + claim[1] + " never compiled in"
                        + " its session" + (blockFailed ? " (a block above failed)" : ": " + claimValue(ev, claim[1])));
            }
        } finally {
            delete(work);
        }
        assertTrue(failures.isEmpty(), failures.size() + " problem(s) with the examples of " + page + " (its blocks"
                + " run in order in one fresh session):\n" + String.join("\n", failures));
    }

    /** The markers are read as documented; a marker without a reason is refused. */
    @Test
    void theNotRunMarkerIsReadAsDocumented() {
        String md = """
                text
                ```java
                int a = 1;
                ```
                <!-- not run: waits for typed input -->
                ```java
                int b = new Scanner(System.in).nextInt();
                ```
                ```java
                %maven g:a:1
                ```
                """;
        List<Block> blocks = blocks(md);
        assertEquals(3, blocks.size());
        assertEquals(new Block(3, "int a = 1;\n", null), blocks.get(0));
        assertEquals("waits for typed input", blocks.get(1).skip());
        assertEquals(7, blocks.get(1).line());
        assertTrue(blocks.get(2).skip().contains("magic"), blocks.get(2).skip());
        assertEquals("", blocks("<!-- not run: -->\n```java\n1\n```\n").get(0).skip(),
                "a marker without a reason is kept as an empty reason, which the test below refuses");
        assertEquals(null, blocks("<!-- a comment -->\n```java\n1\n```\n").get(0).skip(), "other comments do not skip");
    }

    /** Every skipped block of the pages says why; the pages that this test runs include the guide, mostly run. */
    @Test
    void everySkippedBlockSaysWhyAndTheGuideRuns() throws IOException {
        List<String> seen = pages().toList();
        assertTrue(seen.contains("docs/guide.md") && seen.contains("docs/plan-format.md"), "pages seen: " + seen);
        List<String> unexplained = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        for (String page : seen) {
            for (Block b : blocks(read(ROOT.resolve(page)))) {
                if (b.skip() != null && b.skip().isBlank()) {
                    unexplained.add(page + ":" + b.line() + ": " + b.firstLine());
                }
                if (b.skip() != null && !b.skip().contains("magic")) {
                    marked.add(page + ":" + b.line() + ": " + b.skip());
                }
            }
        }
        // 8 when this test was written: few, each with its reason; a new one needs as good a reason
        assertTrue(marked.size() <= 10, "too many blocks marked not run; make them run (Knobs.pick for sizes):\n"
                + String.join("\n", marked));
        long guideRuns = blocks(read(ROOT.resolve("docs/guide.md"))).stream().filter(b -> b.skip() == null).count();
        assertTrue(guideRuns >= 20, "docs/guide.md has " + guideRuns + " java blocks that run; expected most of them");
        assertTrue(unexplained.isEmpty(), "blocks marked <!-- not run: --> without a reason:\n"
                + String.join("\n", unexplained));
    }

    /**
     * Checks the claims whose expressions compile now (their names are defined) and removes them from
     * {@code pending}: a claim is checked right after the block that defines its last name, before a later block
     * closes what it reads.
     */
    private static void checkClaims(CellEvaluator ev, String page, List<String[]> pending, List<String> failures) {
        for (var it = pending.iterator(); it.hasNext(); ) {
            String[] claim = it.next();
            Object holds;
            try {
                holds = ev.run(claim[1]);
            } catch (CompileError notYet) {
                continue;
            } catch (Exception e) {
                holds = e;
            }
            it.remove();
            if (!Boolean.TRUE.equals(holds)) {
                failures.add(page + ": the page says \"" + claim[0] + "\", but " + claim[1] + " is "
                        + (holds instanceof Exception e ? "not computable: " + e : holds) + "; the value: "
                        + claimValue(ev, claim[2]));
            }
        }
    }

    private static String claimValue(CellEvaluator ev, String expression) {
        try {
            return String.valueOf(ev.run(expression));
        } catch (Exception e) {
            return ANSI.matcher(String.join(" ", ErrorReport.traceback(e))).replaceAll("");
        }
    }

    /** @return the java blocks of a markdown text, in order */
    static List<Block> blocks(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            Matcher marker = i > 0 ? NOT_RUN.matcher(lines.get(i - 1)) : null;
            String skip = marker != null && marker.matches() ? marker.group(1) : null;
            if (skip == null && i > 0 && lines.get(i - 1).contains("not run")) {
                skip = "";   // a malformed marker: reported as unexplained
            }
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                code.append(lines.get(j)).append('\n');
                if (skip == null && MAGIC.matcher(lines.get(j)).find()) {
                    skip = "a kernel cell with a magic line";
                }
            }
            out.add(new Block(i + 2, code.toString(), skip));
            i = j;
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary folder is harmless
        }
    }

    /** @return the repository root: the folder above kernel-lib that holds docs/ */
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
