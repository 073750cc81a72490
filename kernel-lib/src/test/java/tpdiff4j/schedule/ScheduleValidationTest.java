package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every validation rule raises an exception whose message names the parameter, the bad value and the rule. */
class ScheduleValidationTest {

    private static void rejected(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void betasMustLieInTheOpenUnitInterval() {
        rejected(() -> Schedules.linear(0, 0.012, 1000), "b0 = 0.0", "0 < b0 < 1");
        rejected(() -> Schedules.linear(-0.1, 0.012, 1000), "b0 = -0.1");
        rejected(() -> Schedules.linear(0.00085, 1, 1000), "b1 = 1.0", "0 < b1 < 1");
        rejected(() -> Schedules.scaledLinear(0.00085, Double.NaN, 1000), "b1 = NaN");
        rejected(() -> Schedules.scaledLinear(1.5, 0.012, 1000), "b0 = 1.5");
    }

    @Test
    void atLeastTwoSteps() {
        rejected(() -> Schedules.linear(0.00085, 0.012, 1), "n = 1", "n >= 2");
        rejected(() -> Schedules.scaledLinear(0.00085, 0.012, 0), "n = 0", "n >= 2");
        rejected(() -> Schedules.cosine(1), "n = 1", "n >= 2");
    }

    @Test
    void shiftMustBePositiveAndFinite() {
        rejected(() -> Schedules.flowMatching(0), "shift = 0.0", "> 0");
        rejected(() -> Schedules.flowMatching(Double.POSITIVE_INFINITY), "shift = Infinity");
    }

    @Test
    void userFunctionsMustBeFiniteNonNegativeAndMonotone() {
        rejected(() -> Schedules.of("nan", t -> t > 0.5 ? Double.NaN : 1 - t, t -> t), "gamma(0.501) = NaN", "finite");
        rejected(() -> Schedules.of("inf", t -> 1 - t, t -> t == 1 ? Double.POSITIVE_INFINITY : t), "sigma(1.0) = Infinity");
        rejected(() -> Schedules.of("negative", t -> 0.5 - t, t -> t), "gamma(0.501) = -0.00", ">= 0");
        rejected(() -> Schedules.of("bump", t -> t < 0.3 ? 1 - t : 1.5 - t, t -> t), "gamma increases", "gamma(0.3)",
                "non-increasing");
        rejected(() -> Schedules.of("dip", t -> 1 - t, t -> t > 0.6 ? t - 0.2 : t), "sigma decreases", "sigma(0.601)",
                "non-decreasing");
        rejected(() -> Schedules.of("flat", t -> 1, t -> 0.5), "logSnr", "strictly decreasing");
        rejected(() -> Schedules.of("zero", t -> t == 1 ? 0 : 1 - t, t -> t == 1 ? 0 : t), "both 0", "t = 1.0");
        rejected(() -> Schedules.of(" ", t -> 1 - t, t -> t), "name = \" \"", "non-blank");
        // a variance-exploding schedule (gamma = 1) is allowed: the log-SNR still decreases
        Schedules.of("ve", t -> 1, t -> 0.01 + 10 * t);
    }

    @Test
    void timesAndStepsOutsideTheirRangesAreRejected() {
        DiscreteSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        rejected(() -> sd.gamma(1.5), "t = 1.5", "0 <= t <= 1");
        rejected(() -> Schedules.flowMatching().sigma(-0.1), "t = -0.1");
        rejected(() -> Schedules.vpCosine().gamma(Double.NaN), "t = NaN");
        rejected(() -> Schedules.of("q", t -> 1 - t, t -> t).gamma(2), "t = 2.0");
        rejected(() -> sd.alphaBar(1000), "i = 1000", "0 <= i <= 999");
        rejected(() -> sd.timeOfStep(-1), "i = -1");
        rejected(() -> sd.timeAtLogSnr(50), "logSnr = 50.0", "<= logSnr <=");
        rejected(() -> Schedules.of("q", t -> 1 - t * 0.5, t -> 0.1 + t).timeAtLogSnr(100), "logSnr = 100.0");
        rejected(() -> Schedules.flowMatching().timeAtLogSnr(Double.NaN), "logSnr = NaN");
    }

    private static final double Q = Math.PI / 2;

    /** Hand-written derivatives were used as given; wrong ones gave wrong velocities and ODE steps without a word. */
    @Test
    void handWrittenDerivativesMustAgreeWithTheFunctions() {
        java.util.function.DoubleUnaryOperator g = t -> Math.cos(Q * t);
        java.util.function.DoubleUnaryOperator s = t -> Math.sin(Q * t);
        rejected(() -> Schedules.of("sign", g, s, t -> Q * Math.sin(Q * t), t -> Q * Math.cos(Q * t)),
                "gammaDot(0.001) = 0.00246", "finite differences of gamma give -0.00246", "ratio -1.0", "its sign");
        rejected(() -> Schedules.of("twice", g, s, t -> -Q * Math.sin(Q * t), t -> 2 * Q * Math.cos(Q * t)),
                "sigmaDot(0.0) = 3.14159", "give 1.57079", "ratio 2.0", "within 1.0E-4 (1 + |value|)");
        rejected(() -> Schedules.of("inner", g, s, t -> -Q * Math.sin(Q * t), t -> Math.cos(Q * t)),
                "sigmaDot(0.0) = 1.0", "ratio 0.636", "inner derivative");
        rejected(() -> Schedules.of("nan", t -> 1 - t, t -> t, t -> -1, t -> t == 0 ? Double.NaN : 1), "sigmaDot(0.0) = NaN",
                "allowed: a number");
        // exact derivatives pass, an infinite slope where the function's slope is unbounded too
        Schedules.of("quarter", g, s, t -> -Q * Math.sin(Q * t), t -> Q * Math.cos(Q * t));
        Schedules.of("sqrt", t -> Math.sqrt(1 - t), t -> Math.sqrt(t), t -> -0.5 / Math.sqrt(1 - t), t -> 0.5 / Math.sqrt(t));
    }

    /**
     * A schedule joined from two pieces at a grid time (t = 0.5, 0.3: where one puts a kink) with its exact one-sided
     * derivatives, as the error message for a kink advises, is accepted. Both central differences at the kink are the
     * mean of the two slopes, so the given slope of either side was refused there as disagreeing with the function
     * ("sigmaDot(0.5) = 1.5 ... finite differences of sigma give 1.0"). A derivative wrong on one side of the kink is
     * still caught at the grid times beside it.
     */
    @Test
    void aKinkAtAGridTimeTakesItsExactOneSidedDerivatives() {
        for (double k : new double[] {0.5, 0.3, 0.25}) {
            double after = (1 - 0.5 * k) / (1 - k);   // sigma: slope 0.5 up to k, then straight to sigma(1) = 1
            java.util.function.DoubleUnaryOperator s = t -> t < k ? 0.5 * t : 0.5 * k + (t - k) * after;
            NoiseSchedule joined = Schedules.of("joined at " + k, t -> 1 - t, s, t -> -1, t -> t < k ? 0.5 : after);
            assertEquals(0.5, joined.sigmaDot(k - 0.01), 0.0);
            assertEquals(after, joined.sigmaDot(k), 0.0);
            // named at the first grid time whose stencils stay clear of the kink, 0.004 after it
            rejected(() -> Schedules.of("wrong after " + k, t -> 1 - t, s, t -> -1, t -> t < k ? 0.5 : 2 * after),
                    "sigmaDot(" + (Math.round(k * 1000) + 4) / 1000.0 + ") = " + 2 * after, "finite differences of sigma");
        }
    }

    /**
     * A rise of gamma narrower than the grid spacing: gamma(t) = 1 - t + 0.0008 tanh((t - 0.5) / 0.0005) climbs by
     * 0.0006 around t = 0.5 (slope +0.6) yet falls from each grid time to the next, so only the derivative shows it.
     */
    @Test
    void derivativesMustHaveTheSignOfTheSchedule() {
        double a = 0.0008, w = 0.0005;
        rejected(() -> Schedules.of("ripple", t -> 1 - t + a * Math.tanh((t - 0.5) / w), t -> t,
                t -> -1 + a / w / Math.pow(Math.cosh((t - 0.5) / w), 2), t -> 1), "gammaDot(0.5) = 0.6",
                "gamma increases near t = 0.5", "gammaDot <= 0");
        rejected(() -> Schedules.of("dip", t -> 1 - t, t -> t - a * Math.tanh((t - 0.5) / w), t -> -1,
                t -> 1 - a / w / Math.pow(Math.cosh((t - 0.5) / w), 2)), "sigmaDot(0.5) = -0.6", "sigma decreases",
                "sigmaDot >= 0");
    }

    /** t = 0 must be the clean end and t = 1 the noisy one; a schedule that stops short was accepted. */
    @Test
    void endsMustBeCleanAndNoisy() {
        rejected(() -> Schedules.of("short", t -> 1 - 0.3 * t, t -> 0.3 * t), "logSnr(1) = 2 ln(gamma(1)/sigma(1)) = 1.6945",
                "gamma(1) = 0.7",
                "sigma(1) = 0.3", "allowed: logSnr(1) < 0");
        rejected(() -> Schedules.of("noisy start", t -> 1, t -> 2 + t), "= -1.3862", "sigma(0) = 2.0",
                "allowed: logSnr(0) > 0");
        rejected(() -> Schedules.of("swapped", t -> Math.sin(Q * t), t -> Math.cos(Q * t)), "gamma grows", "swapped",
                "t -> f(1 - t)");
        rejected(() -> Schedules.of("torchcfm", t -> t, t -> 1 - t), "gamma grows from gamma(0) = 0.0 to gamma(1) = 1.0",
                "reversed");
        // the built-in shapes written by hand pass, a truncated one whose last step is not pure noise too
        Schedules.of("fm", t -> 1 - t, t -> t);
        Schedules.of("sd-like end", t -> Math.cos(t * Math.PI / 2.1), t -> Math.sin(t * Math.PI / 2.1));
    }

    /**
     * A table of alphas_cumprod or of alphas (1 - beta) passed where betas belong lies in (0, 1) like betas and was
     * accepted: a schedule whose t = 0 is almost pure noise. Step 0 must be the clean end: beta_0 < 0.5.
     */
    @Test
    void betaTablesMustStartAtTheCleanEnd() {
        DiscreteSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        double[] alphasCumprod = new double[sd.steps()];
        double[] alphas = new double[sd.steps()];
        for (int i = 0; i < alphas.length; i++) {
            alphasCumprod[i] = sd.alphaBar(i);
            alphas[i] = i == 0 ? sd.alphaBar(0) : sd.alphaBar(i) / sd.alphaBar(i - 1);
        }
        rejected(() -> Schedules.betas(alphasCumprod), "beta_0 = 0.99915", "allowed: beta_0 < 0.5", "alphas_cumprod");
        rejected(() -> Schedules.betas(alphas), "beta_0 = 0.99915", "beta_0 < 0.5");
        rejected(() -> Schedules.fromJson("{\"type\": \"betas\", \"version\": 1, \"betas\": [0.5, 0.6]}"), "beta_0 = 0.5");
        rejected(() -> Schedules.betas(0.1, 1.0), "beta_1 = 1.0", "0 < beta_1 < 1");
        rejected(() -> Schedules.betas(-0.01, 0.1), "beta_0 = -0.01");
        Schedules.betas(0.001, 0.01, 0.1, 0.3, 0.5);   // a short toy table that does not reach pure noise stays allowed
    }

    /**
     * A missing function of a user schedule is bad input like any other: an IllegalArgumentException naming it (it
     * was a NullPointerException, against the package's rule).
     */
    @Test
    void aMissingFunctionIsAnIllegalArgumentNamingIt() {
        rejected(() -> Schedules.of("mine", null, t -> t), "gamma = null", "schedule 'mine'");
        rejected(() -> Schedules.of("mine", t -> 1 - t, null), "sigma = null");
        rejected(() -> Schedules.of("mine", t -> 1 - t, t -> t, null, t -> 1), "gammaDot = null");
        rejected(() -> Schedules.of("mine", t -> 1 - t, t -> t, t -> -1, null), "sigmaDot = null");
    }
}
