package tpdiff4j.schedule;

/**
 * A noise schedule: the forward process {@code x_t = gamma(t) x0 + sigma(t) eps} (TPDiff v1 Eq. 6) on
 * {@code t} in [0, 1], with {@code t = 1} the noisiest end.
 *
 * <p>Derived quantities: the noise-to-signal ratio {@code rho = sigma / gamma} and the log-SNR
 * {@code logSnr = 2 ln(gamma / sigma)} (twice the paper's half log-SNR lambda). Every implementation has
 * gamma non-increasing and sigma non-decreasing in {@code t}, so the log-SNR decreases and has an inverse
 * {@link #timeAtLogSnr(double)}. Arguments {@code t} outside [0, 1] are rejected.
 *
 * <p>The built-in and tabulated schedules are immutable values compared by value ({@code equals}/{@code hashCode});
 * {@link #toJson()} writes a JSON object with {@code "type"} and {@code "version"} that
 * {@link Schedules#fromJson(String)} reads back. A schedule of Java functions ({@link Schedules#of}) is equal only to
 * itself and has no JSON form: {@link Schedules#tabulated} gives it one.
 *
 * <p>A class of one's own may implement this interface (with exact derivatives and a closed-form
 * {@link #timeAtLogSnr}, say). It is then treated as {@link Schedules#of} treats its functions: checked by the same
 * rules when a {@code TemporalPyramid} is built ({@link Schedules#requireValid}), and saved as a table wherever the
 * library writes a schedule (checkpoints, experiments, plans); its {@link #toJson()} is never called, so it may throw.
 */
public interface NoiseSchedule {

    /** A short human-readable name, e.g. {@code "flowMatching"} or {@code "scaledLinear(8.5E-4, 0.012, 1000)"}. */
    String name();

    /** Signal coefficient gamma(t), t in [0, 1]. */
    double gamma(double t);

    /** Noise coefficient sigma(t), t in [0, 1]. */
    double sigma(double t);

    /** d gamma / dt at t (one-sided where gamma has a kink, see the implementation). */
    double gammaDot(double t);

    /** d sigma / dt at t (one-sided where sigma has a kink, see the implementation). */
    double sigmaDot(double t);

    /**
     * {@code d sigma^2 / dt = 2 sigma(t) sigmaDot(t)}. Where sigma starts like {@code sqrt(t)} its slope is infinite
     * at t = 0 while this stays finite, and the product {@code 0 * infinity} is not a number: such a schedule overrides
     * this method with the limit ({@link Schedules#vpCosine()} does: {@code -2 gamma gammaDot}, since
     * {@code sigma^2 = 1 - gamma^2}). The probability-flow ODE's diffusion coefficient {@code g^2} is built on it.
     */
    default double sigmaSquaredDot(double t) {
        return 2 * sigma(t) * sigmaDot(t);
    }

    /** Noise-to-signal ratio {@code rho(t) = sigma(t) / gamma(t)}; +infinity where gamma = 0. */
    default double rho(double t) {
        return sigma(t) / gamma(t);
    }

    /** Log signal-to-noise ratio {@code 2 ln(gamma(t) / sigma(t))}; decreasing in t. */
    default double logSnr(double t) {
        return 2 * Math.log(gamma(t) / sigma(t));
    }

    /**
     * The inverse of {@link #logSnr(double)}: the t in [0, 1] with {@code logSnr(t) = logSnr}.
     *
     * @throws IllegalArgumentException when the value lies outside [logSnr(1), logSnr(0)]
     */
    double timeAtLogSnr(double logSnr);

    /**
     * This schedule as a JSON object with {@code "type"} and {@code "version"}; see {@link Schedules#fromJson}.
     *
     * @throws UnsupportedOperationException for a schedule of Java functions ({@link Schedules#of}), which cannot be
     *                                       written as data; save {@link Schedules#tabulated} of it instead
     */
    String toJson();
}
