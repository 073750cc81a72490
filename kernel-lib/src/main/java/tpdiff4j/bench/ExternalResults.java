package tpdiff4j.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the results that {@code environment/bench} gets outside the JVM of the DJL benchmarks, from the bench folder:
 * <ul>
 *   <li>{@code assignment.json} ({@link AssignmentBench}) and {@code assignment_scipy.json}
 *       ({@code environment/py/scipy_assignment.py}): per kind and n the median milliseconds of both solvers;</li>
 *   <li>{@code kernel.json} ({@code environment/kernel-timing.py} over jupyter_client): cold start and round trip,
 *       with Debian's IPython kernel's beside them (its {@code reference} object) and their ratio;</li>
 *   <li>{@code notebooks.json} (written by {@code environment/bench}): seconds, notebooks, failures.</li>
 * </ul>
 * A missing file leaves its numbers out (the report then lists the required keys it lacks). So does a damaged one (cut
 * short by a crashed run, a field missing or not a finite number): its name and what is wrong are in the list that
 * {@link #apply} returns, none of its numbers, tables or charts are added, and the other files are still read.
 */
public final class ExternalResults {

    private ExternalResults() {
    }

    /**
     * Adds every available external result to {@code r}; returns the names of the files it could not read, a damaged
     * one with what is wrong ({@code "kernel.json (damaged: ...)"}).
     */
    public static List<String> apply(Path dir, Report r) throws IOException {
        List<String> missing = new ArrayList<>();
        JsonObject ours = read(dir.resolve("assignment.json"), missing);
        JsonObject scipy = read(dir.resolve("assignment_scipy.json"), missing);
        if (ours != null && scipy != null) {
            whole("assignment.json and assignment_scipy.json", r, missing, part -> assignment(ours, scipy, part));
        }
        JsonObject kernel = read(dir.resolve("kernel.json"), missing);
        if (kernel != null) {
            whole("kernel.json", r, missing, part -> kernel(kernel, part));
        }
        JsonObject nb = read(dir.resolve("notebooks.json"), missing);
        if (nb != null) {
            whole("notebooks.json", r, missing, part -> notebooks(nb, part));
        }
        return missing;
    }

    /**
     * Reads one file's results into a report of their own and adds them to {@code r} only when all of them could be
     * read; otherwise notes the file as damaged in {@code missing}.
     */
    private static void whole(String files, Report r, List<String> missing, java.util.function.Consumer<Report> read) {
        Report part = new Report();
        try {
            read.accept(part);
        } catch (RuntimeException e) { // a missing field (NullPointerException), a string or NaN where a number goes
            missing.add(files + " (damaged: " + e.getClass().getSimpleName() + " "
                    + tpdiff4j.schedule.StrictJson.excerpt(String.valueOf(e.getMessage())) + ")");
            return;
        }
        r.addAll(part);
    }

    private static void kernel(JsonObject k, Report r) {
        r.put("kernel.coldStartSeconds", k.get("cold_start_to_first_execute_reply_s").getAsDouble());
        r.put("kernel.cellRoundTripMillis", k.get("trivial_cell_round_trip_median_ms").getAsDouble());
        optional(k, "trivial_cell_round_trip_p90_ms", "kernel.cellRoundTripP90Millis", r);
        optional(k, "trivial_cell_round_trip_after_start_median_ms", "kernel.cellRoundTripAfterStartMillis", r);
        optional(k, "kernel_info_ready_s", "kernel.kernelInfoSeconds", r);
        optional(k, "cells", "kernel.cells", r);
        optional(k, "settle_s", "kernel.settleSeconds", r);
        JsonObject ipy = k.has("reference") && k.get("reference").isJsonObject()
                && k.getAsJsonObject("reference").has("trivial_cell_round_trip_median_ms")
                ? k.getAsJsonObject("reference") : null;
        if (ipy != null) {
            r.put("kernel.ipython.coldStartSeconds", ipy.get("cold_start_to_first_execute_reply_s").getAsDouble());
            r.put("kernel.ipython.cellRoundTripMillis", ipy.get("trivial_cell_round_trip_median_ms").getAsDouble());
            optional(ipy, "trivial_cell_round_trip_p90_ms", "kernel.ipython.cellRoundTripP90Millis", r);
            optional(ipy, "kernel_info_ready_s", "kernel.ipython.kernelInfoSeconds", r);
            optional(ipy, "trivial_cell_round_trip_after_start_median_ms",
                    "kernel.ipython.cellRoundTripAfterStartMillis", r);
            r.put("kernel.cellRoundTripRatioToIPython",
                    r.get("kernel.cellRoundTripMillis") / r.get("kernel.ipython.cellRoundTripMillis"));
            double afterStart = r.get("kernel.cellRoundTripAfterStartMillis")
                    / r.get("kernel.ipython.cellRoundTripAfterStartMillis");
            if (Double.isFinite(afterStart)) { // older kernel.json files have no after-start figures
                r.put("kernel.cellRoundTripAfterStartRatioToIPython", afterStart);
            }
        }
        r.table(Table.of("kernel", "Kernel with a real Jupyter client (jupyter_client), " + k.get("cells")
                        + " cells alternating with Debian's IPython kernel in the same run", "quantity", "tpdiff4j",
                        "IPython")
                .row("cold start to first execute_reply (s)", r.get("kernel.coldStartSeconds"),
                        r.get("kernel.ipython.coldStartSeconds"))
                .row("until kernel_info answers (s)", r.get("kernel.kernelInfoSeconds"),
                        r.get("kernel.ipython.kernelInfoSeconds"))
                .row("trivial cell round trip, median (ms), settled: after " + Table.fmt(
                                r.get("kernel.settleSeconds")) + " s idle", r.get("kernel.cellRoundTripMillis"),
                        r.get("kernel.ipython.cellRoundTripMillis"))
                .row("trivial cell round trip, p90 (ms), settled", r.get("kernel.cellRoundTripP90Millis"),
                        r.get("kernel.ipython.cellRoundTripP90Millis"))
                .row("trivial cell round trip, median (ms), right after the start",
                        r.get("kernel.cellRoundTripAfterStartMillis"),
                        r.get("kernel.ipython.cellRoundTripAfterStartMillis")));
    }

    private static void notebooks(JsonObject nb, Report r) {
        r.put("notebooks.seconds", nb.get("seconds").getAsDouble());
        r.put("notebooks.count", nb.get("notebooks").getAsDouble());
        r.put("notebooks.failed", nb.get("failed").getAsDouble());
        r.table(Table.of("kernel", "Notebook suite, headless (environment/notebook --execute"
                        + (nb.has("quick") && nb.get("quick").getAsBoolean() ? ", TPDIFF4J_QUICK=1" : "") + ")",
                        "notebooks", "failed", "wall-clock s")
                .row((int) r.get("notebooks.count"), (int) r.get("notebooks.failed"), r.get("notebooks.seconds")));
    }

    static void assignment(JsonObject ours, JsonObject scipy, Report r) {
        Map<String, Double> scipyMs = new TreeMap<>();
        for (JsonElement e : scipy.getAsJsonArray("results")) {
            JsonObject o = e.getAsJsonObject();
            scipyMs.put(o.get("kind").getAsString() + "/" + o.get("n").getAsInt(), o.get("median_ms").getAsDouble());
        }
        Table t = Table.of("assignment", "Linear assignment, median ms on the same float64 matrices ("
                + (scipy.has("scipy") ? "scipy " + scipy.get("scipy").getAsString() : "scipy") + ")",
                "costs", "n", "tpdiff4j ms", "scipy ms", "tpdiff4j / scipy");
        Map<String, List<double[]>> chart = new TreeMap<>();
        for (JsonElement e : ours.getAsJsonArray("results")) {
            JsonObject o = e.getAsJsonObject();
            String kind = o.get("kind").getAsString();
            int n = o.get("n").getAsInt();
            Double s = scipyMs.get(kind + "/" + n);
            if (s == null) {
                continue;
            }
            double ms = o.get("median_ms").getAsDouble();
            String prefix = kind.equals("uniform") ? "assignment.n" + n : "assignment." + kind + ".n" + n;
            r.put(prefix + ".ms", ms).put(prefix + ".scipyMs", s).put(prefix + ".ratioToScipy", ms / s);
            t = t.row(kind, n, ms, s, ms / s);
            chart.computeIfAbsent(kind, x -> new ArrayList<>()).add(new double[] {n, ms, s});
        }
        r.table(t);
        ChartSpec c = ChartSpec.line("assignment-times", "Linear assignment: tpdiff4j against scipy", "n", "median ms",
                true, true);
        for (Map.Entry<String, List<double[]>> e : chart.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            c = c.with(ChartSpec.Series.line("tpdiff4j " + e.getKey(), x, e.getValue().stream().mapToDouble(v -> v[1]).toArray()));
            c = c.with(ChartSpec.Series.dashed("scipy " + e.getKey(), x, e.getValue().stream().mapToDouble(v -> v[2]).toArray()));
        }
        r.chart(c);
    }

    private static void optional(JsonObject o, String field, String key, Report r) {
        if (o.has(field) && o.get(field).isJsonPrimitive()) {
            r.put(key, o.get(field).getAsDouble());
        }
    }

    private static JsonObject read(Path file, List<String> missing) throws IOException {
        if (!Files.isRegularFile(file)) {
            missing.add(file.getFileName().toString());
            return null;
        }
        try {
            return JsonParser.parseString(tpdiff4j.schedule.AtomicFiles.readText(file, 64L << 20, "a JSON object"))
                    .getAsJsonObject();
        } catch (IOException | RuntimeException e) { // cut short by a crashed run, not text, or not an object
            missing.add(file.getFileName() + " (damaged: not a JSON object: "
                    + tpdiff4j.schedule.StrictJson.excerpt(String.valueOf(e.getMessage())) + ")");
            return null;
        }
    }
}
