package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A diffusers {@code scheduler_config.json} read and written back keeps every value this library reads and every other
 * key verbatim, for every accepted class; a derived configuration keeps only the keys that belong to it; a key written
 * as null is refused by name instead of being read as absent.
 */
class DiffusersSchedulerConfigTest {

    /** One file of each accepted class, with values other than diffusers' defaults where the class has them. */
    static final List<String> FILES = List.of(
            "{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"num_train_timesteps\": 500, \"shift\": 3.0}",
            "{\"_class_name\": \"DDIMScheduler\", \"_diffusers_version\": \"0.6.0\", \"beta_end\": 0.012,"
                    + " \"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"clip_sample\": false,"
                    + " \"num_train_timesteps\": 1000, \"set_alpha_to_one\": false, \"skip_prk_steps\": true,"
                    + " \"steps_offset\": 1, \"trained_betas\": null, \"prediction_type\": \"v_prediction\"}",
            "{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"num_train_timesteps\": 4,"
                    + " \"trained_betas\": [0.01, 0.02, 0.03, 0.04], \"timestep_spacing\": \"trailing\"}",
            "{\"_class_name\": \"DDPMScheduler\", \"clip_sample\": false, \"beta_schedule\": \"squaredcos_cap_v2\","
                    + " \"num_train_timesteps\": 500, \"prediction_type\": \"sample\", \"timestep_spacing\": \"linspace\"}",
            "{\"_class_name\": \"EulerDiscreteScheduler\", \"beta_schedule\": \"linear\", \"beta_start\": 0.0002,"
                    + " \"beta_end\": 0.03, \"num_train_timesteps\": 700, \"timestep_spacing\": \"leading\","
                    + " \"steps_offset\": 1, \"final_sigmas_type\": \"sigma_min\", \"sigma_min\": null}");

    @Test
    void flowMatchingKeepsItsNumberOfTrainingTimesteps() {
        DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(FILES.get(0));
        assertEquals(500, c.trainTimesteps());
        JsonObject written = JsonParser.parseString(c.toJson()).getAsJsonObject();
        assertEquals(500, written.get("num_train_timesteps").getAsInt(), c.toJson());
        assertEquals(3.0, written.get("shift").getAsDouble(), c.toJson());
        assertEquals(c, DiffusersSchedulerConfig.parse(c.toJson()));
    }

    @Test
    void everyClassReadsBackWithTheSameValues() {
        for (String file : FILES) {
            DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(file);
            String written = c.toJson();
            DiffusersSchedulerConfig back = DiffusersSchedulerConfig.parse(written);
            assertEquals(c, back, written);
            assertEquals(c.hashCode(), back.hashCode(), written);
            assertEquals(written, back.toJson(), "written twice the same: " + file);
        }
    }

    @Test
    void theSchedulesOwnExportStillReadsBackAsTheSameSchedule() {
        for (NoiseSchedule s : List.of(Schedules.flowMatching(2.0), Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.cosine(300), Schedules.betas(0.01, 0.02, 0.03))) {
            DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(Schedules.toDiffusersConfig(s));
            assertEquals(s, c.schedule());
            assertEquals(c, DiffusersSchedulerConfig.parse(c.toJson()));
        }
    }

    private static void refused(String json, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffusersSchedulerConfig.parse(json));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void aKeyWrittenAsNullIsRefusedNotReadAsItsDefault() {
        refused("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"num_train_timesteps\": null}",
                "scheduler_config.json (FlowMatchEulerDiscreteScheduler): field 'num_train_timesteps' = 'null';"
                        + " allowed: an integer, or no key \"num_train_timesteps\" for diffusers' default 1000");
        refused("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift\": null}",
                "field 'shift' = 'null'; allowed: a number, or no key \"shift\" for diffusers' default 1.0");
        // diffusers reads a null set_alpha_to_one as false; read as the default true it moved the last step
        refused("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"set_alpha_to_one\": null}",
                "field 'set_alpha_to_one' = 'null'; allowed: true or false, or no key \"set_alpha_to_one\" for"
                        + " diffusers' default true");
        refused("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"timestep_spacing\": null}",
                "field 'timestep_spacing' = 'null'; allowed: one of [leading, trailing, linspace], or no key"
                        + " \"timestep_spacing\" for diffusers' default \"leading\"");
        refused("{\"_class_name\": null, \"shift\": 3.0}", "_class_name = 'null' is not a string; allowed: one of"
                + " [DDPMScheduler, DDIMScheduler, EulerDiscreteScheduler, FlowMatchEulerDiscreteScheduler]");
        refused("{\"shift\": 3.0}", "_class_name is missing; allowed: one of [DDPMScheduler,");
        // where diffusers' default is None, or the key is ignored, null is what the key means anyway
        DiffusersSchedulerConfig.parse("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift_terminal\": null}");
        DiffusersSchedulerConfig.parse("{\"_class_name\": \"EulerDiscreteScheduler\", \"sigma_max\": null,"
                + " \"trained_betas\": null}");
    }

