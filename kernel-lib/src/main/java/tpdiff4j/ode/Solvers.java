package tpdiff4j.ode;

/** Factories for the solvers. All share {@link Solver}'s signature and work with any schedule and prediction type. */
public final class Solvers {

    private Solvers() {
    }

    /** Deterministic DDIM (eta = 0): the exact closed-form step of spec 1.3. */
    public static Solver ddim() {
        throw new UnsupportedOperationException("not yet");
    }

    /** DDIM with stochasticity eta in [0, 1] and Gaussian noise from a seeded source. */
    public static Solver ddim(double eta, long seed) {
        throw new UnsupportedOperationException("not yet");
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

    /** Any explicit Runge-Kutta method given by its tableau. */
    public static Solver rungeKutta(ButcherTableau tableau) {
        throw new UnsupportedOperationException("not yet");
    }
}
