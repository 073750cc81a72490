package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where main code reads tensors back to the host. On a GPU each such read ({@code toFloatArray}, {@code getFloat},
 * {@code getBoolean}, ...) waits for every operation queued before it, so a read inside a training step or a
 * sampling step costs a device round trip each time. Every read must be one of the deliberate ones below, with its
 * count per file; a new read (or one more in a listed file) fails here until it is justified and listed.
 */
class HostReadsTest {

    /** A host read of an NDArray (Java streams' {@code toArray()} and byte buffers' {@code toByteArray()} excluded). */
    static final Pattern READ = Pattern.compile(
            "\\.(toFloatArray|toDoubleArray|toLongArray|toIntArray|toBooleanArray|toUint8Array|toByteBuffer"
                    + "|getFloat|getDouble|getBoolean|getLong|getInt|getUint8|getInt8)\\(\\)|\\.contentEquals\\(");

    /** File (relative to src/main/java/tpdiff4j) to the number of reads it may make, and why. */
    static final Map<String, Integer> ALLOWED = Map.ofEntries(
            // once per training step: the loss the step returns (and checks for non-finite values before backward),
            // and the sum of the gradient, finite or not, before clipping and AdamW; the count of non-finite entries
            // (of the gradient, or of the network's output and the target) only when one is not, for the message
            Map.entry("train/Trainer.java", 3),
            // checkpoint save: the weights, EMA and moments go to disk
            Map.entry("train/Checkpoint.java", 1),
            // batch coupling: the B x B cost matrix goes to the Java assignment solver (once per coupled step)
            Map.entry("align/BatchNoiseAligner.java", 1),
            // positions the caller built itself (the network's own positions are known without a read)
            Map.entry("nn/ForwardConstants.java", 1),
            // metrics, snapshots, frames for display, experiment results: after sampling, not per step
            Map.entry("metrics/TensorErrors.java", 2),
            Map.entry("metrics/ClipBatch.java", 2),
            Map.entry("sample/StageSnapshots.java", 1),
            Map.entry("sample/VideoFrames.java", 1),
            Map.entry("viz/Frames.java", 2),
            Map.entry("viz/TrajectoryRecorder.java", 2),
            Map.entry("experiment/MotionQuality.java", 2),
            // an experiment also compares its arms' initial weights once, before training (a factory of one's own
            // network must give every arm the same start), and counts a diverged sample's non-finite values
            Map.entry("experiment/Experiment.java", 5),
            // a timed sampling call ends with a read, so that on a GPU the call ends when the device has finished
            Map.entry("experiment/TimedInTurn.java", 1),
            // diagnostics of the oracle and of a stage jump's moments
            Map.entry("oracle/GaussianVideo.java", 1),
            Map.entry("pyramid/JumpMoments.java", 3),
            // benches: a timed call ends with a read, so that on a GPU it ends when the device has finished; the bed
            // also checks samples for NaN
            Map.entry("bench/Bed.java", 3),
            Map.entry("bench/SampleBench.java", 1),
            Map.entry("bench/ScalingBench.java", 2));

    @Test
    void mainCodeReadsTensorsBackOnlyWhereListed() throws IOException {
        Path main = Path.of("src/main/java/tpdiff4j");
        assertTrue(Files.isDirectory(main), "run from kernel-lib/: " + main.toAbsolutePath());
        Map<String, Integer> found = new TreeMap<>();
        Map<String, StringBuilder> where = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = main.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("kernel/")) {
                    continue; // the Jupyter kernel computes no tensors
                }
                var lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*", "");
                    if (code.trim().startsWith("*") || code.trim().startsWith("/*")) {
                        continue; // Javadoc and block comments
                    }
                    Matcher m = READ.matcher(code);
                    while (m.find()) {
                        found.merge(rel, 1, Integer::sum);
                        where.computeIfAbsent(rel, k -> new StringBuilder()).append("\n  ").append(rel).append(':')
                                .append(i + 1).append(": ").append(code.trim());
                    }
                }
            }
        }
        Map<String, Integer> unexpected = new TreeMap<>();
        found.forEach((file, n) -> {
            if (n > ALLOWED.getOrDefault(file, 0)) {
                unexpected.put(file, n);
            }
        });
        StringBuilder detail = new StringBuilder();
        unexpected.keySet().forEach(file -> detail.append(where.get(file)));
        assertEquals(Map.of(), unexpected, "host reads beyond the listed ones (file = reads found); on a GPU each one "
                + "waits for the device. Keep the computation on the device, or list the read with its reason:"
                + detail);
    }

    @Test
    void thePatternSeesTheReadsItIsMeantFor() {
        for (String read : new String[] {"a.toFloatArray()", "loss.getFloat()", "x.isNaN().any().getBoolean()",
                "d.toDoubleArray()"}) {
            assertTrue(READ.matcher(read).find(), read);
        }
        for (String notRead : new String[] {"list.stream().toArray()", "bytes.toByteArray()", "o.getAsDouble()",
                "Long.getLong(\"x\", 1)"}) {
            assertTrue(!READ.matcher(notRead).find(), notRead);
        }
    }
}
