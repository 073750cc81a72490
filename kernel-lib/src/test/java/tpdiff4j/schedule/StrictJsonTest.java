package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schedule JSON is read as standard JSON only, with clear messages that never copy a large input. */
class StrictJsonTest {

    private static String rejected(String json, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.fromJson(json));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        return e.getMessage();
    }

    @Test
    void lenientJsonIsRefused() {
        String ok = "{\"type\":\"cosine\",\"version\":1,\"steps\":100}";
        assertEquals(Schedules.cosine(100), Schedules.fromJson(ok));
        rejected("{type:\"cosine\",\"version\":1,\"steps\":100}", "not valid JSON");            // unquoted key
        rejected("{\"type\":\"cosine\", /* c */ \"version\":1,\"steps\":100}", "not valid JSON"); // comment
        rejected("{'type':'cosine','version':1,'steps':100}", "not valid JSON");                // single quotes
        rejected(ok + " trailing", "not valid JSON");                                          // garbage after the value
        rejected(ok + "{}", "unexpected text after the JSON value");
        rejected("{\"type\":\"flowMatching\",\"version\":1,\"shift\":NaN}", "not valid JSON");
    }

    @Test
    void aDuplicateKeyIsNamedAsDuplicate() {
        rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":100,\"steps\":200}", "duplicate key 'steps'");
    }

    @Test
    void absurdSizesAreRefusedWithTheMaximumBeforeAllocating() {
        rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":2000000000}", "n = 2000000000", "<= 1000000");
        rejected("{\"type\":\"linear\",\"version\":1,\"betaStart\":0.001,\"betaEnd\":0.02,\"steps\":2000000000}", "<= 1000000");
    }

    @Test
    void messagesQuoteOnlyAShortExcerptOfAHugeInput() {
        String huge = "{\"type\":\"cosine\",\"version\":1,\"steps\":100,\"pad\":\"" + "x".repeat(20_000_000) + "\"";
        String m = rejected(huge, "not valid JSON", "characters)");
        assertTrue(m.length() < 600, "message of " + m.length() + " characters");
        String m2 = rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":[" + "1,".repeat(1_000_000) + "1]}", "; allowed: a number");
        assertTrue(m2.length() < 600, "message of " + m2.length() + " characters");
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        rejected("[".repeat(100_000) + "]".repeat(100_000), "nested deeper than");
    }

    @Test
    void nonFiniteTokensAreReadAsNumbersButNothingElseLenientIs() {
        com.google.gson.JsonObject o = StrictJson.parseWithNonFinite(
                "{\"a\":NaN,\"b\":[Infinity,-Infinity,1],\"c\":\"NaN\",\"d\":\"x NaN y\\\" NaN\"}", "t").getAsJsonObject();
        assertTrue(Double.isNaN(o.get("a").getAsDouble()) && o.get("a").getAsJsonPrimitive().isNumber());
        assertEquals(Double.POSITIVE_INFINITY, o.getAsJsonArray("b").get(0).getAsDouble());
        assertEquals(Double.NEGATIVE_INFINITY, o.getAsJsonArray("b").get(1).getAsDouble());
        assertTrue(o.get("c").getAsJsonPrimitive().isString(), "a quoted NaN stays a string");
        assertEquals("x NaN y\" NaN", o.get("d").getAsString(), "tokens inside strings are left alone");
        for (String bad : new String[] {"{\"a\":nan}", "{\"a\":NaNx}", "{\"a\":1,\"a\":NaN}", "{/*c*/\"a\":NaN}",
                "{'a':NaN}", "{\"a\":NaN} x", "{\"a\":Infinit}"}) {
            assertThrows(IllegalArgumentException.class, () -> StrictJson.parseWithNonFinite(bad, "t"), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrictJson.parseWithNonFinite("{\"a\":NaN,\n \"b\":tru}", "file.json"));
        assertTrue(e.getMessage().startsWith("file.json") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void compareNamesEachPathWhereTwoTreesDiffer() {
        java.util.List<String> out = new java.util.ArrayList<>();
        StrictJson.compare("", StrictJson.parse("{\"a\":2,\"b\":[1,\"2\"],\"c\":{\"x\":1},\"only1\":0}", "t"),
                StrictJson.parse("{\"a\":2.0,\"b\":[1,2],\"c\":{\"x\":1,\"y\":null},\"only2\":0}", "t"),
                (path, first, second, parent) -> out.add(path + ":" + first + ":" + second));
        assertEquals(java.util.List.of("b[1]:\"2\":2", "c.y:null:null", "only1:0:null", "only2:null:0"), out);
        out.clear();
        StrictJson.compare("r", new com.google.gson.JsonPrimitive(-0.40970302f), StrictJson.parse("-0.40970302", "t"),
                (path, first, second, parent) -> out.add(path));
        StrictJson.compare("r", StrictJson.parse("1e20", "t"), new com.google.gson.JsonPrimitive(7766279631452241920L),
                (path, first, second, parent) -> out.add(path + " differs"));
        assertEquals(java.util.List.of("r differs"), out, "a float equals the number its text is; 1e20 is not a long");
    }
}
