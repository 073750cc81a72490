package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricReportTest {

    private static MetricReport sample(String name, double frechet) {
        return MetricReport.named(name).withCounts(64, 32).withFrechet(frechet)
                .withFlicker(new FlickerScore(0.2, 0.1, 0.03, 0.01))
                .withTwoSample(new TwoSampleResult(0.75, 0.8, 32, 32, 0.002))
                .withStages(List.of(new StageFit(0, 100, 0.5, 0.4, 0.75), new StageFit(1, 200, 0.25, 0.2, Double.NaN)))
                .with("train s/step", 0.125);
    }

    /** JSON holds every measured value, derived ratios, and null for what was not measured or is not finite. */
    @Test
    void jsonRoundTrip() {
        JsonObject o = JsonParser.parseString(sample("tpdiff", 1.5).toJson()).getAsJsonObject();
        assertEquals("tpdiff", o.get("name").getAsString());
        assertEquals(64, o.get("realClips").getAsInt());
        assertEquals(1.5, o.get("frechet").getAsDouble(), 0.0);
        assertEquals(2.0, o.getAsJsonObject("flicker").get("relativeMad").getAsDouble(), 1e-12);
        assertEquals(3.0, o.getAsJsonObject("flicker").get("relativeHighFrequency").getAsDouble(), 1e-12);
        assertEquals(0.8, o.getAsJsonObject("twoSample").get("auc").getAsDouble(), 0.0);
        JsonArray stages = o.getAsJsonArray("stages");
        assertEquals(2, stages.size());
        assertTrue(stages.get(1).getAsJsonObject().get("r2").isJsonNull(), "NaN is written as null");
        assertTrue(o.get("covariance").isJsonNull());
        assertEquals(0.125, o.getAsJsonObject("extras").get("train s/step").getAsDouble(), 0.0);
    }

    /** The table has a header with the ideal column and one column per report, rows aligned. */
    @Test
    void tableHasOneColumnPerReport() {
        String t = MetricReport.table(List.of(sample("vanilla", 3.0), sample("tpdiff", 1.5)));
        String[] lines = t.split("\n");
        assertTrue(lines[0].matches("metric\\s+ideal\\s+vanilla\\s+tpdiff"), lines[0]);
        assertTrue(t.contains("C2ST AUC"));
        assertTrue(t.contains("stage 1 R2"));
        for (String line : lines) {
            assertEquals(lines[0].length(), line.length(), "aligned: '" + line + "'");
        }
        String frechetRow = java.util.Arrays.stream(lines).filter(l -> l.startsWith("frechet")).findFirst()
                .orElseThrow();
        assertTrue(frechetRow.matches("frechet motion d\\^2 \\(px\\^2\\)\\s+0\\s+3.000\\s+1.500"), frechetRow);
        assertEquals(2, JsonParser.parseString(MetricReport.tableJson(List.of(sample("a", 1), sample("b", 2))))
                .getAsJsonArray().size());
    }

    /** Reports are values: with(...) copies; the label is required. */
    @Test
    void immutableCopies() {
        MetricReport a = MetricReport.named("x");
        MetricReport b = a.with("k", 1);
        assertTrue(a.extras().isEmpty());
        assertEquals(1.0, b.extras().get("k"), 0.0);
        assertThrows(UnsupportedOperationException.class, () -> b.extras().put("z", 2.0));
        assertThrows(IllegalArgumentException.class, () -> MetricReport.named(" "));
    }

    /**
     * A count among the named numbers prints as the integer it is: "222", not "222.0" (four significant digits), and
     * "12345", not "1.235e+04", which would lose the last digits; a fraction keeps four significant digits, and the
     * measured rows keep their format even when whole (C2ST accuracy 1.000).
     */
    @Test
    void countsPrintAsIntegers() {
        MetricReport r = MetricReport.named("run").withTwoSample(new TwoSampleResult(1.0, 1.0, 8, 8, 0.001))
                .with("train steps", 222).with("long run steps", 12345).with("train ms/step", 19.875)
                .with("sample s", Double.NaN);
        java.util.Map<String, String> cells = new java.util.HashMap<>();
        for (String line : r.toString().split("\n")) {
            String[] parts = line.trim().split("\\s{2,}");
            cells.put(parts[0], parts[parts.length - 1]);
        }
        assertEquals("222", cells.get("train steps"));
        assertEquals("12345", cells.get("long run steps"));
        assertEquals("19.88", cells.get("train ms/step"));
        assertEquals("-", cells.get("sample s"), "not measured");
        assertEquals("1.000", cells.get("C2ST accuracy"));
        assertEquals(12345.0, JsonParser.parseString(r.toJson()).getAsJsonObject().getAsJsonObject("extras")
                .get("long run steps").getAsDouble(), 0.0, "JSON keeps the number");
    }
}
