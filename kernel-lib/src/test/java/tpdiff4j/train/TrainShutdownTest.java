package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch program stopped with SIGTERM (as {@code kill}, a batch system or Ctrl-C stop it) while it trains. The JVM
 * used to end under the running step: PyTorch's globals were torn down beneath it, the JVM crashed with a SIGSEGV
 * report (exit status 134, an {@code hs_err_pid*.log} in the working folder) and the steps since the last checkpoint
 * were lost. Now the step ends, a checkpoint of every step done is written, and the JVM exits as a terminated
 * process does (status 143 = 128 + SIGTERM).
 */
class TrainShutdownTest {

    @Test
    void sigtermDuringTrainingEndsTheStepWritesACheckpointAndExitsCleanly(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), ShutdownTrainingMain.class.getName(), checkpoints.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TPDIFF4J_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        long lastStep = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("STEP ")) {
                    lastStep = Long.parseLong(line.substring(5));
                    if (lastStep == 3 && !sent) {
                        p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                        sent = true;
                    }
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM ended: " + out);
        assertEquals(143, p.exitValue(), "ended as a terminated process, not a crash (134): " + out);
        assertFalse(out.toString().contains("fatal error"), out.toString());
        try (var files = Files.list(dir)) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
            assertTrue(reports.isEmpty(), "no crash report: " + reports);
        }
        assertTrue(out.toString().contains("interrupted: "), "the progress says the run was stopped: " + out);
        assertTrue(lastStep >= 3, out.toString());
        assertEquals(lastStep, Checkpoint.latestStep(checkpoints), "every step done is in the checkpoint: " + out);
    }

    /**
     * A listener that ends the program with {@code System.exit} runs on the training thread, which then waits for
     * the shutdown hooks and never returns from {@code train}: the hook must not wait for that call (it would hold
     * the exit for {@value ShutdownStop#WAIT_SECONDS} seconds).
     */
    @Test
    void systemExitFromAListenerEndsTheJvmAtOnce(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), ShutdownTrainingMain.class.getName(),
                dir.resolve("run").toString(), "2").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TPDIFF4J_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out;
        long[] exitAt = new long[1];
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder b = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                b.append(line).append('\n');
                if (line.equals("STEP 2")) {
                    exitAt[0] = System.nanoTime();
                }
            }
            out = b.toString();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        double seconds = (System.nanoTime() - exitAt[0]) / 1e9;
        assertEquals(3, p.exitValue(), out);
        assertTrue(exitAt[0] != 0 && seconds < ShutdownStop.WAIT_SECONDS / 2.0,
                "ended " + seconds + " s after System.exit, not after the hook's wait: " + out);
    }
}
