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
            NDArray pyr = PyramidSampler.of(one, solver, 7).sample(TOY, noise, 99);
            NDArray vanilla = solver.solve(TOY, s, noise, TimeGrid.uniform(1, 0, 7));
            assertArrayEquals(vanilla.toDoubleArray(), pyr.toDoubleArray(), 0.0);
            NDArray fresh = PyramidSampler.of(one, solver, 7)
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
        NDArray out = PyramidSampler.of(p, Solvers.euler(), 3, 2, 4)
                .sample(spy, manager, new Shape(1, 16, 1, 1, 1), DataType.FLOAT64, 1);
        assertEquals(new Shape(1, 16, 1, 1, 1), out.getShape());
        assertEquals(9, calls.size());
        int[] frames = {4, 4, 4, 8, 8, 16, 16, 16, 16};
        for (int i = 0; i < 9; i++) {
            assertEquals(frames[i], (int) calls.get(i)[0]);
            Stage st = p.stageWithFrames(frames[i]);
            assertTrue(st.contains(calls.get(i)[1]), "t inside the stage window");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyramidSampler.of(p, Solvers.euler(), 3, 2));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("3 values >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(p, null, 3));
        assertTrue(e.getMessage().contains("solver = null"), e.getMessage());
    }

    @Test
    void sameSeedSameSample() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.tanh());
        PyramidSampler sampler = PyramidSampler.of(p, Solvers.euler(), 2);
        double[] a = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 42).toDoubleArray();
        double[] b = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 42).toDoubleArray();
        double[] c = sampler.sample(v, manager, new Shape(2, 8, 3), DataType.FLOAT64, 43).toDoubleArray();
        assertArrayEquals(a, b, 0.0);
        assertTrue(a[0] != c[0]);
    }

    /** With a zero-velocity model x stays put, so the last stage returns the jumps' output unchanged. */
    @Test
    void withCopiesChangeOneThingAndLeaveTheOriginal() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4);
        Denoiser still = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.mul(0.0));
        PyramidSampler corrected = PyramidSampler.of(p, Solvers.euler(), 2);
        PyramidSampler none = corrected.withJumpRule(JumpRule.NONE);
        assertEquals(JumpRule.CORRECTED, corrected.rule());
        assertEquals(JumpRule.NONE, none.rule());
        Shape shape = new Shape(3, 4, 2);
        double[] a = none.sample(still, manager, shape, DataType.FLOAT64, 7).toDoubleArray();
        double[] b = corrected.sample(still, manager, shape, DataType.FLOAT64, 7).toDoubleArray();
        // no renoise: each pair of repeated frames stays identical; the corrected rule adds antithetic noise
        for (int n = 0; n < 3; n++) {
            for (int f = 0; f < 4; f += 2) {
                for (int c = 0; c < 2; c++) {
                    int i = (n * 4 + f) * 2 + c;
                    assertEquals(a[i], a[i + 2], 0.0);
                    assertTrue(Math.abs(b[i] - b[i + 2]) > 1e-9);
                }
            }
        }
        PyramidSampler more = corrected.withSteps(3, 5);
        assertArrayEquals(new int[] {3, 5}, more.steps());
        assertArrayEquals(new int[] {2, 2}, corrected.steps());
        assertEquals(Solvers.heun().getClass(), corrected.withSolver(Solvers.heun()).solver().getClass());
        PyramidSampler logSnr = corrected.withGrids((st, n) -> TimeGrid.uniform(st.start(), st.end(), 2 * n));
        assertEquals(4, logSnr.grid(0).steps());
        assertEquals(2, corrected.grid(0).steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> corrected.withJumpRule(null));
        assertTrue(e.getMessage().contains("CORRECTED"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> corrected.withSteps(0));
        assertTrue(e.getMessage().contains("[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> corrected.sample(still, manager, new Shape(1, 8, 2), DataType.FLOAT64, 1));
        assertTrue(e.getMessage().contains("(1, 8, 2)") && e.getMessage().contains("[N, 4, ...]"), e.getMessage());
    }

    @Test
    void withProgressEachStagesLineIsHeadedByTheStageItsFramesAndWindow() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.tanh());
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
            PyramidSampler.of(p, Solvers.euler(), 2).sample(v, manager, new Shape(1, 8, 1, 2, 2), DataType.FLOAT64, 1).close();
            assertEquals("", buffer.toString(java.nio.charset.StandardCharsets.UTF_8), "quiet by default");
            PyramidSampler.of(p, Solvers.euler().withProgress(true), 2)
                    .sample(v, manager, new Shape(1, 8, 1, 2, 2), DataType.FLOAT64, 1).close();
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (int k = 0; k < 3; k++) {
            String head = String.format(java.util.Locale.ROOT, "stage %d/3: %d frames, 2 steps, t %.4f -> %.4f",
                    k + 1, p.stage(k).frames(), p.stage(k).start(), p.stage(k).end());
            assertTrue(out.contains(head), "expected '" + head + "' in: " + out);
        }
        assertEquals(3, out.split("euler: 2 steps done", -1).length - 1, out);
        assertTrue(Solvers.ddim().withProgress(true).progress() && !Solvers.ddim().progress()
                && Solvers.rk4().withProgress(true).progress(), "progress() says what withProgress set");
    }
}
