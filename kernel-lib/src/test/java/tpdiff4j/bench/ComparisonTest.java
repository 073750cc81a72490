package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.metrics.MetricReport;

class ComparisonTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void aTinyRunGivesOneColumnPerModeWithTimingsAndMetrics() {
        Comparison.Options o = Comparison.Options.quick().withSteps(3).withSamples(8).withQuiet(true).withUnaligned(true);
        Comparison.Result r = Comparison.run(o, null);
        List<MetricReport> reps = r.reports();
        assertEquals(List.of("vanilla", "tpdiff", "tpdiff-noalign"), reps.stream().map(MetricReport::name).toList());
        for (MetricReport m : reps) {
            assertEquals(3.0, m.extras().get("train steps"));
            assertTrue(m.extras().get("train s/step") > 0);
            assertTrue(m.frechet() != null && m.twoSample() != null, m.name() + " has metrics");
            assertEquals(8, m.generatedClips());
        }
        String table = r.table();
        assertTrue(table.contains("train s/step") && table.contains("C2ST AUC") && table.contains("tpdiff"), table);
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("quick", json.getAsJsonObject("options").get("preset").getAsString());
        assertEquals(3, json.getAsJsonArray("reports").size());
        assertTrue(json.get("device").getAsString().contains("cpu"), json.get("device").getAsString());
    }
}
