package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Flow matching (with and without shift), the continuous VP cosine and user schedules against naive formulas. */
class ContinuousScheduleTest {

    private static final double[] TIMES = {0, 1e-9, 1e-3, 0.1, 1.0 / 3, 0.5, 0.77, 0.999, 1 - 1e-9, 1};

    @Test
    void flowMatchingIsTheStraightLine() {
        NoiseSchedule fm = Schedules.flowMatching();
        for (double t : TIMES) {
            assertEquals(1 - t, fm.gamma(t), 0.0);
            assertEquals(t, fm.sigma(t), 0.0);
            assertEquals(-1, fm.gammaDot(t), 0.0);
            assertEquals(1, fm.sigmaDot(t), 0.0);
            assertEquals(2 * Math.log((1 - t) / t), fm.logSnr(t), 1e-12 * (1 + Math.abs(fm.logSnr(t))));
            assertEquals(t, fm.timeAtLogSnr(fm.logSnr(t)), 1e-12, "inverse at " + t);
        }
        assertEquals(Double.POSITIVE_INFINITY, fm.logSnr(0));
        assertEquals(Double.NEGATIVE_INFINITY, fm.logSnr(1));
        assertEquals("flowMatching", fm.name());
    }

    @Test
    void shiftedFlowMatchingAppliesTheSd3Shift() {
        for (double shift : new double[] {3, 0.5, 1}) {
            NoiseSchedule fm = Schedules.flowMatching(shift);
            for (double t : TIMES) {
                double u = shift * t / (1 + (shift - 1) * t); // diffusers: sigma' = s sigma / (1 + (s - 1) sigma)
                assertEquals(u, fm.sigma(t), 1e-15);
                assertEquals(1 - u, fm.gamma(t), 1e-15);
                double h = 1e-6;
                if (t > 2 * h && t < 1 - 2 * h) {
                    double du = (fm.sigma(t + h) - fm.sigma(t - h)) / (2 * h);
                    assertEquals(du, fm.sigmaDot(t), 1e-8 * du);
                    assertEquals(-du, fm.gammaDot(t), 1e-8 * du);
                }
                assertEquals(t, fm.timeAtLogSnr(fm.logSnr(t)), 1e-12, "shift " + shift + " inverse at " + t);
            }
        }
        assertEquals(0.75, Schedules.flowMatching(3).sigma(0.5), 1e-15);
    }

    @Test
    void shiftedFlowMatchingHitsBothEndsExactlyAndKeepsGammaPreciseNearOne() {
        // with u = s t / (1 + (s - 1) t) evaluated as written, 1 + (s - 1) != s in floating point for shifts such
        // as 0.3, so sigma(1) came out as 1 - 2^-52 and gamma(1) as 2^-52: a finite log-SNR at t = 1 and an
        // epsilon prediction that seemed to determine x0 there
        for (double shift : new double[] {0.3, 0.7, 1.0 / 3, 3, 7.3}) {
            NoiseSchedule fm = Schedules.flowMatching(shift);
            assertEquals(0.0, fm.gamma(1), 0.0, "shift " + shift + ": gamma(1)");
            assertEquals(1.0, fm.sigma(1), 0.0, "shift " + shift + ": sigma(1)");
            assertEquals(1.0, fm.gamma(0), 0.0, "shift " + shift + ": gamma(0)");
            assertEquals(0.0, fm.sigma(0), 0.0, "shift " + shift + ": sigma(0)");
            assertEquals(Double.NEGATIVE_INFINITY, fm.logSnr(1), "shift " + shift + ": logSnr(1)");
            assertEquals(Double.POSITIVE_INFINITY, fm.logSnr(0), "shift " + shift + ": logSnr(0)");
            // near t = 1, gamma = (1 - t) / (s t + 1 - t) to full relative precision (reference in exact decimal
            // arithmetic); 1 - u loses about log10(1 / gamma) digits there
            for (double t : new double[] {1 - 1e-6, 1 - 1e-9, 1 - 0x1p-40}) {
                java.math.BigDecimal bt = new java.math.BigDecimal(t);
                java.math.BigDecimal rest = java.math.BigDecimal.ONE.subtract(bt);
                double exact = rest.divide(new java.math.BigDecimal(shift).multiply(bt).add(rest),
                        java.math.MathContext.DECIMAL128).doubleValue();
                assertEquals(exact, fm.gamma(t), 1e-14 * exact, "shift " + shift + ": gamma(" + t + ")");
                assertEquals(2 * Math.log(exact / fm.sigma(t)), fm.logSnr(t), 1e-13, "shift " + shift + ": logSnr(" + t + ")");
            }
        }
    }

