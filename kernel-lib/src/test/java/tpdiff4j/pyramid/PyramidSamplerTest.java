package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The pyramid sampler: vanilla reduction, stage order, exact pipeline with constant oracles. */
class PyramidSamplerTest {

    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A nonlinear stand-in model: eps_hat = tanh(x) * (1 + t). */
    static final Denoiser TOY = Denoiser.of(PredictionType.EPSILON, (x, t) -> x.tanh().mul(1 + t));

    @Test
    void oneStageIsExactlyTheVanillaSampler() {
        NoiseSchedule s = Schedules.scaledLinear(0.00085, 0.012, 1000);
        for (Solver solver : new Solver[] {Solvers.ddim(), Solvers.heun()}) {
            TemporalPyramid one = TemporalPyramid.uniform(s, 1, 8);
            NDArray noise = GaussianNoise.normal(manager, new Shape(2, 8, 1, 2, 2), DataType.FLOAT64, 3);
            NDArray pyr = PyramidSampler.builder(one).setSolver(solver).setSteps(7).build().sample(TOY, noise, 99);
            NDArray vanilla = solver.solve(TOY, s, noise, TimeGrid.uniform(1, 0, 7));
            assertArrayEquals(vanilla.toDoubleArray(), pyr.toDoubleArray(), 0.0);
            NDArray fresh = PyramidSampler.builder(one).setSolver(solver).setSteps(7).build()
                    .sample(TOY, manager, new Shape(2, 8, 1, 2, 2), DataType.FLOAT64, 5);
            assertEquals(new Shape(2, 8, 1, 2, 2), fresh.getShape());
        }
    }

    @Test
    void stagesRunInOrderWithTheirFramesAndWindows() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        List<double[]> calls = new ArrayList<>();
        Denoiser spy = Denoiser.of(PredictionType.VELOCITY, (x, t) -> {
            calls.add(new double[] {x.getShape().get(1), t});
            return x.mul(0.0);
        });
        NDArray out = PyramidSampler.builder(p).setSolver(Solvers.euler()).setSteps(3, 2, 4).build()
                .sample(spy, manager, new Shape(1, 16, 1, 1, 1), DataType.FLOAT64, 1);
        assertEquals(new Shape(1, 16, 1, 1, 1), out.getShape());
        assertEquals(9, calls.size());
        int[] frames = {4, 4, 4, 8, 8, 16, 16, 16, 16};
        for (int i = 0; i < 9; i++) {
            assertEquals(frames[i], (int) calls.get(i)[0]);
            Stage st = p.stageWithFrames(frames[i]);
            assertTrue(st.contains(calls.get(i)[1]), "t inside the stage window");
        }
        assertThrows(IllegalArgumentException.class, () -> PyramidSampler.builder(p).setSolver(Solvers.euler())
                .setSteps(3, 2).build());
        assertThrows(IllegalArgumentException.class, () -> PyramidSampler.builder(p).setSteps(3).build());
    }

    @Test
    void sameSeedSameSample() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.tanh());
        PyramidSampler sampler = PyramidSampler.builder(p).setSolver(Solvers.euler()).setSteps(2).build();
        double[] a = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 42).toDoubleArray();
        double[] b = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 42).toDoubleArray();
        double[] c = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 43).toDoubleArray();
        assertArrayEquals(a, b, 0.0);
        assertTrue(a[0] != c[0]);
    }
}
