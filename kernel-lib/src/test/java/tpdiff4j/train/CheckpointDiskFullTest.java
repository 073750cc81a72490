package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.schedule.AtomicFiles;

/**
 * A checkpoint save that fails with an error (a full disk, a quota) rather than a kill: the folder keeps the previous
 * checkpoint and nothing else of the failed save (no temporary folder or pointer, no new step folder that
 * {@code latest} does not name and that would take the room the next save needs), the error names the file and the
 * system's reason, and a full disk is told apart with the sizes involved. The last test fills a real small disk.
 */
class CheckpointDiskFullTest {

    /** What a full disk's write throws: a plain IOException with the system's words and no file name. */
    private static IOException noSpace() {
        return new IOException("No space left on device");
    }

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * At every point of a save before the pointer is replaced, an IOException leaves exactly the previous checkpoint:
     * the pointer and its step folder, bit-equal weights on resuming. Before, a failure after the rename of the
     * temporary folder (the folder's flush, the pointer's write) left the new step folder behind.
     */
    @Test
    void aSaveThatFailsBeforeThePointerMovesLeavesOnlyThePreviousCheckpoint(@TempDir Path root) throws Exception {
        List<SaveHook.Step> points = new ArrayList<>();
        try (Trainer a = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            a.step();
            Checkpoint.save(a, root.resolve("probe"), (s, p) -> points.add(s));
        }
        int beforePointer = points.indexOf(SaveHook.Step.POINTER_RENAMED);
        assertEquals(8, beforePointer, "four files between the folder's creation and the pointer: " + points);
        for (int k = 0; k < beforePointer; k++) {
            Path dir = root.resolve("at-" + k);
            Map<String, float[]> first;
            try (Trainer one = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
                one.train(1); // the checkpoint of step 1
                first = TrainerTest.weights(one);
                one.step();
                int failAt = k;
                int[] calls = {0};
                IOException e = assertThrows(IOException.class, () -> Checkpoint.save(one, dir, (s, p) -> {
                    if (calls[0]++ == failAt) {
                        throw noSpace();
                    }
                }));
                String what = "failed after " + points.get(k) + ": " + e.getMessage();
                assertEquals(List.of("latest", "step-000000001"), names(dir), what);
                assertEquals(1, Checkpoint.latestStep(dir), what);
            }
            try (Trainer r = TrainerTest.trainer(TrainerTest.vanilla(), null, dir)) {
                Map<String, float[]> w = TrainerTest.weights(r);
                String what = "failed after " + points.get(k);
                first.forEach((name, v) -> assertArrayEquals(v, w.get(name), what + ": " + name));
            }
        }
    }

    /** A write error of a checkpoint file names that file with the system's reason, and removes the save's folder. */
    @Test
    void aFailedWriteNamesTheFileAndTheReason(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put("weights.bin", out -> out.write(new byte[100]));
        files.put("optimizer.bin", out -> {
            out.write(new byte[10]);
            throw noSpace();
        });
        IOException e = assertThrows(IOException.class, () -> store.save(1, files, p -> true, SaveHook.NONE));
        assertTrue(e.getMessage().contains("optimizer.bin") && e.getMessage().contains("No space left on device")
                && e.getMessage().contains(dir.toString()), e.getMessage());
        assertEquals(List.of(), names(dir), "nothing of the failed save is left");
        // through the trainer's message as well
        assertTrue(Trainer.reason(e, dir).contains("optimizer.bin: No space left on device"), Trainer.reason(e, dir));
    }

