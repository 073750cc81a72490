package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Two trainers training on two threads, both printing progress to one stream (a notebook's {@code System.out}). A
 * progress line rewritten in place with "\r" cannot be shared: each trainer's update overwrote the other's, and the
 * reader saw one line whose step and loss jumped between two runs with nothing saying which was which. The steps
 * are driven from two named threads in a fixed order (one after the other, joined), so the output is exact.
 */
class ProgressLineOverlapTest {

    static void on(String thread, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, thread);
        t.start();
        t.join();
    }

    static TrainResult done(long steps, long total) {
        return new TrainResult(steps, total, 1, 2, 2, false, new double[(int) steps], new double[(int) steps], 0);
    }

    @Test
    void overlappingRunsPrintWholeLinesNamedByThread() throws InterruptedException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressLine a = new ProgressLine(out, 0, true), b = new ProgressLine(out, 0, true);
        TrainProgress a1 = new TrainProgress(1, 2, 1.5, 1.5, 4, 10, 0.1), a2 = new TrainProgress(2, 2, 1.25, 1.4, 4, 10, 0);
        TrainProgress b1 = new TrainProgress(1, 2, 3.5, 3.5, 4, 10, 0.1), b2 = new TrainProgress(2, 2, 3.25, 3.4, 4, 10, 0);
        on("trainer-a", () -> a.onStep(a1));   // alone: the usual line in place
        on("trainer-b", () -> b.onStep(b1));   // overlaps: whole lines from here on
        on("trainer-a", () -> a.onStep(a2));
        on("trainer-a", () -> a.onEnd(done(2, 2)));
        on("trainer-b", () -> b.onStep(b2));   // alone again: in place
        on("trainer-b", () -> b.onEnd(done(2, 2)));
        String n = System.lineSeparator();
        String expected = "\r" + ProgressLine.format(a1) + "   "
                + n + "[trainer-b] " + ProgressLine.format(b1) + n
                + "[trainer-a] " + ProgressLine.format(a2) + n
                + "[trainer-a] " + ProgressLine.summary(done(2, 2)) + n
                + "\r" + ProgressLine.format(b2) + "   "
                + n + ProgressLine.summary(done(2, 2)) + n;
        assertEquals(expected, buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsOnSeparateStreamsDoNotCountAsOverlapping() throws InterruptedException {
        ByteArrayOutputStream one = new ByteArrayOutputStream(), two = new ByteArrayOutputStream();
        ProgressLine a = new ProgressLine(new PrintStream(one, true, StandardCharsets.UTF_8), 0, true);
        ProgressLine b = new ProgressLine(new PrintStream(two, true, StandardCharsets.UTF_8), 0, true);
        on("trainer-a", () -> a.onStep(new TrainProgress(1, 2, 1, 1, 4, 10, 0.1)));
        on("trainer-b", () -> b.onStep(new TrainProgress(1, 2, 1, 1, 4, 10, 0.1)));
        on("trainer-a", () -> a.onEnd(done(1, 1)));
        on("trainer-b", () -> b.onEnd(done(1, 1)));
        assertFalse(one.toString(StandardCharsets.UTF_8).contains("["), one.toString(StandardCharsets.UTF_8));
        assertFalse(two.toString(StandardCharsets.UTF_8).contains("["), two.toString(StandardCharsets.UTF_8));
    }
}
