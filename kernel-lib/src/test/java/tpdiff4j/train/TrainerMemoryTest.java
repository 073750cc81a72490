package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;

/** Per-step scopes keep memory flat, and a tiny step is fast enough for CI. */
class TrainerMemoryTest {

    /**
     * Native (off-heap) resident memory in MiB: VmRSS from /proc/self/status minus what the JVM has committed for
     * its heap and non-heap pools (the Java heap grows lazily and would otherwise be counted).
     */
    static double nativeMiB() throws IOException {
        System.gc();
        java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
        double jvm = (mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted()) / 1048576.0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 - jvm;
            }
        }
        return Double.NaN;
    }

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.configureFromEnvironment();
        System.out.println(tpdiff4j.nn.Compute.describe());
    }

    @Test
    void threeHundredStepsAfterWarmUpDoNotGrowTheManagerOrNativeMemory() throws IOException {
        System.out.println("device: " + Engine.getInstance().defaultDevice() + " (engine " + Engine.getInstance().getEngineName() + ")");
        SpriteVideos data = SpriteVideos.builder().withFrames(4).withSize(16).build();
        TrainConfig cfg = TrainConfig.flowMatching(1, 4, 1).withBatchSize(2);
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(4, 1, 16, 16)).withConfig(cfg).withData(data)
                .withProgress(false).build()) {
            t.train(100); // warm-up: allocator pools and the JIT settle
            int arrays = t.manager().getManagedArrays().size();
            double rss = nativeMiB();
            t.train(300);
            assertEquals(400, t.stepCount());
            assertEquals(arrays, t.manager().getManagedArrays().size(), "arrays held by the trainer's manager tree");
            double growth = nativeMiB() - rss;
            System.out.printf("300 tiny steps: %d managed arrays, native growth %.1f MiB%n", arrays, growth);
            // the estimate scatters by about +-40 MiB between samples (allocator pools); leaking the step's
            // activations (~100 tensors of 2*4*256 floats = 0.8 MiB per step) would add 240 MiB over 300 steps
            assertTrue(growth < 160, "native memory grew by " + growth + " MiB over 300 steps (bound 160 MiB)");
        }
    }

    @Test
    void tinyTrainingStepAt16x16x16Batch8IsWellUnderHalfASecond() {
        SpriteVideos data = SpriteVideos.builder().withFrames(16).withSize(16).build();
        TrainConfig cfg = TrainConfig.flowMatching(1, 16, 2).withBatchSize(8);
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(16, 1, 16, 16)).withConfig(cfg).withData(data)
                .withProgress(false).build()) {
            t.train(3); // warm-up
            TrainResult r = t.train(10);
            System.out.printf("tiny step 16x16x16 batch 8: %.1f ms%n", 1000 * r.secondsPerStep());
            assertTrue(r.secondsPerStep() < 0.5, "seconds per step " + r.secondsPerStep());
        }
    }
}
