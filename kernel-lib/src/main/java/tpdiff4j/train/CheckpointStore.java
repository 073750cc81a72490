package tpdiff4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tpdiff4j.schedule.AtomicFiles;

/**
 * A checkpoint folder on disk: step folders {@code step-000000123} (a second save at the same step gets
 * {@code step-000000123-2}, and so on) and the pointer file {@code latest} naming the current one.
 *
 * <p>Saving never leaves {@code latest} naming an incomplete folder and never removes the folder it names first:
 * <ol>
 *   <li>every file is written into a new temporary folder {@code .tmp-step-...} and flushed to disk (fsync), then the
 *       temporary folder itself;</li>
 *   <li>the temporary folder is renamed (atomically) to a step folder name that is not yet taken;</li>
 *   <li>the new pointer is written and flushed under a temporary name and renamed over {@code latest} (atomically);</li>
 *   <li>only then are the run's older step folders and left-over temporary files deleted.</li>
 * </ol>
 * A crash before step 3 leaves the previous checkpoint current; a crash after it, the new one. A save that fails
 * with an exception before step 3 (a full disk) removes all it made, the new step folder too, so the folder holds
 * the previous checkpoint and nothing else of the save.
 */
final class CheckpointStore {

    static final String POINTER = "latest";
    private static final Pattern STEP_FOLDER = Pattern.compile("step-\\d{9,19}(-\\d{1,9})?");
    private static final String TMP_PREFIX = ".tmp-";

    private final Path dir;

    CheckpointStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /**
     * True when the folder holds a pointer (some run's checkpoint), even one that cannot be read (a folder, a link
     * that leads nowhere): a run that cannot tell whose it is must not replace it.
     */
    boolean hasCheckpoint() {
        return Files.exists(dir.resolve(POINTER), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The step folder {@code latest} names; refuses a pointer that is not a plain step folder name of this folder
     * (so it can never lead outside the folder).
     */
    Path latest() throws IOException {
        Path pointer = dir.resolve(POINTER);
        if (!Files.exists(pointer, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null && STEP_FOLDER.matcher(dir.getFileName().toString()).matches()
                    && Files.exists(parent.resolve(POINTER), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(pointer.toString(), null, dir + " is a step folder inside the checkpoint"
                        + " folder " + parent + ": pass that folder, e.g. withResumeFrom(Path.of(\"" + parent + "\"))"
                        + " (its '" + POINTER + "' file names the step folder to load)");
            }
            throw new NoSuchFileException(pointer.toString(), null, "no checkpoint in " + dir + " (no '" + POINTER + "' file)");
        }
        AtomicFiles.requireFile(pointer, "a file holding one step folder name such as step-000000012");
        if (Files.size(pointer) > 256) {
            throw new IllegalArgumentException("checkpoint pointer " + pointer + " is " + Files.size(pointer)
                    + " bytes; allowed: one step folder name such as step-000000012");
        }
        String name = AtomicFiles.readText(pointer, 256, "a file holding one step folder name such as step-000000012").trim();
        if (!STEP_FOLDER.matcher(name).matches()) {
            throw new IllegalArgumentException("checkpoint pointer " + pointer + " names " + tpdiff4j.schedule.StrictJson.excerpt(name)
                    + "; allowed: the name of a step folder inside " + dir + ", such as step-000000012");
        }
        Path folder = dir.resolve(name);
        if (!Files.isDirectory(folder)) {
            if (Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("checkpoint pointer " + pointer + " names " + folder + ", which is not a folder"
                        + (Files.isSymbolicLink(folder) ? " (a symbolic link that leads nowhere)" : "")
                        + "; allowed: a step folder holding config.json and the tensor files");
            }
            throw new NoSuchFileException(folder.toString(), null, "checkpoint pointer " + pointer + " names a missing step folder");
        }
        return folder;
    }

    /**
     * Writes the files into a new step folder for {@code step}, makes it current, then deletes the step folders
     * that {@code isOlderOfRun} accepts and left-over temporary files. On an exception before {@code latest} names the
     * new folder, nothing of this save stays and the previous checkpoint stays current; once it names the new folder,
     * the save counts as done: a folder that cannot be flushed to disk afterwards throws {@link NotFlushed}, and an
     * older folder that cannot be deleted is noted on {@code System.err} and left for the next save.
     *
     * @param files file name to writer of its bytes
     * @return the new step folder
     */
    Path save(long step, Map<String, AtomicFiles.Content> files, Predicate<Path> isOlderOfRun, SaveHook hook) throws IOException {
        Files.createDirectories(dir);
        String base = String.format(Locale.ROOT, "step-%09d", step);
        Path tmp = Files.createDirectory(dir.resolve(TMP_PREFIX + base + "-" + random()));
        Path pointerTmp = dir.resolve(TMP_PREFIX + POINTER + "-" + random());
        Path target = null;
        try {
            hook.after(SaveHook.Step.TEMP_FOLDER_CREATED, tmp);
            for (Map.Entry<String, AtomicFiles.Content> f : files.entrySet()) {
                Path file = tmp.resolve(f.getKey());
                writeNamed(file, f.getValue());
                hook.after(SaveHook.Step.FILE_WRITTEN, file);
            }
            AtomicFiles.syncFolder(tmp);
            hook.after(SaveHook.Step.TEMP_FOLDER_SYNCED, tmp);
            Path free = freeName(base);
            Files.move(tmp, free, StandardCopyOption.ATOMIC_MOVE);
            target = free;
            AtomicFiles.syncFolder(dir);
            hook.after(SaveHook.Step.FOLDER_RENAMED, target);
            String name = target.getFileName().toString();
            writeNamed(pointerTmp, out -> out.write(name.getBytes(StandardCharsets.UTF_8)));
            hook.after(SaveHook.Step.POINTER_WRITTEN, pointerTmp);
            Files.move(pointerTmp, dir.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // nothing of this save stays: not the temporary folder, not the pointer's temporary file, and not the
            // new step folder, which latest does not name (it would fill the disk that made the save fail)
            discard(e, tmp);
            discard(e, pointerTmp);
            if (target != null) {
                discard(e, target);
            }
            throw e;
        }
        // from here on the new checkpoint is current: what fails now is not reported as a failed save
        try {
            hook.after(SaveHook.Step.POINTER_RENAMED, dir.resolve(POINTER));
            AtomicFiles.syncFolder(dir);
        } catch (IOException e) {
            throw new NotFlushed(target, e);
        }
        tidy(target, isOlderOfRun, hook);
        return target;
    }

    /**
     * Deletes the run's older step folders and left-over temporary files beside the current checkpoint {@code current}.
     * One that cannot be deleted stays, with a note on {@code System.err} naming it and the reason: the checkpoint is
     * saved, and the next save tries again.
     */
    private void tidy(Path current, Predicate<Path> isOlderOfRun, SaveHook hook) {
        List<Path> old;
        try {
            old = entries(p -> !p.equals(current) && (isLeftOver(p) || isStepFolder(p) && isOlderOfRun.test(p)));
        } catch (IOException e) {
            System.err.println("checkpoint " + current + " is saved and current, but the folder " + dir + " could not be"
                    + " listed to delete older checkpoints (" + AtomicFiles.reason(e, dir) + "); the next save tries again");
            return;
        }
        for (Path p : old) {
            try {
                AtomicFiles.deleteTree(p);
                hook.after(SaveHook.Step.OLD_FOLDER_DELETED, p);
            } catch (IOException e) {
                System.err.println("checkpoint " + current + " is saved and current, but " + p + " could not be deleted ("
                        + AtomicFiles.reason(e, p) + "); it takes disk space until the next save deletes it");
            }
        }
    }

    /**
     * A save whose new checkpoint is written and named by {@code latest}, but whose folder could not be flushed to
     * disk afterwards: the checkpoint is current now, and after a crash or power loss the folder may hold the previous
     * one again.
     */
    static final class NotFlushed extends IOException {
        private final Path folder;

        NotFlushed(Path folder, IOException cause) {
            super("checkpoint " + folder + " is written and current, but its folder could not be flushed to disk ("
                    + AtomicFiles.reason(cause, folder.getParent()) + "): after a crash or power loss the previous"
                    + " checkpoint may come back", cause);
            this.folder = folder;
        }

        /** The new step folder, current in {@code latest}. */
        Path folder() {
            return folder;
        }
    }

    /**
     * Writes and flushes one file of a save; a failure names the file and the system's reason (a full disk's write
     * error names neither file nor folder by itself). An interrupt's {@code ClosedByInterruptException} passes as
     * it is, so that {@link AtomicFiles#uninterrupted} repeats the save.
     */
    private static void writeNamed(Path file, AtomicFiles.Content content) throws IOException {
        try {
            AtomicFiles.writeSynced(file, content);
        } catch (java.nio.channels.ClosedByInterruptException | java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            java.nio.file.FileSystemException named = new java.nio.file.FileSystemException(file.toString(), null,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /** Deletes what a failed save made, keeping a failure to do so with the save's own exception. */
    private static void discard(Exception failure, Path path) {
        try {
            AtomicFiles.deleteTree(path);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A random name part for the temporary folder and pointer. They are made with the usual permissions (the umask),
     * not the owner-only ones of {@code Files.createTempDirectory}, which the rename would keep: a checkpoint is
     * shared like any other result.
     */
    private static String random() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    private Path freeName(String base) {
        Path p = dir.resolve(base);
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve(base + "-" + i);
        }
        return p;
    }

    private static boolean isStepFolder(Path p) {
        return STEP_FOLDER.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p);
    }

    private static boolean isLeftOver(Path p) {
        return p.getFileName().toString().startsWith(TMP_PREFIX);
    }

    private List<Path> entries(Predicate<Path> keep) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(keep).toList());
        }
    }
}
