package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The notebook's preloaded imports: the library packages, not the benchmark entry points. */
class PreloadTest {

    @Test
    void libraryPackagesArePreloadedAndBenchIsNot() {
        List<String> imports = Preload.imports();
        assertFalse(imports.stream().anyMatch(i -> i.contains("tpdiff4j.bench")), imports.toString());
        for (String p : List.of("schedule", "ode", "pyramid", "align", "oracle", "data", "nn", "train", "sample",
                "metrics", "viz")) {
            assertTrue(imports.contains("import tpdiff4j." + p + ".*;"), p + " in " + imports);
        }
    }

    /** Two preloaded packages with one public simple name would make that name ambiguous in every notebook. */
    @Test
    void preloadedSimpleNamesAreUnique() throws Exception {
        Path root = Path.of(Preload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, String> seen = new HashMap<>();
        for (String p : Preload.tpdiff4jPackages()) {
            try (Stream<Path> files = Files.list(root.resolve("tpdiff4j").resolve(p))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (!n.endsWith(".class") || n.contains("$") || n.equals("package-info.class")) {
                        continue;
                    }
                    String simple = n.substring(0, n.length() - ".class".length());
                    Class<?> c = Class.forName("tpdiff4j." + p + "." + simple);
                    if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                        continue;
                    }
                    String before = seen.put(simple, p);
                    assertTrue(before == null, simple + " is public in both tpdiff4j." + before + " and tpdiff4j." + p);
                }
            }
        }
    }
}
