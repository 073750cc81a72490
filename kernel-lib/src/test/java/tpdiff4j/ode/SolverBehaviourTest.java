package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The common solver contract: listener, progress switch, interrupt, shapes and types, bounded memory. */
class SolverBehaviourTest extends WithNDManager {

    private static List<Solver> all() {
        return List.of(Solvers.ddim(), Solvers.ddim(0.5, 3), Solvers.euler(), Solvers.heun(), Solvers.rk4(),
                Solvers.rungeKutta(ButcherTableau.midpoint()));
    }

    @Test
    void listenerSeesEveryStepWithTheModelsX0() {
        NoiseSchedule fm = Schedules.flowMatching();
        Shape shape = new Shape(1, 2, 1, 2, 2);
        GaussianProblem g = GaussianProblem.random(fm, manager, shape, 0.5, 1);
        NDArray x = g.sampleAt(1, shape, 2);
        TimeGrid grid = TimeGrid.uniform(1, 0, 5);
        for (Solver solver : all()) {
            List<Integer> steps = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            Solver observed = solver.withListener((step, t, xs, x0Hat) -> {
                steps.add(step);
                times.add(t);
                assertEquals(shape, xs.getShape());
                // the optimal denoiser's x0: mu + gamma s^2 (x - gamma mu) / V
                NDArray expected = g.denoiser(PredictionType.X0).predict(xs, t);
                assertTrue(GaussianProblem.maxAbsDiff(x0Hat, expected) < 1e-12, solver + " step " + step);
            });
            observed.solve(g.denoiser(PredictionType.VELOCITY), fm, x, grid).close();
            assertEquals(List.of(0, 1, 2, 3, 4), steps, solver.toString());
            assertEquals(List.of(1.0, 0.8, 0.6, 0.4, 0.2), times.stream().map(t -> Math.round(t * 1e12) / 1e12).toList());
        }
    }

