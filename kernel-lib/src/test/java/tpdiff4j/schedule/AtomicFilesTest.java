package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // a failed assertion must not leave the flag to the next test
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * File channels close themselves on an interrupted thread, so {@code Files.write} after a notebook's Kernel >
     * Interrupt failed with ClosedByInterruptException. The write now succeeds and the flag is still set after it.
     */
    @Test
    void aWriteWithTheInterruptFlagSetSucceedsAndLeavesTheFlagSet(@TempDir Path dir) throws IOException {
        Thread.currentThread().interrupt();
        Path file = AtomicFiles.writeString(dir.resolve("a.json"), "{\"x\":1}");
        assertTrue(Thread.interrupted(), "the interrupt was swallowed");
        assertEquals("{\"x\":1}", Files.readString(file));
        assertEquals(List.of("a.json"), names(dir));
    }

    /** An interrupt that arrives while the bytes are written closes the channel: the write is repeated, not lost. */
    @Test
    void anInterruptDuringTheWriteIsDeferredAndSetAgain(@TempDir Path dir) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        byte[] bytes = "whole content".getBytes(StandardCharsets.UTF_8);
        Path file = AtomicFiles.write(dir.resolve("b.bin"), out -> {
            if (calls.incrementAndGet() == 1) {
                Thread.currentThread().interrupt();
            }
            out.write(bytes);
        });
        assertTrue(Thread.interrupted(), "the interrupt was swallowed");
        assertEquals(2, calls.get(), "the interrupted attempt was not repeated");
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(List.of("b.bin"), names(dir));

        // interrupts that cancel every attempt: an error naming the file, the old file kept, the flag set
        Files.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            Thread.currentThread().interrupt();
            out.write(bytes);
        }));
        assertTrue(Thread.interrupted());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("interrupted 3 times"),
                e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("b.bin"), names(dir));
    }

    /** Content that fails half-way leaves the old file whole and nothing beside it. */
    @Test
    void aFailingWriteKeepsTheOldFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("result.json");
        Files.writeString(file, "old content");
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("model diverged");
        }));
        assertEquals("model diverged", boom.getMessage());
        assertEquals("old content", Files.readString(file));
        assertEquals(List.of("result.json"), names(dir));

        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertTrue(io.getMessage().contains(file.toString()) && io.getMessage().contains("disk full"), io.getMessage());
        assertEquals("old content", Files.readString(file));
        assertEquals(List.of("result.json"), names(dir));
    }

    /**
     * A failed write removes the parent folders it made for the file, and only those: a folder that existed before
     * stays (empty or not), and so does a folder that something else filled meanwhile.
     */
    @Test
    void aFailedWriteRemovesOnlyTheFoldersItCreated(@TempDir Path dir) throws IOException {
        Path existing = Files.createDirectory(dir.resolve("runs"));
        Path file = existing.resolve("a/b/c/result.json");
        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertTrue(io.getMessage().contains(file.toString()), io.getMessage());
        assertEquals(List.of("runs"), names(dir));
        assertEquals(List.of(), names(existing), "the folders a, a/b and a/b/c were made by the write and stay behind");

        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            throw new IllegalStateException("model diverged");
        }));
        assertEquals("model diverged", boom.getMessage());
        assertEquals(List.of(), names(existing), "an unchecked exception of the content leaves the folders too");

        Path keep = Files.createDirectories(existing.resolve("a/b"));
        assertThrows(IOException.class, () -> AtomicFiles.write(keep.resolve("c/d/result.json"), out -> {
            throw new IOException("disk full");
        }));
        assertTrue(Files.isDirectory(keep), "a/b existed before the write");
        assertEquals(List.of(), names(keep), "c and c/d were made by the write");

        assertThrows(IOException.class, () -> AtomicFiles.write(keep.resolve("c/d/result.json"), out -> {
            Files.writeString(keep.resolve("c/other.txt"), "written meanwhile");
            throw new IOException("disk full");
        }));
        assertEquals(List.of("other.txt"), names(keep.resolve("c")), "c holds a file now and stays; only c/d goes");
    }

    /** A folder in the file's place is refused by name; the folder and its contents are untouched. */
    @Test
    void aFolderAsTargetIsRefusedByName(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plots"));
        Files.writeString(folder.resolve("keep.txt"), "keep");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("is a folder"), e.getMessage());
        assertEquals(List.of("plots"), names(dir));
        assertEquals(List.of("keep.txt"), names(folder));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeString(null, "x"));
        assertTrue(n.getMessage().startsWith("file = null"), n.getMessage());
    }

    /**
     * A file where a parent folder belongs ({@code build} a file, the figure {@code build/cost.png}, a notebook's
     * usual mistake) is named as such, in words: the message once read "java.nio.file.FileAlreadyExistsException:
     * .../build", which says the opposite of what is wrong. The file in the way is left as it was.
     */
    @Test
    void aFileWhereAFolderBelongsIsNamedInWords(@TempDir Path dir) throws IOException {
        Path build = Files.writeString(dir.resolve("build"), "notes");
        for (Path file : List.of(build.resolve("cost.png"), build.resolve("figures/cost.png"))) {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, new byte[] {1, 2, 3}));
            assertTrue(e.getMessage().startsWith("cannot write " + file + ": " + build + " is a file, not a folder ("),
                    e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
        assertEquals("notes", Files.readString(build));
        assertEquals(List.of("build"), names(dir));
    }

    /** Missing parent folders are created; an existing file is replaced whole. */
    @Test
    void parentsAreCreatedAndAnExistingFileIsReplaced(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("build/plans/plan.json");
        AtomicFiles.writeString(file, "a much longer first version");
        AtomicFiles.writeString(file, "short");
        assertEquals("short", Files.readString(file));
        assertEquals(List.of("plan.json"), names(file.getParent()));
    }

    /**
     * A temporary file from {@code Files.createTempFile} is readable by its owner only, and the rename kept that, so
     * a shared result could not be read by a colleague. The file gets the permissions {@code Files.write} gives.
     */
    @Test
    void theFileGetsTheUsualPermissionsNotThoseOfATemporaryFile(@TempDir Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // no POSIX permissions to compare
        }
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = AtomicFiles.writeString(dir.resolve("atomic.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        assertFalse(Files.getPosixFilePermissions(atomic).isEmpty());
    }

    /** A symbolic link is followed, as {@code Files.write} does: the file it names is replaced, the link stays. */
    @Test
    void aSymbolicLinkIsFollowedAndKept(@TempDir Path dir) throws IOException {
        Path real = Files.writeString(Files.createDirectories(dir.resolve("runs")).resolve("run-7.json"), "old");
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("runs/run-7.json"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links here
        }
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("latest.json", "runs"), names(dir));
        assertEquals(List.of("run-7.json"), names(real.getParent()));
    }

    @Test
    void readTextNamesTheFileWhatIsWrongAndWhatWasExpected(@TempDir Path dir) throws IOException {
        String want = "a small JSON file";
        Path ok = Files.writeString(dir.resolve("ok.json"), "{\"grüße\": \"日本\"}");
        assertEquals("{\"grüße\": \"日本\"}", AtomicFiles.readText(ok, 100, want));
        // bytes that are not UTF-8: a weight file or a GIF picked by mistake (the JDK said only "Input length = 1")
        Path binary = Files.write(dir.resolve("weights.json"), new byte[] {'{', '"', 'a', (byte) 0xFF, 0, 1});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.readText(binary, 100, want));
        assertEquals(binary + ": not UTF-8 text (byte 3 of 6 is 0xff); allowed: a small JSON file", e.getMessage());
        // a multi-byte character cut off by the end of the file
        Path cut = Files.write(dir.resolve("cut.json"), new byte[] {'"', 'a', (byte) 0xC3});
        e = assertThrows(IOException.class, () -> AtomicFiles.readText(cut, 100, want));
        assertTrue(e.getMessage().startsWith(cut + ": not UTF-8 text (byte 2 of 3"), e.getMessage());
        // too large: refused before it is read
        Path big = Files.write(dir.resolve("big.json"), new byte[101]);
        e = assertThrows(IOException.class, () -> AtomicFiles.readText(big, 100, want));
        assertEquals(big + ": 101 bytes; allowed: a small JSON file of at most 100 bytes", e.getMessage());
        // a folder, a link round in a loop, a link to nothing
        Path folder = Files.createDirectory(dir.resolve("folder.json"));
        e = assertThrows(IOException.class, () -> AtomicFiles.readText(folder, 100, want));
        assertEquals(folder + ": is a folder; allowed: a small JSON file", e.getMessage());
        Path loop = Files.createSymbolicLink(dir.resolve("loop.json"), dir.resolve("loop.json"));
        e = assertThrows(IOException.class, () -> AtomicFiles.readText(loop, 100, want));
        assertTrue(e.getMessage().startsWith(loop + ": is a symbolic link that leads nowhere"), e.getMessage());
        Path dangling = Files.createSymbolicLink(dir.resolve("gone.json"), dir.resolve("removed.json"));
        e = assertThrows(IOException.class, () -> AtomicFiles.readText(dangling, 100, want));
        assertTrue(e.getMessage().startsWith(dangling + ": is a symbolic link that leads nowhere"), e.getMessage());
        // a missing file is left to the JDK's error, which names it
        e = assertThrows(java.nio.file.NoSuchFileException.class, () -> AtomicFiles.readText(dir.resolve("none.json"), 100, want));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());
    }
}
