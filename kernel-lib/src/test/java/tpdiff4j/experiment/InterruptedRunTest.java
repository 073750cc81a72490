package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * An interrupt that arrives while a side-by-side run or an experiment is sampling (an evaluation, or the final
 * samples) ends the run with what it measured before, instead of losing every curve to the sampler's
 * CancellationException.
 */
class InterruptedRunTest {

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    static final AtomicLong PASSES = OneWeightNetwork.PASSES;

    @AfterEach
    void clear() {
        OneWeightNetwork.reset();
    }

    @Test
    void anInterruptDuringAnEvaluationKeepsTheCurvesMeasuredBefore() {
        VideoSampler sampler = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 3).withProgress(false);
        try (NDManager nd = tpdiff4j.nn.Compute.newManager();
             Trainer t = Trainer.builder().withNetwork(OneWeightNetwork::network)
                     .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(DATA).withProgress(false)
                     .build()) {
            int[] evaluations = {0};
            SideBySide.Lane lane = new SideBySide.Lane("vanilla", t, tr -> {
                evaluations[0]++;
                try (NDManager m = nd.newSubManager()) {
                    return tr.withEmaWeights(() -> sampler.sample(tr.denoiser(), m, 2, DATA.spec(), 5)).abs().mean()
                            .getFloat();
                }
            });
            OneWeightNetwork.interruptAt = 3 * 2 + 2; // second pass of the third evaluation (3 Euler passes per evaluation)
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            SideBySide.Run run = SideBySide.run(List.of(lane), Budget.steps(8), 4,
                    new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            assertFalse(run.complete());
            String lines = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(lines.endsWith("interrupted: partial results, the curves end at each lane's last evaluation;"
                    + " vanilla 4 steps" + System.lineSeparator()), "the progress log ends by saying so: " + lines);
            assertEquals(3, evaluations[0], "no evaluation after the interrupted one");
            QualityCurve c = run.outcomes().get(0).curve();
            assertEquals(2, c.points().size(), "untrained and after slice 1; the interrupted evaluation adds none");
            assertEquals(2, c.points().get(1).steps());
            assertEquals(4, t.stepCount(), "slices 1 and 2 trained; the run stopped in the evaluation after slice 2");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
        }
    }

    static Experiment experiment() {
        return Experiment.of(DATA, tpdiff4j.nn.ModelConfig.tiny(DATA.spec()))
                .arm(Arm.of("vanilla", TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8)).withSteps(3))
                .arm(Arm.of("tpdiff", TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8)).withSteps(2))
                .withNetwork("one-weight", OneWeightNetwork::network)
                .withBudget(Budget.steps(4)).withEvalPoints(2).withEvalClips(2).withSampleClips(2).withBatchSize(2)
                .withProgress(false);
    }

    @Test
    void anInterruptDuringTheFinalSamplingKeepsTheCurvesAndTheArmsSampledBefore() {
        // inference passes: 3 evaluations of each arm (3 and 2 + 2 passes), then the final samples of each arm
        long evaluationPasses = 3 * 3 + 3 * 4;
        OneWeightNetwork.interruptAt = evaluationPasses + 3 + 1; // first pass of the second arm's final samples
        ExperimentResult r = experiment().run();
        assertFalse(r.complete());
        assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
        assertEquals(evaluationPasses + 3 + 1, PASSES.get(), "nothing sampled after the interrupt");
        for (ArmResult a : r.arms()) {
            assertEquals(3, a.curve().points().size(), a.name() + ": every evaluation kept");
        }
        assertTrue(r.arm("vanilla").metrics().containsKey("frechet"), "sampled before the interrupt");
        assertTrue(r.arm("tpdiff").metrics().isEmpty(), "interrupted while sampling: no metrics");
        assertEquals(0, r.arm("tpdiff").shape()[0]);
        assertTrue(r.table().endsWith("(interrupted: partial results)"), r.table());
    }

    @Test
    void anInterruptDuringTheFirstEvaluationLeavesLaterArmsWithoutPointsAndTheTableStillPrints() {
        OneWeightNetwork.interruptAt = 3 + 1; // the second arm's untrained evaluation
        ExperimentResult r = experiment().run();
        assertFalse(r.complete());
        assertEquals(1, r.arm("vanilla").curve().points().size());
        assertEquals(0, r.arm("vanilla").steps(), "no training after the interrupt");
        assertTrue(r.arm("tpdiff").curve().points().isEmpty());
        String table = r.table();
        assertTrue(table.contains("(interrupted: partial results)"), table);
        IllegalStateException e = assertThrows(IllegalStateException.class, r::video);
        assertTrue(e.getMessage().contains("table() and plot() show what it measured, and experiment().run() runs the"
                + " experiment again"), "says what to do instead: " + e.getMessage());
    }
}