    /** The room a save needs against the room there is: a hint only when the checkpoint cannot fit. */
    @Test
    void aDiskWithLessRoomThanACheckpointIsNamedWithTheSizes(@TempDir Path dir) throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        String hint = Checkpoint.room(dir.resolve("not/yet/made"), free + 1);
        assertTrue(hint != null && hint.contains("takes about " + (free + 1) + " bytes")
                && hint.contains("bytes free") && hint.contains("both must fit")
                && hint.contains("another disk"), String.valueOf(hint));
        assertNull(Checkpoint.room(dir, 1000), "room enough: the failure had another cause, no hint");
    }

    /**
     * A real full disk: a tmpfs of 1200 KiB, room for one checkpoint of the test's model (about 800 KB) but not for
     * a second beside it, mounted in a private mount namespace ({@code unshare}, as root or through a user namespace)
     * around a child JVM, so nothing outside sees it and it is gone when the child ends. Skipped, saying why, where
     * no namespace can be made (a container without the right, a system without {@code unshare}).
     */
    @Test
    void trainingOnAFullDiskStopsLoudlyKeepsThePreviousCheckpointAndANewRunThereIsRefused(@TempDir Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Path ckpt = mount.resolve("run");
        Path elsewhere = dir.resolve("elsewhere");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--map-root-user", "sh", "-c",
                "mount -t tmpfs -o size=1200k tmpfs \"$0\" && echo MOUNTED && exec \"$@\"", mount.toString(),
                java, "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                DiskFullTrainingMain.class.getName(), ckpt.toString(), elsewhere.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TPDIFF4J_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Assumptions.abort("skipped: no unshare to mount a small tmpfs privately (" + e.getMessage() + ")");
            return;
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), String.join("\n", lines));
        String out = String.join("\n", lines);
        if (!lines.contains("MOUNTED")) {
            Assumptions.abort("skipped: cannot mount a small tmpfs in a private mount namespace here (unshare"
                    + " --mount --map-root-user, exit " + p.exitValue() + "): " + out);
        }
        assertEquals(0, p.exitValue(), out);
        String threw = value(lines, "THREW ");
        assertTrue(threw.contains("training stopped after step 2") && threw.contains("optimizer.bin")
                && threw.contains("No space left on device") && threw.contains("bytes free")
                && threw.contains("saveCheckpoint(dir)"), out);
        assertEquals("2", value(lines, "STEPS "), out);
        List<String> entries = lines.stream().filter(l -> l.startsWith("ENTRY ")).map(l -> l.substring(6)).sorted().toList();
        assertEquals(List.of("latest", "step-000000001", "step-000000001/config.json", "step-000000001/ema.bin",
                "step-000000001/optimizer.bin", "step-000000001/weights.bin"), entries, out);
        assertEquals("1", value(lines, "LATEST "), out);
        assertEquals("1", value(lines, "RESUMED "), out);
        assertEquals("2", value(lines, "KEPT "), out);
        // another file too large for what is left: named, the sizes given, the old file kept, no temporary file
        assertTrue(value(lines, "PLAN ").matches("cannot write " + Pattern.quote(mount.resolve("plan.json").toString())
                + ": No space left on device; the disk of .* has \\d+ bytes free and the file needs at least \\d+: free"
                + " space there or write to another disk"), out);
        assertEquals("old plan", value(lines, "PLAN-NOW "), out);
        assertEquals(List.of("plan.json", "run"), lines.stream().filter(l -> l.startsWith("TOP ")).map(l -> l.substring(4))
                .sorted().toList(), out);
        // a new run on that disk is refused before it trains, with the sizes
        String refused = value(lines, "REFUSED ");
        assertTrue(refused.contains("withCheckpoints(" + mount.resolve("another-run")) && refused.contains("no room for a checkpoint")
                && refused.contains("bytes free") && refused.contains("another disk"), out);
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length())).findFirst()
                .orElse("(no " + key.trim() + " line)");
    }

    /*
     * What fails after latest names the new step folder is no failed save: the new checkpoint is current and is
     * reported so. A folder that cannot be flushed afterwards is an error saying the new checkpoint is current (not
     * that the previous one stays); an older folder that cannot be deleted is a note, and the save returns.
     */

    @Test
    void aFlushThatFailsAfterThePointerMovedSaysTheNewCheckpointIsCurrent(@TempDir Path dir) throws Exception {
        try (Trainer a = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            a.step();
            Checkpoint.save(a, dir);
            a.step();
            Map<String, float[]> second = TrainerTest.weights(a);
            CheckpointStore.NotFlushed e = assertThrows(CheckpointStore.NotFlushed.class, () -> Checkpoint.save(a, dir, (s, p) -> {
                if (s == SaveHook.Step.POINTER_RENAMED) {
                    throw new IOException("Input/output error");
                }
            }));
            assertTrue(e.getMessage().contains("step-000000002 is written and current")
                    && e.getMessage().contains("Input/output error"), e.getMessage());
            assertFalse(e.getMessage().contains("stays current"), e.getMessage());
            assertEquals(dir.resolve("step-000000002"), e.folder());
            assertEquals(2, Checkpoint.latestStep(dir));
            try (Trainer b = TrainerTest.trainer(TrainerTest.vanilla(), dir, dir)) {
                assertEquals(2, b.stepCount());
                Map<String, float[]> w = TrainerTest.weights(b);
                second.forEach((name, v) -> assertArrayEquals(v, w.get(name), name));
            }
        }
    }

    @Test
    void anOlderFolderThatCannotBeDeletedIsNotedAndTheSaveReturns(@TempDir Path dir) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Trainer a = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            a.step();
            Checkpoint.save(a, dir);
            a.step();
            Path saved;
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                saved = Checkpoint.save(a, dir, (s, p) -> {
                    if (s == SaveHook.Step.OLD_FOLDER_DELETED) {
                        throw new IOException("Device or resource busy");
                    }
                });
            } finally {
                System.setErr(err);
            }
            assertEquals(dir.resolve("step-000000002"), saved);
            assertEquals(2, Checkpoint.latestStep(dir));
            String note = captured.toString(StandardCharsets.UTF_8);
            assertTrue(note.contains("step-000000002 is saved and current") && note.contains("step-000000001")
                    && note.contains("Device or resource busy"), note);
            // the next save deletes what this one left
            a.step();
            Checkpoint.save(a, dir);
            assertEquals(List.of("latest", "step-000000003"), names(dir));
        }
    }
}
