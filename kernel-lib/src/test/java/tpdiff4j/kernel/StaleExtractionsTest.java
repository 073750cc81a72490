package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A half-extracted copy of PyTorch's libraries that a killed kernel left in DJL's cache is removed at the next
 * start; an extraction that may still be running, the finished libraries and other folders stay.
 */
class StaleExtractionsTest {

    private static Path folder(Path cache, String name, Instant written) throws Exception {
        Path dir = Files.createDirectories(cache.resolve(name));
        Path lib = Files.write(dir.resolve("libtorch_cpu.so"), new byte[3 * 1024 * 1024]);
        Files.setLastModifiedTime(lib, FileTime.from(written));
        Files.setLastModifiedTime(dir, FileTime.from(written));
        return dir;
    }

    @Test
    void onlyQuietExtractionFoldersAreRemovedAndEachIsNamed(@TempDir Path cache) throws Exception {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofHours(3));
        Path killed = folder(cache, "tmp17898669914126903347", old);
        Path running = folder(cache, "tmp555", now.minusSeconds(5));
        Path libraries = folder(cache, "2.7.1-20250812-cpu-linux-x86_64", old);
        Path other = folder(cache, "tmp-mine", old);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        List<Path> removed = StaleExtractions.remove(cache, now, StaleExtractions.QUIET,
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertEquals(List.of(killed), removed);
        assertFalse(Files.exists(killed));
        assertTrue(Files.exists(running.resolve("libtorch_cpu.so")), "an extraction written to 5 s ago may be running");
        assertTrue(Files.exists(libraries.resolve("libtorch_cpu.so")), "the finished libraries stay");
        assertTrue(Files.exists(other), "only DJL's tmp<digits> folders are touched");
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains(killed.toString()) && line.contains("(3 MB)"), line);
    }

    @Test
    void aMissingCacheFolderIsNothingToClean(@TempDir Path dir) {
        assertEquals(List.of(), StaleExtractions.remove(dir.resolve("absent"), Instant.now(), StaleExtractions.QUIET,
                new PrintStream(new ByteArrayOutputStream())));
    }
}
