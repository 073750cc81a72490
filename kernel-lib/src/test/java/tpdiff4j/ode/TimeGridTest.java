package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tpdiff4j.schedule.DiscreteSchedule;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Time grids: exact endpoints, strict monotonicity, diffusers' discrete spacings and validation messages. */
class TimeGridTest {

    private static final DiscreteSchedule SD = Schedules.scaledLinear(0.00085, 0.012, 1000);

    @Test
    void uniformHasExactEndpointsAndEqualSteps() {
        TimeGrid g = TimeGrid.uniform(1, 0, 7);
        assertEquals(7, g.steps());
        assertEquals(1.0, g.t(0));
        assertEquals(0.0, g.t(7));
        for (int i = 0; i < 7; i++) {
            assertEquals(-1.0 / 7, g.t(i + 1) - g.t(i), 1e-15);
        }
        assertTrue(g.decreasing());
        TimeGrid up = TimeGrid.uniform(0.1, 0.9, 3);
        assertEquals(0.9, up.t(3));
        assertTrue(!up.decreasing());
    }

    @Test
    void leadingThirtyOfThousandWithOffsetOneMatchesDiffusers() {
        TimeGrid g = TimeGrid.leading(SD, 30, 1);
        int[] expected = new int[31];
        for (int k = 0; k < 30; k++) {
            expected[k] = 958 - 33 * k; // 958, 925, ..., 34, 1
        }
        expected[30] = 0;
        assertArrayEquals(expected, g.stepIndices());
        assertEquals(958, g.stepIndices()[0]);
        assertEquals(925, g.stepIndices()[1]);
        assertEquals(34, g.stepIndices()[28]);
        assertEquals(1, g.stepIndices()[29]);
        assertEquals(30, g.steps());
        for (int i = 0; i <= 30; i++) {
            assertEquals(expected[i] / 999.0, g.t(i), 1e-16);
        }
        assertEquals(0.0, g.t(30));
        // offset 0: the list ends at step 0 itself, nothing is appended
        TimeGrid g0 = TimeGrid.leading(SD, 30, 0);
        assertEquals(29, g0.steps());
        assertEquals(957, g0.stepIndices()[0]);
    }

    @Test
    void trailingAndLinspaceMatchDiffusers() {
        int[] trailing = TimeGrid.trailing(SD, 30).stepIndices();
        assertEquals(31, trailing.length);
        assertEquals(999, trailing[0]);
        assertEquals(966, trailing[1]); // rint(1000 - 33.33) - 1
        assertEquals(932, trailing[2]); // rint(933.33) - 1
        assertEquals(32, trailing[29]); // rint(33.33) - 1
        assertEquals(0, trailing[30]);
        // numpy rounds half to even: N = 1000, 16 steps, ratio 62.5: 1000 - 187.5 = 812.5 -> 812 -> 811
        assertEquals(811, TimeGrid.trailing(SD, 16).stepIndices()[3]);
        int[] lin = TimeGrid.linspace(SD, 30).stepIndices();
        assertEquals(30, lin.length);
        assertEquals(999, lin[0]);
        assertEquals(965, lin[1]); // rint(28 * 999 / 29) = rint(964.55)
        assertEquals(0, lin[29]);
        assertEquals(29, TimeGrid.linspace(SD, 30).steps());
    }

