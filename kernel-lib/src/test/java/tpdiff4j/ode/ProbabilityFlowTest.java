package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The coefficients f(t) and g^2(t) of the probability-flow ODE, scalar doubles only. */
class ProbabilityFlowTest {

    /**
     * On a variance-preserving schedule (gamma^2 + sigma^2 = 1) d sigma^2/dt = -2 gamma gammaDot, so
     * g^2 = -2 gamma gammaDot - 2 (gammaDot / gamma) (1 - gamma^2) = -2 gammaDot / gamma: finite wherever gamma > 0,
     * also at t = 0 of the continuous cosine, where sigma = 0 and sigmaDot is infinite (the product 2 sigma sigmaDot
     * was 0 * infinity = NaN there). With phi(t) = (t + s) pi / (2 (1 + s)) and gamma = cos(phi) / cos(phi(0)) the
     * value at t = 0 is pi / (1 + s) tan(phi(0)) with s = 0.008, about 0.0388. At interior times the two formulas are
     * the same numbers up to rounding (relative 1e-12); near t = 0 the value must approach the one at t = 0, whose
     * slope is O(1), so within 1e-6 at t = 1e-9 (it was NaN before only at t = 0 itself).
     */
    @Test
    void diffusionSquaredOfTheCosineScheduleIsFiniteAtTheCleanEnd() {
        NoiseSchedule cos = Schedules.vpCosine();
        double s = 0.008;
        double expected = Math.PI / (1 + s) * Math.tan(s * Math.PI / (2 * (1 + s)));
        double atZero = ProbabilityFlow.diffusionSquared(cos, 0);
        assertTrue(Double.isFinite(atZero), "g^2(0) of vpCosine = " + atZero);
        assertEquals(expected, atZero, 1e-14, "g^2(0) of vpCosine: the right limit -2 gammaDot(0) / gamma(0)");
        assertEquals(atZero, ProbabilityFlow.diffusionSquared(cos, 1e-9), 1e-6, "g^2 is continuous at t = 0");
        for (NoiseSchedule vp : List.of(cos, Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2),
                t -> Math.sin(t * Math.PI / 2), t -> -Math.PI / 2 * Math.sin(t * Math.PI / 2),
                t -> Math.PI / 2 * Math.cos(t * Math.PI / 2)))) {
            for (double t : new double[] {0, 1e-9, 1e-3, 0.25, 0.5, 0.9}) {
                double vpForm = -2 * vp.gammaDot(t) / vp.gamma(t);
                assertEquals(vpForm, ProbabilityFlow.diffusionSquared(vp, t), 1e-12 * Math.abs(vpForm),
                        vp.name() + ": g^2(" + t + ")");
            }
        }
    }

    /** Flow matching: g^2 = 2 t + 2 t^2 / (1 - t) = 2 t / (1 - t), 0 at t = 0 (sigmaDot = 1 is finite there). */
    @Test
    void diffusionSquaredOfFlowMatchingIsTwoTOverOneMinusT() {
        NoiseSchedule fm = Schedules.flowMatching();
        for (double t : new double[] {0, 1e-9, 0.3, 0.5, 0.99}) {
            assertEquals(2 * t / (1 - t), ProbabilityFlow.diffusionSquared(fm, t), 1e-14 * (1 + 2 * t / (1 - t)),
                    "flow matching g^2(" + t + ")");
        }
    }
}
