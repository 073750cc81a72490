package tpdiff4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Java programs (one class each, in the default package) compiled together by javac in this JVM, against this
 * JVM's class path, and run one by one with what they print captured.
 */
final class CompiledPrograms {

    private CompiledPrograms() {
    }

    /**
     * @param sources the source of each class, by class name
     * @return what each class's {@code main} printed on System.out, by class name
     * @throws IllegalStateException when a source does not compile (its diagnostics and source in the message), or a
     *                               program throws
     */
    static Map<String, String> run(Map<String, String> sources) throws IOException {
        Path dir = Files.createTempDirectory("cell-programs");
        try {
            compile(dir, sources);
            Map<String, String> out = new LinkedHashMap<>();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    CompiledPrograms.class.getClassLoader())) {
                for (String name : sources.keySet()) {
                    out.put(name, runMain(loader, name, sources.get(name)));
                }
            }
            return out;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void compile(Path dir, Map<String, String> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".java");
            Files.writeString(f, e.getValue());
            files.add(f);
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "-nowarn", "-Xlint:none");
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                String errors = diags.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                        .collect(Collectors.joining("\n"));
                String first = diags.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> Path.of(d.getSource().getName()).getFileName().toString().replace(".java", ""))
                        .findFirst().orElse("");
                throw new IllegalStateException("the single programs do not compile:\n" + errors + "\n"
                        + sources.getOrDefault(first, ""));
            }
        }
    }

    private static String runMain(ClassLoader loader, String name, String source) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            loader.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the single program " + name + " threw " + e.getCause() + ":\n" + source,
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + name, e);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
