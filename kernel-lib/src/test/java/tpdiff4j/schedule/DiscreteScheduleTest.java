package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Beta schedules against the naive 40-digit implementation ({@link NaiveAlphaBar}): alphaBar, gamma and sigma at
 * every step to 1e-12 (relative), the time convention, the log-SNR interpolation, its derivatives and its inverse.
 */
class DiscreteScheduleTest {

    private static final Map<String, Object[]> CASES = Map.of(
            "scaledLinear SD1.5", new Object[] {Schedules.scaledLinear(0.00085, 0.012, 1000),
                NaiveAlphaBar.scaledLinearBetas(0.00085, 0.012, 1000)},
            "linear AnimateDiff", new Object[] {Schedules.linear(0.00085, 0.012, 1000),
                NaiveAlphaBar.linearBetas(0.00085, 0.012, 1000)},
            "linear DDPM", new Object[] {Schedules.linear(1e-4, 0.02, 1000), NaiveAlphaBar.linearBetas(1e-4, 0.02, 1000)},
            "cosine 1000", new Object[] {Schedules.cosine(1000), NaiveAlphaBar.cosineBetas(1000)},
            "cosine 2", new Object[] {Schedules.cosine(2), NaiveAlphaBar.cosineBetas(2)},
            "scaledLinear 7", new Object[] {Schedules.scaledLinear(0.01, 0.3, 7), NaiveAlphaBar.scaledLinearBetas(0.01, 0.3, 7)});

