package tpdiff4j.ode;

import tpdiff4j.schedule.NoiseSchedule;

/**
 * What a network predicts. Every type is a linear combination {@code a(t) x0 + b(t) eps} of the clean data
 * and the noise of the forward process {@code x_t = gamma(t) x0 + sigma(t) eps}:
 *
 * <table>
 *   <caption>coefficients (a, b)</caption>
 *   <tr><th>type</th><th>prediction</th><th>a</th><th>b</th></tr>
 *   <tr><td>EPSILON</td><td>eps</td><td>0</td><td>1</td></tr>
 *   <tr><td>X0</td><td>x0</td><td>1</td><td>0</td></tr>
 *   <tr><td>VELOCITY</td><td>dx_t/dt = gammaDot x0 + sigmaDot eps</td><td>gammaDot</td><td>sigmaDot</td></tr>
 *   <tr><td>V_PREDICTION</td><td>gamma eps - sigma x0 (Salimans and Ho 2022)</td><td>-sigma</td><td>gamma</td></tr>
 * </table>
 *
 * <p>VELOCITY is the time derivative of the forward path in the schedule's own time t; for plain flow
 * matching ({@code gamma = 1 - t, sigma = t}) it is {@code eps - x0} (TPDiff v1 Eq. 5), pointing toward noise.
 * With the SD3 shift it is {@code (eps - x0) du/dt}, u the shifted time. The expected VELOCITY given x_t is
 * the right-hand side of the probability-flow ODE.
 */
public enum PredictionType {
    /** The noise eps. */
    EPSILON,
    /** The clean data x0. */
    X0,
    /**
     * dx_t/dt = gammaDot x0 + sigmaDot eps; eps - x0 for flow matching. This is what diffusers' flow-matching
     * models output ({@code FlowMatchEulerDiscreteScheduler}: {@code noise - sample}; times dsigma/dt with a shift,
     * see {@link DiffusersConfig#outputScale}). It is <b>not</b> diffusers' {@code prediction_type = "v_prediction"}:
     * that one is {@link #V_PREDICTION}.
     */
    VELOCITY,
    /**
     * v = gamma eps - sigma x0 (Salimans and Ho 2022): diffusers' {@code prediction_type = "v_prediction"}. Not the
     * path velocity {@link #VELOCITY}, although both are called "v" in places; {@link DiffusersConfig} maps the
     * diffusers names.
     */
    V_PREDICTION;

    /**
     * The coefficients {@code {a, b}} with {@code prediction = a x0 + b eps} at time t of schedule s.
     *
     * @throws IllegalArgumentException for VELOCITY at a time where the schedule's derivative is not finite (the VP
     *     cosine schedule has {@code sigmaDot(0) = infinity}): the velocity does not exist there, and a model of it
     *     could only return NaN or infinite values
     */
    public double[] coefficients(NoiseSchedule s, double t) {
        switch (this) {
            case EPSILON:
                return new double[] {0, 1};
            case X0:
                return new double[] {1, 0};
            case VELOCITY:
                double a = s.gammaDot(t), b = s.sigmaDot(t);
                if (!Double.isFinite(a) || !Double.isFinite(b)) {
                    throw new IllegalArgumentException("type = VELOCITY at t = " + t + " of schedule '" + s.name()
                            + "': gammaDot(" + t + ") = " + a + ", sigmaDot(" + t + ") = " + b + ", so the velocity"
                            + " is not finite there; allowed: a time where both derivatives are finite. To sample to"
                            + " t = 0 on this schedule, use Solvers.euler() (it never evaluates the model at the"
                            + " grid's last time) or a model of type V_PREDICTION or EPSILON with Solvers.ddim()");
                }
                return new double[] {a, b};
            case V_PREDICTION:
                return new double[] {-s.sigma(t), s.gamma(t)};
            default:
                throw new AssertionError(this);
        }
    }
}
