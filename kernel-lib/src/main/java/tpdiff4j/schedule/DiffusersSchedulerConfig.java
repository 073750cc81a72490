package tpdiff4j.schedule;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * back with its own values.
 * <ul>
 *   <li>Schedule: {@code trained_betas} (the betas themselves) or {@code beta_schedule} = {@code linear}
 *       ({@link Schedules#linear}), {@code scaled_linear} ({@link Schedules#scaledLinear}), {@code squaredcos_cap_v2}
 *       ({@link Schedules#cosine}), with {@code beta_start}, {@code beta_end}, {@code num_train_timesteps}. Flow
 *       matching: {@link Schedules#flowMatching(double)} with {@code shift} (the SD3 shift
 *       {@code sigma -> s sigma / (1 + (s - 1) sigma)}); a uniform grid in this library's t then gives diffusers'
 *       shifted sigmas. diffusers computes the betas in float32, this library in float64: alpha-bar agrees to about
 *       1e-7 relative.</li>
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
 *       DDPM step uses it; the schedule, grid and deterministic sampler do not) and PNDM's {@code skip_prk_steps}.</li>
 *   <li>Rejected with a message, because they change the math and this library does not do them:
 *       {@code clip_sample = true} (diffusers' default for DDPM and DDIM: pass false, as latent-diffusion configs do),
 *       {@code thresholding = true}, {@code rescale_betas_zero_snr = true}, {@code use_karras_sigmas},
 *       {@code use_exponential_sigmas}, {@code use_beta_sigmas}, {@code interpolation_type = log_linear},
 *       {@code timestep_type = continuous}, {@code use_dynamic_shifting = true} (the shift depends on the image size:
 *       pass the fixed {@code shift} you sample with), {@code invert_sigmas}, {@code shift_terminal},
 *       {@code stochastic_sampling}, and every key this reader does not know.</li>
 * </ul>
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
 * @param ignoredKeys the keys present in the file that were ignored (see above), sorted
 */
public record DiffusersSchedulerConfig(String className, NoiseSchedule schedule, int trainTimesteps,
        String predictionType, String timestepSpacing, int stepsOffset, boolean finalStepToCleanData,
        List<String> ignoredKeys) {

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

    /** Validates the values and freezes the ignored-key list. */
    public DiffusersSchedulerConfig {
        if (!CLASSES.contains(className)) {
            throw Refusals.refuse("className", className, "one of " + CLASSES);
        }
        if (schedule == null || trainTimesteps < 1) {
            throw new IllegalArgumentException("schedule = " + schedule + ", trainTimesteps = " + trainTimesteps
                    + "; allowed: a schedule and trainTimesteps >= 1");
        }
        boolean flow = className.equals("FlowMatchEulerDiscreteScheduler");
        List<String> types = flow ? List.of(FLOW) : List.of("epsilon", "sample", "v_prediction");
        if (!types.contains(predictionType)) {
            throw new IllegalArgumentException("predictionType = " + predictionType + " for " + className
                    + "; allowed: one of " + types);
        }
        if (!List.of("leading", "trailing", "linspace").contains(timestepSpacing)) {
            throw Refusals.refuse("timestepSpacing", timestepSpacing, "leading, trailing or linspace");
        }
        if (flow != schedule instanceof FlowMatchingSchedule || !(flow || schedule instanceof BetaSchedule
                || schedule instanceof CosineBetaSchedule || schedule instanceof TrainedBetasSchedule)) {
            throw new IllegalArgumentException("schedule '" + schedule.name() + "' does not fit " + className
                    + "; allowed: flow matching for FlowMatchEulerDiscreteScheduler, a discrete schedule of"
                    + " Schedules.linear, scaledLinear, cosine or betas otherwise");
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
        ignoredKeys = List.copyOf(ignoredKeys);
    }

    /**
     * This configuration as a diffusers {@code scheduler_config.json} (pretty-printed, full double precision) that
     * {@link #parse} reads back with the same values (equal to this configuration when it has no ignored keys): the
     * class, {@code num_train_timesteps}, the schedule's keys as {@link Schedules#toDiffusersConfig} writes them, and
     * the grid and output keys ({@code prediction_type}, {@code timestep_spacing}, {@code steps_offset},
     * {@code set_alpha_to_one} or {@code final_sigmas_type}, {@code clip_sample = false}) with this configuration's
     * values. A file read and written back keeps the values
     * this library reads, such as a flow-matching file's own {@code num_train_timesteps}, which the schedule alone
     * does not hold.
     *
     * <p>The keys listed in {@link #ignoredKeys()} are not written: they change nothing this library computes, and
     * the record keeps their names, not their values. A file that has such keys (diffusers' metadata, DDPM's
     * {@code variance_type} for its stochastic step, the dynamic-shift keys of a fixed shift) loses them here;
     * copy them over from the original file where diffusers should still see them.
     */
    public String toJson() {
        JsonObject o = DiffusersExport.object(schedule);
        o.addProperty("_class_name", className);
        o.addProperty("num_train_timesteps", trainTimesteps);
        if (className.equals("FlowMatchEulerDiscreteScheduler")) {
            return DiffusersExport.write(o);
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
        return DiffusersExport.write(o);
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

    /** Reads the keys of one config and remembers which ones it used or ignored. */
    private static final class Reader {
        private final JsonObject o;
        private final String cls;
        private final Set<String> ignored = new TreeSet<>();

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
                if (k.startsWith("_")) {
                    if (!k.equals("_class_name")) {
                        ignored.add(k);
                    }
                } else if (!known.contains(k)) {
                    throw new IllegalArgumentException("key \"" + k + "\" = " + o.get(k) + "; allowed: the keys " + known
                            + " (and metadata keys starting with _): it is not a known " + cls + " key, so it may change"
                            + " the noise levels or the sampler");
                }
            }
        }

        String className() {
            return cls;
        }

        DiffusersSchedulerConfig discrete(String c) {
            int n = integer("num_train_timesteps", 1000);
            NoiseSchedule s = betaSchedule(n);
            String pred = choice("prediction_type", "epsilon", "epsilon", "sample", "v_prediction");
            boolean euler = c.equals("EulerDiscreteScheduler");
            String spacing = choice("timestep_spacing", euler ? "linspace" : "leading", "leading", "trailing", "linspace");
            int offset = integer("steps_offset", 0);
            refuse("rescale_betas_zero_snr", false, "rescales the betas to zero terminal SNR");
            ignoreIfPresent("skip_prk_steps");
            boolean toClean;
            if (euler) {
                for (String k : List.of("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas")) {
                    refuse(k, false, "replaces the timestep spacing by another sigma grid");
                }
                ignoreIfPresent("sigma_min");
                ignoreIfPresent("sigma_max");
                choice("interpolation_type", "linear", "linear");
                choice("timestep_type", "discrete", "discrete");
                toClean = choice("final_sigmas_type", "zero", "zero", "sigma_min").equals("zero");
            } else {
                refuse("clip_sample", true, "clips the x0 prediction to [-clip_sample_range, clip_sample_range] in every"
                        + " step", "true is diffusers' default when the key is absent; latent-diffusion configs such as"
                        + " Stable Diffusion's set false");
                refuse("thresholding", false, "applies dynamic thresholding to the x0 prediction");
                ignoreIfPresent("clip_sample_range");
                ignoreIfPresent("dynamic_thresholding_ratio");
                ignoreIfPresent("sample_max_value");
                if (c.equals("DDPMScheduler")) {
                    ignoreIfPresent("variance_type");
                    toClean = true;
                } else {
                    toClean = bool("set_alpha_to_one", true);
                }
            }
            return new DiffusersSchedulerConfig(c, s, n, pred, spacing, offset, toClean, List.copyOf(ignored));
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
                for (String k : List.of("beta_start", "beta_end", "beta_schedule")) {
                    ignoreIfPresent(k);
                }
                return Schedules.betas(betas);
            }
            String kind = choice("beta_schedule", "linear", "linear", "scaled_linear", "squaredcos_cap_v2");
            if (kind.equals("squaredcos_cap_v2")) {
                ignoreIfPresent("beta_start");
                ignoreIfPresent("beta_end");
                return Schedules.cosine(n);
            }
            double b0 = number("beta_start", 0.0001);
            double b1 = number("beta_end", 0.02);
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
            for (String k : List.of("base_shift", "max_shift", "base_image_seq_len", "max_image_seq_len",
                    "time_shift_type")) {
                ignoreIfPresent(k);
            }
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
            return new DiffusersSchedulerConfig(cls, Schedules.flowMatching(shift), n, FLOW, "linspace", 0, false,
                    List.copyOf(ignored));
        }

        private void ignoreIfPresent(String key) {
            if (o.has(key)) {
                ignored.add(key);
            }
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
