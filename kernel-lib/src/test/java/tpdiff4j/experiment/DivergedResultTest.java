package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.pyramid.TemporalPyramid;

/**
 * A run whose samples diverged (NaN or infinite values) is recorded with {@link MotionQuality#DIVERGED}; the table,
 * the time to quality and the plot must say so instead of showing 1e6 as a quality or a time computed from it.
 */
class DivergedResultTest {

    private static final Experiment EXP = Experiment.of(ExperimentTest.DATA, ModelConfig.tiny(ExperimentTest.DATA.spec()))
            .arm("vanilla", TemporalPyramid.uniform(ExperimentTest.FM, 1, 8))
            .arm("tpdiff", TemporalPyramid.uniform(ExperimentTest.FM, 1, 8));

    private static QualityCurve curve(String name, double... qualities) {
        QualityCurve c = QualityCurve.empty(name);
        for (int i = 0; i < qualities.length; i++) {
            c = c.with(10.0 * i, 5L * i, qualities[i]);
        }
        return c;
    }

    private static ArmResult arm(QualityCurve c, Map<String, Double> metrics) {
        return new ArmResult(c.label(), c, 10, c.finalSeconds(), 0.5, 1, 0.1, metrics, new float[0],
                new int[] {0, 8, 1, 16, 16});
    }

    @Test
    void tableNamesADivergedArmInsteadOfShowingItsMarkerAsAQuality() {
        ExperimentResult r = new ExperimentResult(EXP, List.of(
                arm(curve("vanilla", 50, 20, MotionQuality.DIVERGED), Map.of(ArmResult.NON_FINITE, 2048.0)),
                arm(curve("tpdiff", 50, 30, 10), Map.of("frechet", 10.0))), "cpu", true);
        String t = r.table();
        String[] lines = t.split("\n");
        assertTrue(lines[1].startsWith("quality at the end") && lines[1].contains("diverged")
                && lines[1].endsWith("10"), t);
        assertFalse(t.contains("1.00e+06"), "the marker is not a quality: " + t);
        // vanilla's final quality is the marker, so there is no time to reach it (every arm would reach it at 0 s)
        assertTrue(lines[2].contains("- (vanilla diverged)"), t);
        assertFalse(lines[2].matches(".*\\s0\\s.*|.*\\s0$"), t);
        assertTrue(t.contains("(vanilla diverged: its sample was NaN or infinite at 1 of 3 evaluations, the last"
                + " included)"), t);
        assertTrue(t.contains("(vanilla's final sample has 2048 NaN or infinite values, so it has no metrics)"), t);
        assertFalse(t.contains("(tpdiff"), "a finite arm gets no note: " + t);
        String stopped = new ExperimentResult(EXP, List.of(arm(curve("vanilla", 50, 20), Map.of()),
                arm(curve("tpdiff", 50), Map.of(ArmResult.STOPPED_AT, 4.0))), "cpu", true).table();
        assertTrue(stopped.contains("\n(tpdiff stopped training at step 4, whose loss was not finite: its curve ends at"
                + " step 0, its samples are of the weights after step 3)"), stopped);
        assertTrue(stopped.contains("training stopped at step (loss not finite)"), stopped);
    }

    @Test
    void plotLeavesGapsAndNamesTheDivergedArm() {
        ExperimentResult r = new ExperimentResult(EXP, List.of(
                arm(curve("vanilla", 50, MotionQuality.DIVERGED, 20), Map.of()),
                arm(curve("tpdiff", 50, 30, 10), Map.of())), "cpu", true);
        String json = r.plot().toJson();
        assertFalse(json.contains("1000000"), "a diverged point is a gap, not a point at 1e6: " + json);
        assertTrue(json.contains("vanilla (diverged at 1 of 3 evaluations)"), json);
        // each evaluation is a marker (a curve of three or four evaluations is otherwise a bent line with no points),
        // and the axis names the distance as notebook 05 does
        assertTrue(json.contains("\"mode\":\"lines+markers\"") && !json.contains("\"mode\":\"lines\""), json);
        assertTrue(json.contains("Fr\u00e9chet distance (lower is better)"), json);
        assertTrue(r.table().contains("(vanilla diverged: its sample was NaN or infinite at 1 of 3 evaluations)"));
    }

