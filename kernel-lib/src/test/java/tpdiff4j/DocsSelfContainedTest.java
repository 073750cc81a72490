package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: no source, script, notebook or document points users at notes they do not have
 * (a numbered section of a specification kept outside the repository, the project's internal design or style notes,
 * or a numbered issue of the project's tracker); every package has a {@code package-info.java} that points into
 * {@code docs/}; and what {@code docs/} names (files, section numbers, anchors, classes, tests and test methods)
 * exists. Failures name {@code file:line} and the offending text.
 */
class DocsSelfContainedTest {

    /** Pointers to notes outside the repository. Written so that this file does not match them itself. */
    private static final List<Pattern> POINTERS = List.of(
            // the word spec followed by a section, equation or number: a numbered part of an outside specification
            Pattern.compile("\\bspec(?:\\s+(?:section|sec\\.?|eq\\.?))?\\s*\u00a7?\\s*[0-9][0-9.]*",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("tpdiff\\-spec", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:DESIGN|STYLE|HELPERS)\\.md\\b"),
            Pattern.compile("\\bdesign\\s+notes\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bissue\\s*#?\\s*[0-9]+", Pattern.CASE_INSENSITIVE),
            Pattern.compile("/work/(?:shared|issues)\\b"));

    /** A sample the issue pattern must match (see {@link #theScanSeesTheFilesItShould}). */
    private static final String ISSUE_SAMPLE = "see issue" + " #12";

    /** What is scanned, relative to the repository root: folders recursively, files as they are. */
    private static final List<String> SCANNED = List.of("README.md", "BENCHMARKS.md", "pom.xml", "kernel-lib/pom.xml",
            "kernel-lib/src", "notebooks", "docs", "environment", ".ci");

    private static final Set<String> BINARY = Set.of("png", "gif", "jpg", "jpeg", "bin", "jar", "class");

    private static final Path ROOT = Checkout.root();

    private static final String PACKAGES = "kernel-lib/src/main/java/tpdiff4j";

    @Test
    void noFilePointsAtNotesUsersDoNotHave() {
        List<String> found = new ArrayList<>();
        for (Path file : scannedFiles()) {
            String rel = ROOT.relativize(file).toString().replace('\\', '/');
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern p : POINTERS) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(rel + ":" + (i + 1) + ": \"" + m.group() + "\" in: " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), found.size() + " pointer(s) to notes outside the repository; explain in place or"
                + " point to docs/ instead:\n" + String.join("\n", found));
    }

    @Test
    void theScanSeesTheFilesItShould() {
        // guards the test above against scanning nothing (a wrong root or a moved folder would pass silently)
        List<String> rel = scannedFiles().stream().map(f -> ROOT.relativize(f).toString().replace('\\', '/')).toList();
        for (String expected : List.of("README.md", "BENCHMARKS-logitnormal.md", "docs/derivation.md", "docs/conventions.md", "docs/guide.md",
                PACKAGES + "/pyramid/StageJump.java", "notebooks/04-stage-jumps.ipynb", "environment/bench")) {
            assertTrue(rel.contains(expected), "the scan misses " + expected);
        }
        assertTrue(POINTERS.get(0).matcher("see spec" + " 5.3").find() && POINTERS.get(4).matcher(ISSUE_SAMPLE).find()
                && !POINTERS.get(0).matcher("the messaging spec (5.x)").find(), "the patterns match what they should");
    }

    @Test
    void everyPackageHasPackageDocumentationThatPointsIntoDocs() {
        List<String> missing = new ArrayList<>();
        List<Path> packages = packageDirectories();
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.java");
            String name = "tpdiff4j." + ROOT.resolve(PACKAGES).relativize(dir).toString().replace('/', '.');
            if (!Files.isRegularFile(info)) {
                missing.add(name + ": no package-info.java");
            } else if (!read(info).contains("docs/")) {
                missing.add(name + ": package-info.java does not point into docs/");
            }
        }
        assertTrue(packages.size() >= 13, "packages found: " + packages);   // 13 when this test was written
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void whatTheDocsNameExists() {
        List<String> broken = new ArrayList<>();
        Set<String> tests = new TreeSet<>();
        walk(ROOT.resolve("kernel-lib/src/test/java")).forEach(f -> tests.add(base(f)));
        List<Path> docs = new ArrayList<>(walk(ROOT.resolve("docs")).stream()
                .filter(f -> f.toString().endsWith(".md")).toList());
        docs.add(ROOT.resolve("README.md"));
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)(#[^)\\s]*)?\\)");
        Pattern testRef = Pattern.compile("`([A-Z][A-Za-z0-9]*Test)(?:\\.([a-z][A-Za-z0-9_]*))?`");
        Pattern classRef = Pattern.compile("`(schedule|ode|pyramid|align|oracle|data|nn|train|sample|metrics|viz|experiment|kernel"
                + "|bench)\\.([A-Z][A-Za-z0-9]*)");
        for (Path doc : docs) {
            String rel = ROOT.relativize(doc).toString();
            List<String> lines = lines(doc);
            for (int i = 0; i < lines.size(); i++) {
                String at = rel + ":" + (i + 1) + ": ";
                Matcher l = link.matcher(lines.get(i));
                while (l.find()) {
                    if (l.group(1).startsWith("http")) {
                        continue;
                    }
                    Path target = l.group(1).isEmpty() ? doc : doc.getParent().resolve(l.group(1)).normalize();
                    if (!Files.exists(target)) {
                        broken.add(at + "link to missing " + l.group(1));
                    } else if (l.group(2) != null && target.toString().endsWith(".md")
                            && !anchors(target).contains(l.group(2).substring(1))) {
                        broken.add(at + "no heading for anchor " + l.group(2) + " in " + target.getFileName());
                    }
                }
                Matcher t = testRef.matcher(lines.get(i));
                while (t.find()) {
                    if (!tests.contains(t.group(1))) {
                        broken.add(at + "no test class " + t.group(1));
                    } else if (t.group(2) != null && !testSource(t.group(1)).contains("void " + t.group(2) + "(")) {
                        broken.add(at + "no test method " + t.group(1) + "." + t.group(2));
                    }
                }
                Matcher c = classRef.matcher(lines.get(i));
                while (c.find()) {
                    if (!Files.exists(ROOT.resolve(PACKAGES + "/" + c.group(1) + "/" + c.group(2) + ".java"))) {
                        broken.add(at + "no class tpdiff4j." + c.group(1) + "." + c.group(2));
                    }
                }
            }
        }
        // Javadoc and comments that cite "docs/derivation.md section N" (or "sections N and M") need that section
        Set<String> sections = new TreeSet<>();
        for (String line : lines(ROOT.resolve("docs/derivation.md"))) {
            Matcher h = Pattern.compile("^## ([0-9]+)\\. ").matcher(line);
            if (h.find()) {
                sections.add(h.group(1));
            }
        }
        // also "{@code docs/derivation.md} (section 7)", and a citation that a Javadoc or comment wraps after ".md"
        Pattern cite = Pattern.compile("derivation\\.md[`}]?,?\\s+\\(?sections? ([0-9]+(?:(?:, | and | to )[0-9]+)*)");
        for (Path file : scannedFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String next = i + 1 < lines.size() ? lines.get(i + 1).replaceFirst("^\\s*(\\*|//|#)?\\s*", "") : "";
                Matcher m = cite.matcher(lines.get(i) + " " + next);
                while (m.find() && m.start() < lines.get(i).length()) {
                    for (String n : m.group(1).split("\\D+")) {
                        if (!sections.contains(n)) {
                            broken.add(ROOT.relativize(file) + ":" + (i + 1)
                                    + ": docs/derivation.md has no section " + n);
                        }
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    private static List<Path> scannedFiles() {
        List<Path> out = new ArrayList<>();
        // the pages of the benchmarks' named options (BENCHMARKS-logitnormal.md, BENCHMARKS-stages4.md, ...) beside
        // the recorded BENCHMARKS.md
        try (var pages = Files.newDirectoryStream(ROOT, "BENCHMARKS-*.md")) {
            pages.forEach(out::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String s : SCANNED) {
            Path p = ROOT.resolve(s);
            if (Files.isDirectory(p)) {
                out.addAll(walk(p));
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out.stream().filter(DocsSelfContainedTest::isText).toList();
    }

    private static boolean isText(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && BINARY.contains(name.substring(dot + 1).toLowerCase())) {
            return false;
        }
        try {
            byte[] head = Files.readAllBytes(f);
            for (int i = 0; i < Math.min(head.length, 8000); i++) {
                if (head[i] == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> packageDirectories() {
        try (Stream<Path> s = Files.walk(ROOT.resolve(PACKAGES))) {
            return s.filter(Files::isDirectory).filter(d -> !d.equals(ROOT.resolve(PACKAGES)))
                    .filter(d -> walkOne(d).stream().anyMatch(f -> f.toString().endsWith(".java"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code docs/README.md} is the index of the documentation: every page of {@code docs/} has a row in its table,
     * so that a page added by itself (as {@code library.md} was) is found from the index.
     */
    @Test
    void everyPageOfDocsHasARowInTheIndex() {
        Set<String> rows = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| \\[([^\\]]+\\.md)\\]\\(\\1\\) \\|")
                .matcher(read(ROOT.resolve("docs/README.md")));
        while (m.find()) {
            rows.add(m.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (Path page : walkOne(ROOT.resolve("docs"))) {
            String name = page.getFileName().toString();
            if (name.endsWith(".md") && !name.equals("README.md") && !rows.contains(name)) {
                missing.add(name);
            }
        }
        assertTrue(rows.size() >= 7, "rows found in docs/README.md's table: " + rows);   // 7 pages when written
        assertTrue(missing.isEmpty(), "pages of docs/ without a row in docs/README.md's table: " + missing);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path md) {
        Set<String> out = new TreeSet<>();
        for (String line : lines(md)) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").strip().toLowerCase();
                out.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }

    private static String testSource(String testClass) {
        return walk(ROOT.resolve("kernel-lib/src/test/java")).stream().filter(f -> base(f).equals(testClass))
                .map(DocsSelfContainedTest::read).findFirst().orElse("");
    }

    private static String base(Path f) {
        return f.getFileName().toString().replaceFirst("\\.java$", "");
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.ipynb_checkpoints/")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> walkOne(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path f) {
        return read(f).lines().toList();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": " + e.getMessage(), e);
        }
    }
}
