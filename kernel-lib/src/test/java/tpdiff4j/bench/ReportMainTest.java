package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report assembled from a measure.json that holds both scaling rows and a training summary (no benchmarks run). */
class ReportMainTest {

    @Test
    void assemblesRegimesNoiseAndFlopCurvesFromAMeasureFile(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Report m = new Report();
        for (String prefix : List.of("scaling.", ScalingBench.FACTORIZED)) {
            boolean full = prefix.equals("scaling.");
            m.put(prefix + "train.msF4", full ? 23.2 : 14).put(prefix + "train.msF8", full ? 28.8 : 16)
                    .put(prefix + "train.msF16", full ? 59.8 : 24.6)
                    .put(prefix + "train.exponent", full ? 0.68 : 0.39).put(prefix + "train.flopExponent", full ? 1.32 : 1.03)
                    .put(prefix + "train.attentionFlopShare", full ? 0.45 : 0.08)
                    .put(prefix + "train.stepTimeRatio", full ? 0.5 : 0.72).put(prefix + "train.flopRatio", full ? 0.51 : 0.58);
        }
        // the hand-made seed of TrainBenchTest
        TrainBench.summarize(Preset.quick(), List.of(TrainBenchTest.seed(new double[] {3.9, 4.1, 3.7})), m);
        JsonObject sizes = Preset.quick().toJsonObject();
        m.meta("sizes", sizes);
        m.write(dir.resolve("measure.json"));
        ReportMain.main(new String[] {"out=" + dir, "date=2026-11-30T13:01:27.5Z", "companion=BENCHMARKS-logitnormal.md"});
        String md = Files.readString(dir.resolve("BENCHMARKS.md"));
        assertTrue(md.contains("Headline model, full space-time attention (attention-bound, per-call overhead visible)"), md);
        assertTrue(md.contains("Second row, factorized attention (per-token-bound, per-call overhead visible)"), md);
        assertTrue(md.contains("The quality metric's own noise"), md);
        assertTrue(md.contains("`train.flopsToQualityRatio`"), md);
        assertTrue(Files.size(dir.resolve("charts/train-quality-flops.png")) > 0);
        assertTrue(md.contains("date: 2026-11-30T13:01:27Z"), "the run's start, not the time of assembly: " + md);
        assertTrue(md.contains("[BENCHMARKS-logitnormal.md](BENCHMARKS-logitnormal.md)"), md);
        String json = Files.readString(dir.resolve("report.json"));
        assertTrue(json.contains("\"scaling.factorized.train.predictedStepTimeRatio\""), "derived key for the second row");
    }
}
