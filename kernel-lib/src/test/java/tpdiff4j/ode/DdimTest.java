package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * DDIM: exact in one step with the exact epsilon of a single data point (docs/derivation.md section 3), equal to
 * Euler for
 * flow matching, and with eta > 0 the forward marginal and the posterior correlation are those of the forward
 * process (docs/derivation.md section 3).
 */
class DdimTest extends WithNDManager {

    private static final Shape SHAPE = new Shape(2, 3, 2, 2, 2);
    private static final List<NoiseSchedule> SCHEDULES = List.of(Schedules.flowMatching(), Schedules.flowMatching(3),
            Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.linear(0.00085, 0.012, 1000), Schedules.cosine(1000),
            Schedules.vpCosine(), Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2)));

    /** The optimal denoiser of point-mass data x0, predicting EPSILON: {@code (x - gamma x0) / sigma}. */
    private static Denoiser exactEpsilon(NoiseSchedule s, NDArray x0) {
        return Denoiser.of(PredictionType.EPSILON, (x, t) -> x.sub(x0.mul(s.gamma(t))).div(s.sigma(t)));
    }

    @Test
    void exactInOneStepBetweenAnyTwoTimes() {
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 1);
        NDArray eps = GaussianProblem.normal(manager, SHAPE, 2);
        double[][] pairs = {{0.9, 0.1}, {0.5, 0.0}, {0.99, 0.98}, {1.0 / 3, 0.2}, {0.7, 0.3}, {0.2, 0.8}};
        for (NoiseSchedule s : SCHEDULES) {
            for (double[] p : pairs) {
                NDArray xs = x0.mul(s.gamma(p[0])).add(eps.mul(s.sigma(p[0])));
                NDArray expected = x0.mul(s.gamma(p[1])).add(eps.mul(s.sigma(p[1])));
                NDArray out = Solvers.ddim().solve(exactEpsilon(s, x0), s, xs, TimeGrid.of(p[0], p[1]));
                double err = GaussianProblem.maxAbsDiff(out, expected);
                assertTrue(err < 1e-12, s.name() + " " + p[0] + " -> " + p[1] + ": error " + err);
                // several steps are exact as well
                NDArray many = Solvers.ddim().solve(exactEpsilon(s, x0), s, xs, TimeGrid.uniform(p[0], p[1], 7));
                assertTrue(GaussianProblem.maxAbsDiff(many, expected) < 1e-11, s.name() + " 7 steps");
            }
        }
    }

    @Test
    void exactFromPureNoiseWithAnX0Model() {
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 3);
        NDArray eps = GaussianProblem.normal(manager, SHAPE, 4);
        NoiseSchedule fm = Schedules.flowMatching();
        Denoiser constantX0 = Denoiser.of(PredictionType.X0, (x, t) -> x0.duplicate());
        NDArray out = Solvers.ddim().solve(constantX0, fm, eps, TimeGrid.uniform(1, 0, 3));
        assertTrue(GaussianProblem.maxAbsDiff(out, x0) < 1e-14);
    }

    @Test
    void equalsEulerForFlowMatching() {
        GaussianProblem g = GaussianProblem.random(Schedules.flowMatching(), manager, SHAPE, 0.4, 5);
        NDArray x = g.sampleAt(1, SHAPE, 6);
        TimeGrid grid = TimeGrid.uniform(1, 0, 9);
        for (PredictionType type : new PredictionType[] {PredictionType.VELOCITY, PredictionType.X0, PredictionType.V_PREDICTION}) {
            NDArray ddim = Solvers.ddim().solve(g.denoiser(type), g.schedule, x, grid);
            NDArray euler = Solvers.euler().solve(g.denoiser(type), g.schedule, x, grid);
            assertTrue(GaussianProblem.maxAbsDiff(ddim, euler) < 1e-13, type.toString());
        }
    }

    @Test
    void stochasticDdimKeepsTheMarginalAndHasThePosteriorCorrelation() {
        int n = 100_000;
        Shape shape = new Shape(n);
        NDArray x0 = GaussianProblem.normal(manager, shape, 7);
        NDArray eps = GaussianProblem.normal(manager, shape, 8);
        for (NoiseSchedule s : List.of(Schedules.flowMatching(), Schedules.scaledLinear(0.00085, 0.012, 1000))) {
            double from = 0.8;
            double to = 0.3;
            double eta = 0.7;
            Denoiser exactX0 = Denoiser.of(PredictionType.X0, (x, t) -> x0.duplicate());
            NDArray xs = x0.mul(s.gamma(from)).add(eps.mul(s.sigma(from)));
            NDArray out = Solvers.ddim(eta, 42).solve(exactX0, s, xs, TimeGrid.of(from, to));
            // u = (x_t - gamma_t x0) / sigma_t must be N(0, 1) with corr(u, eps) = sqrt(1 - c^2 / sigma_t^2)
            NDArray u = out.sub(x0.mul(s.gamma(to))).div(s.sigma(to));
            double mean = u.mean().getDouble();
            double var = u.sub(mean).square().mean().getDouble();
            double corr = u.mul(eps).mean().getDouble();
            double ratio = s.gamma(from) * s.sigma(to) / (s.gamma(to) * s.sigma(from));
            double c2 = eta * eta * (1 - ratio * ratio);
            double tol = 4 / Math.sqrt(n);
            assertEquals(0, mean, tol, s.name() + " mean");
            assertEquals(1, var, 2 * tol, s.name() + " variance");
            assertEquals(Math.sqrt(1 - c2), corr, 2 * tol, s.name() + " correlation with the input noise");
            // same seed, same numbers; another seed, other numbers
            NDArray again = Solvers.ddim(eta, 42).solve(exactX0, s, xs, TimeGrid.of(from, to));
            assertEquals(0, GaussianProblem.maxAbsDiff(out, again));
            NDArray other = Solvers.ddim(eta, 43).solve(exactX0, s, xs, TimeGrid.of(from, to));
            assertTrue(GaussianProblem.maxAbsDiff(out, other) > 0.1);
        }
    }

    @Test
    void injectedNoiseIsUsed() {
        NDArray x0 = GaussianProblem.normal(manager, SHAPE, 9);
        NoiseSchedule fm = Schedules.flowMatching();
        Denoiser exactX0 = Denoiser.of(PredictionType.X0, (x, t) -> x0.duplicate());
        NoiseSource zeros = (m, shape, type, step) -> m.zeros(shape, type);
        NDArray xs = x0.mul(0.5).add(GaussianProblem.normal(manager, SHAPE, 10).mul(0.5));
        // eta = 1 with zero noise: x_t = gamma_t x0 + sqrt(sigma_t^2 - c^2) epsHat, c = sigma_t sqrt(1 - (rho_t/rho_s)^2)
        NDArray out = Solvers.ddim(1, zeros).solve(exactX0, fm, xs, TimeGrid.of(0.5, 0.25));
        NDArray epsHat = xs.sub(x0.mul(0.5)).div(0.5);
        double keep = 0.25 * (0.25 / 0.75) / (0.5 / 0.5); // sigma_t rho_t / rho_s
        NDArray expected = x0.mul(0.75).add(epsHat.mul(keep));
        assertTrue(GaussianProblem.maxAbsDiff(out, expected) < 1e-14);
    }

    @Test
    void invalidUseIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.ddim(1.5, 1));
        assertTrue(e.getMessage().contains("eta = 1.5") && e.getMessage().contains("0 <= eta <= 1"), e.getMessage());
        NDArray x = GaussianProblem.normal(manager, SHAPE, 11);
        Denoiser d = Denoiser.of(PredictionType.X0, (xx, t) -> xx.duplicate());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.ddim(0.5, 1).solve(d, Schedules.flowMatching(), x,
                TimeGrid.of(0.2, 0.6)));
        assertTrue(e.getMessage().contains("increases") && e.getMessage().contains("eta = 0.5"), e.getMessage());
    }
}
