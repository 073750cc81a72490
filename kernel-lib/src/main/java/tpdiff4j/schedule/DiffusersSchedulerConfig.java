package tpdiff4j.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tpdiff4j.Refusals;

/**
 * A diffusers {@code scheduler_config.json}, read and checked: the schedule it defines and the values the time grid
 * and the model's output depend on. {@link Schedules#fromDiffusersConfig} returns its {@link #schedule()};
 * {@code tpdiff4j.ode.DiffusersConfig} adds the prediction type and the time grid.
 *
 * <p>Accepted classes ({@code _class_name}): {@code DDPMScheduler}, {@code DDIMScheduler},
 * {@code EulerDiscreteScheduler} (variance preserving, discrete betas) and {@code FlowMatchEulerDiscreteScheduler}.
 * Missing keys take diffusers' defaults for that class; a key written as {@code null} is refused by name (diffusers
 * would pass None on, which for these keys is not the default), except where diffusers' default is None itself
 * ({@code trained_betas}, {@code shift_terminal}) or the key is ignored. {@link #toJson()} writes the configuration
 * back with its own values and every other key the file had ({@link #keptKeys()}).
 * <ul>
 *   <li>Schedule: {@code trained_betas} (the betas themselves) or {@code beta_schedule} = {@code linear}
 *       ({@link Schedules#linear}), {@code scaled_linear} ({@link Schedules#scaledLinear}), {@code squaredcos_cap_v2}
 *       ({@link Schedules#cosine}), with {@code beta_start}, {@code beta_end}, {@code num_train_timesteps}. Flow
 *       matching: {@link Schedules#flowMatching(double)} with {@code shift} (the SD3 shift
 *       {@code sigma -> s sigma / (1 + (s - 1) sigma)}); a uniform grid in this library's t then gives diffusers'
 *       shifted sigmas. diffusers holds the betas and {@code 1 - beta} in float32, this library in float64: each
 *       {@code 1 - beta} is rounded by up to 3e-8, and along the product diffusers' alpha-bar drifts from this
 *       library's by up to about 1e-6 relative for linear and scaled_linear betas (Stable Diffusion 1.5: 9e-7) and
 *       1e-5 for squaredcos_cap_v2 (its last betas sit at the 0.999 cap, where {@code 1 - beta = 0.001}); near the clean
 *       end diffusers' {@code 1 - alphaBar} is off by about 3e-8 / beta_0 relative (3e-4 for beta_0 = 1e-4)
 *       ({@code DiffusersFloat32Test}).</li>
 *   <li>Grid and output: {@code prediction_type}, {@code timestep_spacing} (leading, trailing, linspace),
 *       {@code steps_offset} (added by leading spacing only, as in diffusers), {@code set_alpha_to_one},
 *       {@code final_sigmas_type}.</li>
 *   <li>Ignored, listed in {@link #ignoredKeys()}: metadata ({@code _diffusers_version} and every key starting with
 *       {@code _}), keys that only act together with a feature that is off ({@code clip_sample_range} without
 *       clipping, {@code dynamic_thresholding_ratio} and {@code sample_max_value} without thresholding,
 *       {@code base_shift}, {@code max_shift}, {@code base_image_seq_len}, {@code max_image_seq_len},
 *       {@code time_shift_type} without dynamic shifting, {@code sigma_min} and {@code sigma_max} without Karras,
 *       exponential or beta sigmas), {@code beta_start}/{@code beta_end}/{@code beta_schedule} where
 *       {@code trained_betas} or the cosine schedule makes them unused, {@code variance_type} (only the stochastic
 *       DDPM step uses it; the schedule, grid and deterministic sampler do not), PNDM's {@code skip_prk_steps}, and
 *       the keys of the other three classes, which diffusers ignores for this class as well (Stable Diffusion XL's
 *       {@code EulerDiscreteScheduler} file carries DDIM's {@code clip_sample}, {@code set_alpha_to_one} and
 *       {@code sample_max_value}, inherited from an older config).</li>
 *   <li>Rejected with a message, because they change the math and this library does not do them:
 *       {@code clip_sample = true} (diffusers' default for DDPM and DDIM: pass false, as latent-diffusion configs do),
 *       {@code thresholding = true}, {@code rescale_betas_zero_snr = true}, {@code use_karras_sigmas},
 *       {@code use_exponential_sigmas}, {@code use_beta_sigmas}, {@code interpolation_type = log_linear},
 *       {@code timestep_type = continuous}, {@code use_dynamic_shifting = true} (the shift depends on the image size:
 *       pass the fixed {@code shift} you sample with), {@code invert_sigmas}, {@code shift_terminal},
 *       {@code stochastic_sampling}, and every key that is not a key of any of the four classes (a misspelt key
 *       might have been meant to change the noise levels or the sampler).</li>
 * </ul>
 *
 * <p><b>Kept keys.</b> A key of the file that this library does not write from its own values is kept with its JSON
 * value, verbatim, and {@link #toJson()} writes it back: the ignored keys above (with whatever value they had, arrays
 * and objects included) and the switches of features this library does not do, given as off
 * ({@code thresholding = false}, {@code rescale_betas_zero_snr = false}, {@code interpolation_type = linear},
 * {@code shift_terminal = null}, ...). Reading a file and writing it back therefore keeps every key it had; the keys
 * this library uses are written with the values it computes from. One exception: diffusers' metadata key
 * {@code _use_default_values} lists keys whose written values diffusers replaces by its own defaults when it loads the
 * file; the keys this library writes itself are taken out of that list (the key stays), so that diffusers uses the
 * values written, which are the values this library computes from.
 *
 * <p>A configuration derived from another with {@link #withClassName} or {@link #withSchedule} keeps only the kept
 * keys that still belong to it:
 * <ul>
 *   <li>metadata keys (starting with {@code _}) stay, except {@code _tpdiff4j_discretised}, which describes the old
 *       schedule, when the schedule changes; {@code _use_default_values} loses the keys the new configuration
 *       writes;</li>
 *   <li>a key of the old class that is not a key of the new class is dropped (DDPM's {@code variance_type} when the
 *       class becomes {@code DDIMScheduler}, {@code clip_sample_range} when it becomes
 *       {@code EulerDiscreteScheduler});</li>
 *   <li>a key the new configuration writes itself is dropped (its own value is written instead);</li>
 *   <li>when the schedule changes, {@code beta_start}, {@code beta_end} and {@code beta_schedule} of the old file are
 *       dropped: they described the old schedule.</li>
 * </ul>
 * The constructor refuses a kept key that is not a key of any of the four classes (metadata aside), a key the
 * configuration writes
 * itself, a switch that is on, and a {@code _use_default_values} that names keys the configuration writes, so that
 * {@link #toJson()} never writes a key that contradicts the configuration.
 *
 * @param className the diffusers class
 * @param schedule the noise schedule
 * @param trainTimesteps diffusers' {@code num_train_timesteps} N
 * @param predictionType diffusers' {@code prediction_type} (epsilon, sample, v_prediction); {@code "flow"} for
 *                       {@code FlowMatchEulerDiscreteScheduler}, whose models output {@code noise - sample}
 * @param timestepSpacing leading, trailing or linspace (flow matching: linspace, in sigma)
 * @param stepsOffset {@code steps_offset}
 * @param finalStepToCleanData whether diffusers' last update goes to clean data ({@code alpha_bar = 1}, sigma = 0),
 *                             past this schedule's t = 0 where {@code alpha_bar_0 < 1}: DDPM always, DDIM with
 *                             {@code set_alpha_to_one = true}, Euler with {@code final_sigmas_type = zero}. The time
 *                             grid still ends at t = 0; diffusers' result is then the model's x0 prediction at the last
 *                             grid time before 0.
 * @param keptKeys the keys of the file that {@link #toJson()} writes back as they were (see above), each with its
 *                 JSON value as text, sorted by key; values are compared as compact JSON text, so {@code 1} and
 *                 {@code 1.0} differ
 */
