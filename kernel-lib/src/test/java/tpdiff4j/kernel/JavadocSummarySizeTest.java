package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shift-Tab help reads at most {@link JavadocSummary.MAX_SOURCE_BYTES} of a source file and says when it stopped. */
class JavadocSummarySizeTest {

    private static final String HEAD = "package org.example.big;\n/** A big class. More text. */\npublic final class %s {\n"
            + "  /** Adds one to x. */\n  public static long inc(long x) { return x + 1; }\n";

    /** A -sources.jar beside {@code name}.jar whose one source holds {@code padding} bytes of comment after the head. */
    private static Path sourcesJar(Path dir, String name, long padding) throws Exception {
        Path jar = dir.resolve(name.toLowerCase() + "-1.0.jar");
        Path sources = dir.resolve(name.toLowerCase() + "-1.0-sources.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(sources))) {
            j.putNextEntry(new JarEntry("org/example/big/" + name + ".java"));
            j.write(String.format(HEAD, name).getBytes(StandardCharsets.UTF_8));
            byte[] line = ("  //" + " ".repeat(1020) + "\n").getBytes(StandardCharsets.UTF_8);
            for (long n = 0; n < padding; n += line.length) {
                j.write(line);
            }
            j.write("}\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        JavadocSummary.addSourcesOf(jar);
        return sources;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * An entry that unpacks to 128 MB (a 130 KB jar) was read whole, twice over as bytes and text, for one Shift-Tab;
     * help now reads one byte past the limit, allocates a few times the limit at most, and says that the source was
     * too large, naming the jar and the entry.
     */
    @Test
    void aSourceOverTheLimitIsNotReadAndTheHelpSaysSo(@TempDir Path dir) throws Exception {
        Path sources = sourcesJar(dir, "Huge", 128L << 20);
        assertTrue(Files.size(sources) < 1 << 20, "the jar itself is small: " + Files.size(sources));
        long before = allocatedBytes();
        Optional<String> doc = JavadocSummary.of("long org.example.big.Huge.inc(long x)", false);
        long allocated = allocatedBytes() - before;
        String text = doc.orElseThrow();
        assertTrue(text.startsWith("(documentation not shown: the source jar:") && text.contains(sources.getFileName()
                + "!/org/example/big/Huge.java is larger than the limit of " + JavadocSummary.MAX_SOURCE_BYTES
                + " bytes per source file"), text);
        assertTrue(allocated < 4L * JavadocSummary.MAX_SOURCE_BYTES, "allocated " + allocated + " bytes");
    }

    /** A source just under the limit is still read: its doc comment comes back. */
    @Test
    void aSourceUnderTheLimitIsRead(@TempDir Path dir) throws Exception {
        sourcesJar(dir, "Large", JavadocSummary.MAX_SOURCE_BYTES - (2L << 10));
        assertEquals(Optional.of("Adds one to x."), JavadocSummary.of("long org.example.big.Large.inc(long x)", false));
    }
}
