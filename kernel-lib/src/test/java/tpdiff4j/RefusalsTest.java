package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one helper for refusals writes {@code name = value; allowed: ...}, byte for byte. */
class RefusalsTest {

    @Test
    void notNullReturnsTheValueItWasGiven() {
        String s = "grid";
        assertSame(s, Refusals.notNull(s, "grid", "a TimeGrid"));
        int[] a = {1, 2};
        assertSame(a, Refusals.notNull(a, "a", "an array"));
    }

    @Test
    void notNullRefusesNullByNameAndWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Refusals.notNull(null, "grid", "a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)"));
        assertEquals("grid = null; allowed: a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)", e.getMessage());
    }

    @Test
    void noNullsOnAnArrayNamesTheIndexOfTheNullElement() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Refusals.noNulls(new String[] {"a", null, "c"}, "traces", "a Trace"));
        assertEquals("traces[1] = null; allowed: a Trace", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Refusals.noNulls(new Object[] {null}, "traces", "a Trace"));
        assertEquals("traces[0] = null; allowed: a Trace", e.getMessage());
    }

    @Test
    void noNullsOnANullArrayRefusesTheArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Refusals.noNulls((Object[]) null, "traces", "a Trace"));
        assertEquals("traces = null; allowed: an array, each a Trace", e.getMessage());
    }

    @Test
    void noNullsOnAListNamesTheIndexOfTheNullElement() {
        List<String> l = new ArrayList<>(Arrays.asList("a", "b", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Refusals.noNulls(l, "schedules", "a NoiseSchedule"));
        assertEquals("schedules.get(2) = null; allowed: a NoiseSchedule", e.getMessage());
    }

    @Test
    void noNullsOnANullListRefusesTheList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Refusals.noNulls((List<?>) null, "schedules", "a NoiseSchedule"));
        assertEquals("schedules = null; allowed: a list, each a NoiseSchedule", e.getMessage());
    }

    @Test
    void noNullsAcceptsArraysAndListsWithoutNull() {
        assertDoesNotThrow(() -> Refusals.noNulls(new String[] {"a", "b"}, "traces", "a Trace"));
        assertDoesNotThrow(() -> Refusals.noNulls(new String[0], "traces", "a Trace"));
        assertDoesNotThrow(() -> Refusals.noNulls(List.of("a", "b"), "schedules", "a NoiseSchedule"));
        assertDoesNotThrow(() -> Refusals.noNulls(List.of(), "schedules", "a NoiseSchedule"));
    }

    @Test
    void refuseReturnsTheExceptionWithNameValueAndAllowed() {
        IllegalArgumentException e = Refusals.refuse("batchSize", 0, "at least 1");
        assertEquals("batchSize = 0; allowed: at least 1", e.getMessage());
        assertEquals(IllegalArgumentException.class, e.getClass());
    }

    @Test
    void refuseShowsAValueAsStringConcatenationWould() {
        double eta = 1.5;
        assertEquals("eta = " + eta + "; allowed: 0 <= eta <= 1",
                Refusals.refuse("eta", eta, "0 <= eta <= 1").getMessage());
        assertEquals("eta = 1.5; allowed: 0 <= eta <= 1", Refusals.refuse("eta", 1.5, "0 <= eta <= 1").getMessage());
        assertEquals("steps = -3; allowed: >= 1", Refusals.refuse("steps", -3L, ">= 1").getMessage());
        assertEquals("mode = null; allowed: SUBSAMPLE or AVERAGE",
                Refusals.refuse("mode", null, "SUBSAMPLE or AVERAGE").getMessage());
        assertEquals("weights = [1.0, -2.0]; allowed: finite values >= 0",
                Refusals.refuse("weights", Arrays.toString(new double[] {1, -2}), "finite values >= 0").getMessage());
        assertEquals("rule = cubic; allowed: [uniform, power]",
                Refusals.refuse("rule", "cubic", String.valueOf(List.of("uniform", "power"))).getMessage());
    }

    @Test
    void aNullRefusalReadsTheSameThroughEitherMethod() {
        IllegalArgumentException byNotNull = assertThrows(IllegalArgumentException.class,
                () -> Refusals.notNull(null, "spec", "the clip shape"));
        assertEquals(Refusals.refuse("spec", null, "the clip shape").getMessage(), byNotNull.getMessage());
    }
}
