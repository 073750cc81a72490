package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schedules.tabulated: Hermite accuracy against the remainder bound, exact nodes, JSON round trip, errors. */
class TabulatedScheduleTest {

    private static final double HALF_PI = Math.PI / 2;

    /** gamma = cos(pi t / 2), sigma = sin(pi t / 2): |f''''| <= (pi/2)^4 for both. */
    private static NoiseSchedule quarterCircle() {
        return Schedules.of("quarter-circle", t -> Math.cos(HALF_PI * t), t -> Math.sin(HALF_PI * t),
                t -> -HALF_PI * Math.sin(HALF_PI * t), t -> HALF_PI * Math.cos(HALF_PI * t));
    }

    @Test
    void hermiteErrorStaysUnderTheRemainderBound() {
        NoiseSchedule exact = quarterCircle();
        int n = 64;
        NoiseSchedule tab = Schedules.tabulated(exact, n);
        double h = 1.0 / n, m4 = Math.pow(HALF_PI, 4);
        double valueBound = Math.pow(h, 4) * m4 / 384 + 1e-15;        // cubic Hermite remainder
        double slopeBound = Math.sqrt(3) * Math.pow(h, 3) * m4 / 216 + 1e-13;
        double worstValue = 0, worstSlope = 0;
        for (int k = 0; k <= 5000; k++) {
            double t = k / 5000.0;
            worstValue = Math.max(worstValue, Math.max(Math.abs(tab.gamma(t) - exact.gamma(t)), Math.abs(tab.sigma(t) - exact.sigma(t))));
            worstSlope = Math.max(worstSlope, Math.max(Math.abs(tab.gammaDot(t) - exact.gammaDot(t)),
                    Math.abs(tab.sigmaDot(t) - exact.sigmaDot(t))));
        }
        assertTrue(worstValue <= valueBound, "value error " + worstValue + " > " + valueBound);
        assertTrue(worstSlope <= slopeBound, "derivative error " + worstSlope + " > " + slopeBound);
        // and the error is not trivially zero: the interpolant is a cubic, the schedule is not
        assertTrue(worstValue > valueBound / 1000, "value error " + worstValue + " suspiciously small");
        // log-SNR inverse through the interpolant
        for (double l : new double[] {4, 1, 0, -1, -4}) {
            assertEquals(l, tab.logSnr(tab.timeAtLogSnr(l)), 1e-9, "logSnr(timeAtLogSnr(" + l + "))");
        }
        assertEquals(0.5, tab.timeAtLogSnr(0), 1e-8); // gamma = sigma at t = 1/2
    }

    @Test
    void nodesAreExactAndNumericalDerivativesAreUsedWhenNoneAreGiven() {
        NoiseSchedule f = Schedules.of("square", t -> 1 - t * t, t -> t);
        NoiseSchedule tab = Schedules.tabulated(f, 10);
        for (int j = 0; j <= 10; j++) {
            double t = j / 10.0;
            assertEquals(f.gamma(t), tab.gamma(t), 0.0, "gamma at node " + j);
            assertEquals(f.sigma(t), tab.sigma(t), 0.0, "sigma at node " + j);
            assertEquals(-2 * t, tab.gammaDot(t), 1e-9, "gammaDot at node " + j); // 4th-order differences: exact for a quadratic up to rounding
        }
        // a quadratic is reproduced exactly by cubic Hermite interpolation with exact slopes (up to the 1e-9 slope error)
        assertEquals(1 - 0.37 * 0.37, tab.gamma(0.37), 1e-10);
    }