public record DiffusersSchedulerConfig(String className, NoiseSchedule schedule, int trainTimesteps,
        String predictionType, String timestepSpacing, int stepsOffset, boolean finalStepToCleanData,
        Map<String, String> keptKeys) {

    /** The accepted {@code _class_name} values. */
    public static final List<String> CLASSES = List.of("DDPMScheduler", "DDIMScheduler", "EulerDiscreteScheduler",
            "FlowMatchEulerDiscreteScheduler");
    /** {@link #predictionType()} of flow-matching configs. */
    public static final String FLOW = "flow";

    private static final List<String> VP_KEYS = List.of("num_train_timesteps", "beta_start", "beta_end",
            "beta_schedule", "trained_betas", "prediction_type", "timestep_spacing", "steps_offset",
            "rescale_betas_zero_snr", "skip_prk_steps");
    private static final Map<String, List<String>> CLASS_KEYS = Map.of(
            "DDPMScheduler", List.of("variance_type", "clip_sample", "clip_sample_range", "thresholding",
                    "dynamic_thresholding_ratio", "sample_max_value"),
            "DDIMScheduler", List.of("clip_sample", "clip_sample_range", "set_alpha_to_one", "thresholding",
                    "dynamic_thresholding_ratio", "sample_max_value"),
            "EulerDiscreteScheduler", List.of("interpolation_type", "use_karras_sigmas", "use_exponential_sigmas",
                    "use_beta_sigmas", "sigma_min", "sigma_max", "timestep_type", "final_sigmas_type"),
            "FlowMatchEulerDiscreteScheduler", List.of("num_train_timesteps", "shift", "use_dynamic_shifting",
                    "base_shift", "max_shift", "base_image_seq_len", "max_image_seq_len", "invert_sigmas",
                    "shift_terminal", "use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas",
                    "time_shift_type", "stochastic_sampling"));
    /**
     * Keys read only to refuse a feature this library does not do, with the one value it accepts (the feature off).
     * {@code clip_sample} and {@code use_dynamic_shifting} are written by {@link #toJson()} and never kept.
     */
    private static final Map<String, JsonElement> SWITCHES = Map.of(
            "thresholding", new JsonPrimitive(false), "rescale_betas_zero_snr", new JsonPrimitive(false),
            "use_karras_sigmas", new JsonPrimitive(false), "use_exponential_sigmas", new JsonPrimitive(false),
            "use_beta_sigmas", new JsonPrimitive(false), "interpolation_type", new JsonPrimitive("linear"),
            "timestep_type", new JsonPrimitive("discrete"), "invert_sigmas", new JsonPrimitive(false),
            "stochastic_sampling", new JsonPrimitive(false), "shift_terminal", JsonNull.INSTANCE);
    /** Kept keys that describe the schedule of the file they came from. */
    private static final List<String> SCHEDULE_KEYS = List.of("beta_start", "beta_end", "beta_schedule",
            "_tpdiff4j_discretised");
    /** diffusers' list of keys whose written values it replaces by its defaults when it loads a file. */
    private static final String USE_DEFAULTS = "_use_default_values";
    /**
     * The keys of the four classes that a file of another class may carry: diffusers ignores them for that class,
     * and so does this library. Not {@code prediction_type}: a flow-matching file that names one says its model
     * predicts something else than the velocity, which no setting of this scheduler changes.
     */
    private static final Set<String> OTHER_CLASS_KEYS;

    static {
        Set<String> all = new TreeSet<>(VP_KEYS);
        CLASS_KEYS.values().forEach(all::addAll);
        all.remove("prediction_type");
        OTHER_CLASS_KEYS = Collections.unmodifiableSet(all);
    }

    /** Whether {@code key} is one of the keys of class {@code cls} (not metadata, not another class's key). */
    private static boolean ownKey(String key, String cls) {
        return CLASS_KEYS.get(cls).contains(key) || !cls.equals("FlowMatchEulerDiscreteScheduler") && VP_KEYS.contains(key);
    }

    /** A configuration without kept keys, as a file that has only the keys this library writes. */
    public DiffusersSchedulerConfig(String className, NoiseSchedule schedule, int trainTimesteps, String predictionType,
            String timestepSpacing, int stepsOffset, boolean finalStepToCleanData) {
        this(className, schedule, trainTimesteps, predictionType, timestepSpacing, stepsOffset, finalStepToCleanData,
                Map.of());
    }

    /** Validates the values and the kept keys, and freezes the kept keys, sorted, as compact JSON text. */
    public DiffusersSchedulerConfig {
        if (!CLASSES.contains(className)) {
            throw Refusals.refuse("className", className, "one of " + CLASSES);
        }
        if (schedule == null || trainTimesteps < 1) {
            throw new IllegalArgumentException("schedule = " + schedule + ", trainTimesteps = " + trainTimesteps
                    + "; allowed: a schedule and trainTimesteps >= 1");
        }
        boolean flow = className.equals("FlowMatchEulerDiscreteScheduler");
        if (flow != schedule instanceof FlowMatchingSchedule || !(flow || schedule instanceof BetaSchedule
                || schedule instanceof CosineBetaSchedule || schedule instanceof TrainedBetasSchedule)) {
            throw new IllegalArgumentException("schedule '" + schedule.name() + "' does not fit " + className
                    + "; allowed: flow matching for FlowMatchEulerDiscreteScheduler, a discrete schedule of"
                    + " Schedules.linear, scaledLinear, cosine or betas otherwise");
        }
        List<String> types = flow ? List.of(FLOW) : List.of("epsilon", "sample", "v_prediction");
        if (!types.contains(predictionType)) {
            throw new IllegalArgumentException("predictionType = " + predictionType + " for " + className
                    + "; allowed: one of " + types);
        }
        if (!List.of("leading", "trailing", "linspace").contains(timestepSpacing)) {
            throw Refusals.refuse("timestepSpacing", timestepSpacing, "leading, trailing or linspace");
        }
        if (!flow && ((DiscreteSchedule) schedule).steps() != trainTimesteps) {
            throw new IllegalArgumentException("trainTimesteps = " + trainTimesteps + " with schedule '"
                    + schedule.name() + "' of " + ((DiscreteSchedule) schedule).steps() + " steps; allowed: the"
                    + " schedule's number of steps (one beta per training timestep)");
        }
        if (flow && !(timestepSpacing.equals("linspace") && stepsOffset == 0 && !finalStepToCleanData)) {
            throw new IllegalArgumentException("timestepSpacing = " + timestepSpacing + ", stepsOffset = " + stepsOffset
                    + ", finalStepToCleanData = " + finalStepToCleanData + " for " + className + "; allowed: linspace,"
                    + " 0 and false (its grid is linear in sigma and ends at sigma = 0)");
        }
        if (className.equals("DDPMScheduler") && !finalStepToCleanData) {
            throw Refusals.refuse("finalStepToCleanData", false, "true for DDPMScheduler (its last update always goes"
                    + " to alpha_bar = 1)");
        }
        keptKeys = checkedKeptKeys(keptKeys, className, base(className, schedule, trainTimesteps, predictionType,
                timestepSpacing, stepsOffset, finalStepToCleanData));
    }

    /**
     * The kept keys that this library ignores, sorted: {@link #keptKeys()} without the switches that are only
     * checked to be off (such as {@code thresholding = false}).
     */
    public List<String> ignoredKeys() {
        return keptKeys.keySet().stream().filter(k -> !SWITCHES.containsKey(k)).toList();
    }

    /**
     * This configuration as a diffusers {@code scheduler_config.json} (pretty-printed, full double precision) that
     * {@link #parse} reads back as an equal configuration: the class, the kept metadata keys, {@code num_train_timesteps},
     * the schedule's keys as {@link Schedules#toDiffusersConfig} writes them, the grid and output keys
     * ({@code prediction_type}, {@code timestep_spacing}, {@code steps_offset}, {@code set_alpha_to_one} or
     * {@code final_sigmas_type}, {@code clip_sample = false}) with this configuration's values, then the other
     * {@link #keptKeys()} with their values as read. A file read and written back keeps every key it had, and the
     * values this library reads, such as a flow-matching file's own {@code num_train_timesteps}, which the schedule
     * alone does not hold.
     */
    public String toJson() {
        JsonObject base = base(className, schedule, trainTimesteps, predictionType, timestepSpacing, stepsOffset,
                finalStepToCleanData);
        JsonObject o = new JsonObject();
        o.add("_class_name", base.remove("_class_name"));
        keptKeys.forEach((k, v) -> {
            if (k.startsWith("_")) {
                o.add(k, StrictJson.parse(v, k));
            }
        });
        base.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        keptKeys.forEach((k, v) -> {
            if (!k.startsWith("_")) {
                o.add(k, StrictJson.parse(v, k));
            }
        });
        return DiffusersExport.write(o);
    }

    /**
     * This configuration for another diffusers class of the same kind ({@code DDPMScheduler},
     * {@code DDIMScheduler} and {@code EulerDiscreteScheduler} share discrete schedules; flow matching has one class),
     * with the same schedule, prediction type, timestep spacing and offset. {@link #finalStepToCleanData()} stays,
     * except for {@code DDPMScheduler}, whose last update always goes to clean data (true). The kept keys that do not
     * belong to the new class are dropped (see the class comment), such as DDPM's {@code variance_type}.
     *
     * @throws IllegalArgumentException naming the class, for one not in {@link #CLASSES} or of the other kind
     */
    public DiffusersSchedulerConfig withClassName(String className) {
        if (!CLASSES.contains(className)) {
            throw Refusals.refuse("className", className, "one of " + CLASSES);
        }
        boolean flow = className.equals("FlowMatchEulerDiscreteScheduler");
        if (flow != (schedule instanceof FlowMatchingSchedule)) {
            throw new IllegalArgumentException("className = " + className + " for the schedule '" + schedule.name()
                    + "' of " + this.className + "; allowed: " + (flow ? "FlowMatchEulerDiscreteScheduler"
                    : "DDPMScheduler, DDIMScheduler or EulerDiscreteScheduler") + " (a flow-matching schedule has its"
                    + " own class; make a new configuration to change between the two kinds)");
        }
        return derived(className, schedule, trainTimesteps, className.equals("DDPMScheduler") || finalStepToCleanData,
                false);
    }

    /**
     * This configuration with another schedule of the same kind: a discrete schedule of {@link Schedules#linear},
     * {@link Schedules#scaledLinear}, {@link Schedules#cosine} or {@link Schedules#betas} for the discrete classes
     * ({@link #trainTimesteps()} becomes its number of steps), a flow-matching schedule for
     * {@code FlowMatchEulerDiscreteScheduler} ({@link #trainTimesteps()} stays). The kept keys that described the old
     * schedule ({@code beta_start}, {@code beta_end}, {@code beta_schedule}, {@code _tpdiff4j_discretised}) are
     * dropped; the others stay (see the class comment). The same schedule gives an equal configuration.
     *
     * @throws IllegalArgumentException naming the schedule, for null or one that does not fit the class
     */
    public DiffusersSchedulerConfig withSchedule(NoiseSchedule schedule) {
        Refusals.notNull(schedule, "schedule", "a schedule of Schedules.flowMatching, linear, scaledLinear, cosine or"
                + " betas");
        if (schedule.equals(this.schedule)) {
            return this;
        }
        int n = schedule instanceof DiscreteSchedule d && !(schedule instanceof FlowMatchingSchedule) ? d.steps()
                : trainTimesteps;
        return derived(className, schedule, n, finalStepToCleanData, true);
    }

    /** A configuration with the given values and the kept keys that belong to it (see the class comment). */
    private DiffusersSchedulerConfig derived(String cls, NoiseSchedule s, int n, boolean toClean,
            boolean newSchedule) {
        JsonObject base = base(cls, s, n, predictionType, timestepSpacing, stepsOffset, toClean);
        Map<String, String> kept = new LinkedHashMap<>();
        keptKeys.forEach((k, v) -> {
            if (!(newSchedule && SCHEDULE_KEYS.contains(k)) && (k.startsWith("_") || ownKey(k, cls))
                    && keepProblem(k, StrictJson.parse(v, k), cls, base) == null) {
                kept.put(k, k.equals(USE_DEFAULTS) ? withoutWritten(StrictJson.parse(v, k), base).toString() : v);
            }
        });
        return new DiffusersSchedulerConfig(cls, s, n, predictionType, timestepSpacing, stepsOffset, toClean, kept);
    }

    /** The keys this library writes from its own values, as {@link #toJson()} writes them (without kept keys). */
    private static JsonObject base(String className, NoiseSchedule schedule, int trainTimesteps,
            String predictionType, String timestepSpacing, int stepsOffset, boolean finalStepToCleanData) {
        JsonObject o = DiffusersExport.object(schedule);
        o.addProperty("_class_name", className);
        o.addProperty("num_train_timesteps", trainTimesteps);
        if (className.equals("FlowMatchEulerDiscreteScheduler")) {
            return o;
        }
        o.addProperty("prediction_type", predictionType);
        o.addProperty("timestep_spacing", timestepSpacing);
        o.addProperty("steps_offset", stepsOffset);
        switch (className) {
            case "DDIMScheduler" -> o.addProperty("set_alpha_to_one", finalStepToCleanData);
            case "DDPMScheduler" -> o.remove("set_alpha_to_one");   // not a DDPM key: its last update goes to clean data
            default -> {   // EulerDiscreteScheduler: neither key is its; the last sigma is 0 or sigma_min
                o.remove("set_alpha_to_one");
                o.remove("clip_sample");
                o.addProperty("final_sigmas_type", finalStepToCleanData ? "zero" : "sigma_min");
            }
        }
        return o;
    }

    /**
     * Why {@code key} with {@code value} cannot be kept by a configuration of class {@code cls} whose own keys are
     * {@code base}, or null when it can.
     */
    private static String keepProblem(String key, JsonElement value, String cls, JsonObject base) {
        if (base.has(key)) {
            return "this configuration writes \"" + key + "\" from its own values";
        }
        if (key.startsWith("_")) {
            return key.equals(USE_DEFAULTS) && !withoutWritten(value, base).equals(value)
                    ? "it names keys this configuration writes, whose written values diffusers would then replace by"
                    + " its defaults" : null;
        }
        if (!ownKey(key, cls)) { // another class's key: diffusers ignores it for this class, whatever its value
            return OTHER_CLASS_KEYS.contains(key) ? null : "it is not a key of " + cls + " or of the other classes " + CLASSES;
        }
        JsonElement off = SWITCHES.get(key);
        return off == null || off.equals(value) ? null : "it switches on a feature this library does not do (allowed: "
                + off + ")";
    }

    /** {@code _use_default_values} without the names of keys in {@code base}; other values unchanged. */
    private static JsonElement withoutWritten(JsonElement value, JsonObject base) {
        if (!value.isJsonArray()) {
            return value;
        }
        JsonArray kept = new JsonArray();
        for (JsonElement e : value.getAsJsonArray()) {
            if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && base.has(e.getAsString()))) {
                kept.add(e);
            }
        }
        return kept;
    }

    /** The kept keys checked against the configuration's own keys {@code base}, sorted, as compact JSON text. */
    private static Map<String, String> checkedKeptKeys(Map<String, String> keptKeys, String cls, JsonObject base) {
        Refusals.notNull(keptKeys, "keptKeys", "a map from key to JSON text (Map.of() for none)");
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : keptKeys.entrySet()) {
            String k = e.getKey();
            Refusals.notNull(k, "keptKeys key", "a key of a scheduler_config.json");
            String name = "keptKeys[\"" + k + "\"]";
            Refusals.notNull(e.getValue(), name, "a JSON text, such as \"null\" or \"\\\"fixed_small\\\"\"");
            JsonElement value = StrictJson.parse(e.getValue(), name);
            String problem = keepProblem(k, value, cls, base);
            if (problem != null) {
                throw new IllegalArgumentException(name + " = " + StrictJson.excerpt(value.toString()) + " for "
                        + cls + ": " + problem + "; allowed: metadata keys starting with _, the keys of " + cls
                        + " this library ignores, its switches of features it does not do, given as off, and the keys"
                        + " of the other classes (diffusers ignores them for " + cls + ")");
            }
            out.put(k, value.toString());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads a diffusers {@code scheduler_config.json} (standard JSON, as {@code json.dump} writes it: no comments, no
     * NaN, each key once).
     *
     * @throws IllegalArgumentException naming the key, its value and what is allowed, for a class, key or value this
     *                                  library cannot reproduce exactly; naming the key and where for a key given twice
     */
    public static DiffusersSchedulerConfig parse(String json) {
        Reader r = new Reader(json);
        String cls = r.className();
        return cls.equals("FlowMatchEulerDiscreteScheduler") ? r.flow() : r.discrete(cls);
    }

    /**
     * Reads the keys of one config. The keys it ignores (metadata, {@code variance_type}, ...) are not read here: every
     * key that the configuration does not write itself is kept with its value ({@link #kept}).
     */
    private static final class Reader {
        private final JsonObject o;
        private final String cls;

        Reader(String json) {
            Refusals.notNull(json, "json", "the text of a diffusers scheduler_config.json");
            // standard JSON only, as the library's other readers: a key given twice is refused (a lenient reader took
            // the last, so a hand-merged file could silently train on another schedule); NaN is never a valid value
            JsonElement e = StrictJson.parse(json, "scheduler_config.json");
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("json = " + abbreviate(json) + " is not a JSON object; allowed: a"
                        + " scheduler_config.json object with \"_class_name\"");
            }
            o = e.getAsJsonObject();
            DocumentKind.DIFFUSERS.require(o, "scheduler_config.json");
            JsonElement c = o.get("_class_name");
            if (c == null) {
                throw new IllegalArgumentException("_class_name is missing; allowed: one of " + CLASSES);
            }
            if (!c.isJsonPrimitive() || !((JsonPrimitive) c).isString()) {
                throw new IllegalArgumentException("_class_name = " + StrictJson.excerpt(c.toString()) + " is not a"
                        + " string; allowed: one of " + CLASSES);
            }
            cls = c.getAsString();
            if (!CLASSES.contains(cls)) {
                throw new IllegalArgumentException("_class_name = \"" + cls + "\" is not supported; allowed: one of "
                        + CLASSES + ". Schedulers with the same betas share a config (PNDMScheduler,"
                        + " LMSDiscreteScheduler, ... of Stable Diffusion): set _class_name to DDIMScheduler to import"
                        + " the schedule of such a file");
            }
            Set<String> known = new TreeSet<>(CLASS_KEYS.get(cls));
            if (!cls.startsWith("FlowMatch")) {
                known.addAll(VP_KEYS);
            }
            for (String k : o.keySet()) {
                if (!k.startsWith("_") && !known.contains(k) && !OTHER_CLASS_KEYS.contains(k)) {
                    throw new IllegalArgumentException("key \"" + k + "\" = " + o.get(k) + "; allowed: the keys " + known
                            + " (and metadata keys starting with _, and the keys of the other classes " + CLASSES
                            + ", which diffusers ignores for " + cls + "): it is not a known key, so it may be"
                            + " meant to change the noise levels or the sampler");
                }
            }
        }

        String className() {
            return cls;
        }

        DiffusersSchedulerConfig discrete(String c) {
            // checked here by the file's key names; the factories below would name their own parameters (n, b0, b1)
            int n = Checks.steps("num_train_timesteps", integer("num_train_timesteps", 1000));
            NoiseSchedule s = betaSchedule(n);
            String pred = choice("prediction_type", "epsilon", "epsilon", "sample", "v_prediction");
            boolean euler = c.equals("EulerDiscreteScheduler");
            String spacing = choice("timestep_spacing", euler ? "linspace" : "leading", "leading", "trailing", "linspace");
            int offset = integer("steps_offset", 0);
            refuse("rescale_betas_zero_snr", false, "rescales the betas to zero terminal SNR");
            boolean toClean;
            if (euler) {
                for (String k : List.of("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas")) {
                    refuse(k, false, "replaces the timestep spacing by another sigma grid");
                }
                // sigma_min and sigma_max act only with Karras, exponential or beta sigmas, refused above
                choice("interpolation_type", "linear", "linear");
                choice("timestep_type", "discrete", "discrete");
                toClean = choice("final_sigmas_type", "zero", "zero", "sigma_min").equals("zero");
            } else {
                refuse("clip_sample", true, "clips the x0 prediction to [-clip_sample_range, clip_sample_range] in every"
                        + " step", "true is diffusers' default when the key is absent; latent-diffusion configs such as"
                        + " Stable Diffusion's set false");
                refuse("thresholding", false, "applies dynamic thresholding to the x0 prediction");
                // clip_sample_range, dynamic_thresholding_ratio, sample_max_value: only with clipping or thresholding;
                // DDPM's variance_type: only its stochastic step
                if (c.equals("DDPMScheduler")) {
                    toClean = true;
                } else {
                    toClean = bool("set_alpha_to_one", true);
                }
            }
            return kept(new DiffusersSchedulerConfig(c, s, n, pred, spacing, offset, toClean));
        }

        private NoiseSchedule betaSchedule(int n) {
            JsonElement tb = o.get("trained_betas");
            if (tb != null && !tb.isJsonNull()) {
                double[] betas = ScheduleJson.numbers(o, "trained_betas", cls);
                if (betas.length != n) {   // diffusers' default N too: its grid would index past the betas
                    throw new IllegalArgumentException("trained_betas has " + betas.length + " values but"
                            + " num_train_timesteps = " + n + (o.has("num_train_timesteps") ? "" : " (diffusers' default)")
                            + "; allowed: one beta per training timestep (num_train_timesteps = " + betas.length + ")");
                }
                for (int i = 0; i < n; i++) {
                    Checks.beta("trained_betas[" + i + "]", betas[i]);
                }
                return Schedules.betas(betas);   // beta_start, beta_end, beta_schedule are unused
            }
            String kind = choice("beta_schedule", "linear", "linear", "scaled_linear", "squaredcos_cap_v2");
            if (kind.equals("squaredcos_cap_v2")) {
                return Schedules.cosine(n);   // beta_start, beta_end are unused
            }
            double b0 = Checks.beta("beta_start", number("beta_start", 0.0001));
            double b1 = Checks.beta("beta_end", number("beta_end", 0.02));
            return kind.equals("linear") ? Schedules.linear(b0, b1, n) : Schedules.scaledLinear(b0, b1, n);
        }

        DiffusersSchedulerConfig flow() {
            int n = integer("num_train_timesteps", 1000);
            if (n < 1) {
                throw new IllegalArgumentException("num_train_timesteps = " + n + " in " + cls + "; allowed: >= 1");
            }
            double shift = number("shift", 1.0);
            refuse("use_dynamic_shifting", false, "chooses the shift from the image size at sampling time (mu)",
                    "set it false and give the fixed shift you sample with in \"shift\"");
            // base_shift, max_shift, base_image_seq_len, max_image_seq_len, time_shift_type: only with dynamic shifting
            refuse("invert_sigmas", false, "runs sigma from 0 to 1");
            refuse("stochastic_sampling", false, "adds noise in every step");
            for (String k : List.of("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas")) {
                refuse(k, false, "replaces the linear sigma grid by another one");
            }
            JsonElement terminal = o.get("shift_terminal");
            if (terminal != null && !terminal.isJsonNull()) {
                throw new IllegalArgumentException("shift_terminal = " + terminal + " in " + cls + " stretches the"
                        + " sigmas to end at that value, which this library does not do; allowed: null or absent");
            }
            return kept(new DiffusersSchedulerConfig(cls, Schedules.flowMatching(shift), n, FLOW, "linspace", 0,
                    false));
        }

        /**
         * {@code c} with the keys of the file that it does not write itself, verbatim ({@code _use_default_values}
         * without the keys it writes). The checks above leave only ignored keys and switches that are off.
         */
        private DiffusersSchedulerConfig kept(DiffusersSchedulerConfig c) {
            JsonObject base = base(c.className, c.schedule, c.trainTimesteps, c.predictionType, c.timestepSpacing,
                    c.stepsOffset, c.finalStepToCleanData);
            Map<String, String> kept = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (!base.has(e.getKey())) {
                    JsonElement v = e.getKey().equals(USE_DEFAULTS) ? withoutWritten(e.getValue(), base) : e.getValue();
                    kept.put(e.getKey(), v.toString());
                }
            }
            return new DiffusersSchedulerConfig(c.className, c.schedule, c.trainTimesteps, c.predictionType,
                    c.timestepSpacing, c.stepsOffset, c.finalStepToCleanData, kept);
        }

        /** Rejects a boolean key that is true, given or by diffusers' default {@code dflt}. */
        private void refuse(String key, boolean dflt, String what) {
            refuse(key, dflt, what, null);
        }

        /** As {@link #refuse(String, boolean, String)}, with advice after what is allowed (null: none). */
        private void refuse(String key, boolean dflt, String what, String advice) {
            if (bool(key, dflt)) {
                throw new IllegalArgumentException(key + " = true" + (o.has(key) ? "" : " (diffusers' default)") + " in "
                        + cls + " " + what + ", which this library does not do; allowed: false"
                        + (advice == null ? "" : " (" + advice + ")"));
            }
        }

        /**
         * The value of a key that has a diffusers default other than None, or null when the key is absent. A key
         * written as null is refused, not read as absent: diffusers passes None on, which is not its default (a
         * null boolean reads as false there, a null number fails).
         */
        private JsonElement given(String key, String allowed, Object dflt) {
            JsonElement v = o.get(key);
            if (v != null) {
                StrictJson.field(o, key, "scheduler_config.json (" + cls + ")", allowed + ", or no key \"" + key
                        + "\" for diffusers' default " + dflt);
            }
            return v;
        }

        private boolean bool(String key, boolean dflt) {
            JsonElement v = given(key, "true or false", dflt);
            if (v == null) {
                return dflt;
            }
            if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isBoolean()) {
                throw new IllegalArgumentException(key + " = " + v + " in " + cls + " is not a boolean; allowed: true or false");
            }
            return v.getAsBoolean();
        }

        private double number(String key, double dflt) {
            return given(key, "a number", dflt) == null ? dflt : ScheduleJson.number(o, key, cls);
        }

        private int integer(String key, int dflt) {
            return given(key, "an integer", dflt) == null ? dflt : ScheduleJson.integer(o, key, cls);
        }

        private String choice(String key, String dflt, String... allowed) {
            JsonElement v = given(key, "one of " + List.of(allowed), "\"" + dflt + "\"");
            String s = v == null ? dflt : ScheduleJson.string(o, key, cls);
            if (!List.of(allowed).contains(s)) {
                throw new IllegalArgumentException(key + " = \"" + s + "\"" + (v == null ? " (diffusers' default)" : "")
                        + " in " + cls + " is not supported; allowed: " + List.of(allowed));
            }
            return s;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
