package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.WindowConvention;
import tpdiff4j.schedule.Schedules;

class StageDrawTest {

    static final TemporalPyramid UNIFORM3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);

    @Test
    void uniformCostIsThePapers21Over48() {
        // (1/3)(1/16 + 1/4 + 1) = 21/48 for frames 4, 8, 16 and cost ~ frames^2
        assertEquals(21.0 / 48, StageDraw.uniform().costFactor(UNIFORM3, 2.0), 1e-15);
        assertEquals(UNIFORM3.costFactor(2.0), StageDraw.uniform().costFactor(UNIFORM3, 2.0), 1e-15);
        assertEquals(7.0 / 12, TrainConfig.of(UNIFORM3, tpdiff4j.ode.PredictionType.VELOCITY, 1).costFactor(1.0), 1e-15);
    }

    @Test
    void windowLengthWeighsStagesByTheirShareOfTheTimeAxis() {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.flowMatching(), 16).withBoundaries(0.5, 0.25)
                .withConvention(WindowConvention.B).build();
        double[] w = StageDraw.byWindowLength().probabilities(p);
        double total = 0;
        for (Stage s : p.stages()) {
            total += s.start() - s.end();
        }
        double cost = 0;
        for (int k = 0; k < 3; k++) {
            Stage s = p.stage(k);
            assertEquals((s.start() - s.end()) / total, w[k], 1e-15);
            cost += w[k] * Math.pow(s.frames() / 16.0, 2);
        }
        assertEquals(cost, StageDraw.byWindowLength().costFactor(p, 2.0), 1e-15);
        assertTrue(w[0] > w[2], "the noisiest stage has the longest window [0.5, 1]: " + java.util.Arrays.toString(w));
    }

    @Test
    void givenWeightsAreNormalisedAndChecked() {
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, StageDraw.weights(1, 1, 2).probabilities(UNIFORM3), 1e-15);
        assertEquals(1.0 / 16, StageDraw.weights(1, 0, 0).costFactor(UNIFORM3, 2.0), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.of(UNIFORM3, tpdiff4j.ode.PredictionType.VELOCITY, 1).withStageDraw(StageDraw.weights(1, 1)));
        assertTrue(e.getMessage().contains("3 stages"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StageDraw.weights(0, 0));
        assertThrows(IllegalArgumentException.class, () -> StageDraw.weights(1, -1));
        assertEquals(StageDraw.weights(1, 2), StageDraw.fromJsonObject(StageDraw.weights(1, 2).toJsonObject()));
    }
}
