package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.ProgressStreams;

/**
 * Progress of a program whose output goes to a log file or a pipe ({@code java Main > run.log}, {@code nohup}, a
 * batch job). Rewriting one line with "\r" there wrote every update of the run onto a single line of the file: four
 * updates a second, megabytes by the morning, and {@code tail -f run.log} showed nothing until the run ended. Such a
 * stream now gets whole lines, few of them; a terminal or a notebook (a stream declared in place) keeps the line
 * rewritten in place. The tests drive the listener with fixed progress values, so the output is exact.
 */
class ProgressLineLogTest {

    static TrainResult done(long steps) {
        return new TrainResult(steps, steps, 1, 2, 2, false, new double[(int) steps], new double[(int) steps], 0);
    }

    static TrainProgress step(long n) {
        return new TrainProgress(n, 5, 1.5, 1.5, 4, 20, (5 - n) * 0.05);
    }

    @Test
    void aStreamThatIsNoTerminalGetsWholeLinesAndFewOfThem() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressLine line = new ProgressLine(log); // as the trainer builds it for its progress stream
        for (long n = 1; n <= 5; n++) {
            line.onStep(step(n));
        }
        line.onEnd(done(5));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), "no carriage return in a log: " + out);
        String n = System.lineSeparator();
        // the first step, nothing more within ten seconds, the last step, the summary
        assertEquals(ProgressLine.format(step(1)) + n + ProgressLine.format(step(5)) + n
                + ProgressLine.summary(done(5)) + n, out);
    }

    @Test
    void anInterruptedRunInALogEndsWithItsSummaryLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(buf, true, StandardCharsets.UTF_8), 0);
        line.onStep(step(1));
        line.onStep(step(2));
        TrainResult stopped = new TrainResult(2, 2, 0.1, 1.5, 1.5, true, new double[2], new double[2], 0);
        line.onEnd(stopped);
        String n = System.lineSeparator();
        assertEquals(ProgressLine.format(step(1)) + n + ProgressLine.format(step(2)) + n
                + "interrupted: 2 of 5 steps, 0.050 s/step, mean loss 1.5000 (trainer at step 2)" + n,
                buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamDeclaredInPlaceKeepsOneLineRewritten() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream notebook = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertFalse(ProgressStreams.rewritesInPlace(notebook), "an ordinary stream is not rewritten in place");
        ProgressStreams.declareInPlace(notebook);
        assertTrue(ProgressStreams.rewritesInPlace(notebook));
        ProgressLine line = new ProgressLine(notebook);
        line.onStep(step(1));
        line.onStep(step(5));
        line.onEnd(done(5));
        String n = System.lineSeparator();
        assertEquals("\r" + ProgressLine.format(step(1)) + "   \r" + ProgressLine.format(step(5)) + "   " + n
                + ProgressLine.summary(done(5)) + n, buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void standardOutputOfAForkedTestJvmIsNoTerminal() {
        // surefire runs the tests with standard output on a pipe, as a batch job with its output in a log file
        assertFalse(ProgressStreams.rewritesInPlace(System.out));
        assertFalse(ProgressStreams.rewritesInPlace(System.err));
    }
}