    @Test
    void vpCosineMatchesTheImprovedDdpmFormula() {
        NoiseSchedule s = Schedules.vpCosine();
        DoubleUnaryOperator f = t -> Math.pow(Math.cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
        for (double t : TIMES) {
            double alphaBar = t == 1 ? 0 : f.applyAsDouble(t) / f.applyAsDouble(0);
            assertEquals(Math.sqrt(alphaBar), s.gamma(t), 1e-12);
            assertEquals(Math.sqrt(1 - alphaBar), s.sigma(t), 1e-12 + 1e-9 * (t < 1e-6 ? 1 : 0));
            assertEquals(1, s.gamma(t) * s.gamma(t) + s.sigma(t) * s.sigma(t), 1e-15);
            if (t > 0 && t < 1) {
                assertEquals(t, s.timeAtLogSnr(s.logSnr(t)), 1e-12, "inverse at " + t);
            }
            if (t > 1e-3 && t < 0.999) {
                double h = 1e-6;
                assertEquals((s.gamma(t + h) - s.gamma(t - h)) / (2 * h), s.gammaDot(t), 1e-7);
                assertEquals((s.sigma(t + h) - s.sigma(t - h)) / (2 * h), s.sigmaDot(t), 1e-7);
            }
        }
        assertEquals(0, s.sigma(0), 0.0);
        assertEquals(0, s.gamma(1), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, s.sigmaDot(0));
        assertEquals(0, s.timeAtLogSnr(Double.POSITIVE_INFINITY), 1e-14);
        assertEquals(1, s.timeAtLogSnr(Double.NEGATIVE_INFINITY), 1e-14);
    }

    @Test
    void userSchedulesGetFourthOrderNumericalDerivatives() {
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        double worst = 0;
        for (int k = 0; k <= 1000; k++) {
            double t = k / 1000.0;
            worst = Math.max(worst, Math.abs(quarter.gammaDot(t) + Math.PI / 2 * Math.sin(t * Math.PI / 2)));
            worst = Math.max(worst, Math.abs(quarter.sigmaDot(t) - Math.PI / 2 * Math.cos(t * Math.PI / 2)));
        }
        assertTrue(worst < 1e-10, "worst derivative error on [0, 1], ends included: " + worst);
        // fourth order: a quartic is differentiated exactly (up to rounding), at both ends and inside
        DoubleUnaryOperator p = t -> 0.3 * Math.pow(t, 4) - t * t + 2;
        for (double t : new double[] {0, 5e-4, 0.5, 1 - 5e-4, 1}) {
            assertEquals(1.2 * t * t * t - 2 * t, Derivatives.derivative(p, t, "quartic"), 1e-11, "quartic at " + t);
        }
        // the user's own derivatives are used when given
        // (exactly: the stencil differs from them in the last digits; derivatives that disagree with the functions
        // are refused, see ScheduleValidationTest)
        DoubleUnaryOperator gd = t -> -Math.PI / 2 * Math.sin(Math.PI / 2 * t);
        DoubleUnaryOperator sd = t -> Math.PI / 2 * Math.cos(Math.PI / 2 * t);
        NoiseSchedule exact = Schedules.of("quarter", t -> Math.cos(Math.PI / 2 * t), t -> Math.sin(Math.PI / 2 * t), gd, sd);
        for (double t : new double[] {0, 0.3, 0.5, 1}) {
            assertEquals(gd.applyAsDouble(t), exact.gammaDot(t), 0.0);
            assertEquals(sd.applyAsDouble(t), exact.sigmaDot(t), 0.0);
        }
    }

    /**
     * gamma = sqrt(1 - t), sigma = sqrt(t) (alpha-bar linear in t) has slopes that grow without bound at both ends; the
     * finite-difference stencils returned 49.5 for sigmaDot(0) (the slope is infinite), 32.6 for sigmaDot(1e-4) (exact
     * 50) and 10.16 for sigmaDot(0.002) (exact 11.18), silently. They are refused there with the fix in the message, and
     * still returned where the estimate is small: at t = 0.1 the stencil's error is about 2e-9 relative.
     */
    @Test
    void numericalDerivativesAreRefusedWhereTheFunctionIsNotSmooth() {
        NoiseSchedule root = Schedules.of("alpha-bar-linear", t -> Math.sqrt(1 - t), t -> Math.sqrt(t));
        for (double t : new double[] {0, 1e-4, 2e-3}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> root.sigmaDot(t));
            assertTrue(e.getMessage().contains("sigmaDot of schedule 'alpha-bar-linear' at t = " + t)
                    && e.getMessage().contains("Schedules.of(name, gamma, sigma, gammaDot, sigmaDot)"), e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> root.gammaDot(1));
        assertEquals(0.5 / Math.sqrt(0.1), root.sigmaDot(0.1), 1e-8);
        assertEquals(-0.5 / Math.sqrt(0.9), root.gammaDot(0.1), 1e-8);
        // a kink inside: sigma = t below 0.5 and 0.5 + 2 (t - 0.5) above
        NoiseSchedule kink = Schedules.of("kink", t -> 1 - t / 2, t -> t < 0.5 ? t : 2 * t - 0.5);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> kink.sigmaDot(0.5005));
        assertEquals(2, kink.sigmaDot(0.6), 1e-10);
    }

