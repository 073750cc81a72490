package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The progress of a call that is one part of a longer run (an experiment's slice), whose caller prints its own line
 * when the part ends: the trainer's display with a label in front, erased at the end in place, and in a log only a
 * whole line every interval into the call, so that short parts add nothing to the caller's lines. The tests drive the
 * listener with fixed progress values; where the interval matters they wait past it.
 */
class ProgressLinePartTest {

    static final String N = System.lineSeparator();

    static String run(ProgressLine line, ByteArrayOutputStream buf, long steps, long pauseMillis) throws Exception {
        for (long n = 1; n <= steps; n++) {
            line.onStep(ProgressLineLogTest.step(n));
            Thread.sleep(pauseMillis);
        }
        line.onEnd(ProgressLineLogTest.done(steps));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void inPlaceTheLabelledLineIsErasedAtTheEndSoThatTheCallersLineTakesItsPlace() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressLine line = ProgressLine.part(new PrintStream(buf, true, StandardCharsets.UTF_8), "[vanilla] ", 0, true);
        String out = run(line, buf, 2, 0);
        String first = "[vanilla] " + ProgressLine.format(ProgressLineLogTest.step(1)) + "   ";
        String second = "[vanilla] " + ProgressLine.format(ProgressLineLogTest.step(2)) + "   ";
        // no newline and no summary: blanks over the line, the cursor back at its start
        assertEquals("\r" + first + "\r" + second + "\r" + " ".repeat(second.length()) + "\r", out);
    }

    @Test
    void inALogAPartShorterThanTheIntervalPrintsNothing() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressLine line = ProgressLine.part(new PrintStream(buf, true, StandardCharsets.UTF_8), "[a] ", 60, false);
        assertEquals("", run(line, buf, 5, 0), "no first step, last step or summary line of its own");
    }

    @Test
    void inALogALongPartGetsAWholeLineEachIntervalAndNoneAtItsEnds() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressLine line = ProgressLine.part(new PrintStream(buf, true, StandardCharsets.UTF_8), "[a] ", 0.2, false);
        // steps 0.15 s apart: step 1 starts the clock, step 3 (0.3 s) is the first past 0.2 s, step 5 (0.6 s) the
        // next at least 0.2 s after it (sleeps only get longer on a loaded machine, which can only move a line later)
        long t0 = System.nanoTime();
        String out = run(line, buf, 5, 150);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        String[] lines = out.split(N);
        assertTrue(out.endsWith(N) && !out.contains("\r"), out);
        assertTrue(lines.length >= 1 && lines.length <= Math.floor(elapsed / 0.2),
                "at most one line per 0.2 s, none in the first 0.2 s (" + elapsed + " s): " + out);
        for (String l : lines) {
            assertTrue(l.startsWith("[a] step ") && !l.startsWith("[a] step 1/"), l);
        }
        assertEquals("", run(line, buf, 1, 0).substring(out.length()), "a next call starts its own clock");
    }

    @Test
    void aPartNeedsAStreamALabelAndAnInterval() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgressLine.part(null, "[a] "))
                .getMessage().startsWith("out = null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgressLine.part(out, null))
                .getMessage().startsWith("label = null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgressLine.part(out, "", -1, false))
                .getMessage().startsWith("minIntervalSeconds = -1.0; allowed: a finite number >= 0"));
    }
}
