package tpdiff4j.schedule;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A user's schedule made of Java functions {@code gamma(t)} and {@code sigma(t)} (see {@link Schedules#of}).
 *
 * <ul>
 *   <li>Validation, on the grid {@code t = j / 1000}: gamma and sigma finite and {@code >= 0}, gamma
 *       non-increasing, sigma non-decreasing, and the log-SNR strictly decreasing (so that it has an inverse).</li>
 *   <li>Derivatives: the user's functions when given; otherwise fourth-order finite differences
 *       ({@link Derivatives}: five-point central stencil, h = 1e-3, one-sided within 2h of an end), refused with an
 *       {@link IllegalArgumentException} at a time where their estimated error exceeds {@code 1e-6 (1 + |value|)}
 *       (a function that is not smooth there, such as sqrt(t) near 0).</li>
 *   <li>{@link #timeAtLogSnr}: bisection on the monotone log-SNR to an interval of width {@code <= 1e-13}.</li>
 *   <li>JSON: Java functions cannot be written as data, so {@link #toJson()} throws
 *       {@link UnsupportedOperationException}. Equality is identity.</li>
 * </ul>
 */
public final class FunctionSchedule implements NoiseSchedule {

    /** Number of grid intervals on which the functions are validated. */
    static final int CHECK_GRID = 1000;

    private final String name;
    private final DoubleUnaryOperator gamma;
    private final DoubleUnaryOperator sigma;
    private final DoubleUnaryOperator gammaDot;
    private final DoubleUnaryOperator sigmaDot;

    FunctionSchedule(String name, DoubleUnaryOperator gamma, DoubleUnaryOperator sigma,
                     DoubleUnaryOperator gammaDot, DoubleUnaryOperator sigmaDot) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name = " + (name == null ? "null" : "\"" + name + "\"")
                    + " is not allowed; allowed: a non-blank schedule name");
        }
        this.name = name;
        this.gamma = Objects.requireNonNull(gamma, "gamma must be a function t -> gamma(t), not null");
        this.sigma = Objects.requireNonNull(sigma, "sigma must be a function t -> sigma(t), not null");
        this.gammaDot = gammaDot != null ? gammaDot : t -> Derivatives.derivative(gamma, t, "gammaDot of schedule '" + name + "'");
        this.sigmaDot = sigmaDot != null ? sigmaDot : t -> Derivatives.derivative(sigma, t, "sigmaDot of schedule '" + name + "'");
        validate();
    }

    private void validate() {
        double g0 = Double.NaN;
        double s0 = Double.NaN;
        double l0 = Double.NaN;
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
            if (j > 0) {
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
        double lo = 0;
        double hi = 1; // logSnr(lo) >= target >= logSnr(hi)
        for (int k = 0; k < 200 && hi - lo > 1e-13; k++) {
            double mid = 0.5 * (lo + hi);
            if (logSnr(mid) >= logSnr) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
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
