package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.nn.Compute;

/**
 * The GPU check's measuring path, run on this machine's device (the CPU here: the GPU itself is checked only by
 * environment/gpu-check on a GPU machine).
 */
class GpuCheckTest {

    /** {@code steps=abc} ended in a NumberFormatException's stack trace, and {@code steps=-1} was taken. */
    @Test
    void aStepCountMustBeAPositiveWholeNumberNamedInTheRefusal() {
        assertEquals(12, GpuCheck.positiveSteps("steps", "12"));
        for (String bad : List.of("abc", "-1", "0", "", "2.5")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> GpuCheck.positiveSteps("cpuSteps", bad));
            assertTrue(e.getMessage().startsWith("cpuSteps = '" + bad + "'; allowed: a whole number of steps"), e.getMessage());
        }
    }

    @Test
    void measuresTrainingAndSamplingOnTheGivenDeviceAndTabulatesThem() {
        Compute.useThreads(1);
        GpuCheck.Times t = GpuCheck.measure(Compute.device(), 1, 1, 1);
        assertEquals(Compute.device(), t.device());
        assertTrue(t.onDevice(), "weights and samples on " + t.device());
        assertTrue(t.stepMs() > 0 && t.vanillaMs() > 0 && t.tpdiffMs() > 0, t.toString());
        GpuCheck.Times twice = new GpuCheck.Times(t.device(), 2 * t.stepMs(), 2 * t.vanillaMs(), 2 * t.tpdiffMs(), true);
        String table = GpuCheck.table(List.of(t, twice));
        assertTrue(table.contains("cpu / gpu"), table);
        assertEquals(3, table.split("\n").length - 1, table);
        assertTrue(table.lines().skip(1).allMatch(l -> l.trim().endsWith("2.00")), "ratio column:\n" + table);
    }
}