    @Test
    void badBetasAndTimestepsAreRefusedByTheirKeyInTheFile() {
        // the message names the key of the scheduler_config.json, not a parameter of a Java factory (b0, b1, n, beta_1)
        String d = "{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, ";
        refused(d + "\"beta_start\": -0.1}", "beta_start = -0.1", "allowed: 0 < beta_start < 1");
        refused(d + "\"beta_schedule\": \"scaled_linear\", \"beta_end\": 1.5}", "beta_end = 1.5",
                "allowed: 0 < beta_end < 1");
        refused(d + "\"num_train_timesteps\": 1}", "num_train_timesteps = 1", "allowed: num_train_timesteps >= 2");
        refused("{\"_class_name\": \"EulerDiscreteScheduler\", \"num_train_timesteps\": 3,"
                + " \"trained_betas\": [0.01, 0.5, 1.0]}", "trained_betas[2] = 1.0", "allowed: 0 < trained_betas[2] < 1");
        refused(d + "\"num_train_timesteps\": 2, \"trained_betas\": [0.01, 0]}", "trained_betas[1] = 0.0");
        // unused by the cosine schedule, as in diffusers: not checked
        DiffusersSchedulerConfig.parse(d + "\"beta_schedule\": \"squaredcos_cap_v2\", \"beta_start\": -1}");
    }

    @Test
    void trainedBetasOfAnotherLengthThanTheDefaultTimestepsAreRefused() {
        refused("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"trained_betas\": [0.01, 0.02, 0.03]}",
                "trained_betas has 3 values but num_train_timesteps = 1000 (diffusers' default)",
                "allowed: one beta per training timestep (num_train_timesteps = 3)");
    }

