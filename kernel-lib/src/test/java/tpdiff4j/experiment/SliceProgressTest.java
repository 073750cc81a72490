package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.ProgressStreams;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * An experiment shows the progress of a slice while it trains: before, a slice could train for a minute with nothing
 * on the screen until its line came. Each arm's trainer now shows the trainer's own progress line, labelled with the
 * arm, rewritten in place in a notebook and erased when the slice's line takes its place; on a log stream a whole
 * line at most every ten seconds of a slice; nothing at all when progress is off. An interrupt inside a slice still
 * stops after the step under way. The network is one weight (fast steps), the slices last a second or so.
 */
class SliceProgressTest {

    static final String N = System.lineSeparator();

    @AfterEach
    void clear() {
        Thread.interrupted();
    }

    /** One vanilla arm of the one-weight network, trained for {@code seconds} in {@code slices} slices. */
    static Experiment experiment(double seconds, int slices) {
        return Experiment.of(InterruptedRunTest.DATA, tpdiff4j.nn.ModelConfig.tiny(InterruptedRunTest.DATA.spec()))
                .arm(Arm.of("vanilla", TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8)).withSteps(3))
                .withNetwork("one-weight", OneWeightNetwork::network)
                .withBudget(Budget.seconds(seconds)).withEvalPoints(slices).withEvalClips(2).withSampleClips(2)
                .withBatchSize(2).withSamplingCalls(1);
    }

    static PrintStream capture(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
    }

    /** The lines as a notebook shows them: each line's text after its last carriage return. */
    static List<String> shown(String out) {
        return Arrays.stream(out.split(N, -1)).map(l -> l.substring(l.lastIndexOf('\r') + 1)).toList();
    }

    static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void inANotebookASliceShowsItsStepsInPlaceAndTheSlicesLineTakesTheirPlace() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream notebook = capture(buf);
        ProgressStreams.declareInPlace(notebook); // as the kernel declares a cell's output
        ExperimentResult r = experiment(2.0, 2).run(notebook);
        assertTrue(r.complete());
        String out = buf.toString(StandardCharsets.UTF_8);
        String slice1 = "[vanilla] slice 1 of 2: ";
        String during = out.substring(out.indexOf("[vanilla] 0.0 s, 0 steps"), out.indexOf(slice1));
        int updates = count(during, "\r[vanilla] step ");
        double seconds = r.arm("vanilla").curve().points().get(1).seconds();
        // the first step, then at most one rewrite every 0.25 s of the slice (about a second)
        assertTrue(updates >= 2 && updates <= seconds / 0.25 + 1, updates + " updates in " + seconds + " s: " + during);
        assertFalse(during.substring(during.indexOf('\r')).contains(N), "one line, rewritten: " + during);
        assertTrue(during.matches("(?s).*\r +\r$"), "erased before the slice's line: " + during);
        List<String> lines = shown(out);
        assertEquals(6, lines.size(), "header, untrained, two slices, sampled, end: " + lines);
        assertTrue(lines.get(2).startsWith(slice1) && lines.get(3).startsWith("[vanilla] slice 2 of 2: "), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains(" step ") && l.contains(" ETA ")), "no progress left: " + lines);
    }

    @Test
    void onALogStreamASliceShorterThanTenSecondsAddsNoLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertTrue(experiment(1.0, 2).run(capture(buf)).complete());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r") || out.contains(" ETA "), out);
        assertEquals(6, out.split(N, -1).length, "header, untrained, two slices, sampled, end: " + out);
    }

    @Test
    void withProgressOffNothingIsPrinted() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream captured = capture(buf);
        ProgressStreams.declareInPlace(captured); // it would show progress in place
        System.setOut(captured);
        try {
            assertTrue(experiment(1.0, 1).withProgress(false).run().complete());
            assertTrue(experiment(1.0, 1).run(null).complete());
        } finally {
            System.setOut(stdout);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptInsideALongSliceWithProgressOnStopsAfterTheStepUnderWay() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream notebook = capture(buf);
        ProgressStreams.declareInPlace(notebook);
        Thread runner = Thread.currentThread();
        long[] interruptedAt = {0};
        Thread user = new Thread(() -> { // presses Interrupt once the slice shows its progress
            while (!buf.toString(StandardCharsets.UTF_8).contains("\r[vanilla] step ")) {
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            interruptedAt[0] = System.nanoTime();
            runner.interrupt();
        });
        user.start();
        ExperimentResult r = experiment(120, 1).run(notebook); // one slice of two minutes
        long returned = System.nanoTime();
        user.join();
        assertFalse(r.complete());
        assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
        double afterInterrupt = (returned - interruptedAt[0]) / 1e9;
        assertTrue(interruptedAt[0] > 0 && afterInterrupt < 2, "returned " + afterInterrupt + " s after the interrupt");
        assertTrue(r.arm("vanilla").steps() > 0 && r.arm("vanilla").trainSeconds() < 60, r.toString());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*\r +\rinterrupted: partial results[^\r]*"), "the progress line is erased and the"
                + " run says it was interrupted: " + out.substring(Math.max(0, out.length() - 300)));
    }
}
