package tpdiff4j.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tpdiff4j.Refusals;

/**
 * The benchmark report: named numbers, a description of the run, charts and raw details, written as
 * {@code build/bench/report.json}. Every number is a top-level key whose value is a JSON number (for example
 * {@code "train.stepTimeRatio": 0.71}); the objects {@code "meta"} (preset, date, command, machine, model),
 * {@code "charts"} ({@link ChartSpec}s), {@code "tables"} ({@link Table}s) and {@code "details"} (per-section raw data) sit beside them.
 *
 * <p>{@link #REQUIRED} lists the keys every full report must measure; {@link #missing()} names the ones not
 * (finitely) measured.
 * Non-finite values are refused at {@link #put}, so the JSON never holds NaN.
 */
public final class Report {

    /** Keys every complete report holds, each a finite number. */
    public static final List<String> REQUIRED = List.of("train.stepTimeRatio", "train.timeToQualityRatio",
            "sample.speedup30", "assignment.n256.ratioToScipy", "assignment.n1024.ratioToScipy",
            "align.overheadFraction", "kernel.coldStartSeconds", "kernel.cellRoundTripMillis",
            "kernel.cellRoundTripRatioToIPython");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final List<String> RESERVED = List.of("meta", "charts", "tables", "details");
    private static final String KEY = "[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*";
    private final Map<String, Double> numbers = new LinkedHashMap<>();
    private final JsonObject meta = new JsonObject();
    private final List<ChartSpec> charts = new ArrayList<>();
    private final JsonObject details = new JsonObject();
    private final List<Table> tables = new ArrayList<>();

    /** Sets a number; keys are dotted identifiers, values finite. */
    public Report put(String key, double value) {
        if (key == null || !key.matches(KEY) || RESERVED.contains(key)) {
            throw new IllegalArgumentException("key = '" + key + "'; allowed: a dotted identifier such as "
                    + "'train.stepTimeRatio' (not meta, charts, tables or details)");
        }
        if (!Double.isFinite(value)) {
            throw Refusals.refuse(key, value, "a finite number (a report holds finite numbers only)");
        }
        numbers.put(key, value);
        return this;
    }

    /** True if {@code key} holds a number. */
    public boolean has(String key) {
        return numbers.containsKey(key);
    }

    /** The number under {@code key}, or NaN if absent. */
    public double get(String key) {
        return numbers.getOrDefault(key, Double.NaN);
    }

    /** All numbers in insertion order (read-only). */
    public Map<String, Double> numbers() {
        return Collections.unmodifiableMap(numbers);
    }

    /** Sets a description entry (preset, date, command, machine, model ...). */
    public Report meta(String key, JsonElement value) {
        meta.add(key, value);
        return this;
    }

    /** Sets a textual description entry. */
    public Report meta(String key, String value) {
        meta.addProperty(key, value);
        return this;
    }

    /** The description object (live). */
    public JsonObject meta() {
        return meta;
    }

    /** A textual description entry, or {@code fallback}. */
    public String metaString(String key, String fallback) {
        JsonElement e = meta.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : fallback;
    }

    /** Adds a chart. */
    public Report chart(ChartSpec chart) {
        charts.removeIf(c -> c.id().equals(chart.id()));
        charts.add(chart);
        return this;
    }

    /** The charts in insertion order (read-only). */
    public List<ChartSpec> charts() {
        return Collections.unmodifiableList(charts);
    }

    /** Adds a formatted table (replacing one with the same section and title). */
    public Report table(Table t) {
        tables.removeIf(x -> x.section().equals(t.section()) && x.title().equals(t.title()));
        tables.add(t);
        return this;
    }

    /** Removes every table of one section (before a section's tables are made again from its raw data). */
    Report removeTables(String section) {
        tables.removeIf(t -> t.section().equals(section));
        return this;
    }

    /** The tables of one section, in insertion order. */
    public List<Table> tables(String section) {
        return tables.stream().filter(t -> t.section().equals(section)).toList();
    }

    /** Stores a section's raw data. */
    public Report detail(String section, JsonElement value) {
        details.add(section, value);
        return this;
    }

    /** The raw data of all sections (live). */
    public JsonObject details() {
        return details;
    }

    /** Adds the numbers, tables and charts of {@code other} (a part built on its own, added only when it is whole). */
    void addAll(Report other) {
        other.numbers.forEach(this::put);
        other.tables.forEach(this::table);
        other.charts.forEach(this::chart);
    }

    /** Required keys that hold no number, in {@link #REQUIRED} order. */
    public List<String> missing() {
        return REQUIRED.stream().filter(k -> !numbers.containsKey(k)).toList();
    }

    /** The report as pretty-printed JSON. */
    public String toJson() {
        JsonObject o = new JsonObject();
        numbers.forEach(o::addProperty);
        o.add("meta", meta.deepCopy());
        o.add("charts", GSON.toJsonTree(charts));
        o.add("tables", GSON.toJsonTree(tables));
        o.add("details", details.deepCopy());
        return GSON.toJson(o);
    }

    /** Reads a report written by {@link #toJson()}. */
    public static Report fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Report r = new Report();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            switch (e.getKey()) {
                case "meta" -> e.getValue().getAsJsonObject().entrySet().forEach(m -> r.meta.add(m.getKey(), m.getValue()));
                case "details" -> e.getValue().getAsJsonObject().entrySet().forEach(d -> r.details.add(d.getKey(), d.getValue()));
                case "tables" -> e.getValue().getAsJsonArray().forEach(t -> r.tables.add(GSON.fromJson(t, Table.class)));
                case "charts" -> e.getValue().getAsJsonArray().forEach(c -> r.charts.add(GSON.fromJson(c, ChartSpec.class)));
                default -> {
                    if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                        r.put(e.getKey(), e.getValue().getAsDouble());
                    }
                }
            }
        }
        return r;
    }

    /** Writes the JSON with {@link tpdiff4j.schedule.AtomicFiles} (atomic, folders created); returns the file. */
    public Path write(Path file) throws IOException {
        return tpdiff4j.schedule.AtomicFiles.writeString(file, toJson());
    }

    /**
     * Reads a report file.
     *
     * @throws IOException naming the file and what is wrong when it is not a report (truncated by a crashed run,
     *                     another file, a folder)
     */
    public static Report read(Path file) throws IOException {
        String text = tpdiff4j.schedule.AtomicFiles.readText(file, 256L << 20, "a report written by Report.write");
        try {
            return Report.fromJson(text);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a report written by Report.write (" + e.getClass().getSimpleName() + ": "
                    + tpdiff4j.schedule.StrictJson.excerpt(String.valueOf(e.getMessage())) + ")", e);
        }
    }
}
