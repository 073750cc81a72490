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
        String m2 = rejected("{\"type\":\"cosine\",\"version\":1,\"steps\":[" + "1,".repeat(1_000_000) + "1]}", "not a number");
        assertTrue(m2.length() < 600, "message of " + m2.length() + " characters");
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        rejected("[".repeat(100_000) + "]".repeat(100_000), "nested deeper than");
    }
}
