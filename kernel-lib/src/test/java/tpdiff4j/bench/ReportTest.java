package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void requiredKeysAreTheHeadlineKeysInOrder() {
        assertEquals(List.of("train.stepTimeRatio", "train.timeToQualityRatio", "sample.speedup30",
                "assignment.n256.ratioToScipy", "assignment.n1024.ratioToScipy", "align.overheadFraction",
                "kernel.coldStartSeconds", "kernel.cellRoundTripMillis", "kernel.cellRoundTripRatioToIPython"),
                Report.REQUIRED);
    }

    @Test
    void everyRequiredKeyIsATopLevelJsonNumber(@TempDir Path dir) throws Exception {
        Report r = new Report();
        double v = 0.5;
        for (String k : Report.REQUIRED) {
            r.put(k, v += 0.25);
        }
        r.put("scaling.train.exponent", 1.25).meta("preset", "quick");
        assertTrue(r.missing().isEmpty());
        Path file = r.write(dir.resolve("report.json"));
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        v = 0.5;
        for (String k : Report.REQUIRED) {
            assertTrue(o.get(k).getAsJsonPrimitive().isNumber(), k);
            assertEquals(v += 0.25, o.get(k).getAsDouble(), 0.0, k);
        }
        assertEquals("quick", o.getAsJsonObject("meta").get("preset").getAsString());
    }

    /**
     * A report that could not take its file's place (here a folder of that name) left its fixed-name temporary file
     * {@code report.json.tmp} behind. It is now refused naming the path, with nothing left beside it; a later write
     * replaces an existing report whole, also with the thread's interrupt flag set (which it keeps).
     */
    @Test
    void aFailedWriteLeavesNothingBesideTheReport(@TempDir Path dir) throws Exception {
        Report r = new Report().put("scaling.train.exponent", 1.25);
        Path taken = Files.createDirectories(dir.resolve("taken.json").resolve("inside"));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> r.write(taken.getParent()));
        assertTrue(e.getMessage().contains(taken.getParent().toString()), e.getMessage());
        Path file = dir.resolve("report.json");
        Files.writeString(file, "{\"old\": 1}");
        try {
            Thread.currentThread().interrupt();
            r.write(file);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
        } finally {
            Thread.interrupted();
        }
        assertEquals(r.toJson(), Files.readString(file));
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(java.util.List.of("report.json", "taken.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void missingListsAbsentRequiredKeysInOrder() {
        Report r = new Report().put("sample.speedup30", 1.5).put("kernel.coldStartSeconds", 2);
        assertEquals(List.of("train.stepTimeRatio", "train.timeToQualityRatio", "assignment.n256.ratioToScipy",
                "assignment.n1024.ratioToScipy", "align.overheadFraction", "kernel.cellRoundTripMillis",
                "kernel.cellRoundTripRatioToIPython"), r.missing());
    }

    @Test
    void jsonRoundTripKeepsNumbersMetaTablesAndCharts() {
        Report r = new Report().put("a.b", 1.5).put("c", -2e-7).meta("date", "2026-01-01T00:00:00Z");
        r.table(Table.of("train", "t", "x", "y").row("one", 2.0));
        r.chart(ChartSpec.line("train-q", "q", "s", "d", false, true)
                .with(ChartSpec.Series.line("v", new double[] {0, 1}, new double[] {3, 2})));
        r.detail("train", JsonParser.parseString("[1, 2]"));
        Report back = Report.fromJson(r.toJson());
        assertEquals(r.numbers(), back.numbers());
        assertEquals("2026-01-01T00:00:00Z", back.metaString("date", ""));
        assertEquals(r.tables("train"), back.tables("train"));
        assertEquals(1, back.charts().size());
        assertEquals(2.0, back.charts().get(0).series().get(0).y()[1]);
        assertEquals(2, back.details().getAsJsonArray("train").size());
    }

    @Test
    void nonFiniteNumbersAndReservedKeysAreRefused() {
        Report r = new Report();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.put("x", Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.put("meta", 1));
        assertThrows(IllegalArgumentException.class, () -> r.put("a..b", 1));
        assertThrows(IllegalArgumentException.class, () -> r.put("with space", 1));
    }
}
