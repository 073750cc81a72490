package tpdiff4j.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.viz.Figure;
import tpdiff4j.viz.Trace;
import tpdiff4j.viz.Video;

/**
 * What an {@link Experiment} gave: per arm a quality curve, timings, final metrics and a few samples.
 * {@link #table()} prints one column per arm, {@link #plot()} draws quality against training seconds and against
 * steps, {@link #video()} shows every arm's samples, and {@link #toJson()} / {@link #save} write the experiment and
 * its results as one JSON document that {@link #fromJson} / {@link #load} read back equal.
 *
 * @param experiment the experiment that ran
 * @param arms       one result per arm, in the experiment's order
 * @param device     the compute device in words
 * @param complete   false if an interrupt stopped the run early (then arms not sampled have no metrics or clips)
 */
public record ExperimentResult(Experiment experiment, List<ArmResult> arms, String device, boolean complete) {

    public ExperimentResult {
        arms = List.copyOf(arms);
    }

    /** The result of the arm named {@code name}. */
    public ArmResult arm(String name) {
        return arms.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "name = '" + name + "'; allowed: one of the arms " + arms.stream().map(ArmResult::name).toList()));
    }

    /**
     * The table as text: one column per arm; rows: final quality, time to reach the first arm's final quality,
     * training steps, seconds, seconds per step after warm-up, step cost factor, sampling steps and seconds (the
     * median of the experiment's {@code samplingCalls} calls of each arm's sampler, made in turn), and the
     * final metrics (motion-feature Frechet distance, flicker, classifier two-sample test and their parts; a
     * metric no arm has is left out). An arm whose sample diverged (NaN or infinite values, quality
     * {@link MotionQuality#DIVERGED}) reads "diverged" instead of a quality, has no metrics, and a line under the
     * table says at how many evaluations it diverged.
     */
    public String table() {
        List<String> rows = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        double target = arms.isEmpty() ? Double.NaN : finalQuality(arms.get(0));
        add(rows, cells, "quality at the end (Frechet, lower is better)",
                a -> finalQuality(a) == MotionQuality.DIVERGED ? "diverged" : fmt(finalQuality(a)));
        add(rows, cells, "seconds to " + (arms.isEmpty() ? "" : arms.get(0).name()) + "'s final quality", a -> {
            if (Double.isNaN(target) || a.curve().points().isEmpty()) {
                return "-"; // an interrupt came before that curve's first evaluation
            }
            if (target == MotionQuality.DIVERGED) {
                return "- (" + arms.get(0).name() + " diverged)"; // no quality to reach
            }
            OptionalDouble t = a.curve().timeToReach(target);
            return t.isPresent() ? fmt(t.getAsDouble()) : "not reached (> " + fmt(a.curve().finalSeconds()) + ")";
        });
        add(rows, cells, "train steps", a -> Long.toString(a.steps()));
        add(rows, cells, "train seconds", a -> fmt(a.trainSeconds()));
        add(rows, cells, "train s/step after warm-up", a -> fmt(a.secondsPerStep()));
        add(rows, cells, "step cost / full rate (frames^2)", a -> fmt(a.costFactor()));
        Map<String, Arm> byName = new LinkedHashMap<>();
        experiment.arms().forEach(x -> byName.put(x.name(), x));
        add(rows, cells, "sampling steps", a -> Integer.toString(byName.get(a.name()).totalSteps()));
        int calls = experiment.samplingCalls();
        add(rows, cells, "sampling seconds (" + experiment.sampleClips() + " clips, " + (calls == 1 ? "one call"
                : "median of " + calls + " calls") + ")", a -> fmt(a.sampleSeconds()));
        Set<String> keys = new LinkedHashSet<>();
        arms.forEach(a -> keys.addAll(a.metrics().keySet()));
        for (String k : keys) {
            if (arms.stream().anyMatch(a -> a.metrics().containsKey(k) && !Double.isNaN(a.metrics().get(k)))) {
                add(rows, cells, k, a -> a.metrics().containsKey(k) ? fmt(a.metrics().get(k)) : "-");
            }
        }
        int w0 = rows.stream().mapToInt(String::length).max().orElse(0);
        int[] w = new int[arms.size()];
        for (int j = 0; j < arms.size(); j++) {
            w[j] = arms.get(j).name().length();
            for (List<String> r : cells) {
                w[j] = Math.max(w[j], r.get(j).length());
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w0 + "s", ""));
        for (int j = 0; j < arms.size(); j++) {
            sb.append("  ").append(String.format(Locale.ROOT, "%" + w[j] + "s", arms.get(j).name()));
        }
        for (int i = 0; i < rows.size(); i++) {
            sb.append('\n').append(String.format(Locale.ROOT, "%-" + w0 + "s", rows.get(i)));
            for (int j = 0; j < arms.size(); j++) {
                sb.append("  ").append(String.format(Locale.ROOT, "%" + w[j] + "s", cells.get(i).get(j)));
            }
        }
        if (!complete) {
            sb.append("\n(interrupted: partial results)");
        }
        for (ArmResult a : arms) {
            long bad = a.curve().divergedCount();
            if (bad > 0) {
                sb.append("\n(").append(a.name()).append(" diverged: its sample was NaN or infinite at ").append(bad)
                        .append(" of ").append(a.curve().points().size()).append(" evaluations")
                        .append(finalQuality(a) == MotionQuality.DIVERGED ? ", the last included" : "")
                        .append(")");
            }
            Double stop = a.metrics().get(ArmResult.STOPPED_AT);
            if (stop != null) {
                sb.append("\n(").append(a.name()).append(" stopped training at step ").append(fmt(stop))
                        .append(", whose loss was not finite: its curve ends at step ")
                        .append(a.curve().points().isEmpty() ? "-" : Long.toString(a.curve().points()
                                .get(a.curve().points().size() - 1).steps()))
                        .append(", its samples are of the weights after step ").append(fmt(stop - 1)).append(")");
            }
            Double broken = a.metrics().get(ArmResult.NON_FINITE);
            if (broken != null && broken > 0) {
                sb.append("\n(").append(a.name()).append("'s final sample has ").append(fmt(broken))
                        .append(" NaN or infinite values, so it has no metrics)");
            }
        }
        return sb.toString();
    }

    /** The last quality of an arm's curve; NaN when an interrupt left it without points. */
    private static double finalQuality(ArmResult a) {
        return a.curve().points().isEmpty() ? Double.NaN : a.curve().finalQuality();
    }

    private void add(List<String> rows, List<List<String>> cells, String row, java.util.function.Function<ArmResult, String> f) {
        rows.add(row);
        cells.add(arms.stream().map(f).toList());
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v); // counts
        }
        return Math.abs(v) >= 1e4 || (v != 0 && Math.abs(v) < 1e-3) ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Quality against training seconds (left) and against training steps (right), one line per arm with a marker at
     * each evaluation, in the order of the arms (colours as in {@code Figure}: blue, orange, green, ...). Diverged
     * evaluations ({@link MotionQuality#DIVERGED}) are gaps in the line, and the arm's legend name says how many.
     */
    public Figure plot() {
        Figure byTime = Figure.of(), bySteps = Figure.of();
        for (ArmResult a : arms) {
            double[] q = a.curve().qualities();
            for (int i = 0; i < q.length; i++) {
                q[i] = q[i] == MotionQuality.DIVERGED ? Double.NaN : q[i]; // a gap, not a point at 1e6
            }
            long bad = a.curve().divergedCount();
            String name = a.name() + (bad == 0 ? "" : " (diverged at " + bad + " of " + q.length + " evaluations)");
            byTime = byTime.add(Trace.line(a.curve().seconds(), q).name(name).markers());   // a marker per evaluation
            bySteps = bySteps.add(Trace.line(a.curve().steps(), q).name(name).markers());
        }
        String quality = "Fr\u00e9chet distance (lower is better)";
        return Figure.grid(2,
                byTime.title("quality against training wall-clock").xTitle("training seconds").yTitle(quality),
                bySteps.title("quality against training steps").xTitle("training steps").yTitle(quality));
    }

    /** Every arm's final samples, one row per arm, captioned with its name. */
    public Video video() {
        List<Video> v = arms.stream().filter(a -> a.shape()[0] > 0).map(ArmResult::video).toList();
        if (v.isEmpty()) {
            throw new IllegalStateException("no arm has samples: the run was interrupted before its final sampling;"
                    + " table() and plot() show what it measured, and experiment().run() runs the experiment again, to"
                    + " the end, for samples");
        }
        return Video.grid(Math.min(Experiment.SHOWN_CLIPS, experiment.sampleClips()), v.toArray(new Video[0]));
    }

    /** The experiment and the results as one JSON document. */
    public String toJson() {
        return new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls().create().toJson(tree());
    }

    /** The document {@link #toJson()} writes, as a tree. */
    private JsonObject tree() {
        JsonObject o = new JsonObject();
        o.add("experiment", ExperimentJson.write(experiment));
        o.addProperty("device", device);
        o.addProperty("complete", complete);
        Gson g = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        JsonArray a = new JsonArray();
        for (ArmResult r : arms) {
            a.add(g.toJsonTree(r));
        }
        o.add("results", a);
        return o;
    }

    /** Reads {@link #toJson()}; {@code data} must have the experiment's spec. */
    public static ExperimentResult fromJson(String json, VideoDataset data) {
        return fromJson(json, data, "experiment result JSON");
    }

    /** As {@link #fromJson(String, VideoDataset)} for arms with couplings of one's own (see {@link Experiment#fromJson}). */
    public static ExperimentResult fromJson(String json, VideoDataset data, NoiseCoupling... couplings) {
        return fromJson(json, data, "experiment result JSON", couplings);
    }

    /**
     * Reads {@link #toJson()}; errors start with {@code what} (the file name, for {@link #load}) and name the
     * problem: not JSON, not an experiment result (an experiment's set-up is read by {@link Experiment#fromJson}), a
     * missing field, or the experiment's own problem (see {@link Experiment#fromJson}).
     */
    private static ExperimentResult fromJson(String json, VideoDataset data, String what, NoiseCoupling... couplings) {
        JsonElement root = tpdiff4j.schedule.StrictJson.parseWithNonFinite(json, what);
        JsonObject o = root.isJsonObject() ? root.getAsJsonObject() : null;
        tpdiff4j.schedule.DocumentKind.EXPERIMENT_RESULT.require(root, what);
        for (String f : new String[] {"experiment", "results", "device", "complete"}) {
            if (o == null || !o.has(f)) {
                throw new IllegalArgumentException(what + (o == null ? " = not a JSON object" : ": field '" + f
                        + "' is missing") + "; allowed: an experiment result, {\"experiment\", \"results\","
                        + " \"device\", \"complete\"} as ExperimentResult.save writes it");
            }
            tpdiff4j.schedule.StrictJson.field(o, f, what, "an experiment result, {\"experiment\", \"results\","
                    + " \"device\", \"complete\"}, each as ExperimentResult.save writes it");
        }
        if (o.get("experiment").isJsonObject()) {
            JsonElement setUp = ExperimentJson.withIdentityHashDescriptionRead(o.get("experiment"), data);
            if (setUp != o.get("experiment")) {
                o = o.deepCopy();
                o.add("experiment", setUp);
            }
        }
        ExperimentResult r = read(o, data, what, couplings);
        tpdiff4j.schedule.StrictJson.requireWrittenAsRead(what, o,
                tree -> read(tree.getAsJsonObject(), data, what, couplings).tree(), "ExperimentResult.save");
        return r;
    }

    /** Reads the fields of a result file, without the check that nothing else is there. */
    private static ExperimentResult read(JsonObject o, VideoDataset data, String what, NoiseCoupling... couplings) {
        try {
            JsonElement setUp = o.get("experiment");
            Experiment e = ExperimentJson.read(setUp.isJsonObject() ? setUp.getAsJsonObject() : null, data, couplings);
            Gson g = new GsonBuilder().serializeSpecialFloatingPointValues().create();
            List<ArmResult> arms = new ArrayList<>();
            for (JsonElement el : o.getAsJsonArray("results")) {
                arms.add(g.fromJson(el, ArmResult.class));
            }
            return new ExperimentResult(e, arms, o.get("device").getAsString(), o.get("complete").getAsBoolean());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException
                | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(what + ": a result field is missing or has the wrong form (" + e + ")",
                    e);
        }
    }

    /**
     * Writes {@link #toJson()} to {@code file} with {@link tpdiff4j.schedule.AtomicFiles}: folders created, the old
     * file kept whole on a failure, an interrupt during the write deferred (the flag is set again after); returns the
     * file.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public Path save(Path file) {
        try {
            return tpdiff4j.schedule.AtomicFiles.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write experiment: " + e.getMessage(), e);
        }
    }

    /** The largest experiment file {@link #load} reads (one holds numbers and curves: kilobytes to a few megabytes). */
    static final long MAX_FILE_BYTES = 64L << 20;

    /** Reads a file written by {@link #save}. */
    public static ExperimentResult load(Path file, VideoDataset data) {
        return load(file, data, new NoiseCoupling[0]);
    }

    /**
     * Reads a file written by {@link #save} whose arms use couplings of one's own: pass the same objects (each is
     * matched by how it was recorded, its {@code toString()}; see {@link Experiment#fromJson}).
     */
    public static ExperimentResult load(Path file, VideoDataset data, NoiseCoupling... couplings) {
        try {
            return fromJson(tpdiff4j.schedule.AtomicFiles.readText(file, MAX_FILE_BYTES, "an experiment file written by"
                    + " ExperimentResult.save"), data, file.toString(), couplings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read experiment from " + file + ": " + e, e);
        }
    }

    /** Equal when the JSON forms are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentResult r && r.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return table();
    }
}
