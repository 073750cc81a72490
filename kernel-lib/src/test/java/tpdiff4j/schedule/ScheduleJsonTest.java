package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON round trips of every built-in schedule and strict reading. */
class ScheduleJsonTest {

    private static final List<NoiseSchedule> BUILT_INS = List.of(Schedules.flowMatching(), Schedules.flowMatching(3),
            Schedules.linear(0.00085, 0.012, 1000), Schedules.scaledLinear(0.00085, 0.012, 1000),
            Schedules.linear(1e-4, 0.02, 10), Schedules.cosine(1000), Schedules.cosine(2), Schedules.vpCosine());

    @Test
    void everyBuiltInRoundTripsToAnEqualSchedule() {
        for (NoiseSchedule s : BUILT_INS) {
            String json = s.toJson();
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            assertTrue(o.has("type") && o.get("version").getAsInt() == 1, json);
            NoiseSchedule back = Schedules.fromJson(json);
            assertEquals(s, back, json);
            assertEquals(s.hashCode(), back.hashCode());
            assertEquals(s.name(), back.name());
            assertEquals(json, back.toJson());
            for (int k = 0; k <= 2000; k++) {
                double t = k / 2000.0;
                assertEquals(s.gamma(t), back.gamma(t), 0.0, s.name() + " gamma(" + t + ")");
                assertEquals(s.sigma(t), back.sigma(t), 0.0, s.name() + " sigma(" + t + ")");
            }
        }
        assertNotEquals(Schedules.linear(0.00085, 0.012, 1000), Schedules.scaledLinear(0.00085, 0.012, 1000));
        assertNotEquals(Schedules.flowMatching(), Schedules.flowMatching(3));
        assertNotEquals(Schedules.cosine(1000), Schedules.cosine(999));
    }

    private static void rejected(String json, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.fromJson(json));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void readingIsStrict() {
        rejected("{\"type\":\"linear\",\"version\":1,\"betaStart\":0.001,\"betaEnd\":0.02,\"steps\":100,\"offset\":1}",
                "unknown key", "offset", "betaStart");
        rejected("{\"type\":\"flowMatching\",\"version\":1,\"shift\":1.0,\"shfit\":2}", "shfit");
        rejected("{\"type\":\"flowMatching\",\"version\":1.5,\"shift\":1.0}", "version = 1.5 in JSON of schedule type '", "; allowed: an integer"); // was read as 1
        rejected("{\"type\":\"vpCosine\",\"version\":1,\"s\":0.008}", "unknown key", "[s]");
        rejected("{\"type\":\"linear\",\"version\":1,\"betaStart\":0.001,\"steps\":100}", "betaEnd is missing");
        rejected("{\"type\":\"cosine\",\"version\":2,\"steps\":100}", "version = 2", "allowed: 1");
        rejected("{\"type\":\"cosine\",\"steps\":100}", "version is missing");
        rejected("{\"type\":\"karras\",\"version\":1}", "type = \"karras\"", "flowMatching");
        rejected("{\"version\":1}", "type is missing in schedule JSON; allowed: one of [flowMatching,");
        // a key written as null is refused as null, with what is allowed, never as missing or as "schedule type 'schedule'"
        rejected("{\"type\":null,\"version\":1}", "type = 'null' in schedule JSON; allowed: one of [flowMatching,");
        rejected("{\"type\":\"vpCosine\",\"version\":null}", "version = 'null' in JSON of schedule type 'vpCosine'; allowed: a number");
        rejected("{\"type\":\"flowMatching\",\"version\":1,\"shift\":null}", "shift = 'null' in JSON of schedule type 'flowMatching'; allowed: a number");
        rejected("{\"type\":\"betas\",\"version\":1,\"betas\":null}", "betas = 'null' in JSON of schedule type 'betas'; allowed: an array of numbers");
        rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":10.5}", "steps = 10.5", "; allowed: an integer");
        rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":\"many\"}", "steps = '\"many\"' in JSON of schedule type 'cosine'; allowed: a number");
        rejected("[1, 2]", "not a JSON object");
        rejected("{not json", "not valid JSON");
        rejected("{\"type\":\"linear\",\"version\":1,\"betaStart\":0,\"betaEnd\":0.02,\"steps\":100}", "b0 = 0.0");
    }

    @Test
    void userSchedulesCannotBeWrittenAndSaySo() {
        NoiseSchedule own = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, own::toJson);
        assertTrue(e.getMessage().contains("quarter-circle") && e.getMessage().contains("Java functions"), e.getMessage());
    }
}