    /**
     * A schedule whose curvature jumps (a discrete one: log-SNR linear between its 1000 steps) is tabulated like any
     * other. The table's derivative is the exact derivative of its own interpolant,
     * so the check meant for hand-written derivatives (against finite differences, which straddle a node where the
     * cubics' curvature jumps) must not refuse it: notebook 06 with Stable Diffusion's schedule failed with
     * "sigmaDot(0.161) = ... but finite differences of sigma give ...; Check its sign, a factor such as 2 or pi/2".
     */
    @Test
    void schedulesWithKinksAreTabulatedAndTheTableSlopeIsItsOwnDerivative() {
        for (NoiseSchedule source : new NoiseSchedule[] {Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.linear(0.00085, 0.012, 1000), Schedules.cosine(1000)}) {
            for (int n : new int[] {64, 256, 1000}) {
                NoiseSchedule tab = Schedules.tabulated(source, n);
                for (int j = 0; j <= n; j += Math.max(1, n / 16)) {
                    double t = (double) j / n;
                    assertEquals(source.sigma(t), tab.sigma(t), 0.0, source.name() + ", n = " + n + ": sigma at node " + j);
                }
                double h = 1e-7;
                for (int k = 1; k < 400; k++) {   // inside the intervals: the slope is the interpolant's derivative
                    double t = (k + 0.37) / 401.0;
                    double numeric = (tab.sigma(t + h) - tab.sigma(t - h)) / (2 * h);
                    assertEquals(numeric, tab.sigmaDot(t), 1e-5 * (1 + Math.abs(numeric)),
                            source.name() + ", n = " + n + ": sigmaDot(" + t + ")");
                }
            }
        }
    }

    @Test
    void jsonRoundTripGivesAnEqualSchedule() {
        NoiseSchedule tab = Schedules.tabulated(quarterCircle(), 32);
        String json = tab.toJson();
        NoiseSchedule back = Schedules.fromJson(json);
        assertEquals(tab, back);
        assertEquals(tab.hashCode(), back.hashCode());
        assertEquals("quarter-circle", back.name());
        assertEquals(json, back.toJson());
        for (int k = 0; k <= 999; k++) {
            double t = k / 999.0;
            assertEquals(tab.gamma(t), back.gamma(t), 0.0);
            assertEquals(tab.sigmaDot(t), back.sigmaDot(t), 0.0);
        }
    }

    @Test
    void badInputIsRejectedWithTheParameterNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.tabulated(quarterCircle(), 0));
        assertTrue(e.getMessage().contains("intervals = 0"), e.getMessage());
        // a table too large to hold was allocated first: NegativeArraySizeException here, OutOfMemoryError in a
        // kernel for intervals in the hundreds of millions
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.tabulated(quarterCircle(), Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("intervals = 2147483647 is too large; allowed: 1 <= intervals <= 1000000"),
                e.getMessage());
        // sqrt has an infinite slope at 0: cannot be tabulated with finite Hermite slopes
        NoiseSchedule sqrt = Schedules.of("sqrt", t -> 1 - t, t -> Math.sqrt(t), t -> -1, t -> 0.5 / Math.sqrt(t));
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.tabulated(sqrt, 8));
        assertTrue(e.getMessage().contains("sigmaDot[0] = Infinity") && !e.getMessage().contains("finer table"),
                e.getMessage());
        // a valid schedule on a table too coarse for it: the cubic between the two nodes of intervals = 1 overshoots
        // (sigma above 1 before t = 1); the message said only "sigma decreases ... in schedule 'vp-shift2'", as if the
        // schedule were wrong, and now names the table and its size and says that a finer one keeps the rules
        java.util.function.DoubleUnaryOperator u = t -> 2 * t / (1 + t);
        NoiseSchedule shifted = Schedules.of("vp-shift2", t -> Math.cos(HALF_PI * u.applyAsDouble(t)),
                t -> Math.sin(HALF_PI * u.applyAsDouble(t)));
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.tabulated(shifted, 1));
        assertTrue(e.getMessage().startsWith("Schedules.tabulated('vp-shift2', intervals = 1): the table's interpolation")
                && e.getMessage().contains("sigma decreases") && e.getMessage().contains("a finer table keeps the rules"),
                e.getMessage());
        assertTrue(Schedules.tabulated(shifted, 256).sigma(1) == shifted.sigma(1), "256 intervals are fine");
        String ok = Schedules.tabulated(quarterCircle(), 2).toJson();
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.fromJson(ok.replace("\"sigma\":[", "\"sigma\":[0.5,")));
        assertTrue(e.getMessage().contains("sigma has 4 values but gamma has 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.fromJson(ok.replace("\"gamma\":[", "\"gamma\":[\"x\",")));
        assertTrue(e.getMessage().contains("gamma[0]"), e.getMessage());
        // a table whose interpolant increases is refused by the user-schedule validation
        e = assertThrows(IllegalArgumentException.class, () -> new TabulatedSchedule("bump", new double[] {1, 0.5, 0.6},
                new double[] {0, 0.5, 1}, new double[] {0, 0, 0}, new double[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("gamma increases"), e.getMessage());
    }
}
