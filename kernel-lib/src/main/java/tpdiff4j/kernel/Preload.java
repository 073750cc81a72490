package tpdiff4j.kernel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The imports every notebook starts with: the tpdiff4j library packages that hold public classes in this build
 * (packages still to come are skipped), {@code java.util}, {@code java.util.function}, {@code java.util.stream}, DJL's
 * {@code ai.djl.ndarray} types, {@link Knobs} and the {@link Notebook} helpers. The benchmark entry points
 * ({@code tpdiff4j.bench}) are not preloaded: their names (Table, Timing, Report, ...) would crowd the notebook's
 * namespace; a cell that wants one imports it, e.g. {@code import tpdiff4j.bench.Comparison;}.
 */
public final class Preload {

    /** tpdiff4j library packages in dependency order (docs/conventions.md, package map); kernel is imported
     * selectively, bench not at all. */
    static final List<String> PACKAGES = List.of("schedule", "ode", "pyramid", "align", "oracle", "data", "nn",
            "train", "sample", "metrics", "viz", "experiment");

    private Preload() {
    }

    /** @return the import statements, one per element */
    public static List<String> imports() {
        List<String> out = new ArrayList<>();
        out.add("import java.util.*;");
        out.add("import java.util.function.*;");
        out.add("import java.util.stream.*;");
        if (present("ai/djl/ndarray/NDArray.class")) {
            out.add("import ai.djl.ndarray.*;");
            out.add("import ai.djl.ndarray.types.*;");
        }
        List<String> local = tpdiff4jPackages();
        for (String p : PACKAGES) {
            if (local.contains(p)) {
                out.add("import tpdiff4j." + p + ".*;");
            }
        }
        out.add("import tpdiff4j.kernel.Knobs;");
        out.add("import static tpdiff4j.kernel.Notebook.*;");
        return out;
    }

    private static boolean present(String resource) {
        return Preload.class.getClassLoader().getResource(resource) != null;
    }

    /** @return the names of the tpdiff4j sub-packages that contain at least one class file in this build */
    static List<String> tpdiff4jPackages() {
        List<String> found = new ArrayList<>();
        try {
            Path where = Path.of(Preload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                for (String p : PACKAGES) {
                    Path dir = where.resolve("tpdiff4j").resolve(p);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> s = Files.list(dir)) {
                            if (s.anyMatch(f -> f.toString().endsWith(".class"))) {
                                found.add(p);
                            }
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        for (String p : PACKAGES) {
                            String prefix = "tpdiff4j/" + p + "/";
                            if (n.startsWith(prefix) && n.endsWith(".class") && !found.contains(p)) {
                                found.add(p);
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | SecurityException e) {
            System.err.println("tpdiff4j kernel: could not list tpdiff4j packages (" + e + "); none preloaded");
        }
        return found;
    }
}
