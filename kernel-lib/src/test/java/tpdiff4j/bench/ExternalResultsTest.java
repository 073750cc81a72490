package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
