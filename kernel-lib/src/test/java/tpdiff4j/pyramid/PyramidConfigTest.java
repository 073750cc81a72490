package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Impossible pyramids and malformed pyramid JSON fail with messages that say what is allowed. */
class PyramidConfigTest {

    private static void rejected(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void tooManyStagesSayWhichKFits() {
        // 16 = 2^4 frames: the first of K stages runs 2^(K-1) times slower, so K <= 5 frame-wise,
        // and every stage of a pyramid needs at least 2 frames, so K <= 4
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 40, 16), "K = 40", "frames = 16", "K <= 4");
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 5, 16), "K <= 4", "no rate factors split");
        // 15 frames: 15 / 4 is no whole number and no two factors a, b >= 2 give ab | 15 with 15 / (ab) >= 2
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 3, 15),
                "and no rate factors split 15 frames into 3 stages of at least 2 frames. Allowed: frames divisible by "
                        + "the product of the rate factors and at least twice that product; or K = 1 (one stage at"
                        + " full rate, no pyramid)");
        assertEquals(4, TemporalPyramid.uniform(Schedules.flowMatching(), 4, 16).stages().size());
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 3, 18), "not divisible"); // 18 frames, factor 4
    }

    /**
     * A frame count the stages cannot share names every choice of rate factors (one per jump) that would fit: a
     * product that divides the frame count and leaves stage 0 at least 2 frames. It used to name only a single factor
     * for every jump ("a single rate factor in [3]" for 18 frames), never mixed ones such as 2 then 3.
     */
    @Test
    void aFrameCountTheStagesCannotShareNamesTheRateFactorsThatFit() {
        NoiseSchedule fm = Schedules.flowMatching();
        rejected(() -> TemporalPyramid.uniform(fm, 3, 18), "frames = 18 with K = 3 stages: the rate factors [2, 2]",
                "not divisible", "; for 18 frames and K = 3 the rate factors that fit (sampling order, smallest product"
                + " first): withRateFactors(2, 3), withRateFactors(3, 2), withRateFactors(3, 3); or K <= 2 stages with"
                + " rate factor 2");
        rejected(() -> TemporalPyramid.builder(fm, 16).withRateFactors(3, 2).build(), "the rate factors that fit"
                + " (sampling order, smallest product first): withRateFactors(2, 2), withRateFactors(2, 4),"
                + " withRateFactors(4, 2); or K <= 4 stages with rate factor 2");
        // two stages: the single factors that divide the frame count and leave at least 2 frames
        rejected(() -> TemporalPyramid.uniform(fm, 2, 9), "fit (sampling order, smallest product first):"
                + " withRateFactors(3); or K = 1 (one stage at full rate, no pyramid)");
        // many that fit: the first six, then how many more
        rejected(() -> TemporalPyramid.builder(fm, 48).withRateFactors(5, 5).build(), "withRateFactors(2, 2),"
                + " withRateFactors(2, 3), withRateFactors(3, 2), withRateFactors(2, 4), withRateFactors(4, 2),"
                + " withRateFactors(2, 6) and 12 more; or K <= 5 stages with rate factor 2");
        // what is named builds, with stage 0 at frames / product
        int[][] named = {{2, 3}, {3, 2}, {3, 3}};
        int[] stage0 = {3, 3, 2};
        for (int i = 0; i < named.length; i++) {
            assertEquals(stage0[i], TemporalPyramid.builder(fm, 18).withRateFactors(named[i]).build().stage(0).frames());
        }
    }

    /**
     * Frame counts that are not powers of 2: 12 frames run 3 -> 6 -> 12 (K = 3) and 6 frames run 3 -> 6 (K = 2), so
     * the message for one stage too many names exactly that K and the real rule (divisible by the product of the rate
     * factors, at least twice it), not "a multiple of twice the product", which 12 frames with K = 3 is not.
     */
    @Test
    void theLargestKInTheMessageIsOneThatBuilds() {
        assertEquals(java.util.List.of(3, 6, 12), TemporalPyramid.uniform(Schedules.flowMatching(), 3, 12).stages()
                .stream().map(Stage::frames).toList());
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 4, 12), "frames = 12", "K <= 3 stages",
                "divisible by the product of the rate factors and at least twice that product");
        assertEquals(java.util.List.of(3, 6), TemporalPyramid.uniform(Schedules.flowMatching(), 2, 6).stages()
                .stream().map(Stage::frames).toList());
        rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), 3, 6), "frames = 6", "K <= 2 stages");
        for (int frames = 1; frames <= 64; frames++) {
            int f = frames;
            int k = 1;
            while (k < 8) {
                int next = k + 1;
                try {
                    TemporalPyramid.uniform(Schedules.flowMatching(), next, f);
                    k = next;
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
            int largest = k;
            if (largest < 7) {
                rejected(() -> TemporalPyramid.uniform(Schedules.flowMatching(), largest + 1, f), largest == 1
                        ? "K = 1 (one stage at full rate, no pyramid)" : "K <= " + largest + " stages");
            }
        }
    }

    @Test
    void malformedJsonIsRejectedByKey() {
        String good = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).toJson();
        assertEquals(TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16), TemporalPyramid.fromJson(good));
        rejected(() -> TemporalPyramid.fromJson("{}"), "pyramid JSON", "field 'type' is missing");
        rejected(() -> TemporalPyramid.fromJson("[]"), "not a JSON object");
        rejected(() -> TemporalPyramid.fromJson("{\"type\":3}"), "type = '3'", "TemporalPyramid");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"frames\":16", "\"frames\":\"16\"")), "pyramid JSON: frames = '\"16\"'; allowed: a number");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"frames\":16,", "")), "field 'frames' is missing");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"convention\":\"A\"", "\"convention\":\"C\"")), "convention", "\"A\" or \"B\"");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"rateFactors\":[2,2]", "\"rateFactors\":[2,2.5]")), "pyramid JSON: rateFactors[1] = '2.5'; allowed: an integer");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"rateFactors\":[2,2]", "\"rateFactors\":{}")), "pyramid JSON: rateFactors = '{}'; allowed: an array of numbers");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"frames\":16", "\"frames\":16,\"extra\":1")), "pyramid JSON: unknown key = 'extra'; allowed keys: [");
        rejected(() -> TemporalPyramid.fromJson(good.substring(0, good.length() - 3)), "not valid JSON");
        rejected(() -> TemporalPyramid.fromJson(null), "null");
    }

    /**
     * A file's boundaries are written in increasing t with both ends, and its rate factors one per jump: a hand edit
     * that breaks either is refused in the file's own terms. Before, boundaries out of order were refused as a call
     * "withBoundaries(0.25, 0.5)" that the user never made, with "allowed: strictly decreasing values" (the opposite
     * of what the file needs), and "rateFactors":[4] for three stages loaded as [4, 4] although toJson writes one
     * factor per jump.
     */
    @Test
    void aFileEditedOutOfShapeIsRefusedInTheFilesTerms() {
        String good = TemporalPyramid.builder(Schedules.flowMatching(), 16).withBoundaries(0.5, 0.25).build().toJson();
        assertTrue(good.contains("\"boundaries\":[0.0,0.25,0.5,1.0]") && good.contains("\"rateFactors\":[2,2]"), good);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.fromJson(
                good.replace("[0.0,0.25,0.5,1.0]", "[0.0,0.5,0.25,1.0]")));
        assertTrue(e.getMessage().startsWith("pyramid JSON: boundaries[2] = 0.25 is not above boundaries[1] = 0.5"),
                e.getMessage());
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        assertFalse(e.getMessage().contains("withBoundaries(0.25, 0.5)"), e.getMessage());
        assertFalse(e.getMessage().contains("allowed: strictly decreasing"), e.getMessage());
        rejected(() -> TemporalPyramid.fromJson(good.replace("[0.0,0.25,0.5,1.0]", "[0.0,0.25,0.25,1.0]")),
                "pyramid JSON: boundaries[2] = 0.25 is not above boundaries[1] = 0.25");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"rateFactors\":[2,2]", "\"rateFactors\":[4]")),
                "pyramid JSON: rateFactors = [4] has 1 value, but boundaries = [0.0, 0.25, 0.5, 1.0] make K = 3 stages",
                "allowed: K - 1 = 2 integers >= 2, one per jump in sampling order");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"rateFactors\":[2,2]", "\"rateFactors\":[2,2,2]")),
                "rateFactors = [2, 2, 2] has 3 values");
        String one = TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16).toJson();
        assertEquals(TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16), TemporalPyramid.fromJson(one));
        rejected(() -> TemporalPyramid.fromJson(one.replace("\"rateFactors\":[]", "\"rateFactors\":[2]")),
                "rateFactors = [2] has 1 value, but boundaries = [0.0, 1.0] make K = 1 stage", "([] for one stage)");
    }

    @Test
    void aKeyWrittenAsNullIsRefusedAsNullNotAsMissing() {
        String good = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).toJson();
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"rateFactors\":[2,2]", "\"rateFactors\":null")),
                "pyramid JSON: field 'rateFactors' = 'null'; allowed: an array of numbers, integers >= 2, one per jump");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"frames\":16", "\"frames\":null")),
                "pyramid JSON: field 'frames' = 'null'; allowed: an integer >= 1");
        rejected(() -> TemporalPyramid.fromJson(good.replace("\"convention\":\"A\"", "\"convention\":null")),
                "field 'convention' = 'null'; allowed: \"A\" or \"B\"");
        for (String key : new String[] {"type", "version", "schedule", "frames", "boundaries", "rateFactors", "convention"}) {
            JsonObject o = JsonParser.parseString(good).getAsJsonObject();
            o.add(key, JsonNull.INSTANCE);
            String json = new GsonBuilder().serializeNulls().create().toJson(o);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.fromJson(json));
            assertTrue(e.getMessage().contains("field '" + key + "' = 'null'; allowed: "), e.getMessage());
            assertFalse(e.getMessage().contains("missing"), e.getMessage());
        }
    }
}
