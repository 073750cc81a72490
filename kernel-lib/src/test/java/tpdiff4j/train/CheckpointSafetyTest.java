package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints belong to a run, loads are all or nothing, and damaged files fail with the file and field named. */
class CheckpointSafetyTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /** Trains {@code steps} steps of a fresh run into {@code dir}; returns the saved weights. */
    private static Map<String, float[]> run(Path dir, int steps) {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            t.train(steps);
            return TrainerTest.weights(t);
        }
    }

    private static void assertStillThere(Path dir, long step, Map<String, float[]> weights) throws Exception {
        assertEquals(step, Checkpoint.latestStep(dir));
        try (Trainer r = TrainerTest.trainer(TrainerTest.vanilla(), null, dir)) {
            Map<String, float[]> w = TrainerTest.weights(r);
            weights.forEach((k, v) -> assertArrayEquals(v, w.get(k), k));
        }
    }

    @Test
    void aNewRunNeverReplacesAnotherRunsCheckpoints(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = run(dir, 3);
        // a different configuration: refused when the trainer is built, naming the folder and the difference
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla().withBatchSize(2), dir, null));
        assertTrue(other.getMessage().contains(dir.toAbsolutePath().normalize().toString()), other.getMessage());
        assertTrue(other.getMessage().contains("a different configuration, field by field:" + System.lineSeparator()
                + "  train.batchSize: 4 in the checkpoint vs. 2 in this trainer" + System.lineSeparator() + ")"),
                other.getMessage());
        // the same configuration is still another run (it would start again at step 1 over step 3)
        IllegalStateException same = assertThrows(IllegalStateException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), dir, null));
        assertTrue(same.getMessage().contains("the same configuration") && same.getMessage().contains("withResumeFrom"),
                same.getMessage());
        // the hint names the folder as a path the user can pass back, not just its last name
        assertTrue(same.getMessage().contains("withResumeFrom(Path.of(\"" + dir.toAbsolutePath().normalize() + "\"))"),
                same.getMessage());
        assertStillThere(dir, 3, w);
    }

    @Test
    void aRunCannotSaveOverAnotherRunThatStartedInTheFolderLater(@TempDir Path dir) throws Exception {
        try (Trainer first = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) { // folder empty: accepted
            Map<String, float[]> w = run(dir, 2); // a second run fills the folder meanwhile
            first.step();
            assertThrows(IllegalStateException.class, () -> first.saveCheckpoint(dir));
            assertStillThere(dir, 2, w);
        }
    }

    @Test
    void savingTwiceAtOneStepReplacesTheCheckpointByRename(@TempDir Path dir) throws Exception {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            t.train(2);
            Path first = Checkpoint.latest(dir);
            Path second = t.saveCheckpoint(dir);
            assertEquals("step-000000002-2", second.getFileName().toString(), "a fresh name, never the folder latest names");
            assertEquals(second, Checkpoint.latest(dir));
            assertTrue(!Files.exists(first), "the replaced folder is removed after the switch");
        }
    }

    /**
     * The step folder was made by {@code Files.createTempDirectory} and the pointer by {@code Files.createTempFile},
     * owner-only, and the renames kept that: a colleague on the same machine could not read a shared checkpoint. The
     * step folder, its files and {@code latest} now get the permissions any new folder or file gets.
     */
    @Test
    void aCheckpointGetsTheUsualPermissions(@TempDir Path dir) throws Exception {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // no POSIX permissions to compare
        }
        run(dir.resolve("ckpt"), 1);
        var plainFolder = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
        var plainFile = Files.getPosixFilePermissions(Files.writeString(dir.resolve("plain.txt"), "x"));
        Path step = Checkpoint.latest(dir.resolve("ckpt"));
        assertEquals(plainFolder, Files.getPosixFilePermissions(step), "step folder");
        assertEquals(plainFile, Files.getPosixFilePermissions(dir.resolve("ckpt/latest")), "latest");
        assertEquals(plainFile, Files.getPosixFilePermissions(step.resolve("config.json")), "config.json");
    }

    @Test
    void aTruncatedEmaOrOptimizerFileLeavesTheTrainerUnchanged(@TempDir Path dir) throws Exception {
        run(dir, 2);
        for (String file : new String[] {"ema.bin", "optimizer.bin", "weights.bin"}) {
            Path f = Checkpoint.latest(dir).resolve(file);
            byte[] good = Files.readAllBytes(f);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(good.length - 7);
            }
            try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
                Map<String, float[]> before = TrainerTest.weights(t);
                UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> t.loadCheckpoint(dir));
                String m = e.getCause().getMessage();
                assertTrue(m.contains(f.toString()) && m.contains("truncated"), m);
                assertEquals(0, t.stepCount());
                Map<String, float[]> after = TrainerTest.weights(t);
                before.forEach((k, v) -> assertArrayEquals(v, after.get(k), file + ": weight " + k + " unchanged"));
            }
            Files.write(f, good);
        }
    }

    @Test
    void aChangedByteInsideATensorFileIsFoundByItsChecksum(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = run(dir, 2);
        Path cfg = Checkpoint.latest(dir).resolve("config.json");
        for (String file : new String[] {"weights.bin", "ema.bin", "optimizer.bin"}) {
            Path f = Checkpoint.latest(dir).resolve(file);
            byte[] good = Files.readAllBytes(f);
            byte[] bad = good.clone();
            bad[bad.length - 3] ^= 0x10;   // inside the last value: the file's structure stays valid
            Files.write(f, bad);
            try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
                Map<String, float[]> before = TrainerTest.weights(t);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.loadCheckpoint(dir));
                assertTrue(e.getMessage().startsWith(f + ": CRC-32 ") && e.getMessage().contains("changed or damaged"),
                        e.getMessage());
                assertEquals(0, t.stepCount(), "nothing loaded");
                Map<String, float[]> after = TrainerTest.weights(t);
                before.forEach((k, v) -> assertArrayEquals(v, after.get(k), file + ": weight " + k + " unchanged"));
            }
            Files.write(f, good);
        }
        assertStillThere(dir, 2, w);
        // a checkpoint written before checksums were recorded still loads
        String json = Files.readString(cfg);
        Files.writeString(cfg, json.replaceFirst("(?s),\\s*\"checksums\": \\{[^}]*\\}", ""));
        assertTrue(!Files.readString(cfg).contains("checksums"));
        assertStillThere(dir, 2, w);
    }

    @Test
    void damagedConfigsAndPointersNameTheFileAndField(@TempDir Path dir) throws Exception {
        run(dir, 1);
        Path cfg = Checkpoint.latest(dir).resolve("config.json");
        String good = Files.readString(cfg);
        Files.writeString(cfg, good.replace("\"step\": 1,", "\"step\": -5,"));
        assertLoadFails(dir, cfg + ": field 'step' = -5");
        Files.writeString(cfg, good.replace("\"step\": 1,", "\"step\": \"one\","));
        assertLoadFails(dir, cfg + ": field 'step' = '\"one\"'");
        // a missing field says missing, a null one says null (the missing step was shown as 'null')
        Files.writeString(cfg, good.replaceFirst("\"step\": 1,", ""));
        assertLoadFails(dir, cfg + ": field 'step' is missing");
        Files.writeString(cfg, good.replaceFirst("\"step\": 1,", "\"step\": null,"));
        assertLoadFails(dir, cfg + ": field 'step' = 'null'; allowed: an integer");
        Files.writeString(cfg, good.replaceFirst("\"counts\": \\{", "\"counts\": null, \"was\": {"));
        assertLoadFails(dir, cfg + ": field 'optimizer.counts' = 'null'; allowed: an object of parameter name to update count");
        Files.writeString(cfg, good.substring(0, good.length() / 2));
        assertLoadFails(dir, cfg + " is not valid JSON");
        Files.writeString(cfg, good.replace("\"format\": \"tpdiff4j-checkpoint\"", "\"format\": \"other\""));
        assertLoadFails(dir, cfg + ": field 'format' = '\"other\"'; allowed: \"tpdiff4j-checkpoint\"");
        Files.writeString(cfg, good.replaceFirst("\"counts\": \\{", "\"counts\": {\"ghost\": 1,"));
        assertLoadFails(dir, cfg + ": field 'optimizer.counts' names");
        Files.writeString(cfg, good);
        Files.createDirectories(dir.resolveSibling("elsewhere"));
        Files.writeString(dir.resolve("latest"), "../elsewhere");
        assertLoadFails(dir, "allowed: the name of a step folder inside");
    }

    @Test
    void aStepThatDisagreesWithTheRandomStreamOrTheOptimizerIsRefused(@TempDir Path dir) throws Exception {
        // the checksums cover the tensor files only: a changed step in config.json loaded and resumed the run on
        // another part of the data and noise stream, with optimizer counts of another step
        Map<String, float[]> w = run(dir, 2);
        Path cfg = Checkpoint.latest(dir).resolve("config.json");
        String good = Files.readString(cfg);
        Files.writeString(cfg, good.replaceFirst("\"step\": 2,", "\"step\": 7,")); // the top-level step only
        assertLoadFails(dir, cfg + ": field 'rng.step' = 2 but field 'step' = 7");
        Files.writeString(cfg, good.replace("\"step\": 2,", "\"step\": 1,")); // both, below the updates done
        assertLoadFails(dir, "' = 2 but field 'step' = 1; allowed: at most one update a step");
        Files.writeString(cfg, good);
        assertStillThere(dir, 2, w);
    }

    @Test
    void filesThatAreFoldersAndAPointerThatLeadsNowhereAreNamedAndNeverReplaced(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = run(dir, 2);
        Path step = Checkpoint.latest(dir);
        for (String name : new String[] {"weights.bin", "config.json"}) {
            Path file = step.resolve(name);
            Path aside = Files.move(file, dir.resolve("aside-" + name));
            Files.createDirectory(file);
            assertLoadFails(dir, file + ": is a folder; allowed: ");
            Files.delete(file);
            Files.move(aside, file);
        }
        Path cfg = step.resolve("config.json");
        byte[] json = Files.readAllBytes(cfg);
        byte[] binary = json.clone();
        binary[40] = (byte) 0xFF; // a byte that is not UTF-8 (the JDK said only "Input length = 1", naming no file)
        Files.write(cfg, binary);
        assertLoadFails(dir, cfg + ": not UTF-8 text (byte 40 of " + json.length + " is 0xff); allowed: the JSON file");
        Files.write(cfg, json);
        Path pointer = dir.resolve("latest");
        String name = Files.readString(pointer);
        Files.write(pointer, new byte[] {'s', 't', (byte) 0xC0});
        assertLoadFails(dir, pointer + ": not UTF-8 text (byte 2 of 3 is 0xc0)");
        Files.delete(pointer);
        Files.createDirectory(pointer);
        assertLoadFails(dir, pointer + ": is a folder; allowed: a file holding one step folder name");
        Files.delete(pointer);
        Files.createSymbolicLink(pointer, pointer);
        assertLoadFails(dir, pointer + ": is a symbolic link that leads nowhere");
        // a pointer that cannot be read may be another run's: a new run is refused, and the link stays
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), dir, null));
        assertTrue(other.getMessage().contains("holds a checkpoint that cannot be read") && other.getMessage().contains("leads nowhere"),
                other.getMessage());
        assertTrue(Files.isSymbolicLink(pointer));
        Files.delete(pointer);
        Files.writeString(pointer, name);
        // the step folder it names is a file: named as such, not as missing
        Path held = Files.move(step, dir.resolve("held"));
        Files.writeString(step, "not a folder");
        assertLoadFails(dir, "names " + step + ", which is not a folder; allowed: a step folder");
        Files.delete(step);
        Files.move(held, step);
        assertStillThere(dir, 2, w);
    }

    @Test
    void aMissingFileOrAnUnwritableFolderIsNamedInTheMessageItself(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("run");
        run(ok, 2);
        Files.delete(Checkpoint.latest(ok).resolve("optimizer.bin"));
        UncheckedIOException read = assertThrows(UncheckedIOException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), null, ok));
        assertTrue(read.getMessage().contains("missing file or folder") && read.getMessage().contains("optimizer.bin"),
                read.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            t.train(1);
            UncheckedIOException write = assertThrows(UncheckedIOException.class,
                    () -> t.saveCheckpoint(file.resolve("ckpt")));
            assertTrue(write.getMessage().contains(file.resolve("ckpt").toString() + ": ")
                    && write.getMessage().length() > ("cannot write checkpoint to " + file.resolve("ckpt")).length() + 2,
                    write.getMessage());
        }
        assertEquals("not a folder", Files.readString(file), "nothing was written over the file");
    }

    @Test
    void aCheckpointFolderThatCannotBeWrittenIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), file.resolve("ckpt"), null));
        assertTrue(e.getMessage().contains("withCheckpoints(" + file.resolve("ckpt")) && e.getMessage().contains("cannot write"),
                e.getMessage());
        // a usable folder is made at build time and left with nothing in it but what saves write
        Path fresh = dir.resolve("new/run");
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), fresh, null)) {
            try (java.util.stream.Stream<Path> s = Files.list(fresh)) {
                assertEquals(0, s.count(), "the write probe is removed");
            }
        }
    }

    @Test
    void aSaveThatFailsDuringTrainingSaysTheStepsAreStillInTheTrainer(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("run");
        try (Trainer t = Trainer.builder().withModel(TrainerTest.MODEL).withConfig(TrainerTest.vanilla())
                .withData(TrainerTest.DATA).withProgress(false).withCheckpoints(ckpt, 2).build()) {
            Files.delete(ckpt);
            Files.writeString(ckpt, "the folder became a file after the trainer was built");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> t.train(5));
            assertTrue(e.getMessage().contains("training stopped after step 2") && e.getMessage().contains("keeps the 2 steps")
                    && e.getMessage().contains("saveCheckpoint(dir)"), e.getMessage());
            assertEquals(2, t.stepCount());
            Path kept = t.saveCheckpoint(dir.resolve("elsewhere"));
            assertEquals(2, Checkpoint.latestStep(dir.resolve("elsewhere")), kept.toString());
        }
    }

    private static void assertLoadFails(Path dir, String expected) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TrainerTest.trainer(TrainerTest.vanilla(), null, dir));
        String m = e instanceof UncheckedIOException ? e.getCause().getMessage() : e.getMessage();
        assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
    }
}
