package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tpdiff4j.train.TrainingStopFixture;

/**
 * The kernel's process ends when asked although a cell left a non-daemon thread running and added a shutdown hook
 * that never returns; the hook's output reaches the kernel's console. A training call's own hook, which waits for its
 * step and checkpoint, is not cut short. Runs {@link #main} in a JVM of its own.
 */
class KernelExitTest {

    /** A kernel process in miniature: what a cell could leave behind, then the kernel's exit. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1 && args[1].equals("training")) {
            TrainingStopFixture.start(1500); // a notebook's training call, 1.5 s for its last step and checkpoint
            KernelMain.exit(System.err, Long.parseLong(args[0]));
            return;
        }
        Thread worker = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    // a cell's loop that ignores interrupts
                }
            }
        }, "non-daemon-worker");
        worker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("hook started");
            try {
                Thread.sleep(600_000); // e.g. awaitTermination of an executor whose task never ends
            } catch (InterruptedException e) {
                // keeps the JVM waiting
            }
        }));
        KernelMain.exit(System.err, Long.parseLong(args[0]));
    }

    @Test
    void aHookThatNeverReturnsDoesNotKeepTheKernelAlive() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KernelExitTest.class.getName(), "500").redirectErrorStream(true).start();
        long t0 = System.nanoTime();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the process still runs after 60 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("hook started"), "the hook's output goes to the kernel's console: " + out);
        assertTrue(out.contains("tpdiff4j kernel: shutdown hooks still ran 500 ms after the kernel was asked to end"),
                out);
        // JVM start and the 500 ms grace; far below the hook's 600 s
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void aTrainingCallsCheckpointAtExitIsNotCutShort() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KernelExitTest.class.getName(), "300", "training").redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the process still runs after 60 s: " + out);
        assertEquals(0, p.exitValue(), out);
        // the checkpoint takes 1.5 s, five times the 300 ms grace for other hooks
        assertTrue(out.contains("checkpoint written"), "the training call's checkpoint was cut short: " + out);
        assertTrue(!out.contains("shutdown hooks still ran"), out);
    }
}
