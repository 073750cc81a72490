package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at every step of a checkpoint save (stopped by a {@link SaveHook} that throws, not by timing) leaves a
 * folder from which a fresh trainer loads a complete checkpoint of the same run: the previous one or the new one,
 * bit-equal to the weights that were saved, never a mixture. Both for a save at a new step and for a second save at
 * the same step (which once deleted the folder {@code latest} named before renaming the new one in).
 */
class CheckpointFaultInjectionTest {

    /** Thrown by the hook: an Error, so that the save's own clean-up (which catches exceptions) does not run, as in a kill. */
    static final class SimulatedKill extends Error {
        SimulatedKill(SaveHook.Step step) {
            super("simulated kill after " + step);
        }
    }

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void aKillAtEveryStepOfASaveLeavesACompleteCheckpointOfTheRun(@TempDir Path root) throws Exception {
        List<SaveHook.Step> steps = new ArrayList<>();
        try (Trainer a = TrainerTest.trainer(TrainerTest.vanilla(), null, null)) {
            a.step();
            Path probe = root.resolve("probe");
            Checkpoint.save(a, probe);
            Checkpoint.save(a, probe, (s, p) -> steps.add(s)); // a full save that replaces one: every hook call
            assertEquals(List.of(SaveHook.Step.TEMP_FOLDER_CREATED, SaveHook.Step.FILE_WRITTEN, SaveHook.Step.FILE_WRITTEN,
                    SaveHook.Step.FILE_WRITTEN, SaveHook.Step.FILE_WRITTEN, SaveHook.Step.TEMP_FOLDER_SYNCED,
                    SaveHook.Step.FOLDER_RENAMED, SaveHook.Step.POINTER_WRITTEN, SaveHook.Step.POINTER_RENAMED,
                    SaveHook.Step.OLD_FOLDER_DELETED), steps);
            Map<Long, Map<String, float[]>> saved = new HashMap<>();
            for (boolean sameStep : new boolean[] {false, true}) {
                for (int k = 0; k < steps.size(); k++) {
                    Path dir = root.resolve((sameStep ? "same-" : "next-") + k);
                    Checkpoint.save(a, dir);
                    long before = a.stepCount();
                    saved.put(before, TrainerTest.weights(a));
                    if (!sameStep) {
                        a.step();
                        saved.put(a.stepCount(), TrainerTest.weights(a));
                    }
                    int killAt = k;
                    int[] calls = {0};
                    SimulatedKill e = assertThrows(SimulatedKill.class, () -> Checkpoint.save(a, dir, (s, p) -> {
                        if (calls[0]++ == killAt) {
                            throw new SimulatedKill(s);
                        }
                    }));
                    String what = (sameStep ? "second save at one step, " : "save at a new step, ") + e.getMessage();
                    resumeAndCheck(dir, Math.min(before, a.stepCount()), a.stepCount(), saved, what);
                }
            }
        }
    }

    /** A fresh trainer loads the previous or the new checkpoint exactly, then saves again and tidies the folder. */
    private static void resumeAndCheck(Path dir, long previous, long current, Map<Long, Map<String, float[]>> saved,
                                       String what) throws IOException {
        try (Trainer b = TrainerTest.trainer(TrainerTest.vanilla(), dir, dir)) {
            long s = b.stepCount();
            assertTrue(s == previous || s == current, what + ": loaded step " + s);
            Map<String, float[]> w = TrainerTest.weights(b);
            saved.get(s).forEach((name, v) -> assertArrayEquals(v, w.get(name), what + ": weight " + name));
            b.saveCheckpoint(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(2, names.size(), what + ": one step folder and the pointer remain, found " + names);
                assertTrue(names.contains("latest") && names.stream().anyMatch(n -> n.startsWith("step-")), what + ": " + names);
            }
        }
    }
}