    private static void close(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.abs(expected), what + ": expected " + expected + " got " + actual);
    }

    @Test
    void alphaBarGammaSigmaMatchTheNaiveImplementationAtEveryStep() {
        CASES.forEach((name, c) -> {
            DiscreteSchedule s = (DiscreteSchedule) c[0];
            BigDecimal[] ab = NaiveAlphaBar.alphaBar((BigDecimal[]) c[1]);
            assertEquals(ab.length, s.steps());
            for (int i = 0; i < ab.length; i++) {
                double t = s.timeOfStep(i);
                assertEquals((double) i / (ab.length - 1), t, 0.0);
                close(ab[i].doubleValue(), s.alphaBar(i), 1e-12, name + " alphaBar(" + i + ")");
                close(ab[i].sqrt(NaiveAlphaBar.MC).doubleValue(), s.gamma(t), 1e-12, name + " gamma(t_" + i + ")");
                close(BigDecimal.ONE.subtract(ab[i]).sqrt(NaiveAlphaBar.MC).doubleValue(), s.sigma(t), 1e-12,
                        name + " sigma(t_" + i + ")");
            }
        });
    }

    @Test
    void pinnedValuesOfStableDiffusion() {
        DiscreteSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        assertEquals(1 - 0.00085, sd.alphaBar(0), 1e-15);
        assertEquals(0.068, sd.gamma(1), 5e-4); // SD1.5: gamma at step 999 = 0.068
        // docs/conventions.md: t = 1/3 is step 333 of 1000
        assertEquals(Math.sqrt(sd.alphaBar(333)), sd.gamma(1.0 / 3), 1e-15);
        assertEquals(0.999, 1 - Schedules.cosine(1000).alphaBar(999) / Schedules.cosine(1000).alphaBar(998), 1e-12,
                "the last cosine beta is clipped at 0.999");
        // notebook 01 and docs/derivation.md: what each discrete schedule keeps at its ends
        assertEquals(0.029, sd.sigma(0), 5e-4, "SD1.5: sigma at step 0 = sqrt(beta_0)");
        assertEquals(Math.sqrt(0.00085 / (1 - 0.00085)), sd.rho(0), 1e-12, "SD1.5: rho_0 = sqrt(beta_0 / (1 - beta_0))");
        assertEquals(0.040, Schedules.linear(0.00085, 0.012, 1000).gamma(1), 5e-4, "AnimateDiff's linear betas: gamma(1)");
        assertEquals(5e-5, Schedules.cosine(1000).gamma(1), 5e-6, "discrete cosine: gamma(1) close to 0, not 0");
    }

    @Test
    void logSnrIsLinearInTimeBetweenSteps() {
        DiscreteSchedule s = Schedules.scaledLinear(0.00085, 0.012, 1000);
        for (int i : new int[] {0, 1, 332, 500, 998}) {
            double li = Math.log(s.alphaBar(i) / (1 - s.alphaBar(i)));
            double lj = Math.log(s.alphaBar(i + 1) / (1 - s.alphaBar(i + 1)));
            for (double w : new double[] {0.25, 0.5, 0.9}) {
                double t = (i + w) / 999;
                assertEquals((1 - w) * li + w * lj, s.logSnr(t), 1e-10, "step " + i + " w " + w);
                assertEquals(1, s.gamma(t) * s.gamma(t) + s.sigma(t) * s.sigma(t), 1e-15);
                assertEquals(s.sigma(t) / s.gamma(t), s.rho(t), 1e-14 * s.rho(t));
            }
        }
    }

    @Test
    void derivativesFollowTheInterpolation() {
        for (DiscreteSchedule s : new DiscreteSchedule[] {Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.cosine(50)}) {
            int n = s.steps();
            for (int i : new int[] {0, n / 3, n - 2}) {
                double t = (i + 0.5) / (n - 1);
                double h = 1e-5 / (n - 1); // stays inside the segment
                double gd = (s.gamma(t + h) - s.gamma(t - h)) / (2 * h);
                double sd = (s.sigma(t + h) - s.sigma(t - h)) / (2 * h);
                assertEquals(gd, s.gammaDot(t), 1e-7 * Math.abs(gd), s.name() + " gammaDot at segment " + i);
                assertEquals(sd, s.sigmaDot(t), 1e-7 * Math.abs(sd), s.name() + " sigmaDot at segment " + i);
                // at a step time: the segment below it
                double knot = s.timeOfStep(i + 1);
                assertEquals(s.gammaDot(t), s.gammaDot(knot) * (s.gamma(t) * s.sigma(t) * s.sigma(t))
                        / (s.gamma(knot) * s.sigma(knot) * s.sigma(knot)), 1e-12 * Math.abs(s.gammaDot(t)));
            }
            assertTrue(s.gammaDot(0.5) < 0 && s.sigmaDot(0.5) > 0);
        }
    }

    @Test
    void timeAtLogSnrInvertsExactly() {
        for (DiscreteSchedule s : new DiscreteSchedule[] {Schedules.scaledLinear(0.00085, 0.012, 1000),
            Schedules.linear(0.00085, 0.012, 1000), Schedules.cosine(1000), Schedules.cosine(2)}) {
            for (int k = 0; k <= 1000; k++) {
                double t = k / 1000.0;
                assertEquals(t, s.timeAtLogSnr(s.logSnr(t)), 1e-12, s.name() + " t = " + t);
            }
            for (int i = 0; i < s.steps(); i += 97) {
                assertEquals(s.timeOfStep(i), s.timeAtLogSnr(s.logSnr(s.timeOfStep(i))), 1e-12);
            }
        }
    }

    /**
     * Linear betas up to 0.999 over 1000 steps drive alphaBar to about e^-992, below the smallest double. The log-SNR
     * was ln(alphaBar) of the underflowed product: -Infinity on the last steps, so timeAtLogSnr and the derivatives
     * there were NaN. It now follows ln(alphaBar) to the end; checked against the 40-digit product, whose logarithm is
     * taken from its digits and its decimal exponent (independent of the double code).
     */
    @Test
    void logSnrStaysFiniteWhereAlphaBarUnderflows() {
        DiscreteSchedule s = Schedules.linear(1e-4, 0.999, 1000);
        BigDecimal[] ab = NaiveAlphaBar.alphaBar(NaiveAlphaBar.linearBetas(1e-4, 0.999, 1000));
        assertEquals(0.0, s.alphaBar(999), "premise: alphaBar underflows in double");
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < ab.length; i++) {
            BigDecimal a = ab[i].round(NaiveAlphaBar.MC);
            double lnA = Math.log(a.unscaledValue().doubleValue()) - a.scale() * Math.log(10);
            double ln1mA = Math.log(BigDecimal.ONE.subtract(a).doubleValue());
            double l = s.logSnr(s.timeOfStep(i));
            close(lnA - ln1mA, l, 1e-12, "logSnr(t_" + i + ")");
            assertTrue(l < previous, "logSnr strictly decreasing at step " + i);
            previous = l;
        }
        assertTrue(s.logSnr(1) < -900, "logSnr(1) = " + s.logSnr(1));
        for (double t : new double[] {0.9995, 0.99999, 1}) {
            assertEquals(t, s.timeAtLogSnr(s.logSnr(t)), 1e-12, "round trip at " + t);
            assertTrue(Double.isFinite(s.gammaDot(t)) && Double.isFinite(s.sigmaDot(t)), "derivatives at " + t);
        }
    }
}
