package tpdiff4j.schedule;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import tpdiff4j.Refusals;

/**
 * The one way the library writes a file someone may read or share (an experiment's results, a figure, a video, a
 * benchmark report, a plan, a checkpoint's pointer):
 * <ul>
 *   <li><b>atomic</b>: the bytes go to a temporary file beside the target ({@code .name.random.tmp}), are flushed to
 *       disk and renamed over the target in one step, so a reader sees the old file or the whole new one, never a
 *       part; when anything fails (the content throws, the disk is full, the target is a folder) the old file is
 *       kept and the temporary file removed;</li>
 *   <li><b>parent folders created</b>, so {@code Path.of("build/plan.json")} works in a fresh notebook folder,
 *       and removed again when the write fails (only those it made, and only while empty);</li>
 *   <li><b>an interrupt does not lose the file and is not swallowed</b>: file channels close themselves when their
 *       thread is interrupted ({@link ClosedByInterruptException}), so the thread's interrupt flag is cleared for the
 *       write, the write is repeated (up to {@value #ATTEMPTS} times) when an interrupt arrives during it, and the
 *       flag is set again afterwards, so the caller still sees the interrupt;</li>
 *   <li><b>errors name the file</b> (as given and absolute) and say what went wrong in words ({@link #reason}), on a
 *       full disk with the free bytes against the bytes the file needed.</li>
 * </ul>
 * The new file gets the permissions of any new file (the process's umask), as {@link Files#write} gives it. A
 * symbolic link is followed: the file it names is replaced and the link kept.
 */
public final class AtomicFiles {

    /** Attempts at a write that interrupts keep cancelling. */
    public static final int ATTEMPTS = 3;

    private AtomicFiles() {
    }

