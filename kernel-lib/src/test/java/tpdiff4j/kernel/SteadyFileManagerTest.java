package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.StreamSupport;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file manager that keeps javac's class-path index and plugin class loader between snippets still sees every
 * class-path change.
 */
class SteadyFileManagerTest {

    @TempDir
    Path dir;

    @Test
    void repeatedMultiReleaseIsAcceptedAndAClassPathChangeShowsNewPackages() throws Exception {
        Path first = jar("first", "package first; public class One { }");
        Path second = jar("second", "package second; public class Two { }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = SteadyFileManager.mapping().apply(
                javac.getStandardFileManager(null, null, null))) {
            assertTrue(fm.handleOption("-classpath", List.of(first.toString()).iterator()));
            for (int i = 0; i < 3; i++) { // what every compilation task sends
                assertTrue(fm.handleOption("--multi-release", List.of("17").iterator()));
                assertEquals(List.of("first.One"), classes(fm, "first"));
            }
            assertEquals(List.of(), classes(fm, "second"));
            assertFalse(fm.getClassLoader(StandardLocation.CLASS_PATH).getResources("second/Two.class")
                    .hasMoreElements());
            assertTrue(fm.handleOption("-classpath", List.of(first + java.io.File.pathSeparator + second).iterator()));
            assertTrue(fm.handleOption("--multi-release", List.of("17").iterator()));
            assertEquals(List.of("second.Two"), classes(fm, "second"), "a package of the added jar is found");
            ClassLoader loader = fm.getClassLoader(StandardLocation.CLASS_PATH);
            assertTrue(loader.getResources("second/Two.class").hasMoreElements(), "the kept loader was renewed");
            assertEquals("second.Two", loader.loadClass("second.Two").getName());
            assertFalse(loader instanceof java.io.Closeable, "javac's clean-up must not close the kept loader");
        }
    }

    @Test
    void aJarAddedToTheSessionIsCompiledAgainstInTheNextCell() throws Exception {
        Path extra = jar("fresh", "package fresh; public class Hello { public static String hi() { return \"hi\"; } }");
        try (CellEvaluator ev = CellEvaluator.withPreload()) {
            assertEquals(2, ev.run("1 + 1"));
            ev.addToClasspath(extra.toString());
            assertEquals("hi", ev.run("fresh.Hello.hi()"));
        }
    }

    private static List<String> classes(StandardJavaFileManager fm, String pkg) throws IOException {
        Iterable<JavaFileObject> found = fm.list(StandardLocation.CLASS_PATH, pkg, Set.of(JavaFileObject.Kind.CLASS),
                false);
        return StreamSupport.stream(found.spliterator(), false)
                .map(f -> fm.inferBinaryName(StandardLocation.CLASS_PATH, f)).toList();
    }

    /** @return a jar holding the one class compiled from {@code source} */
    private Path jar(String name, String source) throws IOException {
        Path src = dir.resolve(name + "-src");
        Path classes = dir.resolve(name + "-classes");
        String simple = source.replaceAll("(?s).*class (\\w+).*", "$1");
        Path file = src.resolve(name).resolve(simple + ".java");
        Files.createDirectories(file.getParent());
        Files.createDirectories(classes);
        Files.writeString(file, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), file.toString());
        assertEquals(0, rc, "javac of the test class");
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Path cls = classes.resolve(name).resolve(simple + ".class");
            out.putNextEntry(new JarEntry(name + "/" + simple + ".class"));
            Files.copy(cls, out); // leaves the jar stream open
            out.closeEntry();
        }
        return jar;
    }
}
