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
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The pyramid sampler: vanilla reduction, stage order, exact pipeline with constant oracles. */
class PyramidSamplerTest extends WithNDManager {

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

    /**
     * The fresh start noise has the scale of x at stage 0's start, sqrt(gamma^2 + sigma^2) for unit-variance data:
     * exactly 1 (bit for bit the old start) for flow matching, a discrete and a continuous VP schedule and a user
     * quarter circle; sqrt(101) for the variance-exploding user schedule gamma = 1, sigma = 10 t, which used to start
     * from N(0, I), a hundred times too little variance. With a model that predicts eps = 0, DDIM on that schedule
     * keeps x unchanged (gamma = 1), so the one-stage sample is the start itself: its standard deviation over 32768
     * values has a relative standard error of 1 / sqrt(2 * 32768) = 0.4%; the test allows 2% (5 standard errors).
     */
    @Test
    void freshNoiseStartsAtTheScheduleScaleOfStageZero() {
        NoiseSchedule[] unit = {Schedules.flowMatching(), Schedules.scaledLinear(0.00085, 0.012, 1000),
            Schedules.vpCosine(), Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2))};
        for (NoiseSchedule s : unit) {
            assertEquals(1.0, PyramidSampler.of(TemporalPyramid.uniform(s, 3, 8), Solvers.ddim(), 2).startNoiseStd(), 0.0,
                    s.name());
        }
        NoiseSchedule ve = Schedules.of("ve", t -> 1.0, t -> 10 * t);
        double want = Math.sqrt(101);
        assertEquals(want, PyramidSampler.of(TemporalPyramid.uniform(ve, 2, 8), Solvers.ddim(), 2).startNoiseStd(), 1e-12);
        Denoiser zero = Denoiser.of(PredictionType.EPSILON, (x, t) -> x.zerosLike());
        NDArray x = PyramidSampler.of(TemporalPyramid.uniform(ve, 1, 8), Solvers.ddim(), 5)
                .sample(zero, manager, new Shape(64, 8, 1, 8, 8), DataType.FLOAT64, 11);
        double[] v = x.toDoubleArray();
        double sum = 0;
        double sq = 0;
        for (double d : v) {
            sum += d;
            sq += d * d;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sq / v.length - mean * mean);
        assertEquals(want, std, 0.02 * want, "start noise std on the variance-exploding schedule");
    }

    /**
     * The start noise has the scale of x at the first time of stage 0's grid, which a grid of one's own may put below
     * the stage's start (diffusers' leading spacing starts at step 958 of 999). On the variance-exploding schedule
     * gamma = 1, sigma = 10 t a grid from t = 0.5 starts from sqrt(1 + 25) = sqrt(26), not from sqrt(101), the scale
     * at t = 1, which is five times too much variance. With an eps = 0 model DDIM keeps x unchanged (gamma = 1), so the
     * sample is the start: its standard deviation over 32768 values within 2% (5 standard errors, see above); the
     * plan's {@code sampling.initStd} is the same number.
     */
    @Test
    void freshNoiseHasTheScaleAtTheFirstTimeOfStageZerosGrid() {
        NoiseSchedule ve = Schedules.of("ve", t -> 1.0, t -> 10 * t);
        PyramidSampler late = PyramidSampler.of(TemporalPyramid.uniform(ve, 1, 8), Solvers.ddim(), 5)
                .withGrids((st, n) -> TimeGrid.uniform(0.5, st.end(), n));
        double want = Math.sqrt(26);
        assertEquals(want, late.startNoiseStd(), 1e-12, "start scale at the grid's first time t = 0.5");
        Denoiser zero = Denoiser.of(PredictionType.EPSILON, (x, t) -> x.zerosLike());
        double[] v = late.sample(zero, manager, new Shape(64, 8, 1, 8, 8), DataType.FLOAT64, 11).toDoubleArray();
        double sq = 0;
        for (double d : v) {
            sq += d * d;
        }
        assertEquals(want, Math.sqrt(sq / v.length), 0.02 * want, "start noise std from t = 0.5");
        com.google.gson.JsonObject plan = com.google.gson.JsonParser.parseString(PyramidPlan.json(late)).getAsJsonObject();
        assertEquals(late.startNoiseStd(), plan.getAsJsonObject("sampling").get("initStd").getAsDouble(), 0.0,
                "plan's initStd");
        assertTrue(plan.getAsJsonObject("sampling").get("init").getAsString().contains("stages[0].grid[0]"),
                plan.getAsJsonObject("sampling").get("init").getAsString());
    }

    /**
     * The start leaves out the data mean gamma(1) E[x0] (derivation.md section 11). For Gaussian data of mean mu and
     * standard deviation d the probability-flow ODE keeps z = (x_t - gamma_t mu) / sqrt(V_t), V_t = gamma_t^2 d^2 +
     * sigma_t^2, constant, so zero-mean start noise ends with mean gamma_0 mu - sqrt(V_0) gamma_1 mu / sqrt(V_1):
     * 1.93 for mu = 2, d = 0.5 on Stable Diffusion 1.5 (gamma_1 = 0.068), and mu itself on flow matching (gamma_1 = 0).
     * The flow map is affine, so the sample mean is the map of the start's mean: a start of zeros measures it with
     * no Monte-Carlo error, up to RK4's error on the discrete schedule (about 1e-4 at 400 steps; bound 1e-3). Fresh
     * start noise: within 4 standard errors (d / sqrt N) of the same value.
     */
    @Test
    void dataWithANonzeroMeanComeOutWithTheMeanTheExactFlowGivesThem() {
        double mu = 2.0, d = 0.5;
        tpdiff4j.oracle.GaussianPoints data = tpdiff4j.oracle.GaussianPoints.of(new double[] {mu}, new double[] {d});
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        for (NoiseSchedule s : new NoiseSchedule[] {sd, Schedules.flowMatching()}) {
            double v0 = s.gamma(0) * s.gamma(0) * d * d + s.sigma(0) * s.sigma(0);
            double v1 = s.gamma(1) * s.gamma(1) * d * d + s.sigma(1) * s.sigma(1);
            double expected = s.gamma(0) * mu - Math.sqrt(v0) * s.gamma(1) * mu / Math.sqrt(v1);
            PyramidSampler sampler = PyramidSampler.of(TemporalPyramid.uniform(s, 1, 1), Solvers.rk4(), 400);
            Denoiser model = data.denoiser(s, PredictionType.VELOCITY);
            NDArray fromZero = sampler.sample(model, manager.zeros(new Shape(1, 1, 1), DataType.FLOAT64), 1);
            assertEquals(expected, fromZero.getDouble(0, 0, 0), 1e-3, s.name() + ": the flow map of a zero start");
            int n = 20_000;
            NDArray fresh = sampler.sample(model, manager, new Shape(n, 1, 1), DataType.FLOAT64, 3);
            assertEquals(expected, fresh.mean().getDouble(), 4 * d / Math.sqrt(n) + 1e-3, s.name() + ": sample mean");
            if (s == sd) {
                assertEquals(1.93, expected, 5e-3, "the value derivation.md quotes");
                assertTrue(expected < mu - 0.06, "a discrete DDPM schedule loses part of the mean: " + expected);
            } else {
                assertEquals(mu, expected, 1e-15, "flow matching reproduces the mean");
            }
        }
    }

    /**
     * Stochastic DDIM (eta > 0) assumes a path whose law given the data is N(gamma_t a, sigma_t^2 I); a stage's path
     * has the data-dependent noise mean (A - D) / (rho_s - rho_e), so its fresh noise leaves the stage distribution.
     * Measured with exact predictors (flow matching, K = 3, AR(1) 0.5 Gaussian videos, X0 model, 100 steps per stage,
     * 4000 frame vectors): covariance error 1.60 with eta = 1 against 0.046 with eta = 0 and a Monte-Carlo floor of
     * 0.052, while the vanilla sampler with eta = 1 stays at 0.057. The sampler refuses it for K >= 2, naming the
     * solver and what is allowed, and keeps it for one stage.
     */
    @Test
    void stochasticSolversAreRefusedInsideAPyramidAndAllowedForOneStage() {
        NoiseSchedule fm = Schedules.flowMatching();
        TemporalPyramid three = TemporalPyramid.uniform(fm, 3, 8);
        Solver noisy = Solvers.ddim(1.0, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(three, noisy, 4));
        assertTrue(e.getMessage().contains("solver = Solver[ddim, eta 1.0]") && e.getMessage().contains("3 stages")
                && e.getMessage().contains("Allowed: a deterministic solver"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(three, Solvers.ddim(), 4).withSolver(noisy));
        assertThrows(IllegalArgumentException.class,
                () -> tpdiff4j.sample.VideoSampler.pyramid(three, Solvers.euler(), 4).withSolver(Solvers.ddim(0.3, 1)));
        PyramidSampler one = PyramidSampler.of(TemporalPyramid.uniform(fm, 1, 8), noisy, 4);
        assertTrue(one.solver().stochastic());
        tpdiff4j.sample.VideoSampler.vanilla(fm, noisy, 4);
        for (Solver ok : new Solver[] {Solvers.ddim(), Solvers.euler(), Solvers.heun(), Solvers.rk4()}) {
            assertEquals(false, ok.stochastic(), ok.toString());
            PyramidSampler.of(three, ok, 4);
        }
    }

    /**
     * docs/conventions.md ("Discrete schedules"): on Stable Diffusion 1.5 with boundaries 0.8 and 0.5 (convention A)
     * DDIM with 3 steps per stage calls the network at steps 999, 905.66, 812.33, then 799.2, 664.2, ...: the default
     * grid divides each window uniformly in t, and a boundary is a step only when it is a multiple of 1/999. Steps are
     * t * 999, compared to the two decimals quoted.
     */
    @Test
    void theDefaultGridsOnADiscreteScheduleFallBetweenSteps() {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.scaledLinear(0.00085, 0.012, 1000), 16)
                .withBoundaries(0.8, 0.5).build();
        PyramidSampler sampler = PyramidSampler.ddim(p, 3);
        double[] first = sampler.grid(0).times(), second = sampler.grid(1).times();
        double[] quoted = {999, 905.66, 812.33};
        for (int i = 0; i < 3; i++) {
            assertEquals(quoted[i], first[i] * 999, 5e-3, "stage 0, call " + i);
        }
        assertEquals(799.2, second[0] * 999, 1e-9, "stage 1 starts on its nominal boundary 0.8, between steps");
        assertEquals(664.2, second[1] * 999, 5e-3, "stage 1, call 1");
        assertTrue(first[3] * 999 < 799.2 - 50, "stage 0 ends cleaner than the boundary (convention A): " + first[3] * 999);
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

    /**
     * A grid function of one's own must give each stage a grid over that stage's window: a grid of the whole axis for
     * every stage used to run stage 1 from t = 1 after the jump had put x at t = 2/3, without a word. Stage 0 may start
     * later (diffusers' leading spacing), no stage may end elsewhere than at its end.
     */
    @Test
    void aGridOutsideItsStageWindowIsRefusedByStage() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4);
        Denoiser still = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.mul(0.0));
        PyramidSampler whole = PyramidSampler.of(p, Solvers.euler(), 2).withGrids((st, n) -> TimeGrid.uniform(1, 0, n));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> whole.sample(still, manager, new Shape(1, 4, 2), DataType.FLOAT64, 1));
        assertTrue(e.getMessage().contains("stage 0 of 2") && e.getMessage().contains("to t = 0.0")
                && e.getMessage().contains("end " + p.stage(0).end()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(p, Solvers.euler(), 2)
                .withGrids((st, n) -> TimeGrid.uniform(Math.min(1, st.start() + 0.1), st.end(), n)).grid(1));
        assertTrue(e.getMessage().contains("stage 1 of 2") && e.getMessage().contains("start " + p.stage(1).start()),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(p, Solvers.euler(), 2)
                .withGrids((st, n) -> null).grid(0));
        assertTrue(e.getMessage().contains("stage 0 = null"), e.getMessage());
        // stage 0 starting later from fresh noise is allowed; a later stage starting later is not
        PyramidSampler late = PyramidSampler.of(p, Solvers.euler(), 2)
                .withGrids((st, n) -> TimeGrid.uniform(st.start() == 1 ? 0.95 : st.start(), st.end(), n));
        assertEquals(0.95, late.grid(0).t(0), 0.0);
        assertEquals(new Shape(1, 4, 2), late.sample(still, manager, new Shape(1, 4, 2), DataType.FLOAT64, 1).getShape());
        e = assertThrows(IllegalArgumentException.class, () -> PyramidSampler.of(p, Solvers.euler(), 2)
                .withGrids((st, n) -> TimeGrid.uniform(st.start() - 0.05, st.end(), n)).grid(1));
        assertTrue(e.getMessage().contains("stage 1 of 2"), e.getMessage());
    }

    /**
     * A solver of one's own must return x's shape and type: one that returned a single frame failed later in the jump
     * with a message about "xEnd" that named neither the solver nor the stage, one that changed the type (float32 to
     * float64) and a vanilla run of either went through, handing back an array of another shape or type than asked.
     */
    @Test
    void aSolverThatBreaksItsContractIsNamed() {
        Denoiser still = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.zerosLike());
        record OneFrame() implements Solver {
            public NDArray solve(Denoiser m, NoiseSchedule s, NDArray x, TimeGrid g) {
                return x.get(":, 0:1").duplicate();
            }

            public Solver withListener(tpdiff4j.ode.StepListener l) {
                return this;
            }

            public Solver withProgress(boolean on) {
                return this;
            }
        }
        record Widened() implements Solver {
            public NDArray solve(Denoiser m, NoiseSchedule s, NDArray x, TimeGrid g) {
                return x.toType(DataType.FLOAT64, true);
            }

            public Solver withListener(tpdiff4j.ode.StepListener l) {
                return this;
            }

            public Solver withProgress(boolean on) {
                return this;
            }
        }
        for (int stages : new int[] {1, 2}) {
            TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), stages, 4);
            Shape shape = new Shape(1, 4, 1, 2, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PyramidSampler.of(p, new OneFrame(), 2)
                    .sample(still, manager, shape, DataType.FLOAT32, 1));
            assertTrue(e.getMessage().contains("solver OneFrame[]") && e.getMessage().contains("shape (1, 1, 1, 2, 2)")
                    && e.getMessage().contains("stage 0 of " + stages), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> PyramidSampler.of(p, new Widened(), 2)
                    .sample(still, manager, shape, DataType.FLOAT32, 1));
            assertTrue(e.getMessage().contains("solver Widened[]") && e.getMessage().contains("float64")
                    && e.getMessage().contains("float32"), e.getMessage());
        }
    }

    /** A denoiser of one's own whose forTimes gives null, or no denoiser, is named instead of a bare NullPointerException. */
    @Test
    void aMissingDenoiserIsNamed() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4);
        Denoiser noRun = new Denoiser() {
            public NDArray predict(NDArray x, double t) {
                return x.zerosLike();
            }

            public PredictionType type() {
                return PredictionType.VELOCITY;
            }

            @Override
            public Denoiser forTimes(double[] times, NDManager m) {
                return null;
            }

            @Override
            public String toString() {
                return "no-run";
            }
        };
        PyramidSampler s = PyramidSampler.of(p, Solvers.euler(), 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.sample(noRun, manager, new Shape(1, 4, 2), DataType.FLOAT64, 1));
        assertTrue(e.getMessage().contains("no-run") && e.getMessage().contains("forTimes"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> s.sample(null, manager, new Shape(1, 4, 2), DataType.FLOAT64, 1));
        assertTrue(n.getMessage().contains("model = null"), n.getMessage());
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

    /**
     * A run adds only its result to the caller's manager: the stage jumps' intermediate arrays (upsampled state,
     * block noise) are freed with the run, and an interrupt leaves nothing behind either. Before, each 3-stage run
     * left about 20 arrays in the caller's manager, until it was closed.
     */
    @Test
    void aRunLeavesOnlyItsResultInTheCallersManagerAlsoWhenInterrupted() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.mul(-1));
        try (NDManager mine = NDManager.newBaseManager()) {
            NDArray start = GaussianNoise.normal(mine, new Shape(1, 2, 1, 2, 2), DataType.FLOAT64, 3);
            NDArray out = PyramidSampler.of(p, Solvers.euler(), 2).sample(v, start, 1);
            assertEquals(2, mine.getManagedArrays().size(), "start and the result: " + mine.getManagedArrays());
            assertEquals(new Shape(1, 8, 1, 2, 2), out.getShape());
            out.close();

            Thread.currentThread().interrupt();
            java.util.concurrent.CancellationException e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> PyramidSampler.of(p, Solvers.euler(), 2).sample(v, start, 1));
            assertTrue(!Thread.interrupted(), "the interrupt is consumed, as a solver consumes it");
            assertEquals("pyramid sampling was interrupted before stage 0 of stages 0-2 (t = 1.0000); no result",
                    e.getMessage());
            assertEquals(1, mine.getManagedArrays().size(), "only start: " + mine.getManagedArrays());

            // between stages: stage 1 starts at t = 2/3, written as the progress lines write t (before, the message
            // carried the double 0.6666666666666666)
            Denoiser interruptsInStage0 = Denoiser.of(PredictionType.VELOCITY, (x, t) -> {
                if (t < 0.9) {
                    Thread.currentThread().interrupt(); // during stage 0's last step, as a notebook's interrupt
                }
                return x.mul(-1);
            });
            e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> PyramidSampler.of(p, Solvers.euler(), 2).sample(interruptsInStage0, start, 1));
            assertEquals("pyramid sampling was interrupted before stage 1 of stages 0-2 (t = 0.6667); no result",
                    e.getMessage());
            assertEquals(1, mine.getManagedArrays().size(), "only start: " + mine.getManagedArrays());
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * A stochastic solver's step noise follows the sampling seed as well as the solver's own seed. Before, it came
     * from the solver's seed alone, so with eta = 1 (30 DDIM steps on Stable Diffusion's schedule, exact predictors of
     * AR(1) 0.9 Gaussian videos) the clips of sampling seeds 1 and 2 had a correlation of 0.98: near copies. With 2000
     * clips of 16 values (frames correlated, at least 8000 effectively independent values) the correlation of
     * independent samples has a standard error below 0.012, so 0.06 is five of them. The same seeds give the same
     * clips, and another solver seed other clips.
     */
    @Test
    void stochasticStepNoiseFollowsTheSamplingSeed() {
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        tpdiff4j.oracle.GaussianVideo video = tpdiff4j.oracle.GaussianVideo.ar1(4, 0.9, 1.0);
        Denoiser exact = tpdiff4j.oracle.GaussianOracle.vanilla(video, sd).denoiser(PredictionType.EPSILON);
        PyramidSampler s = PyramidSampler.of(TemporalPyramid.uniform(sd, 1, 4), Solvers.ddim(1.0, 123), 30);
        Shape shape = new Shape(2000, 4, 1, 2, 2);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = s.sample(exact, m, shape, DataType.FLOAT64, 1);
            NDArray b = s.sample(exact, m, shape, DataType.FLOAT64, 2);
            double corr = a.mul(b).mean().getDouble()
                    / Math.sqrt(a.square().mean().getDouble() * b.square().mean().getDouble());
            assertTrue(Math.abs(corr) < 0.06, "samples of seeds 1 and 2 correlate: " + corr);
            assertArrayEquals(a.toDoubleArray(), s.sample(exact, m, shape, DataType.FLOAT64, 1).toDoubleArray());
            NDArray other = s.withSolver(Solvers.ddim(1.0, 124)).sample(exact, m, shape, DataType.FLOAT64, 1);
            assertTrue(other.sub(a).abs().max().getDouble() > 0.1, "the solver's own seed changes the step noise");
        }
    }

    /**
     * A sampling seed addresses a batch, and the batch's noise is laid out clip after clip: the initial noise, every
     * jump's block noise and a stochastic solver's step noise fill the batch in order, so the first n clips of a
     * batch of N are the batch of n with the same seed. With a denoiser that treats clips independently (exact
     * Gaussian predictors, float64) they agree bit for bit; K = 3 has two jumps, the rate-4 pyramid one jump of factor
     * 4, and stochastic DDIM fresh noise in every step.
     */
    @Test
    void theFirstClipsOfABatchAreTheSmallerBatchOfTheSameSeed() {
        NoiseSchedule fm = Schedules.flowMatching();
        tpdiff4j.oracle.GaussianVideo video = tpdiff4j.oracle.GaussianVideo.ar1(16, 0.9, 1.0);
        TemporalPyramid three = TemporalPyramid.uniform(fm, 3, 16);
        TemporalPyramid four = TemporalPyramid.builder(fm, 16).withBoundaries(0.5).withRateFactors(4).build();
        TemporalPyramid one = TemporalPyramid.uniform(Schedules.cosine(1000), 1, 16);
        PyramidSampler[] samplers = {PyramidSampler.of(three, Solvers.heun(), 3, 2, 2), PyramidSampler.of(four,
                Solvers.euler(), 3), PyramidSampler.of(one, Solvers.ddim(1.0, 4), 4)};
        for (PyramidSampler s : samplers) {
            Denoiser exact = tpdiff4j.oracle.GaussianOracle.of(video, s.pyramid()).denoiser(PredictionType.VELOCITY);
            try (NDManager m = manager.newSubManager()) {
                NDArray big = s.sample(exact, m, new Shape(6, 16, 1, 2, 2), DataType.FLOAT64, 17);
                NDArray small = s.sample(exact, m, new Shape(2, 16, 1, 2, 2), DataType.FLOAT64, 17);
                assertArrayEquals(small.toDoubleArray(), big.get("0:2").toDoubleArray(), s.solver().toString());
                assertTrue(big.get("2:4").sub(small).abs().max().getDouble() > 0.1, "later clips are other clips");
            }
        }
    }
}