    /** Writes a file's bytes; may be called more than once (once per attempt). */
    @FunctionalInterface
    public interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** One attempt at a multi-file operation (see {@link #uninterrupted}). */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws IOException;
    }

    /**
     * Checks, before a reader opens {@code file}, that it is a file and not a folder, a device, a pipe or a symbolic
     * link that leads nowhere; the JDK's own errors for these ("Is a directory", a read that never ends on a pipe) name
     * neither the file nor what was expected. A file that does not exist is left to the reader, whose error names it.
     *
     * @param expected what the file should be, for the message (e.g. "a GIF file")
     * @throws IOException naming the file, what it is and {@code expected}
     */
    public static void requireFile(Path file, String expected) throws IOException {
        if (Files.isRegularFile(file)) {
            return;
        }
        String is = Files.isDirectory(file) ? "is a folder"
                : Files.isSymbolicLink(file) && !Files.exists(file) ? "is a symbolic link that leads nowhere (to a missing"
                        + " file or round in a loop)"
                : Files.exists(file) ? "is not a regular file (a device, pipe or socket)" : null;
        if (is != null) {
            throw new IOException(file + ": " + is + "; allowed: " + expected);
        }
    }

    /**
     * Reads a text file as UTF-8 for a reader of JSON and the like, after {@link #requireFile}: a file over
     * {@code maxBytes} is refused before it is read (another file picked by mistake, a video or a weight file, would
     * otherwise be read whole into memory), and bytes that are not UTF-8 are named by their offset (the JDK's own
     * error, "Input length = 1", names neither the file nor where).
     *
     * @param expected what the file should be, for messages (e.g. "an experiment file written by save")
     * @throws IOException naming the file, what is wrong and {@code expected}
     */
    public static String readText(Path file, long maxBytes, String expected) throws IOException {
        requireFile(file, expected);
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException(file + ": " + size + " bytes; allowed: " + expected + " of at most " + maxBytes + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.charset.CoderResult r = utf8.decode(in, out, true);
        if (!r.isError()) {
            r = utf8.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            throw new IOException(file + ": not UTF-8 text (byte " + at + " of " + bytes.length
                    + (at < bytes.length ? " is 0x" + Integer.toHexString(bytes[at] & 255) : "") + "); allowed: " + expected);
        }
        return out.flip().toString();
    }

    /**
     * Deletes a file or a folder with everything in it, deepest first; nothing when {@code path} does not exist.
     * Entries that vanish meanwhile are skipped. Returns the bytes of the regular files deleted.
     */
    public static long deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        java.util.List<Path> all;
        try (java.util.stream.Stream<Path> s = Files.walk(path)) {
            all = s.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        long bytes = 0;
        for (Path q : all) {
            long size = Files.isRegularFile(q, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(q) : 0;
            if (Files.deleteIfExists(q)) {
                bytes += size;
            }
        }
        return bytes;
    }

    /** Writes {@code text} as UTF-8; see {@link #write(Path, Content)}. */
    public static Path writeString(Path file, String text) throws IOException {
        if (text == null) {
            throw new IllegalArgumentException("text = null for " + file + "; allowed: a string (may be empty)");
        }
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}; see {@link #write(Path, Content)}. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes = null for " + file + "; allowed: an array (may be empty)");
        }
        return write(file, out -> out.write(bytes));
    }

    /**
     * Writes {@code file} atomically with the bytes {@code content} writes, creating its missing parent folders (removed again, when empty, if the write fails).
     *
     * @return {@code file}
     * @throws IllegalArgumentException if {@code file} or {@code content} is null
     * @throws IOException naming the file if it cannot be written (an existing folder of that name, no permission,
     *                     a full disk, an exception of {@code content}); the old file, if any, is then unchanged, no
     *                     temporary file is left, and the parent folders this call created are removed (folders that
     *                     existed before are never touched)
     */
    public static Path write(Path file, Content content) throws IOException {
        Refusals.notNull(file, "file", "a path to write, e.g. Path.of(\"out.json\")");
        if (content == null) {
            throw new IllegalArgumentException("content = null for " + file + "; allowed: a writer of the file's bytes");
        }
        Path absolute = target(file.toAbsolutePath().normalize());
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write " + where(file, absolute) + ": it is a folder; allowed: a file path, "
                    + "e.g. " + file.resolve("out" + extension(file)));
        }
        long[] attempted = {0};
        java.util.List<Path> created = new java.util.ArrayList<>();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                uninterrupted(() -> createParents(parent, created));
            }
            uninterrupted(() -> replace(absolute, counted(content, attempted)));
        } catch (IOException | RuntimeException | Error e) {
            removeCreated(created, e);
            if (e instanceof IOException io) {
                throw new IOException("cannot write " + where(file, absolute) + ": " + reason(io, absolute)
                        + room(absolute, attempted[0]), e);
            }
            throw e;
        }
        return file;
    }

    /**
     * Creates the missing folders of {@code folder}, outermost first, one at a time, and adds each that this call
     * made itself to {@code created} (a folder that someone else makes meanwhile is not added).
     */
    private static Void createParents(Path folder, java.util.List<Path> created) throws IOException {
        java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
        for (Path p = folder; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.add(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
        return null;
    }

    /**
     * After a failed write: removes the folders the write created, innermost first, as long as they are empty
     * (a folder that something else has put a file into meanwhile is kept). A folder that cannot be removed is
     * added to {@code failure} as a suppressed exception.
     */
    private static void removeCreated(java.util.List<Path> created, Throwable failure) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                return; // in use by someone else: it and the folders above it stay
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
                return;
            }
        }
    }

    /**
     * What went wrong with a file, in words and without the exception's class name: the system's reason with the file
     * it names ({@code /data/out.json: No space left on device}), the kind of failure where the system gave no reason
     * ({@code missing file or folder: ...}), and, when a file stands where a folder of {@code path} belongs (a
     * {@code build} file in the way of {@code build/plan.json}), that file.
     *
     * @param path the file being written (or a file inside the folder being made); may be null
     */
    public static String reason(IOException e, Path path) {
        String words;
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = e instanceof java.nio.file.NoSuchFileException ? "missing file or folder"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof java.nio.file.NotDirectoryException ? "not a folder" : e.getClass().getSimpleName();
            words = what + ": " + f.getFile();
        } else {
            words = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        Path inTheWay = path == null ? null : fileInTheWay(path.toAbsolutePath().normalize());
        return inTheWay == null ? words : inTheWay + " is a file, not a folder (" + words + ")";
    }

    /** The nearest existing parent folder of {@code path} that is a regular file, or null. */
    private static Path fileInTheWay(Path path) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isRegularFile(p) ? p : null;
            }
        }
        return null;
    }

    /**
     * After a failed write of {@code attempted} bytes: "; the disk of FOLDER has N bytes free ..." when that is less
     * than the write needed (a full disk or quota), else "".
     */
    private static String room(Path absolute, long attempted) {
        try {
            Path folder = absolute.getParent();
            if (attempted == 0 || folder == null || !Files.isDirectory(folder)) {
                return "";
            }
            long free = Files.getFileStore(folder).getUsableSpace();
            return free >= attempted ? "" : "; the disk of " + folder + " has " + free + " bytes free and the file"
                    + " needs at least " + attempted + ": free space there or write to another disk";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** {@code content}, with the bytes it hands to the stream added up in {@code total} (per attempt). */
    private static Content counted(Content content, long[] total) {
        return out -> {
            total[0] = 0;
            content.write(new java.io.FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    total[0]++;
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    total[0] += len;
                    out.write(b, off, len);
                }
            });
        };
    }

    /**
     * Writes {@code file} in place and flushes it to disk (fsync), without the temporary file: only for files inside
     * a folder that is itself temporary until it is renamed into place (as a checkpoint's step folder is).
     */
    public static void writeSynced(Path file, Content content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            content.write(out);
            out.flush();
            ch.force(true);
        }
    }

    /** Flushes a folder's entries (new names, renames) to disk; a no-op where the platform cannot open folders. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            if (Files.isDirectory(folder)) {
                return; // e.g. Windows: folders cannot be opened as channels; the rename is still atomic
            }
            throw e;
        }
    }

    /**
     * Runs {@code attempt} with the thread's interrupt deferred: the flag is cleared, the attempt is repeated when an
     * interrupt closed a file channel during it (up to {@value #ATTEMPTS} attempts, so each attempt must be atomic),
     * and the flag is set again afterwards if an interrupt came before or during it.
     *
     * @throws IOException if every attempt was interrupted (with the last {@link ClosedByInterruptException} as
     *                     cause), or the attempt's own
     */
    public static <T> T uninterrupted(Attempt<T> attempt) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int i = 1; ; i++) {
                try {
                    return attempt.run();
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    if (i == ATTEMPTS) {
                        throw new IOException("interrupted " + i + " times while writing; nothing was replaced", e);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Void replace(Path absolute, Content content) throws IOException {
        Path tmp = newTemporary(absolute);
        try {
            writeSynced(tmp, content);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncFolder(absolute.getParent());
        return null;
    }

    /** A new empty file beside {@code absolute}, made with default permissions (not the owner-only of temp files). */
    private static Path newTemporary(Path absolute) throws IOException {
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        for (int i = 0; ; i++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (i == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * The file a symbolic link names (followed to the end), so that a write replaces that file and keeps the link, as
     * {@link Files#write} does; the path itself otherwise, or when the link leads nowhere yet.
     */
    private static Path target(Path absolute) throws IOException {
        Path p = absolute;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IOException("cannot write " + absolute + ": too many symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            p = p.resolveSibling(link).normalize();
        }
        return p;
    }

    private static String where(Path file, Path absolute) {
        return file.equals(absolute) ? file.toString() : file + " (" + absolute + ")";
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : ".json";
    }
}
