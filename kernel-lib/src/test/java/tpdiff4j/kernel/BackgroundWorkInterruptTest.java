package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A notebook cell that trains on an executor and waits for it, interrupted with Kernel → Interrupt: the cell's
 * thread stops, the training does not (the interrupt reaches the cell's thread only). The cell's error must say that
 * the training still runs and on which thread, and the way it names to stop it must work: {@code future.cancel(true)}
 * ends the training at a step boundary with its steps kept.
 */
class BackgroundWorkInterruptTest {

    @Test
    void anInterruptedCellNamesTheTrainingItLeftRunningAndCancelStopsIt() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (CellThread cells = new CellThread(3000)) {
            CellEvaluator ev = cells.call(CellEvaluator::withPreload);
            try {
                cells.call(() -> ev.run("Compute.useThreads(1);\n"
                        + "Trainer t = Trainer.builder().withModel(ModelConfig.tiny(4, 1, 16, 16))"
                        + ".withConfig(TrainConfig.flowMatching(1, 4, 1).withBatchSize(2))"
                        + ".withData(SpriteVideos.builder().withFrames(4).withSize(16).build())"
                        + ".withProgress(false).build();\n"
                        + "var pool = java.util.concurrent.Executors.newSingleThreadExecutor("
                        + "r -> new Thread(r, \"background-training\"));"));
                timer.schedule(() -> cells.interrupt(() -> true), 1500, TimeUnit.MILLISECONDS);
                CellInterrupted stopped = assertThrows(CellInterrupted.class, () -> cells.call(() -> ev.run(
                        "var f = pool.submit(() -> t.train(1_000_000));\nf.get();")));
                assertTrue(stopped.getMessage().contains("still runs on thread background-training"),
                        stopped.getMessage());
                Object result = cells.call(() -> ev.run("f.cancel(true);\npool.shutdown();\n"
                        + "pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)"));
                assertEquals(true, result, "the training ended after future.cancel(true)");
                long steps = (Long) cells.call(() -> ev.run("t.stepCount()"));
                assertTrue(steps > 0 && steps < 1_000_000, "steps kept: " + steps);
                cells.call(() -> ev.run("t.close();"));
            } finally {
                cells.call(() -> {
                    ev.close();
                    return null;
                });
            }
        } finally {
            timer.shutdownNow();
        }
    }
}
