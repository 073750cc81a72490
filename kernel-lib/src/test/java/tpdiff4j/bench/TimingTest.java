package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    /** Warm-up rounds and timed rounds alternate a, b, a, b: neither work is timed in a block of its own. */
    @Test
    void interleavedAlternatesTheTwoWorksAndTimesEachCall() {
        List<String> calls = new ArrayList<>();
        double[][] ms = Timing.interleaved(() -> calls.add("a"), () -> calls.add("b"), 2, 3);
        assertEquals(List.of("a", "b", "a", "b", "a", "b", "a", "b", "a", "b"), calls);
        assertEquals(2, ms.length);
        assertEquals(3, ms[0].length);
        assertEquals(3, ms[1].length);
    }

    /** Any number of works: each round runs them all in order, the warm-up rounds too; row k holds work k's times. */
    @Test
    void roundRobinRunsEveryWorkOnceARoundAndTimesEachApart() {
        List<String> calls = new ArrayList<>();
        double[][] ms = Timing.roundRobin(1, 2, () -> calls.add("a"), () -> calls.add("b"), () -> {
            calls.add("c");
            sleep(10);
        });
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), calls);
        assertEquals(3, ms.length);
        for (int i = 0; i < 2; i++) {
            assertTrue(ms[2][i] >= 9.5 && ms[0][i] < ms[2][i] && ms[1][i] < ms[2][i], java.util.Arrays.deepToString(ms));
        }
    }

    /** Each array holds its own work's time: a sleep of 20 ms in b, none in a. */
    @Test
    void interleavedKeepsEachWorksTimeApart() {
        double[][] ms = Timing.interleaved(() -> { }, () -> sleep(20), 0, 2);
        for (int i = 0; i < 2; i++) {
            assertTrue(ms[1][i] >= 19.5, "b's call " + i + " took " + ms[1][i] + " ms"); // a sleep is never shorter
            assertTrue(ms[0][i] < ms[1][i], "a's call " + i + " took " + ms[0][i] + " ms");
        }
    }

    @Test
    void interleavedStopsWhenTheThreadIsInterrupted() {
        int[] runs = {0};
        Thread.currentThread().interrupt();
        try {
            Timing.interleaved(() -> runs[0]++, () -> runs[0]++, 1, 2);
            throw new AssertionError("not stopped");
        } catch (java.util.concurrent.CancellationException expected) {
            assertArrayEquals(new int[] {0}, runs);
        } finally {
            Thread.interrupted();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
