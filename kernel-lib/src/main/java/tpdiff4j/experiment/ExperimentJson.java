package tpdiff4j.experiment;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tpdiff4j.Refusals;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.schedule.StrictJson;
import tpdiff4j.train.TrainConfig;

/**
 * The JSON form of an {@link Experiment}:
 * <pre>
 * {"format": "tpdiff4j-experiment", "version": 1,
 *  "data": {"class", "spec", "description"}, "model": {...}, "network": name (only for one's own network),
 *  "schedules": {id: schedule JSON, ...},            every schedule once
 *  "scheduleTables": {id: {intervals, maxError, tolerance, checkPointsPerInterval}},   tabulated function schedules
 *  "arms": [{"name", "pyramid": {..., "schedule": id}, "coupling", "stageDraw", "timeDraw" and "lossWeights" (only
 *            where not the paper's), "stepsPerStage", "jumpRule"}],
 *  "budget": {"steps": n or null, "seconds": s or null},
 *  "evalPoints", "evalClips", "sampleClips", "samplingCalls" (only where not 1), "prediction", "batchSize",
 *  "learningRate", "emaDecay", "seed", "solver"}
 * </pre>
 * A document without {@code "samplingCalls"} times each sampler with one call, as files written before the
 * sampling time was a median record.
 * The arms' pyramids, couplings, stage draws, time draws and loss factors are written by
 * {@link TrainConfig#toJsonObject()} and read back by {@link TrainConfig#fromJsonObject}, so an experiment and a checkpoint describe an arm the same way.
 */
final class ExperimentJson {

    static final int VERSION = 1;
    /** The document, as messages name it. */
    private static final String WHAT = "experiment JSON";

    private ExperimentJson() {
    }

    static JsonObject write(Experiment e) {
        JsonObject o = new JsonObject();
        o.addProperty("format", Experiment.FORMAT);
        o.addProperty("version", VERSION);
        JsonObject data = new JsonObject();
        data.addProperty("class", e.data().getClass().getName());
        data.add("spec", new Gson().toJsonTree(e.data().spec()));
        data.addProperty("description", tpdiff4j.train.RecordedName.of(e.data()));
        o.add("data", data);
        o.add("model", e.model().toJsonObject());
        if (e.networkName() != null) {
            o.addProperty("network", e.networkName());
        }
        Map<String, JsonElement> schedules = new LinkedHashMap<>();
        JsonObject tables = new JsonObject();
        JsonArray arms = new JsonArray();
        for (Arm a : e.arms()) {
            JsonObject cfg = e.trainConfig(a).toJsonObject();
            JsonObject pyramid = cfg.getAsJsonObject("pyramid").deepCopy();
            JsonElement schedule = pyramid.remove("schedule");
            String id = idFor(schedule, schedules);
            pyramid.addProperty("schedule", id);
            JsonObject report = cfg.has("scheduleTable") ? cfg.getAsJsonObject("scheduleTable") : e.scheduleTables().get(id);
            if (report != null) {
                tables.add(id, report);
            }
            JsonObject arm = new JsonObject();
            arm.addProperty("name", a.name());
            arm.add("pyramid", pyramid);
            arm.add("coupling", cfg.get("coupling"));
            arm.add("stageDraw", cfg.get("stageDraw"));
            for (String option : new String[] {"timeDraw", "lossWeights"}) { // only where not the paper's
                if (cfg.has(option)) {
                    arm.add(option, cfg.get(option));
                }
            }
            arm.add("stepsPerStage", new Gson().toJsonTree(a.stepsPerStage()));
            arm.addProperty("jumpRule", a.jumpRule().name());
            arms.add(arm);
        }
        JsonObject sched = new JsonObject();
        schedules.forEach(sched::add);
        o.add("schedules", sched);
        o.add("scheduleTables", tables);
        o.add("arms", arms);
        JsonObject budget = new JsonObject();
        budget.add("steps", e.budget().steps() == Long.MAX_VALUE ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(e.budget().steps()));
        budget.add("seconds", Double.isInfinite(e.budget().seconds()) ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(e.budget().seconds()));
        o.add("budget", budget);
        o.addProperty("evalPoints", e.evalPoints());
        o.addProperty("evalClips", e.evalClips());
        o.addProperty("sampleClips", e.sampleClips());
        if (e.samplingCalls() != 1) {
            o.addProperty("samplingCalls", e.samplingCalls());
        }
        o.addProperty("prediction", e.prediction().name());
        o.addProperty("batchSize", e.batchSize());
        o.addProperty("learningRate", e.learningRate());
        o.addProperty("emaDecay", e.emaDecay());
        o.addProperty("seed", e.seed());
        o.addProperty("solver", e.solver());
        return o;
    }

