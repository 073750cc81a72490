package tpdiff4j.schedule;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The kinds of JSON document the library writes, each recognised by the fields that only it has, so that a reader
 * given a document of another kind (a pyramid's JSON passed to the training configuration's reader, say) says what it
 * got and which reader takes it, instead of naming the first field it misses.
 *
 * <pre>{@code
 * DocumentKind.TRAIN_CONFIG.require(json, "train config JSON");
 * // train config JSON = a temporal pyramid (the document TemporalPyramid.toJson writes); allowed: a training
 * // configuration (the document TrainConfig.toJsonObject writes). Read a temporal pyramid with TemporalPyramid.fromJson
 * }</pre>
 * A document of none of these kinds, or of the reader's own kind, passes: the reader's own checks then name the field
 * that is wrong.
 */
public enum DocumentKind {

    /** {@code {"type": "flowMatching", "version": 1, ...}} and the other schedule types. */
    SCHEDULE("a noise schedule", "NoiseSchedule.toJson", "Schedules.fromJson"),
    /** A diffusers {@code scheduler_config.json}, with {@code "_class_name"}. */
    DIFFUSERS("a diffusers scheduler configuration (scheduler_config.json)", "Schedules.toDiffusersConfig",
            "Schedules.fromDiffusersConfig"),
    /** {@code {"type": "TemporalPyramid", ...}}. */
    PYRAMID("a temporal pyramid", "TemporalPyramid.toJson", "TemporalPyramid.fromJson"),
    /** A plan for trainers in other frameworks, {@code {"schema": "tpdiff4j.pyramid-plan", ...}}: written, never read. */
    PLAN("a pyramid plan", "TemporalPyramid.planJson or TrainConfig.planJson", null),
    /** {@code {"prediction", "pyramid", "coupling", "stageDraw", ...}}. */
    TRAIN_CONFIG("a training configuration", "TrainConfig.toJsonObject", "TrainConfig.fromJsonObject"),
    /** {@code {"frames", "channels", "height", "width", "patch", "dim", "depth", "heads", ...}}. */
    MODEL_CONFIG("a model configuration", "ModelConfig.toJson", "ModelConfig.fromJson"),
    /** {@code {"rule": ...}}: a rule for a step's stage or for its stage-local time. */
    STAGE_RULE("a stage draw or a stage time draw", "StageDraw.toJsonObject or StageTimeDraw.toJsonObject",
            "StageDraw.fromJsonObject or StageTimeDraw.fromJsonObject"),
    /** A checkpoint's {@code config.json}, {@code {"format": "tpdiff4j-checkpoint", ...}}. */
    CHECKPOINT("a checkpoint's config.json", "Trainer.saveCheckpoint",
            "Trainer.builder().withResumeFrom(folder), the folder that holds the checkpoint"),
    /** {@code {"format": "tpdiff4j-experiment", ...}}. */
    EXPERIMENT("an experiment's set-up", "Experiment.toJson", "Experiment.fromJson(json, data)"),
    /** {@code {"experiment", "results", "device", "complete"}}. */
    EXPERIMENT_RESULT("an experiment result", "ExperimentResult.save or ExperimentResult.toJson",
            "ExperimentResult.load(file, data) or ExperimentResult.fromJson(json, data)");

    private final String noun;
    private final String writer;
    private final String reader;

    DocumentKind(String noun, String writer, String reader) {
        this.noun = noun;
        this.writer = writer;
        this.reader = reader;
    }

    /** What the document is, e.g. {@code "a temporal pyramid"}. */
    public String noun() {
        return noun;
    }

    /**
     * The kind of {@code doc}, or null for a document that is not a JSON object or has none of the kinds' marks.
     * Marks, checked in this order: {@code "experiment"} with {@code "results"}; {@code "format"} of an experiment or
     * a checkpoint; {@code "schema"} of a plan; {@code "type": "TemporalPyramid"}; {@code "_class_name"};
     * {@code "prediction"} with {@code "pyramid"} (or an older configuration's {@code "mode"} or
     * {@code "scheduleJson"}); {@code "patch"}, {@code "dim"}, {@code "depth"} and {@code "heads"}; a schedule's
     * {@code "type"}; {@code "rule"}.
     */
    public static DocumentKind of(JsonElement doc) {
        if (doc == null || !doc.isJsonObject()) {
            return null;
        }
        JsonObject o = doc.getAsJsonObject();
        if (o.has("experiment") && o.has("results")) {
            return EXPERIMENT_RESULT;
        }
        String format = string(o, "format");
        if ("tpdiff4j-experiment".equals(format)) {
            return EXPERIMENT;
        }
        if ("tpdiff4j-checkpoint".equals(format)) {
            return CHECKPOINT;
        }
        if ("tpdiff4j.pyramid-plan".equals(string(o, "schema"))) {
            return PLAN;
        }
        String type = string(o, "type");
        if ("TemporalPyramid".equals(type)) {
            return PYRAMID;
        }
        if (o.has("_class_name")) {
            return DIFFUSERS;
        }
        if (o.has("prediction") && (o.has("pyramid") || o.has("mode") || o.has("scheduleJson"))) {
            return TRAIN_CONFIG;
        }
        if (o.has("patch") && o.has("dim") && o.has("depth") && o.has("heads")) {
            return MODEL_CONFIG;
        }
        if (type != null && Schedules.JSON_TYPES.contains(type)) {
            return SCHEDULE;
        }
        if (o.has("rule")) {
            return STAGE_RULE;
        }
        return null;
    }

    /**
     * Refuses a document of another kind than this one, naming what it is and which reader takes it.
     *
     * @param doc  the document as parsed
     * @param what the reader's name for its input, e.g. {@code "train config JSON"}
     * @throws IllegalArgumentException {@code what = <the kind found> (the document <its writer> writes); allowed:
     *                                  <this kind> (the document <this writer> writes). Read ... with <its reader>}
     */
    public void require(JsonElement doc, String what) {
        DocumentKind found = of(doc);
        if (found == null || found == this) {
            return;
        }
        throw new IllegalArgumentException(what + " = " + found.noun + " (the document " + found.writer + " writes);"
                + " allowed: " + noun + " (the document " + writer + " writes). " + (found.reader != null
                ? "Read " + found.noun + " with " + found.reader
                : "No reader of this library takes " + found.noun + " back: it describes the pyramid for trainers in"
                + " other frameworks; save a pyramid to read back with TemporalPyramid.toJson"));
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
