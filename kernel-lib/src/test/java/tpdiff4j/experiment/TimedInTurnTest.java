package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Timing compared work in turn: each piece called as many times, interleaved, and the median of each kept. The times
 * come from sleeps of known length, far enough apart that a loaded machine (which only lengthens a sleep) cannot
 * reorder them.
 */
class TimedInTurnTest {

    @AfterEach
    void clear() {
        Thread.interrupted();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePiecesAreCalledInTurnWithTheirRoundAndTheWorkAfterEachCallIsOffTheClock() {
        List<String> order = new ArrayList<>();
        TimedInTurn t = TimedInTurn.time(3, List.of((IntConsumer) c -> order.add("a" + c), c -> order.add("b" + c)),
                (w, c) -> {
                    order.add("after " + w + "," + c);
                    sleep(50); // scoring a call's result: not part of its time
                });
        assertEquals(List.of("a0", "after 0,0", "b0", "after 1,0", "a1", "after 0,1", "b1", "after 1,1", "a2",
                "after 0,2", "b2", "after 1,2"), order);
        assertFalse(t.interrupted());
        for (int w = 0; w < 2; w++) {
            assertEquals(3, t.calls(w));
            for (double s : t.seconds(w)) {
                assertTrue(s >= 0 && s < 0.05, "the 50 ms after each call are not counted: " + s);
            }
        }
    }

    @Test
    void eachPieceKeepsTheMedianOfItsCalls() {
        long[] millis = {20, 120, 600}; // the middle call is the median; the mean (247 ms) and the ends are not
        TimedInTurn t = TimedInTurn.time(3, c -> sleep(millis[c]), c -> sleep(millis[2 - c]));
        for (int w = 0; w < 2; w++) {
            double m = t.median(w);
            assertTrue(m >= 0.120 && m < 0.240, "median " + m + " of " + java.util.Arrays.toString(t.seconds(w)));
        }
        assertTrue(t.seconds(0)[2] >= 0.6 && t.seconds(1)[0] >= 0.6, "in call order");
        assertTrue(t.toString().contains("(median of 3 calls)"), t.toString());
    }

    @Test
    void anEvenCountTakesTheMeanOfTheTwoMiddleCalls() {
        TimedInTurn t = new TimedInTurn(List.of(new double[] {4, 1, 3, 10}, new double[0]), true);
        assertEquals(3.5, t.median(0), 0.0);
        assertTrue(Double.isNaN(t.median(1)), "no call finished: no time");
        assertEquals(t, new TimedInTurn(List.of(new double[] {4, 1, 3, 10}, new double[0]), true),
                "equal by value");
    }

    @Test
    void aCancelledCallEndsTheTimingWithTheCallsThatFinishedAndTheFlagSetAgain() {
        int[] calls = {0};
        TimedInTurn t = TimedInTurn.time(3, c -> calls[0]++, c -> {
            calls[0]++;
            if (c == 1) { // as a sampler does when the thread is interrupted
                throw new CancellationException("sampling interrupted");
            }
        });
        assertEquals(4, calls[0], "a0 b0 a1 b1, then nothing");
        assertTrue(t.interrupted());
        assertEquals(2, t.calls(0));
        assertEquals(1, t.calls(1), "the cancelled call is not counted");
        assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
    }

    @Test
    void anInterruptSeenBetweenCallsStopsBeforeTheNextOne() {
        int[] calls = {0};
        TimedInTurn t = TimedInTurn.time(3, c -> {
            calls[0]++;
            Thread.currentThread().interrupt(); // a work that does not check the flag itself
        }, c -> calls[0]++);
        assertEquals(1, calls[0]);
        assertTrue(t.interrupted());
        assertEquals(List.of(1, 0), List.of(t.calls(0), t.calls(1)));
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        IntConsumer w = c -> { };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimedInTurn.time(0, w)).getMessage()
                .startsWith("calls = 0; allowed: >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimedInTurn.time(3)).getMessage()
                .startsWith("works = none; allowed: at least one piece of work"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimedInTurn.time(3, w, null)).getMessage()
                .startsWith("works = a list holding null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimedInTurn.time(3, List.of(w), null))
                .getMessage().startsWith("after = null"));
        TimedInTurn t = TimedInTurn.time(1, w);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.median(1)).getMessage()
                .startsWith("work = 1; allowed: 0 to 0"));
    }

    /**
     * Samplers timed in turn: each call makes its arrays in a manager of its own, freed after the call; the first
     * call's clips reach the caller while still open (one copy kept in the caller's manager survives); an interrupt
     * during a call frees that call's arrays too and keeps the calls that finished.
     */
    @Test
    void samplersGetTheirOwnArraysPerCallAndHandOverTheFirstClips() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            List<ai.djl.ndarray.NDManager> made = new ArrayList<>();
            List<String> order = new ArrayList<>();
            TimedInTurn.Sampling a = (arrays, call) -> {
                made.add(arrays);
                order.add("a" + call);
                return arrays.create(new float[] {1, 2, call});
            };
            TimedInTurn.Sampling b = (arrays, call) -> {
                made.add(arrays);
                order.add("b" + call);
                return arrays.create(new float[] {3, call});
            };
            ai.djl.ndarray.NDArray[] kept = new ai.djl.ndarray.NDArray[2];
            List<String> handed = new ArrayList<>();
            TimedInTurn t = TimedInTurn.sampling(3, m, List.of(a, b), (i, clips) -> {
                handed.add(i + ":" + java.util.Arrays.toString(clips.toFloatArray()));
                kept[i] = clips.duplicate();
                kept[i].attach(m);
            });
            assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), order);
            assertEquals(List.of("0:[1.0, 2.0, 0.0]", "1:[3.0, 0.0]"), handed, "the first call's clips, once each");
            assertEquals(List.of(3, 3), List.of(t.calls(0), t.calls(1)));
            assertEquals(6, made.stream().distinct().count(), "a manager per call");
            assertTrue(made.stream().noneMatch(ai.djl.ndarray.NDManager::isOpen), "every call's arrays freed");
            assertEquals(3f, kept[1].getFloat(0), "a copy attached to the caller's manager stays");

            made.clear();
            TimedInTurn stopped = TimedInTurn.sampling(3, m, List.of(a, (arrays, call) -> {
                made.add(arrays);
                throw new CancellationException("interrupted");
            }), (i, clips) -> { });
            assertTrue(stopped.interrupted() && Thread.interrupted(), "the flag is set again for the caller");
            assertEquals(List.of(1, 0), List.of(stopped.calls(0), stopped.calls(1)));
            assertTrue(made.stream().noneMatch(ai.djl.ndarray.NDManager::isOpen), "the stopped call's arrays freed");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> TimedInTurn.sampling(1, m, List.of(),
                    (i, c) -> { })).getMessage().startsWith("samplers = none; allowed: at least one sampler"));
        }
    }
}
