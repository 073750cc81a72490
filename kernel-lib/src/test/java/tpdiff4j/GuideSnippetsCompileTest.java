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
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import tpdiff4j.kernel.Preload;

/**
 * The examples of {@code docs/guide.md} match the API: every {@code java} code block, in order, becomes the body of
 * one method (the blocks build on each other like notebook cells) under the imports the kernel preloads, and the
 * whole is compiled against the library. A renamed method or class fails here with the guide's line number. The
 * snippets are not run (training and comparing take minutes); their behaviour is covered by the library's tests.
 */
class GuideSnippetsCompileTest {

    @Test
    void everyJavaBlockOfTheGuideCompiles() throws IOException {
        Path guide = DocsSelfContainedTest.repositoryRoot().resolve("docs/guide.md");
        List<String> lines = Files.readAllLines(guide);
        StringBuilder src = new StringBuilder();
        List<Integer> guideLine = new ArrayList<>();   // generated line (1-based) -> guide line (1-based), 0 = none
        guideLine.add(0);
        for (String imp : Preload.imports()) {
            emit(src, guideLine, imp, 0);
        }
        emit(src, guideLine, "class GuideSnippets {", 0);
        emit(src, guideLine, "void all() throws Exception {", 0);
        int blocks = 0;
        boolean inJava = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inJava && line.strip().equals("```java")) {
                inJava = true;
                blocks++;
            } else if (inJava && line.strip().equals("```")) {
                inJava = false;
            } else if (inJava) {
                emit(src, guideLine, line, i + 1);
            }
        }
        emit(src, guideLine, "}", 0);
        emit(src, guideLine, "}", 0);
        assertTrue(blocks >= 10, "docs/guide.md has " + blocks + " java blocks; expected one or more per task");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("guide-snippets");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///GuideSnippets.java"),
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
                    int at = n > 0 && n < guideLine.size() ? guideLine.get((int) n) : 0;
                    errors.add("docs/guide.md:" + at + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertTrue(ok && errors.isEmpty(), "the guide's examples do not compile against the library:\n"
                    + String.join("\n", errors));
        } finally {
            try (var walk = Files.walk(out)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException ignored) {
                // a leftover temporary folder is harmless
            }
        }
    }

    private static void emit(StringBuilder src, List<Integer> map, String line, int guideLine) {
        src.append(line).append('\n');
        map.add(guideLine);
    }
}