    @Test
    void timeToReachDoesNotInterpolateFromADivergedPoint() {
        QualityCurve c = curve("c", 100, MotionQuality.DIVERGED, 20);
        // interpolating from 1e6 at 10 s to 20 at 20 s would give 19.99992 s, a time made of the marker
        assertEquals(20.0, c.timeToReach(50).getAsDouble(), 0.0);
        assertEquals(1, c.divergedCount());
        assertTrue(c.points().get(1).diverged());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.timeToReach(MotionQuality.DIVERGED));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }

    @Test
    void nonFiniteQualityIsRefusedNamingTheMarker() {
        // a NaN quality used to make timeToReach return NaN for the evaluation after it, printed "-" in the table
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> curve("c", 100, Double.NaN, 20));
        assertTrue(e.getMessage().contains("point 1 of curve c has quality NaN")
                && e.getMessage().contains("MotionQuality.DIVERGED"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> curve("c", Double.POSITIVE_INFINITY));
    }

    /**
     * A lane whose quality comes out NaN (its sample diverged) used to end the run at the next evaluation with a NaN
     * point; it is recorded as the marker, and the progress line says "diverged" instead of printing 1000000.
     */
    @Test
    void sideBySideRecordsANonFiniteQualityAsDiverged() {
        try (tpdiff4j.train.Trainer t = tpdiff4j.train.Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(tpdiff4j.train.TrainConfig.flowMatching(1, 8, 1).withBatchSize(2))
                .withData(InterruptedRunTest.DATA).withProgress(false).build()) {
            int[] evaluations = {0};
            SideBySide.Lane lane = new SideBySide.Lane("vanilla", t, tr -> ++evaluations[0] == 2 ? Double.NaN : 5.0);
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            SideBySide.Run run = SideBySide.run(List.of(lane), Budget.steps(2), 2,
                    new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            QualityCurve c = run.outcomes().get(0).curve();
            assertEquals(3, c.points().size());
            assertEquals(MotionQuality.DIVERGED, c.points().get(1).quality(), 0.0);
            assertEquals(5.0, c.finalQuality(), 0.0);
            String lines = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(lines.contains("1 steps, loss ") && lines.contains("quality diverged (sample not finite)"), lines);
        }
    }

    /**
     * A lane whose trainer already has steps (resumed from a checkpoint, or trained before) printed its first
     * evaluation with "loss NaN", which reads as a diverged run: it has no loss in this run yet.
     */
    @Test
    void aLaneThatStartsWithStepsDoneHasNoLossAtItsFirstEvaluation() {
        try (tpdiff4j.train.Trainer t = tpdiff4j.train.Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(tpdiff4j.train.TrainConfig.flowMatching(1, 8, 1).withBatchSize(2))
                .withData(InterruptedRunTest.DATA).withProgress(false).build()) {
            t.train(2);
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            SideBySide.Run run = SideBySide.run(List.of(new SideBySide.Lane("resumed", t, tr -> 5.0)), Budget.steps(1), 1,
                    new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(3, run.outcomes().get(0).steps());
            String lines = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(lines.startsWith("[resumed] 0.0 s, 2 steps, loss -, quality 5.0000\n"), lines);
            assertFalse(lines.contains("NaN"), lines);
        }
    }

    /**
     * A lane whose loss turns non-finite used to end the whole run with the trainer's ArithmeticException, which did
     * not name the lane, and every other lane's curve was lost with it. Now that lane stops, says so in the log and in
     * its outcome, and the others use their budget.
     */
    @Test
    void aLaneWithANonFiniteLossStopsAndTheOthersGoOn() {
        tpdiff4j.train.TrainConfig config = tpdiff4j.train.TrainConfig.flowMatching(1, 8, 1).withBatchSize(2);
        try (tpdiff4j.train.Trainer bad = tpdiff4j.train.Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(config.withLearningRate(1e30)).withData(InterruptedRunTest.DATA).withProgress(false).build();
             tpdiff4j.train.Trainer good = tpdiff4j.train.Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(config).withData(InterruptedRunTest.DATA).withProgress(false).build()) {
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            SideBySide.Run run = SideBySide.run(List.of(new SideBySide.Lane("bad", bad, t -> 1.0),
                    new SideBySide.Lane("good", good, t -> 1.0)), Budget.steps(4), 2,
                    new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(run.complete());
            SideBySide.Outcome b = run.outcomes().get(0), g = run.outcomes().get(1);
            // step 1 moves the one weight by about the learning rate, so step 2's loss overflows float
            assertEquals(1, b.steps());
            assertTrue(b.stopped() != null && b.stopped().matches("loss = \\S+ at training step 2 \\(pyramid stage 0 of 1.*"), b.stopped());
            assertEquals(1, b.curve().points().size(), "no evaluation after the failed slice");
            assertTrue(b.trainSeconds() > 0, "the step before the failed one took time: " + b.trainSeconds());
            assertEquals(4, g.steps());
            assertEquals(null, g.stopped());
            assertEquals(3, g.curve().points().size());
            String lines = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(lines.matches("(?s).*\\[bad\\] stopped: loss = \\S+ at training step 2 \\(pyramid stage 0 of 1.*"), lines);
        }
    }
}
