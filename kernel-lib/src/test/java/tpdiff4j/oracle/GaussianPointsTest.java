package tpdiff4j.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

class GaussianPointsTest {

    private static final GaussianPoints G = GaussianPoints.of(new double[] {1.5, -0.5}, new double[] {0.3, 0.8});

    @Test
    void exactFlowOfNoiseHasTheDataMoments() {
        int n = 20000;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray eps = GaussianNoise.normal(m, new Shape(n, 2), DataType.FLOAT64, 3);
            NDArray x0 = G.flow(Schedules.flowMatching(), eps, 1, 0);
            double[] mean = x0.mean(new int[] {0}).toDoubleArray();
            double[] var = x0.sub(x0.mean(new int[] {0})).square().mean(new int[] {0}).toDoubleArray();
            for (int i = 0; i < 2; i++) {
                double s2 = G.std()[i] * G.std()[i];
                assertEquals(G.mean()[i], mean[i], 4 * G.std()[i] / Math.sqrt(n), "mean " + i);
                assertEquals(s2, var[i], 4 * s2 * Math.sqrt(2.0 / n), "variance " + i);
            }
        }
    }

    @Test
    void rk4WithTheOptimalDenoiserFollowsTheExactFlow() {
        NoiseSchedule[] schedules = {Schedules.flowMatching(), Schedules.vpCosine()};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = GaussianNoise.normal(m, new Shape(64, 2), DataType.FLOAT64, 5);
            for (NoiseSchedule s : schedules) {
                for (PredictionType type : PredictionType.values()) {
                    if (s.name().startsWith("flow") && type != PredictionType.VELOCITY && type != PredictionType.X0) {
                        continue;   // eps and v targets divide by gamma = 0 at t = 1
                    }
                    double a = s.name().startsWith("flow") ? 1 : 0.9, b = s.name().startsWith("flow") ? 0.02 : 0.05;
                    NDArray out = Solvers.rk4().solve(G.denoiser(s, type), s, x, TimeGrid.uniform(a, b, 64));
                    double err = out.sub(G.flow(s, x, a, b)).abs().max().getDouble();
                    assertTrue(err < 1e-6, s.name() + " " + type + ": max error " + err);
                }
            }
        }
    }

    @Test
    void flowIsTheIdentityAtEqualTimesAndComposes() {
        NoiseSchedule s = Schedules.vpCosine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = G.sample(m, 8, 1);
            assertEquals(0, G.flow(s, x, 0.4, 0.4).sub(x).abs().max().getDouble(), 1e-12);
            NDArray twoSteps = G.flow(s, G.flow(s, x, 0.2, 0.7), 0.7, 0.5);
            assertEquals(0, twoSteps.sub(G.flow(s, x, 0.2, 0.5)).abs().max().getDouble(), 1e-12);
        }
    }

    @Test
    void badInputNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianPoints.of(new double[] {0, 0}, new double[] {1, -1}));
        assertTrue(e.getMessage().contains("std[1] = -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianPoints.of(new double[] {0}, new double[] {1, 1}));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x3 = m.zeros(new Shape(4, 3), DataType.FLOAT64);
            e = assertThrows(IllegalArgumentException.class, () -> G.flow(Schedules.flowMatching(), x3, 1, 0));
            assertTrue(e.getMessage().contains("last axis"), e.getMessage());
        }
    }
}
