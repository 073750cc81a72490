package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.StageNetwork;
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

    /** Inference passes so far, and the pass (1-based) on which the network interrupts its own thread; 0: never. */
    static final AtomicLong PASSES = new AtomicLong();
    static final AtomicLong INTERRUPT_AT = new AtomicLong();

    /** {@code f = a x}: one weight; interrupts the calling thread at inference pass INTERRUPT_AT, as a user would. */
    static final class Scaling extends AbstractBlock {
        final Parameter a = addParameter(Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1)).build());

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            if (!training && PASSES.incrementAndGet() == INTERRUPT_AT.get()) {
                Thread.currentThread().interrupt();
            }
            NDArray x = in.get(0);
            return new NDList(x.mul(ps.getValue(a, x.getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    static StageNetwork network(NDManager m) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1); // the same start for every arm
        Scaling block = new Scaling();
        block.initialize(m, DataType.FLOAT32, new Shape(1, 8, 1, 16, 16), new Shape(1), new Shape(8));
        return StageNetwork.of("scaling", block, 8);
    }

    @AfterEach
    void clear() {
        Thread.interrupted();
        INTERRUPT_AT.set(0);
        PASSES.set(0);
    }

    @Test
    void anInterruptDuringAnEvaluationKeepsTheCurvesMeasuredBefore() {
        VideoSampler sampler = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 3).withProgress(false);
        try (NDManager nd = tpdiff4j.nn.Compute.newManager();
             Trainer t = Trainer.builder().withNetwork(InterruptedRunTest::network)
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
            INTERRUPT_AT.set(3 * 2 + 2); // second pass of the third evaluation (3 Euler passes per evaluation)
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
                .withNetwork("scaling", InterruptedRunTest::network)
                .withBudget(Budget.steps(4)).withEvalPoints(2).withEvalClips(2).withSampleClips(2).withBatchSize(2)
                .withProgress(false);
    }

    @Test
    void anInterruptDuringTheFinalSamplingKeepsTheCurvesAndTheArmsSampledBefore() {
        // inference passes: 3 evaluations of each arm (3 and 2 + 2 passes), then the final samples of each arm
        long evaluationPasses = 3 * 3 + 3 * 4;
        INTERRUPT_AT.set(evaluationPasses + 3 + 1); // first pass of the second arm's final samples
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
        INTERRUPT_AT.set(3 + 1); // the second arm's untrained evaluation
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
