package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * Every solver lands on the exact probability-flow ODE solution of Gaussian data, and its error falls at its
 * known order as the step halves (float64 arrays of shape [B, F, C, H, W] = [2, 3, 1, 2, 2]). The order is
 * {@code log2(err(64 steps) / err(128 steps))}; the test prints every error and order.
 */
class SolverConvergenceTest extends WithNDManager {

    private static final int[] STEPS = {16, 32, 64, 128};
    private static final Shape SHAPE = new Shape(2, 3, 1, 2, 2);
    /** One Gaussian ODE problem: a schedule, the model's prediction type and the time span. */
    private record Problem(String name, NoiseSchedule schedule, PredictionType type, double start, double end) {
    }

    private static final Problem[] PROBLEMS = {
        new Problem("flowMatching/VELOCITY [1 -> 0]", Schedules.flowMatching(), PredictionType.VELOCITY, 1, 0),
        new Problem("quarter-circle/V_PREDICTION [1 -> 0]", Schedules.of("quarter-circle",
                t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2),
                t -> -Math.PI / 2 * Math.sin(t * Math.PI / 2), t -> Math.PI / 2 * Math.cos(t * Math.PI / 2)),
                PredictionType.V_PREDICTION, 1, 0),
        new Problem("vpCosine/EPSILON [0.9 -> 0.05]", Schedules.vpCosine(), PredictionType.EPSILON, 0.9, 0.05),
        new Problem("flowMatching(shift 3)/X0 [0.95 -> 0.02]", Schedules.flowMatching(3), PredictionType.X0, 0.95, 0.02),
    };

    /** Errors of one solver on one problem for the step counts in STEPS. */
    private static double[] errors(Solver solver, Problem p) {
        try (NDManager m = manager.newSubManager()) {
            GaussianProblem g = GaussianProblem.random(p.schedule(), m, SHAPE, 0.5, 11);
            NDArray x = g.sampleAt(p.start(), SHAPE, 12);
            NDArray exact = g.exact(x, p.start(), p.end());
            double[] err = new double[STEPS.length];
            for (int k = 0; k < STEPS.length; k++) {
                NDArray out = solver.solve(g.denoiser(p.type()), p.schedule(), x,
                        TimeGrid.uniform(p.start(), p.end(), STEPS[k]));
                err[k] = GaussianProblem.maxAbsDiff(out, exact);
                out.close();
            }
            return err;
        }
    }

    private static double order(double[] err) {
        int k = err.length - 1;
        return Math.log(err[k - 1] / err[k]) / Math.log(2);
    }

    private static void checkOrder(String solverName, Solver solver, double expected, double finestTolerance,
                                   boolean atLeast) {
        Map<String, Double> orders = new LinkedHashMap<>();
        for (Problem p : PROBLEMS) {
            double[] err = errors(solver, p);
            double order = order(err);
            orders.put(p.name(), order);
            System.out.printf("convergence %-8s %-40s errors(steps %s) = %s  order = %.3f%n", solverName, p.name(),
                    java.util.Arrays.toString(STEPS), java.util.Arrays.toString(
                            java.util.Arrays.stream(err).mapToObj(e -> String.format("%.3e", e)).toArray()), order);
            for (int k = 1; k < err.length; k++) {
                assertTrue(err[k] < err[k - 1], solverName + " on " + p.name() + ": error must fall as the step halves");
            }
            assertTrue(err[err.length - 1] < finestTolerance, solverName + " on " + p.name() + ": error "
                    + err[err.length - 1] + " at " + STEPS[STEPS.length - 1] + " steps");
            if (atLeast) {
                assertTrue(order > expected - 0.25, solverName + " on " + p.name() + ": measured order " + order);
            } else {
                assertEquals(expected, order, 0.25, solverName + " on " + p.name() + ": measured order");
            }
        }
    }

    @Test
    void eulerIsFirstOrder() {
        checkOrder("euler", Solvers.euler(), 1, 3e-2, false);
    }

    @Test
    void heunIsSecondOrder() {
        checkOrder("heun", Solvers.heun(), 2, 5e-4, false);
    }

    @Test
    void aTableauOfOnesOwnIsItsOrder() {
        // Ralston's second-order method, as in the Javadoc of Solvers.rungeKutta: a method that is not built in
        checkOrder("ralston", Solvers.rungeKutta(new ButcherTableau("ralston", new double[][] {{0, 0}, {2.0 / 3, 0}},
                new double[] {0.25, 0.75}, new double[] {0, 2.0 / 3}, 2)), 2, 5e-4, true);
    }

    @Test
    void midpointFromTableauIsSecondOrder() {
        // on the flow-matching problem the midpoint rule's leading error term vanishes (measured order 3)
        checkOrder("midpoint", Solvers.rungeKutta(ButcherTableau.midpoint()), 2, 5e-4, true);
    }

    @Test
    void rk4IsFourthOrder() {
        checkOrder("rk4", Solvers.rk4(), 4, 1e-7, false);
    }

    /**
     * A discrete schedule's log-SNR is linear between its steps, so gamma and sigma have a kink at every step and the
     * higher-order methods lose their order (docs/conventions.md, "Discrete schedules"; notebook 01): on Stable
     * Diffusion 1.5 with the exact velocity from t = 1 to 0, between 64 and 128 steps, Heun measures about 1.2 and RK4
     * about 1.5, Euler and DDIM about 1 (on this problem 1.25, 1.34, 1.15 and 0.94). Each order within 0.25 of the
     * quoted value (the tolerance of the smooth problems above); Heun and RK4 also below 1.75, far from their orders
     * 2 and 4 on a smooth schedule.
     */
    @Test
    void theKinksOfADiscreteScheduleCostHeunAndRk4TheirOrder() {
        Problem sd = new Problem("scaledLinear/VELOCITY [1 -> 0]", Schedules.scaledLinear(0.00085, 0.012, 1000),
                PredictionType.VELOCITY, 1, 0);
        Map<String, Solver> solvers = new LinkedHashMap<>();
        solvers.put("euler", Solvers.euler());
        solvers.put("ddim", Solvers.ddim());
        solvers.put("heun", Solvers.heun());
        solvers.put("rk4", Solvers.rk4());
        double[] quoted = {1.0, 1.0, 1.2, 1.5};
        int i = 0;
        for (Map.Entry<String, Solver> e : solvers.entrySet()) {
            double[] err = errors(e.getValue(), sd);
            double order = order(err);
            System.out.printf("convergence %-8s %-40s errors(steps %s) = %s  order = %.3f%n", e.getKey(), sd.name(),
                    java.util.Arrays.toString(STEPS), java.util.Arrays.toString(
                            java.util.Arrays.stream(err).mapToObj(x -> String.format("%.3e", x)).toArray()), order);
            assertEquals(quoted[i], order, 0.25, e.getKey() + " on " + sd.name() + ": measured order");
            if (i >= 2) {
                assertTrue(order < 1.75, e.getKey() + " keeps its smooth-schedule order on a discrete schedule: " + order);
            }
            i++;
        }
    }

    /**
     * Inversion: the ODE run from data (t = 0) to noise (t = 1) on an increasing grid, then back on the reversed grid,
     * on flow matching (VELOCITY) and the quarter circle (V_PREDICTION). The exact flow of Gaussian data gives the
     * noise the forward run must reach; its error falls at the solver's order p (within 0.25, as above). The round
     * trip must come back to the data. A step of order p errs by {@code C(x) h^(p+1)}, the step back by
     * {@code C(x) (-h)^(p+1)}: for even p (Heun, RK4) the two leading terms cancel and the round trip converges one
     * order faster (measured 3.00 and 5.00), for odd p (Euler, DDIM) they add (measured 0.98 to 1.00). Each within
     * 0.25 of p + 1 or p. Measured forward orders: Euler and DDIM 0.99 to 1.01, Heun 2.01 to 2.03, RK4 3.98 to 4.09.
     */
    @Test
    void inversionFromDataToNoiseAndBackConvergesAtEachSolversOrder() {
        Map<String, Solver> solvers = new LinkedHashMap<>();
        solvers.put("euler", Solvers.euler());
        solvers.put("ddim", Solvers.ddim());
        solvers.put("heun", Solvers.heun());
        solvers.put("rk4", Solvers.rk4());
        Map<String, Integer> orders = Map.of("euler", 1, "ddim", 1, "heun", 2, "rk4", 4);
        for (Problem p : new Problem[] {PROBLEMS[0], PROBLEMS[1]}) {
            String name = p.name().substring(0, p.name().indexOf(' ')) + " [0 -> 1 -> 0]";
            for (Map.Entry<String, Solver> e : solvers.entrySet()) {
                double[] forward = new double[STEPS.length];
                double[] roundTrip = new double[STEPS.length];
                try (NDManager m = manager.newSubManager()) {
                    GaussianProblem g = GaussianProblem.random(p.schedule(), m, SHAPE, 0.5, 11);
                    Denoiser model = g.denoiser(p.type());
                    NDArray data = g.sampleAt(0, SHAPE, 12);
                    NDArray noise = g.exact(data, 0, 1);
                    for (int k = 0; k < STEPS.length; k++) {
                        NDArray there = e.getValue().solve(model, p.schedule(), data, TimeGrid.uniform(0, 1, STEPS[k]));
                        NDArray back = e.getValue().solve(model, p.schedule(), there, TimeGrid.uniform(1, 0, STEPS[k]));
                        forward[k] = GaussianProblem.maxAbsDiff(there, noise);
                        roundTrip[k] = GaussianProblem.maxAbsDiff(back, data);
                    }
                }
                System.out.printf("inversion %-8s %-40s forward %s order %.3f, round trip %s order %.3f%n", e.getKey(),
                        name, java.util.Arrays.toString(java.util.Arrays.stream(forward).mapToObj(x -> String.format("%.3e", x))
                                .toArray()), order(forward), java.util.Arrays.toString(java.util.Arrays.stream(roundTrip)
                                .mapToObj(x -> String.format("%.3e", x)).toArray()), order(roundTrip));
                int order = orders.get(e.getKey());
                assertEquals(order, order(forward), 0.25, e.getKey() + " on " + name + ": order of the noise reached");
                assertEquals(order % 2 == 0 ? order + 1 : order, order(roundTrip), 0.25,
                        e.getKey() + " on " + name + ": order of the round trip");
                for (int k = 1; k < STEPS.length; k++) {
                    assertTrue(forward[k] < forward[k - 1] && roundTrip[k] < roundTrip[k - 1],
                            e.getKey() + " on " + name + ": errors must fall as the step halves");
                }
            }
        }
    }

    @Test
    void ddimIsFirstOrderOnGaussianData() {
        checkOrder("ddim", Solvers.ddim(), 1, 3e-2, false);
    }
}
