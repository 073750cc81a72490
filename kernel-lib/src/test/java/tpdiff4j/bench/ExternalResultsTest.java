package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalResultsTest {

    @Test
    void readsAssignmentKernelAndNotebookResults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("assignment.json"), """
                {"results": [{"kind": "uniform", "n": 256, "median_ms": 3.0},
                             {"kind": "uniform", "n": 1024, "median_ms": 30.0},
                             {"kind": "l2", "n": 256, "median_ms": 1.0}]}""");
        Files.writeString(dir.resolve("assignment_scipy.json"), """
                {"scipy": "1.17.1", "results": [{"kind": "uniform", "n": 256, "median_ms": 2.0},
                             {"kind": "uniform", "n": 1024, "median_ms": 60.0},
                             {"kind": "l2", "n": 256, "median_ms": 4.0}]}""");
        Files.writeString(dir.resolve("kernel.json"), """
                {"cold_start_to_first_execute_reply_s": 3.25, "kernel_info_ready_s": 2.5,
                 "trivial_cell_round_trip_median_ms": 6.5, "trivial_cell_round_trip_p90_ms": 9.0, "cells": 50,
                 "trivial_cell_round_trip_after_start_median_ms": 12.0, "settle_s": 20,
                 "reference": {"kernel": "python3", "cold_start_to_first_execute_reply_s": 1.5,
                   "kernel_info_ready_s": 1.25, "trivial_cell_round_trip_median_ms": 5.2,
                   "trivial_cell_round_trip_p90_ms": 7.0, "trivial_cell_round_trip_after_start_median_ms": 5.0}}""");
        Report r = new Report();
        List<String> absent = ExternalResults.apply(dir, r);
        assertEquals(List.of("notebooks.json"), absent);
        assertEquals(1.5, r.get("assignment.n256.ratioToScipy"), 1e-15);
        assertEquals(0.5, r.get("assignment.n1024.ratioToScipy"), 1e-15);
        assertEquals(0.25, r.get("assignment.l2.n256.ratioToScipy"), 1e-15);
        assertEquals(3.25, r.get("kernel.coldStartSeconds"));
        assertEquals(6.5, r.get("kernel.cellRoundTripMillis"));
        assertEquals(5.2, r.get("kernel.ipython.cellRoundTripMillis"));
        assertEquals(1.5, r.get("kernel.ipython.coldStartSeconds"));
        assertEquals(1.25, r.get("kernel.cellRoundTripRatioToIPython"), 1e-12, "6.5 / 5.2");
        assertEquals(2.4, r.get("kernel.cellRoundTripAfterStartRatioToIPython"), 1e-12, "12 / 5");
        assertEquals(20.0, r.get("kernel.settleSeconds"));
        assertFalse(r.tables("assignment").isEmpty());
        assertEquals("assignment-times", r.charts().get(0).id());
    }

    @Test
    void aDamagedFileIsNamedWithItsProblemAndAddsNothingWhileTheOthersAreRead(@TempDir Path dir) throws Exception {
        // a kernel.json cut short by a crashed run, a notebooks.json without its failure count, a NaN from Python
        Files.writeString(dir.resolve("kernel.json"), "{\"cold_start_to_first_execute_reply_s\": 3.25, \"trivial_cell");
        Files.writeString(dir.resolve("notebooks.json"), "{\"seconds\": 120.0, \"notebooks\": 8}");
        Files.writeString(dir.resolve("assignment.json"), "{\"results\": [{\"kind\": \"uniform\", \"n\": 256, \"median_ms\": 3.0}]}");
        Files.writeString(dir.resolve("assignment_scipy.json"), "{\"results\": [{\"kind\": \"uniform\", \"n\": 256, \"median_ms\": NaN}]}");
        Report r = new Report().put("train.stepTimeRatio", 2.0);
        List<String> absent = ExternalResults.apply(dir, r);
        assertEquals(3, absent.size(), absent.toString());
        assertTrue(absent.get(0).startsWith("assignment.json and assignment_scipy.json (damaged: IllegalArgumentException")
                && absent.get(0).contains("; allowed: a finite number"), absent.get(0));
        assertTrue(absent.get(1).startsWith("kernel.json (damaged: not a JSON object"), absent.get(1));
        assertTrue(absent.get(2).startsWith("notebooks.json (damaged: NullPointerException"), absent.get(2));
        // nothing of a damaged file is kept, not even the numbers read before the damage; the rest is untouched
        assertEquals(java.util.Map.of("train.stepTimeRatio", 2.0), r.numbers());
        assertTrue(r.tables("kernel").isEmpty() && r.tables("assignment").isEmpty() && r.charts().isEmpty());
        // the notebooks file made whole is read as usual
        Files.writeString(dir.resolve("notebooks.json"), "{\"seconds\": 120.0, \"notebooks\": 8, \"failed\": 0}");
        assertEquals(2, ExternalResults.apply(dir, r).size());
        assertEquals(8.0, r.get("notebooks.count"));
    }

    @Test
    void aReportFileCutShortIsNamed(@TempDir Path dir) throws Exception {
        Path file = new Report().put("train.stepTimeRatio", 2.0).write(dir.resolve("measure.json"));
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() / 2));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Report.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a report written by Report.write"), e.getMessage());
        Files.writeString(file, "[1, 2]");
        e = assertThrows(java.io.IOException.class, () -> Report.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a report") && e.getMessage().contains("Not a JSON Object"),
                e.getMessage());
    }
}
