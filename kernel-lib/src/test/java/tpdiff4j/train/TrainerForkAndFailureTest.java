package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two trainers that continue one run must not delete each other's checkpoints, a resume restores every part of the
 * state, and a train call that fails ends its progress line.
 */
class TrainerForkAndFailureTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /**
     * Trainer {@code first} saves step 2; {@code second} resumes from it (the same run) and saves step 4. When
     * {@code first} trained on and saved into the folder, the save counted step 4 as an older checkpoint of its own
     * run and deleted it: the second trainer's steps were lost without a word. The save is now refused with both
     * steps named, and the second trainer's checkpoint stays as it was.
     */
    @Test
    void aSecondTrainerOfTheSameRunKeepsItsNewerCheckpoint(@TempDir Path dir, @TempDir Path other) throws Exception {
        try (Trainer first = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            first.train(2);
            Map<String, float[]> secondWeights;
            try (Trainer second = TrainerTest.trainer(TrainerTest.vanilla(), dir, dir)) {
                assertEquals(2, second.stepCount());
                second.train(2);
                secondWeights = TrainerTest.weights(second);
            }
            assertEquals(4, Checkpoint.latestStep(dir));
            for (int steps : new int[] {1, 1}) { // step 3 (behind the other's step 4), then step 4 (level with it)
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.train(steps));
                assertTrue(e.getMessage().contains("at step 4") && e.getMessage().contains("(step 2)")
                        && e.getMessage().contains("another trainer that continues the same run")
                        && e.getMessage().contains("saveCheckpoint(otherDir)"), e.getMessage());
            }
            assertEquals(4, first.stepCount(), "the refused saves cost no steps");
            assertEquals(4, Checkpoint.latestStep(dir));
            try (Trainer back = TrainerTest.trainer(TrainerTest.vanilla(), null, dir)) {
                Map<String, float[]> w = TrainerTest.weights(back);
                secondWeights.forEach((k, v) -> assertArrayEquals(v, w.get(k), "the second trainer's " + k));
            }
            first.saveCheckpoint(other); // its own steps go elsewhere
            assertEquals(4, Checkpoint.latestStep(other));
            // a trainer that resumes the newer checkpoint owns the folder again
            try (Trainer third = TrainerTest.trainer(TrainerTest.vanilla(), dir, dir)) {
                third.train(1);
                assertEquals(5, Checkpoint.latestStep(dir));
            }
        }
    }

    /**
     * Saving or loading a checkpoint after {@code close()} failed inside DJL ("Native resource has been release
     * already"), which named neither the trainer nor what to do; it is now refused as a step is, and writes nothing.
     */
    @Test
    void aClosedTrainerRefusesToSaveOrLoadByName(@TempDir Path dir, @TempDir Path saved) throws Exception {
        Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), null, null);
        t.train(1);
        t.saveCheckpoint(saved);
        t.close();
        Path target = dir.resolve("after-close");
        IllegalStateException save = assertThrows(IllegalStateException.class, () -> t.saveCheckpoint(target));
        assertTrue(save.getMessage().startsWith("saveCheckpoint on a closed trainer"), save.getMessage());
        assertFalse(java.nio.file.Files.exists(target), "nothing written");
        IllegalStateException load = assertThrows(IllegalStateException.class, () -> t.loadCheckpoint(saved));
        assertTrue(load.getMessage().startsWith("loadCheckpoint on a closed trainer"), load.getMessage());
    }

    /**
     * A folder whose current checkpoint lost its {@code config.json} is refused as a checkpoint folder for a new run;
     * the reason gave only the file's path, as Java's exception for a missing file does, not that it is missing.
     */
    @Test
    void aFolderWhoseCheckpointLostAFileIsRefusedSayingTheFileIsMissing(@TempDir Path dir) throws Exception {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            t.train(1);
        }
        Path config = Checkpoint.latest(dir).resolve("config.json");
        java.nio.file.Files.delete(config);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), dir, null));
        assertTrue(e.getMessage().contains("holds a checkpoint that cannot be read (missing file or folder: " + config
                + ")"), e.getMessage());
    }

    /**
     * The trainer that fell behind saved elsewhere in between: its last checkpoint anywhere is then newer than the
     * other trainer's in the shared folder, which a comparison of steps alone would have let it delete. What counts
     * is the checkpoint it last loaded from or saved into that folder.
     */
    @Test
    void aSaveElsewhereDoesNotLetATrainerDeleteTheOtherTrainersCheckpoint(@TempDir Path dir, @TempDir Path other)
            throws Exception {
        try (Trainer first = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            first.train(2);
            first.saveCheckpoint(dir);
            try (Trainer second = TrainerTest.trainer(TrainerTest.vanilla(), dir, dir)) {
                second.train(1); // step 3 in dir
            }
            first.train(2);
            first.saveCheckpoint(other); // step 4 elsewhere
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.saveCheckpoint(dir));
            assertTrue(e.getMessage().contains("at step 3") && e.getMessage().contains("did not save"), e.getMessage());
            assertEquals(3, Checkpoint.latestStep(dir));
            first.saveCheckpoint(other); // its own folder stays its own
            assertEquals(4, Checkpoint.latestStep(other));
        }
    }

    /**
     * A step folder given where the checkpoint folder belongs (the folder that holds the weights, so a natural guess)
     * was refused as a folder without checkpoint; the message now says to pass its parent.
     */
    @Test
    void resumingFromAStepFolderNamesTheCheckpointFolderToPass(@TempDir Path dir) throws Exception {
        try (Trainer t = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            t.train(1);
        }
        Path step = Checkpoint.latest(dir);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> TrainerTest.trainer(TrainerTest.vanilla(), null, step));
        String parent = dir.toAbsolutePath().normalize().toString();
        assertTrue(e.getMessage().contains("is a step folder inside the checkpoint folder " + parent)
                && e.getMessage().contains("withResumeFrom(Path.of(\"" + parent + "\"))"), e.getMessage());
    }

    /** A resumed run has the weights, the EMA, the optimizer's moments and counts of the run it continues, bit for bit. */
    @Test
    void resumingRestoresTheEmaAndTheOptimizerBitForBit(@TempDir Path dir) {
        Map<String, float[]> ema, moments;
        Map<String, Integer> counts;
        try (Trainer straight = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            straight.train(4);
            ema = floats(straight.ema().arrays());
            moments = floats(straight.optimizer().state());
            counts = straight.optimizer().counts();
        }
        try (Trainer a = TrainerTest.trainer(TrainerTest.vanilla(), dir, null)) {
            a.train(2);
        }
        try (Trainer b = TrainerTest.trainer(TrainerTest.vanilla(), null, dir)) {
            b.train(2);
            Map<String, float[]> e = floats(b.ema().arrays()), m = floats(b.optimizer().state());
            ema.forEach((k, v) -> assertArrayEquals(v, e.get(k), "EMA " + k));
            moments.forEach((k, v) -> assertArrayEquals(v, m.get(k), "moment " + k));
            assertEquals(counts, b.optimizer().counts());
        }
    }

    private static Map<String, float[]> floats(Map<String, ai.djl.ndarray.NDArray> arrays) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    /**
     * A train call that threw (here a listener at step 2; a loss that is not finite or a failed checkpoint save end
     * it the same way) left its progress line counted as a run still printing on its stream: every later trainer
     * printing there took itself for one of two overlapping runs and put a thread name before each line. The failed
     * call now ends its line, and the next trainer prints as before.
     */
    @Test
    void aFailedCallEndsItsProgressAndTheNextTrainerPrintsAsBefore() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Trainer broken = Trainer.builder().withModel(TrainerTest.MODEL).withConfig(TrainerTest.vanilla())
                .withData(TrainerTest.DATA).withProgressStream(out).withListener(p -> {
                    if (p.step() == 2) {
                        throw new IllegalStateException("listener broke");
                    }
                }).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.train(5));
            assertEquals("listener broke", e.getMessage());
        }
        String failed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(failed.contains("failed: IllegalStateException (see the exception)"), failed);
        buf.reset();
        try (Trainer next = Trainer.builder().withModel(TrainerTest.MODEL).withConfig(TrainerTest.vanilla())
                .withData(TrainerTest.DATA).withProgressStream(out).build()) {
            next.train(2);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("done: 2 steps"), text);
        for (String line : text.split("\\R")) {
            assertFalse(line.startsWith("["), "printed as if two runs overlapped: " + text);
        }
    }

    /**
     * A network whose output turns NaN during a run stops the train call at that step, with an ArithmeticException
     * that names the loss, the step and the pyramid stage and says that the network's output is the cause; the step
     * is not applied and the progress line ends with the failure, as for any other. A network that gives NaN at its
     * initial weights is told so at step 1.
     */
    @Test
    void aNetworkThatOutputsNaNStopsTrainingNamingTheStepAndTheStage() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TrainConfig c = TrainConfig.flowMatching(2, 8, 4).withBatchSize(2).withStageDraw(StageDraw.weights(0, 1));
        java.util.concurrent.atomic.AtomicReference<tpdiff4j.nn.StageNetwork> net =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.List<Map<String, float[]>> afterStep2 = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Trainer> self = new java.util.concurrent.atomic.AtomicReference<>();
        try (Trainer t = Trainer.builder().withConfig(c).withData(TrainerTest.DATA).withProgressStream(out)
                .withNetwork(m -> {
                    net.set(SqrtBiasBlock.network(m, 8, 1f));
                    return net.get();
                }).withListener(p -> {
                    if (p.step() == 2) { // the network diverges after step 2, within the same call
                        ((SqrtBiasBlock) net.get().block()).poisoned = true;
                        afterStep2.add(TrainerTest.weights(self.get()));
                    }
                }).build()) {
            self.set(t);
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> t.train(5));
            assertTrue(e.getMessage().startsWith("loss = NaN at training step 3 (pyramid stage 1 of 2, stage 0 the"
                    + " noisiest); allowed: a finite loss. The step was not applied"), e.getMessage());
            assertTrue(e.getMessage().contains("4096 of the 4096 entries of the network's output are NaN or infinite."
                    + " Usual causes: a learning rate too high"), e.getMessage());
            assertEquals(2, t.stepCount(), "the failed step was not counted");
            Map<String, float[]> after = TrainerTest.weights(t);
            afterStep2.get(0).forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("failed: ArithmeticException (see the exception)"), text);
        try (Trainer t = Trainer.builder().withConfig(c).withData(TrainerTest.DATA).withProgress(false)
                .withNetwork(m -> SqrtBiasBlock.network(m, 8, -1f)).build()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> t.train(5));
            assertTrue(e.getMessage().startsWith("loss = NaN at training step 1 (pyramid stage 1 of 2"), e.getMessage());
            assertTrue(e.getMessage().contains("at the very first step, before any update: the network's forward pass"
                    + " makes them at its initial weights"), e.getMessage());
            assertEquals(0, t.stepCount());
        }
    }
}
