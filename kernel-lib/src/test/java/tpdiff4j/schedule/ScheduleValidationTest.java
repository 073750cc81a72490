package tpdiff4j.schedule;

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
}
