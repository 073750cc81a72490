package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API pages build: the JDK's javadoc tool, run on the library's sources as {@code docs/library.md} shows, with its
 * HTML and reference checks on, reports no error. A bare {@code <} in a formula ({@code n <= d}) or a link to a
 * method a type does not declare made the tool fail and write no pages.
 */
class JavadocTest {

    @Test
    void theJavadocToolRunsOnTheSourcesWithoutErrors(@TempDir Path out) {
        Path sources = Checkout.root().resolve("kernel-lib/src/main/java");
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        StringWriter log = new StringWriter();
        List<String> args = List.of("-quiet", "-Xdoclint:all,-missing", "-d", out.toString(),
                "-sourcepath", sources.toString(), "-subpackages", "tpdiff4j",
                "-cp", System.getProperty("java.class.path"));
        DocumentationTool.DocumentationTask task = tool.getTask(new PrintWriter(log), null, null, null, args, null);
        boolean ok = task.call();
        String errors = log.toString().lines().filter(l -> l.contains("error:")).reduce("", (a, b) -> a + b + "\n");
        assertEquals("", errors, "javadoc errors");
        assertEquals(true, ok, log.toString());
    }
}
