package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fails after {@code latest} names the new step folder is not a failed save: the new checkpoint is current and
 * must be reported so. A folder that cannot be flushed afterwards is an error saying the new checkpoint is current
 * (not that the previous one stays); an older folder that cannot be deleted is a note, and the save returns.
 */
class CheckpointAfterPointerTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

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
