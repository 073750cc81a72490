package tpdiff4j.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * A user's schedule made of Java functions {@code gamma(t)} and {@code sigma(t)} (see {@link Schedules#of}).
 *
 * <ul>
 *   <li>Validation, on the grid {@code t = j / 1000}: gamma and sigma finite and {@code >= 0}, gamma
 *       non-increasing, sigma non-decreasing, and the log-SNR strictly decreasing (so that it has an inverse);
 *       gammaDot {@code <= 0} and sigmaDot {@code >= 0} there too (up to {@code 1e-6 (1 + |value|)}); at the ends
 *       {@code logSnr(0) > 0} (t = 0 is the clean end) and {@code logSnr(1) < 0} (t = 1 the noisy end). A schedule
 *       with gamma growing and sigma falling is refused as swapped or reversed.</li>
 *   <li>Not checked, because no finite test can: a rise or fall narrower than the grid spacing whose derivative
 *       has the right sign at every grid time. The log-SNR inverse and the pyramid's windows assume monotone
 *       functions everywhere. Nor is a threshold put on how noisy t = 1 must be: sampling starts from pure noise
 *       and leaves out the part {@code gamma(1) x0}, so keep {@code gamma(1) / sigma(1)} small (Stable
 *       Diffusion 1.5: 0.068).</li>
 *   <li>Hand-written derivatives are checked on the same grid: a number (NaN refused; an infinite slope is
 *       allowed where the function's slope is unbounded), and within {@code 1e-4 (1 + |value|)} of the finite
 *       difference wherever that can be taken (a wrong sign, a factor of 2 or a missing inner derivative fails).</li>
 *   <li>Derivatives: the user's functions when given; otherwise fourth-order finite differences
 *       ({@link Derivatives}: five-point central stencil, h = 1e-3, one-sided within 2h of an end), refused with an
 *       {@link IllegalArgumentException} at a time where their estimated error exceeds {@code 1e-6 (1 + |value|)}
 *       (a function that is not smooth there, such as sqrt(t) near 0).</li>
 *   <li>{@link #timeAtLogSnr}: bisection on the monotone log-SNR down to two neighbouring doubles, of which the one
 *       whose log-SNR is nearer the target is returned: the inverse is exact to one unit in the last place of t
 *       (at most 62 halvings, two evaluations of gamma and sigma each).</li>
 *   <li>JSON: Java functions cannot be written as data, so {@link #toJson()} throws
 *       {@link UnsupportedOperationException}. Equality is identity.</li>
 * </ul>
 */
public final class FunctionSchedule implements NoiseSchedule {

    /** Number of grid intervals on which the functions are validated. */
    static final int CHECK_GRID = 1000;

    /**
     * The largest accepted disagreement between a hand-written derivative and the finite difference, relative to
     * {@code 1 + |value|}: a hundred times the finite difference's own accepted error ({@link Derivatives#TOLERANCE}),
     * whose estimate can be low by a factor of 15 where the function is only once differentiable (a table's nodes).
     */
    static final double SLOPE_AGREEMENT = 1e-4;

    private final String name;
    private final DoubleUnaryOperator gamma;
    private final DoubleUnaryOperator sigma;
    private final DoubleUnaryOperator gammaDot;
    private final DoubleUnaryOperator sigmaDot;

    FunctionSchedule(String name, DoubleUnaryOperator gamma, DoubleUnaryOperator sigma,
                     DoubleUnaryOperator gammaDot, DoubleUnaryOperator sigmaDot) {
        this(name, gamma, sigma, gammaDot, sigmaDot, false);
    }

    /**
     * @param exactSlopes whether {@code gammaDot} and {@code sigmaDot} are by construction the derivatives of
     *     {@code gamma} and {@code sigma} (a table's interpolants, {@link TabulatedSchedule}): they are then not
     *     compared with finite differences, which straddle a point where the curvature jumps (a table's node) and
     *     there can miss by more than {@link #SLOPE_AGREEMENT}; their sign is still checked
     */
    FunctionSchedule(String name, DoubleUnaryOperator gamma, DoubleUnaryOperator sigma,
                     DoubleUnaryOperator gammaDot, DoubleUnaryOperator sigmaDot, boolean exactSlopes) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name = " + (name == null ? "null" : "\"" + name + "\"")
                    + " is not allowed; allowed: a non-blank schedule name");
        }
        this.name = name;
        if (gamma == null || sigma == null) {
            String which = gamma == null ? "gamma" : "sigma";
            throw new IllegalArgumentException(which + " = null in schedule '" + name + "'; allowed: a function t -> "
                    + which + "(t)");
        }
        this.gamma = gamma;
        this.sigma = sigma;
        this.gammaDot = gammaDot != null ? gammaDot : t -> Derivatives.derivative(gamma, t, "gammaDot of schedule '" + name + "'");
        this.sigmaDot = sigmaDot != null ? sigmaDot : t -> Derivatives.derivative(sigma, t, "sigmaDot of schedule '" + name + "'");
        validate(gammaDot, sigmaDot, exactSlopes);
    }

    private void validate(DoubleUnaryOperator gammaDotGiven, DoubleUnaryOperator sigmaDotGiven, boolean exactSlopes) {
        requireDirection();
        double g0 = Double.NaN;
        double s0 = Double.NaN;
        double l0 = Double.NaN;
        double first = Double.NaN;
        for (int j = 0; j <= CHECK_GRID; j++) {
            double t = (double) j / CHECK_GRID;
            double g = gamma.applyAsDouble(t);
            double s = sigma.applyAsDouble(t);
            requireValue("gamma", t, g);
            requireValue("sigma", t, s);
            if (g == 0 && s == 0) {
                throw new IllegalArgumentException("gamma and sigma are both 0 at t = " + t + " in schedule '" + name
                        + "'; allowed: gamma(t) > 0 or sigma(t) > 0");
            }
            double l = 2 * Math.log(g / s);
            if (j == 0) {
                first = l;
            } else {
                if (g > g0) {
                    throw new IllegalArgumentException("gamma increases from gamma(" + (t - 1.0 / CHECK_GRID) + ") = " + g0
                            + " to gamma(" + t + ") = " + g + " in schedule '" + name + "'; allowed: gamma non-increasing on [0, 1]");
                }
                if (s < s0) {
                    throw new IllegalArgumentException("sigma decreases from sigma(" + (t - 1.0 / CHECK_GRID) + ") = " + s0
                            + " to sigma(" + t + ") = " + s + " in schedule '" + name + "'; allowed: sigma non-decreasing on [0, 1]");
                }
                if (!(l < l0)) {
                    throw new IllegalArgumentException("logSnr = 2 ln(gamma/sigma) does not decrease between t = "
                            + (t - 1.0 / CHECK_GRID) + " and t = " + t + " (" + l0 + " -> " + l + ") in schedule '" + name
                            + "'; allowed: gamma/sigma strictly decreasing");
                }
            }
            g0 = g;
            s0 = s;
            l0 = l;
        }
        if (!(first > 0)) {
            throw new IllegalArgumentException("logSnr(0) = 2 ln(gamma(0)/sigma(0)) = " + first + " (gamma(0) = "
                    + gamma.applyAsDouble(0) + ", sigma(0) = " + sigma.applyAsDouble(0) + ") in schedule '" + name
                    + "': t = 0 is the clean end, where sampling stops; allowed: logSnr(0) > 0, i.e. gamma(0) > sigma(0)"
                    + " (sigma(0) = 0 for clean data)");
        }
        if (!(l0 < 0)) {
            throw new IllegalArgumentException("logSnr(1) = 2 ln(gamma(1)/sigma(1)) = " + l0 + " (gamma(1) = "
                    + gamma.applyAsDouble(1) + ", sigma(1) = " + sigma.applyAsDouble(1) + ") in schedule '" + name
                    + "': t = 1 is the noisiest end, where sampling starts from pure noise, and sigma never gets there;"
                    + " allowed: logSnr(1) < 0, i.e. sigma(1) > gamma(1) (gamma(1) = 0 for pure noise; Stable"
                    + " Diffusion 1.5 has logSnr(1) = -5.4)");
        }
        for (int j = 0; j <= CHECK_GRID; j++) {   // after the values, so that a bad value is named as such
            double t = (double) j / CHECK_GRID;
            requireSlope("gamma", gamma, gammaDotGiven, t, -1, exactSlopes);
            requireSlope("sigma", sigma, sigmaDotGiven, t, +1, exactSlopes);
        }
    }

    /** Refuses a schedule that runs the wrong way: signal growing and noise shrinking from t = 0 to t = 1. */
    private void requireDirection() {
        double ga = gamma.applyAsDouble(0);
        double gb = gamma.applyAsDouble(1);
        double sa = sigma.applyAsDouble(0);
        double sb = sigma.applyAsDouble(1);
        if (gb > ga && sb < sa) {
            throw new IllegalArgumentException("gamma grows from gamma(0) = " + ga + " to gamma(1) = " + gb + " and sigma"
                    + " falls from sigma(0) = " + sa + " to sigma(1) = " + sb + " in schedule '" + name + "': t = 1 must be"
                    + " the noisiest end; allowed: gamma non-increasing and sigma non-decreasing on [0, 1]. Gamma and sigma"
                    + " look swapped, or the time axis reversed (noise at t = 0, as in torchcfm): pass t -> f(1 - t)");
        }
    }

    /**
     * At grid time t: a hand-written derivative is a number and agrees with the finite difference of its function
     * (where that is smooth enough to be taken, see {@link Derivatives}) within {@link #SLOPE_AGREEMENT}; the
     * derivative, given or numerical, has the sign of the schedule's direction ({@code sign} -1: gamma
     * non-increasing, +1: sigma non-decreasing), which also catches a rise or fall between grid points that the
     * values alone miss.
     */
    private void requireSlope(String f, DoubleUnaryOperator fn, DoubleUnaryOperator given, double t, int sign,
            boolean exact) {
        double numeric = exact && given != null ? Double.NaN : Derivatives.derivativeOrNaN(fn, t);
        double d = numeric;
        if (given != null) {
            d = given.applyAsDouble(t);
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException(f + "Dot(" + t + ") = NaN in schedule '" + name + "'; allowed: a"
                        + " number (+-Infinity only where the slope of " + f + " is unbounded)");
            }
            if (!Double.isNaN(numeric) && !(Math.abs(d - numeric) <= SLOPE_AGREEMENT * (1 + Math.abs(numeric)))) {
                throw new IllegalArgumentException(f + "Dot(" + t + ") = " + d + " in schedule '" + name + "', but finite"
                        + " differences of " + f + " give " + numeric + " there (ratio " + d / numeric + "); allowed: the"
                        + " derivative of " + f + ", within " + SLOPE_AGREEMENT + " (1 + |value|). Check its sign, a factor"
                        + " such as 2 or pi/2, the inner derivative of the chain rule, or leave the derivatives out"
                        + " (Schedules.of(name, gamma, sigma)) to have them computed");
            }
        }
        boolean wrongWay = Double.isInfinite(d) ? sign * d < 0 : sign * d < -Derivatives.TOLERANCE * (1 + Math.abs(d));
        if (wrongWay) {
            throw new IllegalArgumentException(f + "Dot(" + t + ") = " + d + " in schedule '" + name + "': " + f
                    + (sign < 0 ? " increases" : " decreases") + " near t = " + t + "; allowed: " + f + "Dot "
                    + (sign < 0 ? "<= 0 (gamma non-increasing" : ">= 0 (sigma non-decreasing") + " on [0, 1])");
        }
    }

    private void requireValue(String parameter, double t, double v) {
        if (!(Double.isFinite(v) && v >= 0)) {
            throw new IllegalArgumentException(parameter + "(" + t + ") = " + v + " in schedule '" + name
                    + "'; allowed: finite values >= 0 on [0, 1]");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double gamma(double t) {
        return gamma.applyAsDouble(Checks.time(t));
    }

    @Override
    public double sigma(double t) {
        return sigma.applyAsDouble(Checks.time(t));
    }

    @Override
    public double gammaDot(double t) {
        return gammaDot.applyAsDouble(Checks.time(t));
    }

    @Override
    public double sigmaDot(double t) {
        return sigmaDot.applyAsDouble(Checks.time(t));
    }

    @Override
    public double timeAtLogSnr(double logSnr) {
        double hiL = logSnr(0);
        double loL = logSnr(1);
        if (!(logSnr <= hiL && logSnr >= loL)) {
            throw new IllegalArgumentException("logSnr = " + logSnr + " is outside the range of schedule '" + name
                    + "'; allowed: " + loL + " <= logSnr <= " + hiL);
        }
        if (logSnr == hiL) {
            return 0;
        }
        if (logSnr == loL) {
            return 1;
        }
        // bisection on the bit patterns, which order the doubles of [0, 1] as their values do: at most 62 halvings
        // leave two neighbouring doubles lo < hi with logSnr(lo) >= target > logSnr(hi)
        long lo = Double.doubleToRawLongBits(0.0);
        long hi = Double.doubleToRawLongBits(1.0);
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            if (logSnr(Double.longBitsToDouble(mid)) >= logSnr) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double tLo = Double.longBitsToDouble(lo);
        double tHi = Double.longBitsToDouble(hi);
        return logSnr(tLo) - logSnr <= logSnr - logSnr(tHi) ? tLo : tHi;   // the nearer in log-SNR
    }

    /** Always throws: a schedule made of Java functions has no data form. */
    @Override
    public String toJson() {
        throw new UnsupportedOperationException("schedule '" + name + "' is made of Java functions (Schedules.of), which"
                + " cannot be written to JSON; save Schedules.tabulated(schedule, intervals) instead (a training"
                + " configuration does this itself, see Tabulation), or use a built-in schedule (Schedules.flowMatching,"
                + " linear, scaledLinear, cosine, vpCosine)");
    }

    @Override
    public String toString() {
        return "FunctionSchedule[" + name + "]";
    }
}
