package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Conversions among the four prediction types round-trip for every pair, on every kind of schedule. */
class PredictionsTest extends WithNDManager {

    private static final Shape SHAPE = new Shape(2, 4, 3, 2, 2);
    private static final List<NoiseSchedule> SCHEDULES = List.of(Schedules.flowMatching(), Schedules.flowMatching(3),
            Schedules.vpCosine(), Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.cosine(1000),
            Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2)));

    /** The true prediction of each type, from x0 and eps directly (not via Predictions). */
    private static NDArray truth(PredictionType type, NoiseSchedule s, double t, NDArray x0, NDArray eps) {
        switch (type) {
            case EPSILON:
                return eps;
            case X0:
                return x0;
            case VELOCITY:
                return x0.mul(s.gammaDot(t)).add(eps.mul(s.sigmaDot(t)));
            default:
                return eps.mul(s.gamma(t)).sub(x0.mul(s.sigma(t)));
        }
    }

    /**
     * On the VP cosine schedule (with its offset) sigma behaves like sqrt(t) near 0, so sigmaDot(0) is infinite and the velocity does not exist at t = 0. Asking for it names the time, the schedule and the way
     * out, instead of handing a solver an infinite coefficient that turns the samples into NaN.
     */
    @Test
    void velocityIsRefusedWhereTheSchedulesDerivativeIsNotFinite() {
        NoiseSchedule vp = Schedules.vpCosine();
        assertTrue(Double.isInfinite(vp.sigmaDot(0)), "sigmaDot(0) of vpCosine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PredictionType.VELOCITY.coefficients(vp, 0));
        assertTrue(e.getMessage().contains("type = VELOCITY at t = 0.0 of schedule '" + vp.name() + "'")
                && e.getMessage().contains("sigmaDot(0.0) = Infinity") && e.getMessage().contains("Solvers.euler()"), e.getMessage());
        double[] ab = PredictionType.VELOCITY.coefficients(vp, 1e-3);
        assertTrue(Double.isFinite(ab[0]) && Double.isFinite(ab[1]), "finite just after 0");
        // the other types stay defined at t = 0 (V_PREDICTION is what DDIM samples such a schedule with)
        assertTrue(PredictionType.V_PREDICTION.coefficients(vp, 0).length == 2);
    }

    @Test
    void everyPairConvertsExactlyOnEverySchedule() {
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 1);
        NDArray eps = GaussianProblem.normal(manager, SHAPE, 2);
        for (NoiseSchedule s : SCHEDULES) {
            for (double t : new double[] {0.05, 1.0 / 3, 0.5, 0.9}) {
                NDArray xt = x0.mul(s.gamma(t)).add(eps.mul(s.sigma(t)));
                for (PredictionType from : PredictionType.values()) {
                    for (PredictionType to : PredictionType.values()) {
                        NDArray p = truth(from, s, t, x0, eps);
                        NDArray converted = Predictions.convert(s, t, xt, p, from, to);
                        double err = GaussianProblem.maxAbsDiff(converted, truth(to, s, t, x0, eps));
                        double scale = 1 + Math.abs(s.gammaDot(t)) + Math.abs(s.sigmaDot(t));
                        assertTrue(err < 1e-12 * scale * 10, s.name() + " t=" + t + " " + from + "->" + to + ": " + err);
                        NDArray back = Predictions.convert(s, t, xt, converted, to, from);
                        double errBack = GaussianProblem.maxAbsDiff(back, p);
                        assertTrue(errBack < 1e-12 * scale * 10, "round trip " + from + "->" + to + "->" + from + ": " + errBack);
                    }
                }
            }
        }
    }

    @Test
    void flowMatchingVelocityIsEpsMinusX0() {
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 3);
        NDArray eps = GaussianProblem.normal(manager, SHAPE, 4);
        NoiseSchedule fm = Schedules.flowMatching();
        double t = 0.3;
        NDArray xt = x0.mul(1 - t).add(eps.mul(t));
        NDArray v = Predictions.convert(fm, t, xt, eps, PredictionType.EPSILON, PredictionType.VELOCITY);
        assertTrue(GaussianProblem.maxAbsDiff(v, eps.sub(x0)) < 1e-14);
    }

    @Test
    void velocityIsTheNoisePredictionFormOfThePfOde() {
        NDArray x = GaussianProblem.normal(manager, SHAPE, 8);
        Denoiser eps = Denoiser.of(PredictionType.EPSILON, (xx, t) -> xx.mul(0.3).add(1));
        for (NoiseSchedule s : SCHEDULES) {
            for (double t : new double[] {0.1, 0.5, 0.9}) {
                NDArray v = ProbabilityFlow.velocity(eps, s, x, t);
                // docs/derivation.md section 2: dx/dt = f x + g^2 / (2 sigma) eps
                NDArray expected = x.mul(ProbabilityFlow.drift(s, t))
                        .add(eps.predict(x, t).mul(ProbabilityFlow.diffusionSquared(s, t) / (2 * s.sigma(t))));
                assertTrue(GaussianProblem.maxAbsDiff(v, expected) < 1e-12, s.name() + " t=" + t);
            }
        }
    }

    /**
     * conventions.md, "The trap": on a variance-preserving schedule written as gamma = cos(phi), sigma = sin(phi),
     * VELOCITY = phiDot * V_PREDICTION, coefficient by coefficient. phiDot comes from a central difference of
     * atan2(sigma, gamma) with h = 1e-7 (truncation about h^2, rounding about 1e-16 / h: 1e-8 relative is ample), at
     * times off the discrete schedules' steps so that the difference stays inside one interpolation interval. The
     * factor is far from 1 at these times: pi/2 for the quarter circle, close to it for the cosines away from t = 0; on
     * Stable Diffusion 1.5's scaled-linear betas it falls from about 1.9 at t = 0.12 to 0.68 at t = 0.88.
     */
    @Test
    void velocityIsPhiDotTimesVPredictionOnVariancePreservingSchedules() {
        double h = 1e-7;
        double[] times = {0.1234, 0.5555, 0.8771};
        for (NoiseSchedule s : List.of(Schedules.vpCosine(), Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.cosine(1000), SCHEDULES.get(5))) {
            double[] phiDot = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                double t = times[i];
                assertEquals(1.0, s.gamma(t) * s.gamma(t) + s.sigma(t) * s.sigma(t), 1e-12, s.name() + ": variance preserving");
                phiDot[i] = (Math.atan2(s.sigma(t + h), s.gamma(t + h)) - Math.atan2(s.sigma(t - h), s.gamma(t - h))) / (2 * h);
                double[] vel = PredictionType.VELOCITY.coefficients(s, t);
                double[] vp = PredictionType.V_PREDICTION.coefficients(s, t);
                for (int c = 0; c < 2; c++) {
                    assertEquals(phiDot[i] * vp[c], vel[c], 1e-8 * Math.abs(phiDot[i]), s.name() + " t = " + t + " coefficient " + c);
                }
                assertTrue(Math.abs(phiDot[i] - 1) > 0.1, s.name() + ": phiDot = " + phiDot[i] + " is not 1");
            }
            if (s.name().startsWith("scaledLinear")) {
                assertTrue(phiDot[0] / phiDot[2] > 2, s.name() + ": phiDot changes along the schedule: " + phiDot[0]
                        + " at t = " + times[0] + ", " + phiDot[2] + " at t = " + times[2]);
            } else {
                for (double f : phiDot) {   // exactly pi/2 for the quarter circle, within 0.02 for the two cosines
                    assertEquals(Math.PI / 2, f, s == SCHEDULES.get(5) ? 1e-7 : 0.02, s.name() + ": phiDot near pi/2");
                }
            }
        }
    }

    @Test
    void sameTypeReturnsThePredictionItself() {
        NDArray x = GaussianProblem.normal(manager, new Shape(3), 5);
        assertSame(x, Predictions.convert(Schedules.flowMatching(), 1, x, x, PredictionType.EPSILON, PredictionType.EPSILON));
    }

    /**
     * A user's quarter circle {@code gamma = cos(pi t / 2)} has {@code gamma(1) = 6.1e-17}, not 0: an epsilon prediction
     * there determines x0 only through a division by rounding noise. Such conversions are refused like exactly singular
     * ones (before, x0 came back as noise of order 1 and DDIM from t = 1 did not converge: max error 3.5e-2 at 128
     * steps on Gaussian data, larger than at 64); the discrete cosine schedule's gamma(1) = 4.9e-5 still converts, with
     * the error of a division by 4.9e-5 (about 1e-16 / 4.9e-5 = 2e-12 for unit-size data).
     */
    @Test
    void conversionsSingularUpToRoundingAreRefused() {
        NoiseSchedule quarter = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        assertTrue(quarter.gamma(1) > 0 && quarter.gamma(1) < 1e-16, "premise: gamma(1) = " + quarter.gamma(1));
        NDArray x = GaussianProblem.normal(manager, new Shape(3), 8);
        for (PredictionType to : new PredictionType[] {PredictionType.X0, PredictionType.VELOCITY, PredictionType.V_PREDICTION}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Predictions.coefficients(quarter, 1, PredictionType.EPSILON, to));
            assertTrue(e.getMessage().contains("t = 1.0") && e.getMessage().contains("within rounding of 0")
                    && e.getMessage().contains("quarter-circle"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.ddim().solve(
                Denoiser.of(PredictionType.EPSILON, (xt, t) -> xt.mul(1)), quarter, x, TimeGrid.uniform(1, 0, 8)));
        assertTrue(e.getMessage().contains("EPSILON"), e.getMessage());

        NoiseSchedule cosine = Schedules.cosine(1000);
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 9);
        NDArray eps = GaussianProblem.normal(manager, SHAPE, 10);
        NDArray xt = x0.mul(cosine.gamma(1)).add(eps.mul(cosine.sigma(1)));
        double err = GaussianProblem.maxAbsDiff(Predictions.convert(cosine, 1, xt, eps, PredictionType.EPSILON, PredictionType.X0), x0);
        assertTrue(err < 1e-10, "cosine(1000) at t = 1: epsilon -> x0 error " + err);
    }

    @Test
    void singularConversionsSayWhy() {
        NDArray x = GaussianProblem.normal(manager, new Shape(3), 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Predictions.convert(
                Schedules.flowMatching(), 1, x, x, PredictionType.EPSILON, PredictionType.X0));
        assertTrue(e.getMessage().contains("EPSILON") && e.getMessage().contains("t = 1.0") && e.getMessage().contains("gamma = 0.0"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Predictions.convert(
                Schedules.flowMatching(), 0, x, x, PredictionType.X0, PredictionType.VELOCITY));
        assertTrue(e.getMessage().contains("sigma = 0.0"), e.getMessage());
        // an X0 model solved with Heun down to t = 0 meets this conversion at the last grid time: the message names
        // the solvers that never evaluate the model there
        NDArray start = GaussianProblem.normal(manager, new Shape(3), 11);
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.heun().solve(
                Denoiser.of(PredictionType.X0, (xt, t) -> xt.mul(0.5)), Schedules.flowMatching(), start, TimeGrid.uniform(1, 0, 4)));
        assertTrue(e.getMessage().contains("t = 0.0") && e.getMessage().contains("Solvers.euler()")
                && e.getMessage().contains("never call the model at the grid's last time"), e.getMessage());
        // an EPSILON model sampled from t = 1 of flow matching (gamma = 0) meets it at the grid's first time, with DDIM
        // as with any solver: the message used to advise DDIM or Euler, as for the last grid time
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.ddim().solve(
                Denoiser.of(PredictionType.EPSILON, (xt, t) -> xt.mul(0.5)), Schedules.flowMatching(), start, TimeGrid.uniform(1, 0, 4)));
        assertTrue(e.getMessage().contains("t = 1.0") && e.getMessage().contains("Every solver calls the model at the"
                + " grid's first time") && e.getMessage().contains("TimeGrid.uniform(0.999, 0, steps)")
                && !e.getMessage().contains("never call the model at the grid's last time"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Predictions.convert(Schedules.flowMatching(), 0.5, x,
                GaussianProblem.normal(manager, new Shape(4), 7), PredictionType.X0, PredictionType.EPSILON));
        assertTrue(e.getMessage().contains("pred has shape"), e.getMessage());
    }
}
