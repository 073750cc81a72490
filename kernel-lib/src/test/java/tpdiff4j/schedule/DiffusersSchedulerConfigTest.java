package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A diffusers {@code scheduler_config.json} read and written back keeps every value this library reads, for every
 * accepted class; a key written as null is refused by name instead of being read as absent.
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

    private static void assertSameValues(DiffusersSchedulerConfig expected, DiffusersSchedulerConfig actual) {
        assertEquals(new DiffusersSchedulerConfig(expected.className(), expected.schedule(), expected.trainTimesteps(),
                expected.predictionType(), expected.timestepSpacing(), expected.stepsOffset(),
                expected.finalStepToCleanData(), List.of()), actual);
    }

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
            assertSameValues(c, back);
            assertEquals(List.of(), back.ignoredKeys(), written);
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
    void trainedBetasOfAnotherLengthThanTheDefaultTimestepsAreRefused() {
        refused("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"trained_betas\": [0.01, 0.02, 0.03]}",
                "trained_betas has 3 values but num_train_timesteps = 1000 (diffusers' default)",
                "allowed: one beta per training timestep (num_train_timesteps = 3)");
    }

    @Test
    void valuesNoFileCanHoldAreRefusedWhenMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig(
                "FlowMatchEulerDiscreteScheduler", Schedules.flowMatching(), 1000, DiffusersSchedulerConfig.FLOW,
                "leading", 0, false, List.of()));
        assertTrue(e.getMessage().contains("timestepSpacing = leading") && e.getMessage().contains("allowed: linspace"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig("DDIMScheduler",
                Schedules.linear(1e-4, 0.02, 1000), 500, "epsilon", "leading", 0, true, List.of()));
        assertTrue(e.getMessage().contains("trainTimesteps = 500") && e.getMessage().contains("1000 steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusersSchedulerConfig("DDPMScheduler",
                Schedules.linear(1e-4, 0.02, 1000), 1000, "epsilon", "leading", 0, false, List.of()));
        assertTrue(e.getMessage().startsWith("finalStepToCleanData = false; allowed: true for DDPMScheduler"),
                e.getMessage());
    }
}
