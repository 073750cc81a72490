package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Explicit Runge-Kutta integration of the probability-flow ODE {@code dx/dt = v(x, t)}, where
 * {@code v = E[gammaDot x0 + sigmaDot eps | x_t = x]} is the model's prediction converted to
 * {@link PredictionType#VELOCITY} (docs/derivation.md section 2; for an EPSILON model this is
 * {@code f(t) x + g^2(t) eps / (2 sigma)} with {@code f = d ln gamma / dt}). With {@code h = t_{n+1} - t_n}
 * (negative when sampling), one step is
 * <pre>
 *   k_i     = v(x_n + h sum_{j&lt;i} a_ij k_j, t_n + c_i h)     i = 1..s
 *   x_{n+1} = x_n + h sum_i b_i k_i
 * </pre>
 * Euler, Heun and RK4 are the tableaux {@link ButcherTableau#euler()}, {@link ButcherTableau#heun()},
 * {@link ButcherTableau#rk4()}; global error O(|h|^order) for smooth problems.
 */
final class RungeKuttaSolver implements Solver {

    private final ButcherTableau tableau;
    private final StepListener listener;
    private final boolean progress;

    RungeKuttaSolver(ButcherTableau tableau, StepListener listener, boolean progress) {
        Refusals.notNull(tableau, "tableau", "a ButcherTableau, e.g. ButcherTableau.heun()");
        this.tableau = tableau;
        double[] c = tableau.c();
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] >= 0 && c[i] <= 1)) {
                throw new IllegalArgumentException("tableau '" + tableau.name() + "' has c[" + i + "] = " + c[i]
                        + ", which evaluates the model at t_n + c h, outside the step from t_n to t_(n+1): past a"
                        + " stage's window of a pyramid, or off the schedule's time axis [0, 1] at the ends; allowed:"
                        + " 0 <= c[i] <= 1 for every node");
            }
        }
        this.listener = listener;
        this.progress = progress;
    }

    @Override
    public NDArray solve(Denoiser model, NoiseSchedule schedule, NDArray x, TimeGrid grid) {
        SolverRun run = new SolverRun(tableau.name(), model, schedule, x, grid, progress);
        PredictionType type = model.type();
        int s = tableau.stages();
        return run.loop(x, (n, current) -> {
            double t = grid.t(n);
            double h = grid.t(n + 1) - t;
            NDArray[] k = new NDArray[s];
            for (int i = 0; i < s; i++) {
                NDArray xi = current;
                for (int j = 0; j < i; j++) {
                    if (tableau.a(i, j) != 0) {
                        xi = xi.add(k[j].mul(h * tableau.a(i, j)));
                    }
                }
                double ti = stageTime(t, grid.t(n + 1), tableau.c(i));
                NDArray pred = model.predict(xi, ti);
                if (i == 0 && listener != null) {
                    listener.onStep(n, t, current, SolverRun.x0OrNull(schedule, t, current, pred, type));
                }
                k[i] = Predictions.convert(schedule, ti, xi, pred, type, PredictionType.VELOCITY);
            }
            NDArray next = current;
            for (int i = 0; i < s; i++) {
                if (tableau.b(i) != 0) {
                    next = next.add(k[i].mul(h * tableau.b(i)));
                }
            }
            return next;
        });
    }

    /** {@code t + c h} for a node {@code 0 <= c <= 1}, exact at c = 0 and c = 1 and kept inside the step against rounding. */
    static double stageTime(double t, double next, double c) {
        if (c == 0) {
            return t;
        }
        if (c == 1) {
            return next;
        }
        double ti = t + c * (next - t);
        return Math.max(Math.min(t, next), Math.min(Math.max(t, next), ti));
    }

    /** The tableau. */
    ButcherTableau tableau() {
        return tableau;
    }

    @Override
    public Solver withListener(StepListener l) {
        return new RungeKuttaSolver(tableau, l, progress);
    }

    @Override
    public Solver withProgress(boolean on) {
        return new RungeKuttaSolver(tableau, listener, on);
    }

    @Override
    public boolean progress() {
        return progress;
    }

    @Override
    public String toString() {
        return "Solver[" + tableau.name() + ", order " + tableau.order() + "]";
    }
}
