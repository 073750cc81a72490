package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Export to a diffusers config and import back: the identity. */
class DiffusersExportTest {

    @Test
    void closedFormsComeBackWithTheSameParameters() {
        List<NoiseSchedule> schedules = List.of(Schedules.flowMatching(), Schedules.flowMatching(3.0),
                Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.linear(0.0001, 0.02, 1000),
                Schedules.linear(0.00085, 0.012, 250), Schedules.cosine(1000),
                Schedules.betas(0.001, 0.01, 0.1, 0.3, 0.5));
        for (NoiseSchedule s : schedules) {
            String json = Schedules.toDiffusersConfig(s);
            NoiseSchedule back = Schedules.fromDiffusersConfig(json);
            assertEquals(s, back, json);
            assertEquals(json, Schedules.toDiffusersConfig(back));
        }
        JsonObject fm = JsonParser.parseString(Schedules.toDiffusersConfig(Schedules.flowMatching(3.0))).getAsJsonObject();
        assertEquals("FlowMatchEulerDiscreteScheduler", fm.get("_class_name").getAsString());
        assertEquals(3.0, fm.get("shift").getAsDouble());
        JsonObject sd = JsonParser.parseString(Schedules.toDiffusersConfig(Schedules.scaledLinear(0.00085, 0.012, 1000)))
                .getAsJsonObject();
        assertEquals("scaled_linear", sd.get("beta_schedule").getAsString());
        assertEquals(false, sd.get("clip_sample").getAsBoolean());
    }

    @Test
    void schedulesWithoutClosedFormGoOutAsTrainedBetasWithTheSameAlphaBar() {
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        List<NoiseSchedule> schedules = List.of(Schedules.vpCosine(), quarter, Schedules.tabulated(quarter, 64),
                Schedules.of("half-linear", t -> 1 - 0.5 * t, t -> 0.05 + 0.95 * t));
        for (NoiseSchedule s : schedules) {
            String json = Schedules.toDiffusersConfig(s);
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            JsonObject note = o.getAsJsonObject("_tpdiff4j_discretised");
            assertEquals(s.name(), note.get("schedule").getAsString());
            assertEquals(1000, note.get("steps").getAsInt());
            int clamped = note.get("clampedBetas").getAsInt();
            JsonArray written = o.getAsJsonArray("trained_betas");
            DiscreteSchedule back = assertInstanceOf(DiscreteSchedule.class, Schedules.fromDiffusersConfig(json));
            assertEquals(1000, back.steps());
            int unclamped = 0;
            for (int i = 0; i < 1000; i++) {
                double expected = DiscreteVpSchedule.sigmoid(s.logSnr(i / 999.0));
                double beta = written.get(i).getAsDouble();
                if (beta > DiffusersExport.MIN_BETA && beta < DiffusersExport.MAX_BETA) {
                    // beta_i = 1 - a_i / a_(i-1) and the product back: a few ulps per step over 1000 steps
                    assertEquals(expected, back.alphaBar(i), 1e-12, s.name() + " alphaBar[" + i + "]");
                    // what the docs say the file means for a schedule that is not variance preserving: diffusers'
                    // x_t = sqrt(alphaBar) x0 + sqrt(1 - alphaBar) eps is ours divided by sqrt(gamma^2 + sigma^2)
                    double t = i / 999.0;
                    double norm = Math.hypot(s.gamma(t), s.sigma(t));
                    assertEquals(s.gamma(t), Math.sqrt(back.alphaBar(i)) * norm, 1e-9, s.name() + " gamma at " + i);
                    assertEquals(s.sigma(t), Math.sqrt(1 - back.alphaBar(i)) * norm, 1e-9, s.name() + " sigma at " + i);
                    unclamped++;
                }
            }
            assertEquals(1000 - clamped, unclamped, s.name());
            assertTrue(clamped <= 2, s.name() + " clamped " + clamped); // only where the log-SNR is infinite
            // import -> export -> import again: the same betas, bit for bit (full double precision in the JSON)
            JsonArray again = JsonParser.parseString(Schedules.toDiffusersConfig(back)).getAsJsonObject()
                    .getAsJsonArray("trained_betas");
            assertEquals(written, again);
            assertEquals(back, Schedules.fromDiffusersConfig(Schedules.toDiffusersConfig(back)));
        }
    }

    @Test
    void trainedBetasHaveAJsonForm() {
        DiscreteSchedule b = Schedules.betas(0.1, 0.2, 0.30000000000000004);
        assertEquals(b, Schedules.fromJson(b.toJson()));
        assertEquals(0.9 * 0.8 * (1 - 0.30000000000000004), b.alphaBar(2), 1e-16);
    }
}
