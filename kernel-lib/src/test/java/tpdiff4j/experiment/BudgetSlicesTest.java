package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * A lane trains up to the budget's share at the end of each slice, counted from what it has used: each slice used to
 * get a fixed share, so a slice that ended early on its time (slow first steps) lost its remaining steps for good, and
 * a lane under {@code Budget.of(steps, seconds)} could end below both limits.
 */
class BudgetSlicesTest {

    @Test
    void aSliceMakesUpWhatTheOneBeforeLeftAndTakesBackWhatItOverran() {
        Budget mixed = Budget.of(6, 3.0);
        assertEquals(new Budget(2, 1.0), mixed.upTo(0, 3, 0, 0));
        assertEquals(new Budget(3, 0.5), mixed.upTo(1, 3, 1, 1.5), "1 of 2 steps done, in 1.5 s");
        Budget time = Budget.seconds(6);
        assertEquals(1.5, time.upTo(1, 3, 50, 2.5).seconds(), 1e-12, "the first slice ran 0.5 s past its 2 s");
        assertNull(time.upTo(1, 3, 50, 4.5), "past the second slice's end already");
        assertNull(Budget.steps(4).upTo(1, 2, 4, 1.0), "every step done");
        for (int e = 0; e < 3; e++) { // a step budget whose slices trained theirs: the fixed slices, as before
            assertEquals(Budget.steps(7).slice(e, 3), Budget.steps(7).upTo(e, 3, 7L * e / 3, 1.0));
        }
        assertEquals(Long.MAX_VALUE / 2, Budget.steps(Long.MAX_VALUE - 1).upTo(0, 2, 0, 0).steps(), "no overflow");
    }

    @Test
    void aSliceWithNothingLeftToTrainIsStillEvaluated() {
        // the first step runs past the first two slices' time: the second has nothing left, but every slice ends with a
        // point (the benchmark's processes meet at each evaluation), and the third trains the rest of the time
        try (Trainer t = slowFirstStep(4500)) { // past the second slice's end at 4 s
            int[] evaluations = {0};
            SideBySide.Run run = SideBySide.run(List.of(new SideBySide.Lane("slow start", t, tr -> ++evaluations[0])),
                    Budget.seconds(6.0), 3, null);
            QualityCurve c = run.outcomes().get(0).curve();
            assertEquals(4, evaluations[0]);
            assertEquals(4, c.points().size());
            assertEquals(c.points().get(1).steps(), c.points().get(2).steps(), "nothing trained in the second slice");
            assertTrue(c.points().get(3).steps() > c.points().get(2).steps(), "the third trains the time left");
        }
    }

    private static Trainer slowFirstStep(long millis) {
        return Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(InterruptedRunTest.DATA)
                .withProgress(false).withListener(p -> {
                    if (p.step() == 1) { // a first step (warm-up) slower than the first slice's seconds
                        try {
                            Thread.sleep(millis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build();
    }

    @Test
    void aLaneWhoseFirstStepIsSlowStillTrainsItsStepBudget() {
        try (Trainer t = slowFirstStep(2500)) { // past the first slice's 2 s, well before the second's end at 4 s
            SideBySide.Run run = SideBySide.run(List.of(new SideBySide.Lane("slow start", t, tr -> 1.0)),
                    Budget.of(6, 6.0), 3, null);
            SideBySide.Outcome o = run.outcomes().get(0);
            assertTrue(run.complete());
            assertEquals(6, o.steps(), "the steps the first slice could not train are trained later");
            assertTrue(o.trainSeconds() < 6.0, "within the time budget: " + o.trainSeconds());
            assertEquals(4, o.curve().points().size());
        }
    }
}