    /**
     * The inverse of a schedule of functions is as exact as a double allows: for a log-SNR l, t = timeAtLogSnr(l) is
     * one of the two doubles around the true inverse, so logSnr(t) misses l by at most the change of the log-SNR over
     * one unit in the last place of t, |l'(t)| ulp(t), plus the rounding of logSnr itself (a few ulps of l, and of
     * gamma / sigma: 2 ln(1 + 2^-52) absolute). The bound is 4 times the sum of the two. The old bisection stopped at
     * an interval of 1e-13 in t, hundreds of ulps of t (at t = 0.01, 60000 of them). Quarter circle: l = 2 ln cot(pi t /
     * 2), l' = -2 pi / sin(pi t); values of l from -60 to 60 and the logs-SNR of a grid in t. A tabulated schedule uses
     * the same inverse.
     */
    @Test
    void userScheduleInverseRoundTripsToFullPrecision() {
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        java.util.List<Double> targets = new java.util.ArrayList<>();
        for (int k = -60; k <= 60; k++) {
            targets.add(k + 0.37);
        }
        for (int k = 1; k < 1000; k += 7) {
            targets.add(quarter.logSnr(k / 1000.0));
        }
        for (double l : targets) {
            double t = quarter.timeAtLogSnr(l);
            double slope = 2 * Math.PI / Math.sin(Math.PI * t);
            double bound = 4 * (Math.ulp(l) + slope * Math.ulp(t) + 2 * 0x1p-52);
            assertEquals(l, quarter.logSnr(t), bound, "logSnr(timeAtLogSnr(" + l + ")) at t = " + t);
        }
        NoiseSchedule table = Schedules.tabulated(quarter, 200);
        for (double l : new double[] {-7.1, -0.3, 0.0, 2.5, 9.9}) {
            double t = table.timeAtLogSnr(l);
            double slope = Math.abs(table.logSnr(Math.min(1, t + 1e-6)) - table.logSnr(Math.max(0, t - 1e-6))) / 2e-6;
            assertEquals(l, table.logSnr(t), 4 * (Math.ulp(l) + 2 * slope * Math.ulp(t) + 2 * 0x1p-52),
                    "tabulated: logSnr(timeAtLogSnr(" + l + "))");
        }
    }

    /**
     * The closed-form inverse of vpCosine keeps full precision near t = 0, where the log-SNR is large: with the bound of
     * the test above (l' = 2 gammaDot / (gamma sigma^2)), for t from 1e-12 to 1 - 1e-9. acos of a number near cos(phi0)
     * and the subtraction of s = 0.008 used to lose the digits of small t: at t = 1e-3 the log-SNR came back 150 times
     * the bound away, at t = 1e-9 a billion times (t itself off by 5e-6 relative).
     */
    @Test
    void vpCosineInverseRoundTripsToFullPrecision() {
        NoiseSchedule cos = Schedules.vpCosine();
        for (double t0 : new double[] {1e-12, 3e-10, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 1.0 / 3, 0.5, 0.77, 0.9, 0.999, 1 - 1e-9}) {
            double l = cos.logSnr(t0);
            double t = cos.timeAtLogSnr(l);
            double g = cos.gamma(t);
            double sg = cos.sigma(t);
            double slope = Math.abs(2 * cos.gammaDot(t) / (g * sg * sg));
            double bound = 4 * (Math.ulp(l) + slope * Math.ulp(t) + 2 * 0x1p-52);
            assertEquals(l, cos.logSnr(t), bound, "logSnr(timeAtLogSnr(logSnr(" + t0 + "))) at t = " + t);
            assertEquals(t0, t, 4 * Math.ulp(t0) + bound / slope, "timeAtLogSnr(logSnr(" + t0 + "))");
        }
    }

    @Test
    void userScheduleInverseByBisection() {
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        for (int k = 0; k <= 100; k++) {
            double t = k / 100.0;
            double l = quarter.logSnr(t);
            assertEquals(t, quarter.timeAtLogSnr(l), 1e-12, "t = " + t);
            if (Double.isFinite(l)) {
                assertEquals(2 / Math.PI * Math.atan(Math.exp(-l / 2)), quarter.timeAtLogSnr(l), 1e-12);
            }
        }
    }
}
