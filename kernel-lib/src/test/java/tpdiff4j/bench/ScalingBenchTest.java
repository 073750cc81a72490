package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The step-cost scan end to end on the tiny model: the numbers it writes for every frame count, the fits made from
 * exactly the medians it reports, its table rows and log lines. Times are not judged (speed is the benchmark's
 * business, not a unit test's).
 */
class ScalingBenchTest {

    @Test
    void theScanTimesEveryFrameCountAndFitsTheMediansItReports() {
        Preset p = SampleBenchTest.tinyQuick();
        Report r = new Report();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ScalingBench.Row row = ScalingBench.scan(p, "scaling.", r, new PrintStream(log, true, StandardCharsets.UTF_8));

        int[] frames = p.scalingFrames();
        double[] fx = new double[frames.length], train = new double[frames.length], sample = new double[frames.length];
        String printed = log.toString(StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i < frames.length; i++) {
            int f = frames[i];
            fx[i] = f;
            train[i] = r.get("scaling.train.msF" + f);
            sample[i] = r.get("scaling.sample.msF" + f);
            double fb = r.get("scaling.train.forwardBackwardMsF" + f);
            assertTrue(train[i] > 0 && sample[i] > 0 && fb > 0, f + " frames: " + train[i] + ", " + sample[i] + ", " + fb);
            int line = printed.indexOf("[bench] scaling tiny F=" + f + ": training step ");
            assertTrue(line > at, "one line per frame count, in order: " + printed);
            at = line;
        }
        assertEquals(ExponentFit.fit(fx, train).exponent(), r.get("scaling.train.exponent"), 1e-12);
        assertEquals(ExponentFit.fit(fx, sample).exponent(), r.get("scaling.sample.exponent"), 1e-12);
        assertEquals(row.train().exponent(), r.get("scaling.train.exponent"), 0);
        assertEquals(r.get("scaling.train.forwardBackwardMsF16") / r.get("scaling.train.msF16"),
                r.get("scaling.train.forwardBackwardFraction"), 1e-12);
        double ratio = r.get("scaling.train.stepTimeRatio");
        assertTrue(ratio > 0 && Double.isFinite(ratio), "the interleaved TPDiff / vanilla step: " + ratio);
        Table costs = r.tables("scaling").get(0);
        assertEquals(frames.length, costs.rows().size(), costs.toString());
    }
}
