package tpdiff4j.ode;

/**
 * Factories for the solvers. All share {@link Solver}'s signature and work with any schedule and prediction
 * type; all are immutable, quiet by default ({@code withProgress(true)} prints one line updated in place),
 * check {@link Thread#interrupted()} before every step and then throw
 * {@link java.util.concurrent.CancellationException}.
 */
public final class Solvers {

    private Solvers() {
    }

    /** Deterministic DDIM (eta = 0): the exact closed-form step of docs/derivation.md section 3. */
    public static Solver ddim() {
        return new DdimSolver(0, null, null, false);
    }

    /**
     * DDIM with stochasticity eta in [0, 1] and Gaussian noise from {@link NoiseSource#seeded(long)}. A sampler gives
     * each sampling seed a stream of its own, mixed from {@code seed} and the sampling seed ({@link Solver#forRun}), so
     * two sampling seeds get independent step noise; {@code solve} called directly uses {@code seed} alone.
     */
    public static Solver ddim(double eta, long seed) {
        return new DdimSolver(eta, NoiseSource.seeded(seed), null, false);
    }

    /**
     * DDIM with stochasticity eta in [0, 1] and injected noise; a source of one's own gives the same step noise in
     * every sampling run, whatever its seed (see {@link NoiseSource#forRun}).
     */
    public static Solver ddim(double eta, NoiseSource noise) {
        return new DdimSolver(eta, noise, null, false);
    }

    /** Explicit Euler on the probability-flow ODE. */
    public static Solver euler() {
        return rungeKutta(ButcherTableau.euler());
    }

    /** Heun's second-order method. */
    public static Solver heun() {
        return rungeKutta(ButcherTableau.heun());
    }

    /** Classical fourth-order Runge-Kutta. */
    public static Solver rk4() {
        return rungeKutta(ButcherTableau.rk4());
    }

    /**
     * Any explicit Runge-Kutta method given by its tableau, for example Ralston's second-order method:
     * <pre>
     *   Solver ralston = Solvers.rungeKutta(new ButcherTableau("ralston", new double[][] {{0, 0}, {2.0 / 3, 0}},
     *           new double[] {0.25, 0.75}, new double[] {0, 2.0 / 3}, 2));
     * </pre>
     *
     * @throws IllegalArgumentException if a node {@code c[i]} lies outside [0, 1]: the model would be evaluated
     *                                  outside the step, beyond a pyramid stage's window or the schedule's time axis
     */
    public static Solver rungeKutta(ButcherTableau tableau) {
        return new RungeKuttaSolver(tableau, null, false);
    }
}