    @Test
    void listenerGetsNullX0WhereThePredictionCannotGiveIt() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(4), 3);
        List<Boolean> nulls = new ArrayList<>();
        Denoiser eps = Denoiser.of(PredictionType.EPSILON, (xx, t) -> xx.mul(0.5));
        Solvers.heun().withListener((step, t, xs, x0Hat) -> nulls.add(x0Hat == null))
                .solve(eps, fm, x, TimeGrid.of(0.9, 0.5)).close();
        assertEquals(List.of(false), nulls);
        List<NDArray> seen = new ArrayList<>();
        Denoiser x0 = Denoiser.of(PredictionType.X0, (xx, t) -> xx.mul(0.5));
        Solvers.euler().withListener((step, t, xs, x0Hat) -> seen.add(x0Hat))
                .solve(x0, fm, x, TimeGrid.of(0.5, 1.0)).close(); // increasing grid from sigma = 0.5: fine
        Solvers.rk4().withListener((step, t, xs, x0Hat) -> seen.add(x0Hat))
                .solve(Denoiser.of(PredictionType.VELOCITY, (xx, t) -> xx.mul(0.1)), Schedules.vpCosine(), x,
                        TimeGrid.of(0.0, 0.5)).close(); // t = 0: sigma = 0, sigmaDot infinite
        assertNull(seen.get(1));
    }

    /** A stream that shows "\r" as a rewrite of the line, as a notebook's output or a terminal. */
    static PrintStream inPlace(ByteArrayOutputStream buffer) {
        PrintStream s = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        ProgressStreams.declareInPlace(s);
        return s;
    }

    /**
     * Standard output sent to a log file or a pipe: the progress is whole lines (the first step, then at most one
     * every ten seconds, and the end), not carriage returns that pile up on one line of the file.
     */
    @Test
    void progressToALogIsWholeLines() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(2), 4);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> xx.mul(-1));
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            Solvers.euler().withProgress(true).solve(v, fm, x, TimeGrid.uniform(1, 0, 300)).close();
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.indexOf('\r') < 0 || out.indexOf('\r') == out.indexOf(System.lineSeparator()),
                "no carriage return but a line end's: " + out);
        String[] lines = out.split(System.lineSeparator());
        assertTrue(lines.length >= 2 && lines.length <= 3, "the first step, the end (a line at ten seconds): " + out);
        assertTrue(lines[0].startsWith("euler: step 0/300  t = 1.0000"), out);
        assertTrue(lines[lines.length - 1].matches("euler: 300 steps done  t = 0\\.0000  [0-9.]+ s"), out);
    }

    @Test
    void progressPrintsOneLineOnlyWhenSwitchedOn() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(2, 2), 4);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> xx.mul(-1));
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(inPlace(buffer));
            Solvers.heun().solve(v, fm, x, TimeGrid.uniform(1, 0, 4)).close();
            assertEquals("", buffer.toString(StandardCharsets.UTF_8), "quiet by default");
            Solvers.heun().withProgress(true).withProgress(false).solve(v, fm, x, TimeGrid.uniform(1, 0, 4)).close();
            assertEquals("", buffer.toString(StandardCharsets.UTF_8), "withProgress(false)");
            Solvers.heun().withProgress(true).solve(v, fm, x, TimeGrid.uniform(1, 0, 4)).close();
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "a single line: " + out);
        assertTrue(out.startsWith("\rheun: step 0/4  t = 1.0000"), "shown from the first step: " + out);
        assertTrue(out.contains("heun: 4 steps done"), out);
    }

    /**
     * A run of many cheap steps rewrites its progress line at most four times a second (plus the first step and the
     * end), as the trainer's line does; before, it wrote one rewrite per step, 3000 for 3000 steps, all of which a
     * notebook keeps in its output.
     */
    @Test
    void progressOfManyCheapStepsIsRewrittenAtMostFourTimesASecond() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(2), 4);
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> xx.mul(-1));
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try {
            System.setOut(inPlace(buffer));
            Solvers.euler().withProgress(true).solve(v, fm, x, TimeGrid.uniform(1, 0, 3000)).close();
        } finally {
            System.setOut(old);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        String out = buffer.toString(StandardCharsets.UTF_8);
        long rewrites = out.chars().filter(c -> c == '\r').count();
        // the first step, the end, and one rewrite per full quarter second in between
        assertTrue(rewrites <= 2 + (long) Math.floor(seconds / 0.25), rewrites + " rewrites in " + seconds + " s");
        assertTrue(out.matches("(?s).*\reuler: 3000 steps done  t = 0\\.0000  [0-9.]+ s   \n"), out);
    }

    /**
     * A model that throws in the middle of a run (a shape it cannot take, a bug of one's own) left the progress line
     * open: the next thing printed on standard output continued it, or was overwritten by the next run's "\r". The
     * line now ends where the run failed; an interrupt's line ends once, as before.
     */
    @Test
    void aRunThatFailsEndsItsProgressLine() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(2), 4);
        Denoiser broken = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> {
            if (t < 0.5) {
                throw new IllegalStateException("model broke");
            }
            return xx.mul(-1);
        });
        Denoiser interrupted = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> {
            if (t < 0.6) { // at step 2 of 4: the run stops before step 3
                Thread.currentThread().interrupt();
            }
            return xx.mul(-1);
        });
        PrintStream old = System.out;
        ByteArrayOutputStream failed = new ByteArrayOutputStream(), stopped = new ByteArrayOutputStream();
        try {
            System.setOut(inPlace(failed));
            assertThrows(IllegalStateException.class,
                    () -> Solvers.euler().withProgress(true).solve(broken, fm, x, TimeGrid.uniform(1, 0, 4)));
            System.setOut(inPlace(stopped));
            assertThrows(CancellationException.class,
                    () -> Solvers.euler().withProgress(true).solve(interrupted, fm, x, TimeGrid.uniform(1, 0, 4)));
        } finally {
            System.setOut(old);
        }
        String out = failed.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\reuler: step 0/4") && out.endsWith(System.lineSeparator()), "line ended: " + out);
        String stop = stopped.toString(StandardCharsets.UTF_8);
        assertTrue(stop.endsWith("   " + System.lineSeparator()) && !stop.endsWith(System.lineSeparator()
                + System.lineSeparator()), "ended once: " + stop);
    }

    @Test
    void interruptStopsBeforeTheNextStepWithAClearException() {
        NoiseSchedule fm = Schedules.flowMatching();
        NDArray x = GaussianProblem.normal(manager, new Shape(3), 5);
        int before = manager.getManagedArrays().size();
        Denoiser v = Denoiser.of(PredictionType.VELOCITY, (xx, t) -> {
            if (t < 0.55) {
                Thread.currentThread().interrupt(); // as a notebook's interrupt would
            }
            return xx.mul(-1);
        });
        CancellationException e = assertThrows(CancellationException.class,
                () -> Solvers.euler().solve(v, fm, x, TimeGrid.uniform(1, 0, 10)));
        // t as the progress line writes it, not the grid's double (before: 0.3999999999999999 and the like)
        assertEquals("solver euler was interrupted before step 6 of 10 (t = 0.4000); no result", e.getMessage());
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt is consumed by the exception");
        assertEquals(before, manager.getManagedArrays().size(), "nothing left behind");
    }

    @Test
    void anyShapeAndTypeIsKeptTheInputUntouchedAndMemoryBounded() {
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        for (Shape shape : new Shape[] {new Shape(2, 4, 3, 8, 8), new Shape(5), new Shape(2, 3)}) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (Solver solver : all()) {
                    try (NDManager m = manager.newSubManager()) {
                        NDArray x = GaussianProblem.normal(m, shape, 6).toType(type, false);
                        float[] copy = x.toType(DataType.FLOAT32, false).toFloatArray();
                        GaussianProblem g = GaussianProblem.random(sd, m, shape, 0.5, 7);
                        int before = m.getManagedArrays().size();
                        NDArray out = solver.solve(g.denoiser(PredictionType.EPSILON), sd, x,
                                TimeGrid.leading((tpdiff4j.schedule.DiscreteSchedule) sd, 10, 1));
                        assertEquals(before + 1, m.getManagedArrays().size(), solver + ": only the result stays");
                        assertEquals(shape, out.getShape());
                        assertEquals(type, out.getDataType());
                        assertEquals(m, out.getManager());
                        assertArrayEquals(copy, x.toType(DataType.FLOAT32, false).toFloatArray());
                        assertTrue(Double.isFinite(out.toType(DataType.FLOAT64, true).sum().getDouble()));
                    }
                }
            }
        }
    }

    @Test
    void butcherTableauValidationNamesTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("bad",
                new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.6}, new double[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("b sums to"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("implicit",
                new double[][] {{0.5, 0}, {0, 0.5}}, new double[] {0.5, 0.5}, new double[] {0.5, 0.5}, 2));
        assertTrue(e.getMessage().contains("a[0][0] = 0.5") && e.getMessage().contains("explicit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("nodes",
                new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5}, new double[] {0, 0.5}, 2));
        assertTrue(e.getMessage().contains("c[1] = 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("shape",
                new double[][] {{0}}, new double[] {0.5, 0.5}, new double[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("a has 1 rows"), e.getMessage());
        assertEquals(ButcherTableau.rk4(), ButcherTableau.rk4());
    }

    @Test
    void aTableauWhoseNodeLeavesTheStepIsRefusedBySolversRungeKutta() {
        // a valid tableau (c = row sums of a, b sums to 1) of order 2 with a node past the step's end: the stage time
        // t + 1.5 h would lie beyond t_(n+1), outside a stage's window; silently clamping it changes the method
        ButcherTableau far = new ButcherTableau("far", new double[][] {{0, 0}, {1.5, 0}},
                new double[] {2.0 / 3, 1.0 / 3}, new double[] {0, 1.5}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.rungeKutta(far));
        assertTrue(e.getMessage().contains("'far'") && e.getMessage().contains("c[1] = 1.5")
                && e.getMessage().contains("0 <= c[i] <= 1"), e.getMessage());
        ButcherTableau back = new ButcherTableau("back", new double[][] {{0, 0}, {-0.5, 0}},
                new double[] {2, -1}, new double[] {0, -0.5}, 1);
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.rungeKutta(back));
        assertTrue(e.getMessage().contains("c[1] = -0.5"), e.getMessage());
        // the Javadoc's example: Ralston's method, nodes inside the step, integrates to second order
        Solver ralston = Solvers.rungeKutta(new ButcherTableau("ralston", new double[][] {{0, 0}, {2.0 / 3, 0}},
                new double[] {0.25, 0.75}, new double[] {0, 2.0 / 3}, 2));
        assertTrue(ralston.toString().contains("ralston"), ralston.toString());
        assertEquals(4, ButcherTableau.rk4().stages());
    }
}
