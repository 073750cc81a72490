package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tpdiff4j.kernel.Preload;

/**
 * The examples of the documentation match the API and stand on their own: for every page ({@code README.md} and
 * {@code docs/*.md}) with {@code java} code blocks, the blocks, in order, become the body of one method (the blocks of
 * a page build on each other like notebook cells; a page does not lean on another page's names) under the imports
 * the kernel preloads, and the whole is compiled against the library. A renamed method or class, or a name that the
 * page never defines, fails here with the page's line number. A block that holds a magic line ({@code %maven ...}) is
 * a kernel cell, not Java, and is left out; a block may end with an expression without {@code ;}, the cell's value
 * in the kernel. Here the snippets are only compiled, all of them; {@code tpdiff4j.kernel.DocsSnippetsRunTest} runs
 * them in a kernel session (in quick mode), except the few a page marks {@code <!-- not run: why -->}.
 */
class DocsSnippetsCompileTest {

    private static final Pattern MAGIC = Pattern.compile("^\\s*%%?[A-Za-z]");

    /** The pages with java blocks. */
    static Stream<String> pages() throws IOException {
        Path root = Checkout.root();
        List<String> out = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(p -> out.add("docs/" + p.getFileName()));
        }
        out.add("README.md");
        return out.stream().filter(page -> javaBlocks(lines(root.resolve(page))).size() > 0);
    }

    @Test
    void thePagesWithExamplesAreSeen() throws IOException {
        List<String> seen = pages().toList();
        for (String page : List.of("docs/guide.md", "docs/kernel.md", "docs/plan-format.md", "docs/levers.md")) {
            assertTrue(seen.contains(page), page + " has no java block that this test compiles; pages seen: " + seen);
        }
        int guideBlocks = javaBlocks(lines(Checkout.root().resolve("docs/guide.md"))).size();
        assertTrue(guideBlocks >= 10, "docs/guide.md has " + guideBlocks + " java blocks; expected one or more per task");
    }

    @ParameterizedTest
    @MethodSource("pages")
    void everyJavaBlockOfThePageCompiles(String page) throws IOException {
        List<String> lines = lines(Checkout.root().resolve(page));
        StringBuilder src = new StringBuilder();
        List<Integer> pageLine = new ArrayList<>();   // generated line (1-based) -> page line (1-based), 0 = none
        pageLine.add(0);
        for (String imp : Preload.imports()) {
            emit(src, pageLine, imp, 0);
        }
        emit(src, pageLine, "class DocSnippets {", 0);
        emit(src, pageLine, "void all() throws Exception {", 0);
        for (int[] block : javaBlocks(lines)) {
            for (int i = block[0]; i < block[1]; i++) {
                emit(src, pageLine, lines.get(i), i + 1);
            }
            emit(src, pageLine, ";", block[1]);   // ends a final expression, the cell's value; else an empty statement
        }
        emit(src, pageLine, "}", 0);
        emit(src, pageLine, "}", 0);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("doc-snippets");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///DocSnippets.java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return src;
                }
            };
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", classpath, "-d", out.toString(), "-proc:none", "-Xlint:none"), null,
                    List.of(unit)).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    long n = d.getLineNumber();
                    int at = n > 0 && n < pageLine.size() ? pageLine.get((int) n) : 0;
                    errors.add(page + ":" + at + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertTrue(ok && errors.isEmpty(), "the examples of " + page + " do not compile against the library:\n"
                    + String.join("\n", errors));
        } finally {
            try (var walk = Files.walk(out)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException ignored) {
                // a leftover temporary folder is harmless
            }
        }
    }

    /** @return {first line, end line} (0-based, end exclusive) of each java block without a magic line */
    static List<int[]> javaBlocks(List<String> lines) {
        List<int[]> blocks = new ArrayList<>();
        int start = -1;
        boolean magic = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (start < 0 && line.strip().equals("```java")) {
                start = i + 1;
                magic = false;
            } else if (start >= 0 && line.strip().equals("```")) {
                if (!magic) {
                    blocks.add(new int[] {start, i});
                }
                start = -1;
            } else if (start >= 0 && MAGIC.matcher(line).find()) {
                magic = true;
            }
        }
        return blocks;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emit(StringBuilder src, List<Integer> map, String line, int pageLine) {
        src.append(line).append('\n');
        map.add(pageLine);
    }
}