    @Test
    void valuesNoFileCanHoldAreRefusedWhenMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig(
                "FlowMatchEulerDiscreteScheduler", Schedules.flowMatching(), 1000, DiffusersSchedulerConfig.FLOW,
                "leading", 0, false));
        assertTrue(e.getMessage().contains("timestepSpacing = leading") && e.getMessage().contains("allowed: linspace"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig("DDIMScheduler",
                Schedules.linear(1e-4, 0.02, 1000), 500, "epsilon", "leading", 0, true));
        assertTrue(e.getMessage().contains("trainTimesteps = 500") && e.getMessage().contains("1000 steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig("DDPMScheduler",
                Schedules.linear(1e-4, 0.02, 1000), 1000, "epsilon", "leading", 0, false));
        assertTrue(e.getMessage().startsWith("finalStepToCleanData = false; allowed: true for DDPMScheduler"),
                e.getMessage());
    }

    /** Files of each class with every key diffusers writes for it (values as diffusers writes them). */
    static final List<String> DIFFUSERS_FILES = List.of(
            """
            {"_class_name": "DDPMScheduler", "_diffusers_version": "0.27.2", "beta_end": 0.02,
             "beta_schedule": "linear", "beta_start": 0.0001, "clip_sample": false, "clip_sample_range": 1.0,
             "dynamic_thresholding_ratio": 0.995, "num_train_timesteps": 1000, "prediction_type": "epsilon",
             "rescale_betas_zero_snr": false, "sample_max_value": 1.0, "steps_offset": 0, "thresholding": false,
             "timestep_spacing": "leading", "trained_betas": null, "variance_type": "fixed_small"}""",
            """
            {"_class_name": "DDIMScheduler", "_diffusers_version": "0.8.0", "_name_or_path": "stabilityai/sd-2-1",
             "_use_default_values": ["rescale_betas_zero_snr", "sample_max_value"], "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false, "clip_sample_range": 1.0,
             "dynamic_thresholding_ratio": 0.995, "num_train_timesteps": 1000, "prediction_type": "v_prediction",
             "rescale_betas_zero_snr": false, "sample_max_value": 1.0, "set_alpha_to_one": false,
             "skip_prk_steps": true, "steps_offset": 1, "thresholding": false, "timestep_spacing": "leading",
             "trained_betas": null}""",
            """
            {"_class_name": "DDIMScheduler", "_diffusers_version": "0.31.0",
             "_notes": {"made by": "a fine-tune", "betas": [1e-04, 2.50E-2, null, true], "nested": {"k": "é <&> \\"q\\""}},
             "beta_end": 0.0200, "beta_schedule": "linear", "beta_start": 1e-4, "clip_sample": false,
             "num_train_timesteps": 4, "trained_betas": [0.01, 0.02, 0.03, 0.04], "set_alpha_to_one": true,
             "prediction_type": "sample", "timestep_spacing": "trailing", "steps_offset": 0}""",
            """
            {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "beta_start": 0.00085, "final_sigmas_type": "zero",
             "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
             "rescale_betas_zero_snr": false, "sigma_max": null, "sigma_min": null, "steps_offset": 1,
             "timestep_spacing": "leading", "timestep_type": "discrete", "trained_betas": null,
             "use_beta_sigmas": false, "use_exponential_sigmas": false, "use_karras_sigmas": false}""",
            """
            {"_class_name": "FlowMatchEulerDiscreteScheduler", "_diffusers_version": "0.32.0.dev0",
             "base_image_seq_len": 256, "base_shift": 0.5, "invert_sigmas": false, "max_image_seq_len": 4096,
             "max_shift": 1.15, "num_train_timesteps": 1000, "shift": 3.0, "shift_terminal": null,
             "stochastic_sampling": false, "time_shift_type": "exponential", "use_beta_sigmas": false,
             "use_dynamic_shifting": false, "use_exponential_sigmas": false, "use_karras_sigmas": false}""");

    private static JsonObject tree(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    @Test
    void diffusersFilesOfEveryClassKeepEveryKeyAndValue() {
        for (String file : DIFFUSERS_FILES) {
            DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(file);
            String written = c.toJson();
            JsonObject in = tree(file);
            JsonObject out = tree(written);
            // the same keys, and equal values: numbers compare by value, so the keys this library writes from its
            // own doubles (0.012, 1000, 3.0) match the file's text exactly when nothing was lost or changed
            assertEquals(in.keySet(), out.keySet(), written);
            assertEquals(in, out, written);
            // the kept keys are verbatim: the same JSON text, digits and all (1e-4, 0.0200 and 2.50E-2 stay)
            for (String k : c.keptKeys().keySet()) {
                assertEquals(in.get(k).toString(), out.get(k).toString(), k);
                assertEquals(in.get(k).toString(), c.keptKeys().get(k), k);
            }
            assertEquals(c, DiffusersSchedulerConfig.parse(written), written);
            assertEquals(written, DiffusersSchedulerConfig.parse(written).toJson(), "written twice the same");
        }
    }

    @Test
    void theKeptKeysAreTheIgnoredKeysAndTheSwitchesThatAreOff() {
        DiffusersSchedulerConfig ddpm = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(0));
        assertEquals(Set.of("_diffusers_version", "clip_sample_range", "dynamic_thresholding_ratio",
                "rescale_betas_zero_snr", "sample_max_value", "thresholding", "variance_type"), ddpm.keptKeys().keySet());
        assertEquals(List.of("_diffusers_version", "clip_sample_range", "dynamic_thresholding_ratio",
                "sample_max_value", "variance_type"), ddpm.ignoredKeys());
        assertEquals("\"fixed_small\"", ddpm.keptKeys().get("variance_type"));
        assertEquals("1.0", ddpm.keptKeys().get("clip_sample_range"));
        DiffusersSchedulerConfig trained = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(2));
        assertEquals(List.of("_diffusers_version", "_notes", "beta_end", "beta_schedule", "beta_start"),
                trained.ignoredKeys());
        assertEquals("0.0200", trained.keptKeys().get("beta_end"));
        DiffusersSchedulerConfig flow = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(4));
        assertEquals(List.of("_diffusers_version", "base_image_seq_len", "base_shift", "max_image_seq_len",
                "max_shift", "time_shift_type"), flow.ignoredKeys());
        assertEquals("null", flow.keptKeys().get("shift_terminal"));
        // a file with only the keys this library writes keeps nothing
        assertEquals(Map.of(), DiffusersSchedulerConfig.parse(Schedules.toDiffusersConfig(Schedules.cosine(50)))
                .keptKeys());
    }

    @Test
    void useDefaultValuesLosesTheKeysThisLibraryWritesAndKeepsTheOthers() {
        // diffusers replaces the values of the listed keys by its defaults when it loads the file: the values this
        // library writes must be read as written, so their names leave the list
        String file = "{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"timestep_spacing\": \"leading\","
                + " \"thresholding\": false, \"_use_default_values\": [\"timestep_spacing\", \"thresholding\","
                + " \"steps_offset\", \"prediction_type\"]}";
        DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(file);
        assertEquals("[\"thresholding\"]", c.keptKeys().get("_use_default_values"));
        JsonObject out = tree(c.toJson());
        assertEquals(JsonParser.parseString("[\"thresholding\"]"), out.get("_use_default_values"));
        JsonObject in = tree(file);
        in.remove("_use_default_values");
        out.remove("_use_default_values");
        for (String k : in.keySet()) {
            assertEquals(in.get(k), out.get(k), k);
        }
        // given directly, such a list is refused: the written values would be replaced by diffusers' defaults
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig(
                "DDIMScheduler", Schedules.cosine(10), 10, "epsilon", "trailing", 0, false,
                Map.of("_use_default_values", "[\"timestep_spacing\"]")));
        assertTrue(e.getMessage().startsWith("keptKeys[\"_use_default_values\"] = '[\"timestep_spacing\"]' for"
                + " DDIMScheduler: it names keys this configuration writes"), e.getMessage());
    }

    @Test
    void aClassChangeDropsTheKeysOfTheOldClass() {
        DiffusersSchedulerConfig ddpm = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(0));
        DiffusersSchedulerConfig ddim = ddpm.withClassName("DDIMScheduler");
        assertEquals("DDIMScheduler", ddim.className());
        assertEquals(ddpm.schedule(), ddim.schedule());
        assertTrue(ddim.finalStepToCleanData());
        JsonObject out = tree(ddim.toJson());
        assertFalse(out.has("variance_type"), out.toString());   // DDPM's stochastic step only
        JsonObject expected = tree(DIFFUSERS_FILES.get(0));
        expected.remove("variance_type");
        expected.addProperty("_class_name", "DDIMScheduler");
        expected.addProperty("set_alpha_to_one", true);
        assertEquals(expected, out);
        assertEquals(ddim, DiffusersSchedulerConfig.parse(ddim.toJson()));

        DiffusersSchedulerConfig euler = ddim.withClassName("EulerDiscreteScheduler");
        JsonObject e = tree(euler.toJson());
        // clipping and thresholding keys are not Euler's; clip_sample and set_alpha_to_one neither
        assertEquals(new TreeSet<>(List.of("_class_name", "_diffusers_version", "beta_end", "beta_schedule",
                "beta_start", "final_sigmas_type", "num_train_timesteps", "prediction_type", "rescale_betas_zero_snr",
                "steps_offset", "timestep_spacing", "trained_betas")), new TreeSet<>(e.keySet()));
        assertEquals("zero", e.get("final_sigmas_type").getAsString());
        assertEquals(euler, DiffusersSchedulerConfig.parse(euler.toJson()));

        DiffusersSchedulerConfig fromEuler = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(3))
                .withClassName("DDPMScheduler");
        assertEquals(List.of("_diffusers_version"), fromEuler.ignoredKeys());
        assertEquals(Set.of("_diffusers_version", "rescale_betas_zero_snr"), fromEuler.keptKeys().keySet());
        assertTrue(fromEuler.finalStepToCleanData());
        assertEquals(ddim, ddim.withClassName("DDIMScheduler"));

        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> ddim.withClassName("FlowMatchEulerDiscreteScheduler"));
        assertTrue(x.getMessage().startsWith("className = FlowMatchEulerDiscreteScheduler for the schedule"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> ddim.withClassName("PNDMScheduler"));
        assertTrue(x.getMessage().startsWith("className = PNDMScheduler; allowed: one of"), x.getMessage());
    }

    @Test
    void aScheduleChangeDropsTheKeysThatDescribedTheOldSchedule() {
        DiffusersSchedulerConfig trained = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(2));
        assertSame(trained, trained.withSchedule(trained.schedule()));
        DiffusersSchedulerConfig cosine = trained.withSchedule(Schedules.cosine(300));
        assertEquals(300, cosine.trainTimesteps());
        // beta_start and beta_end are unused by the cosine schedule too, but they were the old file's: dropped
        assertEquals(List.of("_diffusers_version", "_notes"), cosine.ignoredKeys());
        assertEquals(trained.keptKeys().get("_notes"), cosine.keptKeys().get("_notes"));
        JsonObject out = tree(cosine.toJson());
        assertEquals("squaredcos_cap_v2", out.get("beta_schedule").getAsString());
        assertFalse(out.has("beta_start") || out.has("beta_end"), out.toString());
        assertEquals("trailing", out.get("timestep_spacing").getAsString());
        assertEquals(cosine, DiffusersSchedulerConfig.parse(cosine.toJson()));

        DiffusersSchedulerConfig linear = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(0))
                .withSchedule(Schedules.scaledLinear(0.00085, 0.012, 1000));
        JsonObject l = tree(linear.toJson());
        assertEquals(0.00085, l.get("beta_start").getAsDouble());
        assertEquals("scaled_linear", l.get("beta_schedule").getAsString());
        assertEquals("\"fixed_small\"", linear.keptKeys().get("variance_type"));

        // the note of a discretised schedule describes that schedule
        DiffusersSchedulerConfig discretised = DiffusersSchedulerConfig.parse(Schedules.toDiffusersConfig(
                Schedules.vpCosine()));
        assertEquals(List.of("_tpdiff4j_discretised"), discretised.ignoredKeys());
        assertEquals(Map.of(), discretised.withSchedule(Schedules.linear(1e-4, 0.02, 1000)).keptKeys());

        DiffusersSchedulerConfig flow = DiffusersSchedulerConfig.parse(DIFFUSERS_FILES.get(4));
        DiffusersSchedulerConfig shifted = flow.withSchedule(Schedules.flowMatching(5.0));
        assertEquals(flow.keptKeys(), shifted.keptKeys());
        assertEquals(1000, shifted.trainTimesteps());
        assertEquals(5.0, tree(shifted.toJson()).get("shift").getAsDouble());
        assertNotEquals(flow, shifted);

        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> flow.withSchedule(Schedules.cosine(10)));
        assertTrue(x.getMessage().startsWith("schedule 'cosine"), x.getMessage());
        assertTrue(x.getMessage().contains("does not fit FlowMatchEulerDiscreteScheduler"), x.getMessage());
    }

    /**
     * Stable Diffusion XL's scheduler file (an EulerDiscreteScheduler) carries DDIM's {@code clip_sample},
     * {@code set_alpha_to_one} and {@code sample_max_value} from an older config; diffusers ignores them for Euler, and
     * so does this reader: the file is read, and written back with every key. A key of no class is still refused.
     */
    @Test
    void keysOfAnotherClassAreKeptAsDiffusersIgnoresThem() {
        String sdxl = """
                {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.19.0.dev0", "beta_end": 0.012,
                 "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false,
                 "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
                 "sample_max_value": 1.0, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
                 "timestep_spacing": "leading", "trained_betas": null, "use_karras_sigmas": false}""";
        DiffusersSchedulerConfig c = DiffusersSchedulerConfig.parse(sdxl);
        assertEquals(Schedules.scaledLinear(0.00085, 0.012, 1000), c.schedule());
        assertTrue(c.ignoredKeys().containsAll(List.of("clip_sample", "sample_max_value", "set_alpha_to_one")),
                c.ignoredKeys().toString());
        JsonObject written = tree(c.toJson());
        tree(sdxl).entrySet().forEach(e -> assertEquals(e.getValue(), written.get(e.getKey()), e.getKey()));
        assertEquals("\"zero\"", written.remove("final_sigmas_type").toString(), "Euler's own key, at its default");
        assertEquals(tree(sdxl), written, "nothing else added");
        // inert whatever the value: diffusers' Euler never reads clip_sample
        DiffusersSchedulerConfig clipping = DiffusersSchedulerConfig.parse(sdxl.replace("\"clip_sample\": false",
                "\"clip_sample\": true"));
        assertEquals("true", clipping.keptKeys().get("clip_sample"));
        // a derived configuration keeps only its class's own keys: as DDIM it writes clip_sample and set_alpha_to_one
        // itself and keeps DDIM's sample_max_value; back as Euler, that one goes
        DiffusersSchedulerConfig ddim = c.withClassName("DDIMScheduler");
        assertEquals("1.0", ddim.keptKeys().get("sample_max_value"));
        assertEquals("false", tree(ddim.toJson()).get("clip_sample").toString());
        assertFalse(ddim.withClassName("EulerDiscreteScheduler").keptKeys().containsKey("sample_max_value"));
        refused(sdxl.replace("\"sample_max_value\"", "\"sample_max_valu\""), "key \"sample_max_valu\" = 1.0; allowed: the keys [",
                "it is not a known key");
    }

    @Test
    void keptKeysThatContradictTheConfigurationAreRefused() {
        String cls = "DDIMScheduler";
        NoiseSchedule s = Schedules.linear(1e-4, 0.02, 1000);
        record Case(Map<String, String> kept, String message) {
        }
        for (Case c : List.of(
                new Case(Map.of("varience_type", "\"fixed_small\""), "keptKeys[\"varience_type\"] = '\"fixed_small\"' for"
                        + " DDIMScheduler: it is not a key of DDIMScheduler or of the other classes ["),
                new Case(Map.of("thresholding", "true"), "keptKeys[\"thresholding\"] = 'true' for DDIMScheduler: it"
                        + " switches on a feature this library does not do (allowed: false)"),
                new Case(Map.of("beta_start", "0.001"), "keptKeys[\"beta_start\"] = '0.001' for DDIMScheduler: this"
                        + " configuration writes \"beta_start\" from its own values"),
                new Case(Map.of("_class_name", "\"DDPMScheduler\""), "this configuration writes \"_class_name\""),
                new Case(Map.of("sigma_min", "nan"), "keptKeys[\"sigma_min\"] is not valid JSON"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig(
                    cls, s, 1000, "epsilon", "leading", 1, false, c.kept()));
            assertTrue(e.getMessage().contains(c.message()), e.getMessage());
        }
        java.util.HashMap<String, String> withNull = new java.util.HashMap<>();
        withNull.put("clip_sample_range", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig(
                cls, s, 1000, "epsilon", "leading", 1, false, withNull));
        assertTrue(e.getMessage().startsWith("keptKeys[\"clip_sample_range\"] = null; allowed: a JSON text"),
                e.getMessage());
        // accepted values are stored as compact JSON text, so that equal values make equal configurations
        DiffusersSchedulerConfig a = new DiffusersSchedulerConfig(cls, s, 1000, "epsilon", "leading", 1, false,
                Map.of("clip_sample_range", " 1.0 ", "_notes", "{ \"a\" : [1, 2] }"));
        assertEquals(Map.of("clip_sample_range", "1.0", "_notes", "{\"a\":[1,2]}"), a.keptKeys());
        DiffusersSchedulerConfig b = new DiffusersSchedulerConfig(cls, s, 1000, "epsilon", "leading", 1, false,
                Map.of("_notes", "{\"a\":[1,2]}", "clip_sample_range", "1.0"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new DiffusersSchedulerConfig(cls, s, 1000, "epsilon", "leading", 1, false,
                Map.of("_notes", "{\"a\":[1,2]}", "clip_sample_range", "2.0")));
        assertThrows(UnsupportedOperationException.class, () -> a.keptKeys().put("x", "1"));
    }
}