    @Test
    void uniformLogSnrIsEvenInLogSnr() {
        for (NoiseSchedule s : new NoiseSchedule[] {Schedules.flowMatching(), SD, Schedules.vpCosine(),
            Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2))}) {
            TimeGrid g = TimeGrid.uniformLogSnr(s, 0.98, 0.01, 12);
            assertEquals(0.98, g.t(0));
            assertEquals(0.01, g.t(12));
            double step = (s.logSnr(0.01) - s.logSnr(0.98)) / 12;
            for (int i = 0; i < 12; i++) {
                assertEquals(step, s.logSnr(g.t(i + 1)) - s.logSnr(g.t(i)), 1e-9, s.name() + " step " + i);
            }
        }
    }

    private static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void invalidGridsAreRejectedWithClearMessages() {
        assertMessage(() -> TimeGrid.uniform(1, 0, 0), "steps = 0", "steps >= 1");
        assertMessage(() -> TimeGrid.uniform(1.5, 0, 3), "start = 1.5", "0 <= start <= 1");
        assertMessage(() -> TimeGrid.of(0.9, 0.5, 0.7), "strictly monotone", "index 2");
        assertMessage(() -> TimeGrid.of(0.9), "at least 2");
        assertMessage(() -> TimeGrid.leading(SD, 30, 50), "offset = 50", "0 <= offset <= 42");
        assertMessage(() -> TimeGrid.leading(SD, 1001, 0), "steps = 1001", "1 <= steps <= 1000");
        assertMessage(() -> TimeGrid.trailing(SD, 0), "steps = 0");
        assertMessage(() -> TimeGrid.linspace(SD, 1), "steps = 1", "2 <= steps");
    }

    /**
     * A log-SNR grid that cannot be built says why and what would do: an end where the log-SNR is infinite (flow
     * matching at t = 0 and t = 1) cannot be reached in equal log-SNR steps; equal ends, ends outside [0, 1] or NaN
     * leave no range; more steps than the doubles between the ends give two equal times. Each message names the
     * argument, its value and what is allowed (it used to be "time 0 of the grid is NaN" or "grid times are not
     * strictly monotone at index 1", naming no argument).
     */
    @Test
    void aLogSnrGridThatCannotBeBuiltSaysWhy() {
        NoiseSchedule fm = Schedules.flowMatching();
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 1, 0, 10), "start = 1.0", "logSnr(start) = -Infinity",
                "end = 0.0", "logSnr(end) = Infinity", "equal log-SNR steps", "allowed:", "finite log-SNR",
                "TimeGrid.uniform(start, end, steps)");
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 0.9, 0, 10), "end = 0.0", "logSnr(end) = Infinity", "allowed:");
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 0.5, 0.5, 10), "start = 0.5", "end = 0.5", "allowed:",
                "start != end");
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 1.5, 0.1, 10), "start = 1.5", "allowed:", "0 <= start <= 1");
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 0.9, Double.NaN, 10), "end = NaN", "allowed:", "0 <= end <= 1");
        assertMessage(() -> TimeGrid.uniformLogSnr(fm, 0.5 + 1e-14, 0.5, 1000), "steps = 1000", "allowed:",
                "equal times");
    }

    /**
     * Degenerate arguments that used to slip through to a message about the grid's times instead of the argument:
     * diffusers' leading spacing with one step and offset 0 has the single step 0 (no interval); a uniform grid with
     * equal ends, an end that is NaN or outside [0, 1], or more steps than the doubles between its ends.
     */
    @Test
    void degenerateGridArgumentsAreRefusedByName() {
        assertMessage(() -> TimeGrid.leading(SD, 1, 0), "steps = 1", "offset = 0", "allowed:", "offset >= 1",
                "steps >= 2");
        assertEquals(1, TimeGrid.leading(SD, 1, 1).steps());   // step 1, then 0: one interval
        assertMessage(() -> TimeGrid.uniform(0.5, 0.5, 3), "start = 0.5", "end = 0.5", "start != end");
        assertMessage(() -> TimeGrid.uniform(Double.NaN, 0, 3), "start = NaN", "0 <= start <= 1");
        assertMessage(() -> TimeGrid.uniform(1, -0.1, 3), "end = -0.1", "0 <= end <= 1");
        assertMessage(() -> TimeGrid.uniform(0.5 + 1e-15, 0.5, 100), "steps = 100", "equal times", "allowed:");
    }

    @Test
    void gridsAreValues() {
        assertEquals(TimeGrid.uniform(1, 0, 5), TimeGrid.of(1, 0.8, 0.6, 0.4, 0.2, 0));
        assertEquals(TimeGrid.uniform(1, 0, 5).hashCode(), TimeGrid.of(1, 0.8, 0.6, 0.4, 0.2, 0).hashCode());
        double[] times = TimeGrid.uniform(1, 0, 5).times();
        times[0] = 0.5;
        assertEquals(1.0, TimeGrid.uniform(1, 0, 5).t(0));
    }

    /** A null schedule was a bare NullPointerException from inside the factory. */
    @Test
    void aNullScheduleIsRefusedByName() {
        for (Executable e : new Executable[] {() -> TimeGrid.uniformLogSnr(null, 0.9, 0.1, 3),
                () -> TimeGrid.leading(null, 30, 1), () -> TimeGrid.trailing(null, 30), () -> TimeGrid.linspace(null, 30)}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
            assertTrue(ex.getMessage().startsWith("schedule = null; allowed:"), ex.getMessage());
        }
    }
}
