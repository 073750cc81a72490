package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sampling section end to end on the tiny model, one repetition at batch 16 and so 16 at batch 1: which numbers,
 * rows and counts it writes, and that the speed-ups are the ratios of the medians it reports. Times are not judged
 * (speed is the benchmark's business, not a unit test's).
 */
class SampleBenchTest {

    /**
     * The quick preset on the tiny model, one seed, one sampling repetition at batch 16, no 32x32 row: the sections run
     * end to end in seconds (also the step-cost scan's test).
     */
    static Preset tinyQuick() {
        Preset q = Preset.quick();
        return new Preset("test", "tiny", "tiny", 16, q.batch(), q.learningRate(), 1, q.trainSeconds(),
                q.evalPoints(), q.evalClips(), q.realClips(), q.noiseSeeds(), false, 1, q.scalingFrames(),
                q.scalingSteps(), q.alignReps(), 16, 0, false, q.times(), 3);
    }

    @Test
    void theSectionWritesEveryConfigurationAtBothBatchesWithItsRepetitions() {
        Preset p = tinyQuick();
        Report r = new Report();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SampleBench.run(p, r, new PrintStream(log, true, StandardCharsets.UTF_8));

        for (int batch : Preset.SAMPLE_BATCHES) {
            for (String config : SampleBench.CONFIGS.keySet()) {
                double ms = r.get("sample." + config + ".b" + batch + ".ms");
                assertTrue(ms > 0, config + " at batch " + batch + ": " + ms);
            }
            double share = r.get("sample.jumps.b" + batch + ".share");
            assertTrue(share > 0 && share < 1, "the jumps are a part of 10/10/10's latency: " + share);
        }
        assertEquals(r.get("sample.vanilla.b1.ms") / r.get("sample.k3.b1.ms"), r.get("sample.speedup30"), 1e-12);
        assertEquals(r.get("sample.vanilla.b16.ms") / r.get("sample.k3.b16.ms"), r.get("sample.speedup30.b16"), 1e-12);
        assertEquals(r.get("sample.vanilla.b1.ms") / r.get("sample.k4.b1.ms"), r.get("sample.k4.speedup.b1"), 1e-12);
        assertEquals(r.get("sample.vanilla.b16.ms") / r.get("sample.alloc211.b16.ms"), r.get("sample.alloc211.speedup"), 1e-12);
        // 10/10/10 over 4, 8 and 16 frames: 7/12 of vanilla's frames, 21/48 of its squared frame counts
        assertEquals(12.0 / 7, r.get("sample.bound.linear"), 1e-12);
        assertEquals(48.0 / 21, r.get("sample.bound.quadratic"), 1e-12);
        assertFalse(r.has("sample.large.speedup30"), "largeSize 0 leaves the 32x32 row out");

        List<Table> tables = r.tables("sample");
        assertEquals(1, tables.size());
        Table t = tables.get(0);
        assertTrue(t.title().contains("median of 16 at batch 1, 1 at batch 16"), t.title());
        // per batch: every configuration and the jumps' own row
        assertEquals(Preset.SAMPLE_BATCHES.length * (SampleBench.CONFIGS.size() + 1), t.rows().size());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("[bench] sampling batch 1: vanilla ") && printed.contains("[bench] sampling batch 16: "),
                printed);
    }
}
