package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * The sampling time in an experiment's table is the median of several calls of each arm's sampler, made with the
 * arms in turn, instead of one call, which a loaded machine makes noisy. A one-weight network counts its inference
 * passes and sleeps on the final sampling passes as a schedule says, so that each call takes a known time.
 */
class SamplingCallsTest {

    static final AtomicLong PASSES = OneWeightNetwork.PASSES;

    /** Passes of the evaluations: two per arm (untrained, after the one slice), 3 passes for vanilla, 2 x 2 for K = 2. */
    static final long EVALUATION_PASSES = 2 * 3 + 2 * 4;
    /** Passes of one round of final sampling: vanilla's 3, then the pyramid's 4. */
    static final long ROUND = 7;

    static Experiment experiment() {
        return Experiment.of(InterruptedRunTest.DATA, tpdiff4j.nn.ModelConfig.tiny(InterruptedRunTest.DATA.spec()))
                .arm(Arm.of("vanilla", TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8)).withSteps(3))
                .arm(Arm.of("tpdiff", TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8)).withSteps(2))
                .withNetwork("one-weight", OneWeightNetwork::network)
                .withBudget(Budget.steps(2)).withEvalPoints(1).withEvalClips(2).withSampleClips(2).withBatchSize(2);
    }

    @AfterEach
    void clear() {
        OneWeightNetwork.reset();
    }

    @Test
    void theTableShowsTheMedianOfThreeCallsMadeWithTheArmsInTurn() {
        // per call: vanilla 3 passes of 10, 40, 200 ms (0.03, 0.12, 0.6 s), the pyramid 4 passes of 5, 150, 30 ms
        // (0.02, 0.6, 0.12 s): the medians, 0.12 s each, are neither the first nor the last call nor the mean (0.25 s)
        long[][] perPass = {{10, 40, 200}, {5, 150, 30}};
        OneWeightNetwork.sleepMillis = pass -> {
            long k = pass - EVALUATION_PASSES - 1;
            if (k < 0) {
                return 0;
            }
            int call = (int) (k / ROUND);
            return call > 2 ? 0 : perPass[k % ROUND < 3 ? 0 : 1][call];
        };
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ExperimentResult r = experiment().run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertTrue(r.complete());
        assertEquals(3, r.experiment().samplingCalls(), "three calls by default");
        assertEquals(EVALUATION_PASSES + 3 * ROUND, PASSES.get(), "each sampler called three times");
        for (ArmResult a : r.arms()) {
            // each call lasts at least its sleeps; the overhead of a one-weight pass is far below the 0.12 s margin
            assertTrue(a.sampleSeconds() >= 0.12 && a.sampleSeconds() < 0.24, a.name() + ": " + a.sampleSeconds());
        }
        assertTrue(r.table().contains("sampling seconds (2 clips, median of 3 calls)"), r.table());
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("[vanilla] sampled 2 clips in 0.1") && log.contains(" s (median of 3 calls)"), log);
    }

    @Test
    void theClipsAndTheirMetricsAreThoseOfASingleCall() {
        ExperimentResult three = experiment().withProgress(false).run();
        ExperimentResult one = experiment().withSamplingCalls(1).withProgress(false).run();
        assertEquals(EVALUATION_PASSES * 2 + 4 * ROUND, PASSES.get(), "three calls, then one");
        for (ArmResult a : three.arms()) {
            ArmResult b = one.arm(a.name());
            assertFalse(a.metrics().isEmpty());
            assertEquals(b.metrics(), a.metrics(), a.name());
            assertArrayEquals(b.clips(), a.clips(), a.name());
            assertArrayEquals(b.curve().qualities(), a.curve().qualities(), a.name());
        }
        assertTrue(one.table().contains("sampling seconds (2 clips, one call)"), one.table());
    }

    @Test
    void theNumberOfCallsIsSavedAndAFileWithoutItRecordsOneCall() {
        Experiment three = experiment();
        String json = three.toJson();
        assertTrue(json.contains("\"samplingCalls\":3"), json);
        assertEquals(three, Experiment.fromJson(json, InterruptedRunTest.DATA).withNetwork("one-weight",
                OneWeightNetwork::network));
        Experiment one = three.withSamplingCalls(1);
        assertFalse(one.toJson().contains("samplingCalls"), "one call, as files written before the median record");
        assertEquals(1, Experiment.fromJson(json.replace(",\"samplingCalls\":3", ""), InterruptedRunTest.DATA)
                .samplingCalls());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> three.withSamplingCalls(0));
        assertTrue(e.getMessage().startsWith("samplingCalls = 0; allowed: >= 1"), e.getMessage());
    }

    @Test
    void anInterruptDuringALaterCallKeepsEveryArmsMetricsAndTheCallsThatFinished() {
        OneWeightNetwork.interruptAt = EVALUATION_PASSES + ROUND + 1; // the first pass of vanilla's second call
        ExperimentResult r = experiment().withProgress(false).run();
        assertFalse(r.complete());
        assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
        assertTrue(PASSES.get() <= EVALUATION_PASSES + ROUND + 3, "no pyramid call after the interrupt: " + PASSES);
        for (ArmResult a : r.arms()) {
            assertTrue(a.metrics().containsKey("frechet"), a.name() + " scored from its first call");
            assertTrue(a.sampleSeconds() > 0, a.name() + ": the time of its first call");
        }
        assertTrue(r.table().endsWith("(interrupted: partial results)"), r.table());
    }
}
