package tpdiff4j.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes the half-extracted copies of PyTorch's native libraries that a killed kernel leaves in DJL's cache.
 *
 * <p>On its first use on a machine (or with a new cache folder, {@code DJL_CACHE_DIR}), DJL copies PyTorch's
 * libraries (about 430 MB) out of the native jar into a folder {@code tmp<digits>} of {@code <cache>/pytorch} and
 * renames it to its final name when complete, so a kernel never loads a half-written copy, and kernels that start
 * at the same time each extract their own and keep whichever rename comes first. A kernel killed during those
 * seconds (a student restarting a kernel that seems stuck, the machine's out-of-memory killer) leaves its
 * {@code tmp<digits>} folder behind, 100-250 MB each, and nothing ever removes it. The kernel removes such folders
 * when nothing has been written to them for {@link #QUIET} (an extraction in progress writes every few seconds), and
 * names each on its console.
 */
final class StaleExtractions {

    /** A folder left this long without a write is no extraction in progress: one takes seconds. */
    static final Duration QUIET = Duration.ofMinutes(10);

    private static final Pattern NAME = Pattern.compile("tmp\\d+");

    private StaleExtractions() {
    }

    /**
     * Removes every folder {@code tmp<digits>} directly in {@code engineCache} (DJL's {@code <cache>/pytorch}) whose
     * newest file was written before {@code now - quiet}; a folder that cannot be removed (another user's) is left,
     * with a note.
     *
     * @return the folders removed
     */
    static List<Path> remove(Path engineCache, Instant now, Duration quiet, PrintStream console) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(engineCache)) {
            return removed;
        }
        try (Stream<Path> entries = Files.list(engineCache)) {
            for (Path dir : entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches()
                    && Files.isDirectory(p)).toList()) {
                try {
                    if (newestWrite(dir).plus(quiet).isAfter(now)) {
                        continue; // possibly another kernel extracting right now
                    }
                    long bytes = tpdiff4j.schedule.AtomicFiles.deleteTree(dir);
                    removed.add(dir);
                    console.println("tpdiff4j kernel: removed " + dir + " (" + bytes / (1024 * 1024) + " MB), a copy"
                            + " of PyTorch's libraries that a process killed while extracting them left behind");
                } catch (IOException | UncheckedIOException e) {
                    console.println("tpdiff4j kernel: could not remove the half-extracted PyTorch folder " + dir
                            + " (" + e + "); it can be deleted by hand");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // an unreadable cache folder: DJL reports it when it loads
        }
        return removed;
    }

    /** Removes the stale folders of DJL's PyTorch cache ({@code DJL_CACHE_DIR} or {@code ~/.djl.ai}). */
    static void removeFromDjlCache(PrintStream console) {
        try {
            remove(ai.djl.util.Utils.getEngineCacheDir("pytorch"), Instant.now(), QUIET, console);
        } catch (RuntimeException | LinkageError e) {
            // no cache folder to look at: nothing to clean
        }
    }

    private static Instant newestWrite(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0)).toInstant();
        }
    }
}