    /** The id of a schedule JSON: its name (or type), with "-2", "-3", ... when another schedule has that name. */
    private static String idFor(JsonElement schedule, Map<String, JsonElement> schedules) {
        for (Map.Entry<String, JsonElement> x : schedules.entrySet()) {
            if (x.getValue().equals(schedule)) {
                return x.getKey();
            }
        }
        JsonObject s = schedule.getAsJsonObject();
        String base = s.has("name") ? s.get("name").getAsString() : s.get("type").getAsString();
        String id = base;
        for (int i = 2; schedules.containsKey(id); i++) {
            id = base + "-" + i;
        }
        schedules.put(id, schedule);
        return id;
    }

    /**
     * The document with a data set recorded by an older version in the form {@code Object.toString()} gives (class
     * name, {@code @}, an identity hash that changes with every process; written before data sets described their
     * settings) read as what it records: the class alone. Such a document names nothing but the class and the clip
     * shape of its data set, so it is read with a data set of that class and shape, as the version that wrote it read
     * it, and its description becomes the given data set's. Any other document is returned as it is.
     */
    static JsonElement withIdentityHashDescriptionRead(JsonElement root, VideoDataset data) {
        if (data == null || root == null || !root.isJsonObject() || !root.getAsJsonObject().has("data")
                || !root.getAsJsonObject().get("data").isJsonObject()) {
            return root;
        }
        JsonObject set = root.getAsJsonObject().getAsJsonObject("data");
        String cls = string(set.get("class")), description = string(set.get("description"));
        if (cls == null || description == null || !cls.equals(data.getClass().getName())
                || !description.matches(java.util.regex.Pattern.quote(cls) + "@[0-9a-f]{1,8}")) {
            return root;
        }
        JsonObject copy = root.getAsJsonObject().deepCopy();
        copy.getAsJsonObject("data").addProperty("description", tpdiff4j.train.RecordedName.of(data));
        return copy;
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /** The top-level fields {@link #write} always writes. */
    private static final List<String> FIELDS = List.of("format", "version", "data", "model", "schedules",
            "scheduleTables", "arms", "budget", "evalPoints", "evalClips", "sampleClips", "prediction", "batchSize",
            "learningRate", "emaDecay", "seed", "solver");

    /**
     * Reads {@link #write}; a damaged document fails with an IllegalArgumentException that names the missing field,
     * the unknown value and what is allowed, or the field whose form is wrong.
     */
    static Experiment read(JsonObject o, VideoDataset data, NoiseCoupling... own) {
        if (o == null || !o.has("format") || !o.get("format").isJsonPrimitive()
                || !Experiment.FORMAT.equals(o.get("format").getAsString())) {
            throw new IllegalArgumentException("experiment JSON: field 'format' = "
                    + (o == null ? "none" : o.get("format")) + "; allowed: \"" + Experiment.FORMAT + "\" (the document Experiment.toJson writes)");
        }
        for (String f : FIELDS) {
            StrictJson.field(o, f, "experiment JSON", "a document with the fields " + FIELDS + ", each as"
                    + " Experiment.toJson writes it");
        }
        if (o.has("samplingCalls")) {
            StrictJson.field(o, "samplingCalls", "experiment JSON", "the calls of each sampler whose median time the"
                    + " table shows, a whole number >= 1, or no key \"samplingCalls\" for one call");
        }
        if (o.has("network")) {
            StrictJson.field(o, "network", "experiment JSON", "the name of one's own network, as Experiment.toJson"
                    + " writes it, or no key \"network\" for the library's network");
        }
        try {
            return readFields(o, data, own);
        } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException
                | NumberFormatException | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException("experiment JSON: a field is missing or has the wrong form (" + e + ")",
                    e);
        }
    }

