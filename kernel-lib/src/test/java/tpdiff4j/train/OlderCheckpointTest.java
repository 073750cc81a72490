package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;

/**
 * A checkpoint of the training-configuration format before 29 November 2026 ({@code "mode"}, {@code "scheduleJson"},
 * {@code "stages"} instead of a pyramid, a coupling and a stage draw). The fixture's {@code config.json} and
 * {@code latest} were written by commit 7b493a1 with {@code TrainConfig.flowMatching(TrainMode.VANILLA, 7)
 * .withBatchSize(2).withStages(2)}, {@code ModelConfig.tiny(8, 1, 16, 16)} and 8-frame 16 x 16 sprites after two
 * steps; its three tensor files (800 KB) are left out: both refusals come from {@code config.json} alone, before any
 * tensor is read.
 */
class OlderCheckpointTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    static Path fixture(Path dir) throws IOException {
        Path ckpt = dir.resolve("ckpt");
        for (String f : new String[] {"latest", "step-000000002/config.json"}) {
            Path to = ckpt.resolve(f);
            Files.createDirectories(to.getParent());
            try (InputStream in = OlderCheckpointTest.class.getResourceAsStream("checkpoint-7b493a1/" + f)) {
                Files.copy(in, to);
            }
        }
        return ckpt;
    }

    static Trainer.Builder trainer() {
        return Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16)).withData(DATA).withProgress(false)
                .withConfig(TrainConfig.flowMatching(1, 8, 7).withBatchSize(2));
    }

    @Test
    void resumingACheckpointOfTheOlderConfigurationFormatSaysWhichFormatAndWhatToDo(@TempDir Path dir) throws IOException {
        Path ckpt = fixture(dir);
        assertEquals(2, Checkpoint.latestStep(ckpt));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> trainer().withResumeFrom(ckpt).build());
        String m = x.getMessage();
        assertTrue(m.contains("before 29 November 2026") && m.contains("mode ('VANILLA')") && m.contains("(pyramid, coupling, stageDraw)")
                && m.contains("resume it with the version that wrote it") && m.contains("start a new run in another folder"), m);
        assertFalse(m.contains("Build the trainer with the checkpoint's configuration"),
                "no version of today's trainer has that configuration: " + m);
    }

    @Test
    void readingTheOlderTrainingConfigurationSaysWhichFormatAndHowToBuildItToday(@TempDir Path dir) throws IOException {
        com.google.gson.JsonObject train = com.google.gson.JsonParser.parseString(Files.readString(
                fixture(dir).resolve("step-000000002/config.json"))).getAsJsonObject().getAsJsonObject("train");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(train));
        String m = x.getMessage();
        assertTrue(m.contains("before 29 November 2026") && m.contains("mode ('VANILLA')") && m.contains("stages ('2')")
                && m.contains("TrainConfig.of(pyramid, prediction, seed)"), m);
    }

    @Test
    void aNewRunInAFolderWithAnOlderFormatCheckpointIsToldToChooseAnotherFolder(@TempDir Path dir) throws IOException {
        Path ckpt = fixture(dir);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> trainer().withCheckpoints(ckpt, 1).build());
        String m = x.getMessage();
        assertTrue(m.contains("before 29 November 2026") && m.contains("choose an empty folder"), m);
        assertFalse(m.contains("withResumeFrom"), "resuming it fails as well: " + m);
        assertTrue(Files.exists(ckpt.resolve("step-000000002/config.json")), "the older checkpoint stays");
    }
}
