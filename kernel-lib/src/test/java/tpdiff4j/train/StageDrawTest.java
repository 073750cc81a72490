package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    /**
     * Weights near the largest double summed to infinity, and every probability became 0 (no stage drawn as asked);
     * tiny ones were fine only by luck. The probabilities are the same for any common scale of the weights.
     */
    @ParameterizedTest
    @ValueSource(doubles = {Double.MAX_VALUE, 1e308, 1e200, 1, 1e-200, Double.MIN_VALUE})
    void givenWeightsGiveTheSameProbabilitiesAtAnyScale(double scale) {
        double[] w = StageDraw.weights(scale, scale, scale).probabilities(UNIFORM3);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, w, 1e-15, () -> "scale " + scale);
        double[] half = StageDraw.weights(scale / 2, scale / 2, scale).probabilities(UNIFORM3);
        if (scale / 2 > 0 && scale / 2 * 2 == scale) {   // scale / 2 exact (not for the smallest subnormal)
            assertArrayEquals(new double[] {0.25, 0.25, 0.5}, half, 1e-15, () -> "scale " + scale);
        }
    }

    /**
     * (F_k / F)^q overflowed for a large negative q (0.25^-2000 = infinity: NaN probabilities) and underflowed for a
     * large positive one; the probabilities are (F_k / F)^q normalised, and in the limit all on the cheapest (q
     * to -infinity) or the full-rate stage (q to +infinity).
     */
    @ParameterizedTest
    @ValueSource(doubles = {-1e308, -2000, -600, -3, 0, 2, 600, 2000, 1e308})
    void costWeightsAreNormalisedPowersForAnyExponent(double q) {
        double[] w = StageDraw.byCost(q).probabilities(UNIFORM3);   // frames 4, 8, 16: F_k / F = 1/4, 1/2, 1
        double sum = 0;
        for (double x : w) {
            assertTrue(x >= 0 && x <= 1, () -> "q = " + q + ": " + java.util.Arrays.toString(w));
            sum += x;
        }
        assertEquals(1, sum, 1e-15, () -> "q = " + q + ": " + java.util.Arrays.toString(w));
        // the ratios w_k / w_{k+1} = (1/2)^q, taken as logarithms where they are representable
        for (int k = 0; k < 2; k++) {
            if (w[k] > 0 && w[k + 1] > 0) {
                assertEquals(-q * Math.log(2), Math.log(w[k] / w[k + 1]), 1e-9 * (1 + Math.abs(q)), "q = " + q);
            }
        }
        if (q <= -2000) {
            assertEquals(1, w[0], 0, "all on the cheapest stage");
        }
        if (q >= 2000) {
            assertEquals(1, w[2], 0, "all on the full-rate stage");
        }
    }

    /** A null pyramid was a NullPointerException from inside the draw. */
    @Test
    void nullPyramidIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageDraw.uniform().probabilities(null));
        assertTrue(e.getMessage().startsWith("pyramid = null; allowed: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageDraw.byMass(StageTimeDraw.globalLogitNormal(0, 1), null));
        assertTrue(e.getMessage().startsWith("pyramid = null; allowed: "), e.getMessage());
    }

    /** A key written as null is refused as null by name, not as a rule that is missing or a malformed object. */
    @Test
    void aKeyWrittenAsNullIsRefusedAsNull() {
        for (String key : new String[] {"rule", "weights"}) {
            com.google.gson.JsonObject o = StageDraw.weights(1, 2).toJsonObject();
            o.add(key, com.google.gson.JsonNull.INSTANCE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageDraw.fromJsonObject(o));
            assertTrue(e.getMessage().startsWith("stage draw JSON: field '" + key + "' = 'null'; allowed: the object"
                    + " StageDraw.toJsonObject() writes"), e.getMessage());
        }
        com.google.gson.JsonObject o = StageDraw.weights(1, 2).toJsonObject();
        o.getAsJsonArray("weights").set(1, com.google.gson.JsonNull.INSTANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageDraw.fromJsonObject(o));
        assertEquals("stage draw JSON: field 'weights[1]' = 'null'; allowed: a number, one weight per stage", e.getMessage());
    }
}
