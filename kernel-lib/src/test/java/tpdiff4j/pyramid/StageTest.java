package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.schedule.Schedules;

/** The stage-time map {@code t = e + t'(s - e)} at the window ends and outside [0, 1]. */
class StageTest {

    /**
     * A window where {@code e + 1 * (s - e)} rounds one ulp above {@code s}: cosine(1000), convention B, nominal
     * boundaries 0.97, 0.02, 0.01 give stage 2 the window [0.01, 0.0312...].
     */
    static TemporalPyramid roundingPyramid() {
        return TemporalPyramid.builder(Schedules.cosine(1000), 16).withBoundaries(0.97, 0.02, 0.01)
                .withConvention(WindowConvention.B).build();
    }

    /**
     * The plain formula can also land one ulp below the start: for the window [1/3, 0.9428193969211226] (stage 1 of a
     * convention-B pyramid on the variance-exploding schedule sigma = 0.002 + 80 t) {@code end + (start - end)} is
     * 0.9428193969211225, and time(1) returned it, so a training batch drawn at t' = 1 missed the start it promises.
     */
    @Test
    void stageTimeHitsTheStartWhereThePlainFormulaFallsShort() {
        Stage st = new Stage(1, 0.9428193969211226, 0.3333333333333333, 4, 2);
        assertTrue(st.end() + (st.start() - st.end()) < st.start(), "precondition: the plain formula falls short");
        assertEquals(st.start(), st.time(1.0), 0.0);
        assertEquals(st.end(), st.time(0.0), 0.0);
    }

    @Test
    void stageTimeHitsTheWindowEndsExactly() {
        Stage st = roundingPyramid().stage(2);
        assertTrue(st.end() + (st.start() - st.end()) > st.start(),
                "precondition: the plain formula overshoots the start for this window");
        assertEquals(st.start(), st.time(1.0), 0.0);
        assertEquals(st.end(), st.time(0.0), 0.0);
        assertTrue(st.contains(st.time(1.0)));
        for (double tp = 0; tp <= 1; tp += 1.0 / 64) {
            double t = st.time(tp);
            assertTrue(st.contains(t), "t' = " + tp);
            assertEquals(st.end() + tp * (st.start() - st.end()), t, 1e-16, "t' = " + tp);
        }
    }

    @Test
    void theStagePathIsDefinedAtTheStageTimeOfTheStart() {
        TemporalPyramid p = roundingPyramid();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = GaussianNoise.normal(m, new Shape(2, 16, 1, 1, 3), DataType.FLOAT64, 1);
            NDArray eps = GaussianNoise.normal(m, new Shape(2, p.stage(2).frames(), 1, 1, 3), DataType.FLOAT64, 2);
            StageEndpoints ep = StageEndpoints.of(p, 2, x0, eps);
            double[] a = ep.xt(p.stage(2).time(1.0)).toDoubleArray();
            double[] b = ep.start().toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-12 * Math.max(1, Math.abs(b[i])), "x_t at t' = 1 is the stage start, " + i);
            }
        }
    }

    @Test
    void stageTimesOutsideTheUnitIntervalAreRejected() {
        Stage st = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).stage(1);
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.time(bad));
            assertTrue(e.getMessage().contains("tPrime = " + bad) && e.getMessage().contains("[0, 1]"), e.getMessage());
        }
    }
}
