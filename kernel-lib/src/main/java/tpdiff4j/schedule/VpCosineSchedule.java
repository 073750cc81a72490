package tpdiff4j.schedule;

/**
 * The continuous variance-preserving cosine schedule (Nichol and Dhariwal 2021, continuous form):
 * {@code gamma(t) = cos(phi(t)) / cos(phi(0))}, {@code sigma(t) = sqrt(1 - gamma(t)^2)}, with
 * {@code phi(t) = ((t + s) / (1 + s)) pi / 2} and {@code s = 0.008}; so {@code gamma^2 = alphaBar(t) = f(t) / f(0)}.
 *
 * <p>{@code gamma(0) = 1, sigma(0) = 0}; {@code gamma(1) = 0} exactly. sigma is computed without cancellation as
 * {@code sqrt(sin(phi - phi0) sin(phi + phi0)) / cos(phi0)}. Derivatives:
 * {@code gammaDot = -sin(phi) phi' / cos(phi0)} with {@code phi' = pi / (2 (1 + s))} and
 * {@code sigmaDot = -gamma gammaDot / sigma}, which is +infinity at t = 0 (sigma behaves like sqrt(t) there), while
 * {@code d sigma^2 / dt = -2 gamma gammaDot} stays finite ({@link #sigmaSquaredDot}).
 * Inverse log-SNR in closed form: {@code phi = acos(cos(phi0) sqrt(sigmoid(l)))}, {@code t = 2 (1 + s) phi / pi - s}.
 */
public record VpCosineSchedule() implements NoiseSchedule {

    /** The offset s. */
    public static final double S = 0.008;
    static final String TYPE = "vpCosine";
    private static final double RATE = Math.PI / (2 * (1 + S));
    private static final double PHI0 = S * RATE;
    private static final double COS0 = Math.cos(PHI0);

    private static double phi(double t) {
        return (Checks.time(t) + S) * RATE;
    }

    @Override
    public String name() {
        return "vpCosine";
    }

    @Override
    public double gamma(double t) {
        return t == 1 ? 0 : Math.cos(phi(t)) / COS0;
    }

    @Override
    public double sigma(double t) {
        if (t == 1) {
            return 1;
        }
        double p = phi(t);
        return Math.sqrt(Math.sin(p - PHI0) * Math.sin(p + PHI0)) / COS0;
    }

    @Override
    public double gammaDot(double t) {
        return -Math.sin(phi(t)) * RATE / COS0;
    }

    @Override
    public double sigmaDot(double t) {
        double s = sigma(t);
        return s == 0 ? Double.POSITIVE_INFINITY : -gamma(t) * gammaDot(t) / s;
    }

    /**
     * {@code d sigma^2 / dt = -2 gamma gammaDot} ({@code sigma^2 = 1 - gamma^2}): finite at t = 0, where sigmaDot is
     * infinite and sigma is 0.
     */
    @Override
    public double sigmaSquaredDot(double t) {
        return -2 * gamma(t) * gammaDot(t);
    }

    @Override
    public double timeAtLogSnr(double logSnr) {
        if (Double.isNaN(logSnr)) {
            throw new IllegalArgumentException("logSnr = NaN; allowed: any value in [-infinity, +infinity]");
        }
        double c = COS0 * Math.sqrt(DiscreteVpSchedule.sigmoid(logSnr));
        double t = Math.acos(c) / RATE - S;
        return Math.max(0, Math.min(1, t));
    }

    @Override
    public String toJson() {
        return ScheduleJson.header(TYPE).toString();
    }
}