    /**
     * The model as Gson reads it, not through {@link ModelConfig#fromJson}: the whole document's form is checked
     * afterwards ({@code StrictJson.requireWrittenAsRead}), which names a wrong model field by its path
     * ({@code model.seed}).
     */
    private static ModelConfig model(JsonElement e) {
        try {
            return new Gson().fromJson(e, ModelConfig.class);
        } catch (RuntimeException x) {
            if (x.getCause() instanceof IllegalArgumentException refused) { // the constructor's check, wrapped by Gson
                throw new IllegalArgumentException("experiment JSON: model: " + refused.getMessage(), refused);
            }
            throw x;
        }
    }

    /** {@code Enum.valueOf} with a message that names the field and the allowed values. */
    private static <E extends Enum<E>> E constant(Class<E> type, JsonElement value, String field) {
        return tpdiff4j.schedule.StrictJson.constant("experiment JSON", type, value, field);
    }

    private static Experiment readFields(JsonObject o, VideoDataset data, NoiseCoupling... own) {
        if (o.get("version").getAsInt() != VERSION) {
            throw new IllegalArgumentException("experiment JSON: field 'version' = " + o.get("version") + "; allowed: " + VERSION
                    + " (the version this reader knows)");
        }
        JsonObject set = o.getAsJsonObject("data");
        VideoSpec spec = new Gson().fromJson(StrictJson.fieldIn(set, "data", "spec", WHAT, "the data set's clip shape,"
                + " {\"frames\", \"channels\", \"height\", \"width\"}, as Experiment.toJson writes it"), VideoSpec.class);
        String recorded = StrictJson.fieldIn(set, "data", "description", WHAT, "the data set's description (its"
                + " toString()), as Experiment.toJson writes it").getAsString();
        if (data == null || !data.spec().equals(spec)) {
            throw Refusals.refuse("data", data == null ? "null" : "a data set of spec " + data.spec(),
                    "a data set of spec " + spec + ", the data the experiment was run on (" + recorded + ")");
        }
        String given = tpdiff4j.train.RecordedName.of(data);
        if (!recorded.equals(given)) {
            throw Refusals.refuse("data", given, "the data set the experiment was run on, " + recorded
                    + " (the same clip shape with other clips would not be this experiment; a data set of one's own "
                    + "is recognised by its toString())");
        }
        ModelConfig model = model(o.get("model"));
        JsonObject schedules = o.getAsJsonObject("schedules");
        PredictionType prediction = constant(PredictionType.class, o.get("prediction"), "prediction");
        List<Arm> arms = new ArrayList<>();
        for (JsonElement el : o.getAsJsonArray("arms")) {
            String at = "arms[" + arms.size() + "]";
            if (el.isJsonNull()) {
                throw new IllegalArgumentException(WHAT + ": field '" + at + "' = " + StrictJson.excerpt("null")
                        + "; allowed: an arm object, as Experiment.toJson writes it");
            }
            JsonObject a = el.getAsJsonObject();
            StrictJson.fieldIn(a, at, "name", WHAT, "the arm's name, a string");
            StrictJson.fieldIn(a, at, "stepsPerStage", WHAT, "an array of sampling steps, one per stage");
            JsonObject pyramid = StrictJson.fieldIn(a, at, "pyramid", WHAT, "the arm's pyramid, as"
                    + " Experiment.toJson writes it").getAsJsonObject().deepCopy();
            String id = StrictJson.fieldIn(pyramid, at + ".pyramid", "schedule", WHAT, "one of the schedule ids "
                    + schedules.keySet()).getAsString();
            if (!schedules.has(id)) {
                throw new IllegalArgumentException("experiment JSON: field 'arms[" + arms.size() + "].pyramid.schedule' = '"
                        + id + "' (arm " + a.get("name") + "); allowed: one of the schedules " + schedules.keySet());
            }
            pyramid.add("schedule", schedules.get(id));
            JsonObject cfg = new JsonObject();
            cfg.addProperty("prediction", prediction.name());
            cfg.add("pyramid", pyramid);
            cfg.add("coupling", a.get("coupling"));
            cfg.add("stageDraw", a.get("stageDraw"));
            for (String option : new String[] {"timeDraw", "lossWeights"}) {
                if (a.has(option)) {
                    cfg.add(option, a.get(option));
                }
            }
            // their values, not their text: a top-level field in another form is named by the experiment's own check
            cfg.addProperty("batchSize", o.get("batchSize").getAsInt());
            cfg.addProperty("learningRate", o.get("learningRate").getAsDouble());
            cfg.addProperty("emaDecay", o.get("emaDecay").getAsDouble());
            cfg.addProperty("seed", o.get("seed").getAsLong());
            // optimizer settings the experiment does not vary: TrainConfig's defaults
            TrainConfig d = TrainConfig.flowMatching(1, spec.frames(), 0);
            cfg.addProperty("weightDecay", d.weightDecay());
            cfg.addProperty("beta1", d.beta1());
            cfg.addProperty("beta2", d.beta2());
            cfg.addProperty("clipNorm", d.clipNorm());
            TrainConfig c;
            try {
                c = TrainConfig.fromJsonObject(cfg, own);
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("experiment JSON: arms[" + arms.size() + "] (" + a.get("name") + "), as a"
                        + " training configuration: " + x.getMessage(), x);
            }
            arms.add(new Arm(a.get("name").getAsString(), c.pyramid(), c.coupling(), c.stageDraw(),
                    new Gson().fromJson(a.get("stepsPerStage"), int[].class),
                    constant(JumpRule.class, a.get("jumpRule"), "arms[].jumpRule"), c.timeDraw(), c.lossWeights()));
        }
        JsonObject b = o.getAsJsonObject("budget");
        boolean noSteps = !b.has("steps") || b.get("steps").isJsonNull();
        boolean noSeconds = !b.has("seconds") || b.get("seconds").isJsonNull();
        Budget budget = new Budget(noSteps ? Long.MAX_VALUE : b.get("steps").getAsLong(),
                noSeconds ? Double.POSITIVE_INFINITY : b.get("seconds").getAsDouble());
        Map<String, JsonObject> tables = new LinkedHashMap<>();
        JsonObject reports = o.getAsJsonObject("scheduleTables");
        reports.keySet().forEach(id -> tables.put(id, StrictJson.fieldIn(reports, "scheduleTables", id, WHAT, "the"
                + " tabulation report of schedule '" + id + "', an object, as Experiment.toJson writes it").getAsJsonObject()));
        return new Experiment(data, model, arms, budget, o.get("evalPoints").getAsInt(), o.get("evalClips").getAsInt(),
                o.get("sampleClips").getAsInt(),
                // absent: written before the sampling time was a median, when each sampler was timed by one call
                o.has("samplingCalls") ? o.get("samplingCalls").getAsInt() : 1, prediction, o.get("batchSize").getAsInt(),
                o.get("learningRate").getAsDouble(), o.get("emaDecay").getAsDouble(), o.get("seed").getAsLong(),
                o.get("solver").getAsString(), true, tables, o.has("network") ? o.get("network").getAsString() : null, null);
    }
}
