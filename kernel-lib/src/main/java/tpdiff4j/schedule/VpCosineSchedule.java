package tpdiff4j.schedule;

/**
 * The continuous variance-preserving cosine schedule (Nichol and Dhariwal 2021, continuous form):
 * {@code gamma(t) = cos(phi(t)) / cos(phi(0))}, {@code sigma(t) = sqrt(1 - gamma(t)^2)}, with
 * {@code phi(t) = ((t + s) / (1 + s)) pi / 2} and {@code s = 0.008}; so {@code gamma^2 = alphaBar(t) = f(t) / f(0)}.
 *
 * <p>{@code gamma(0) = 1, sigma(0) = 0}; {@code gamma(1) = 0} exactly. sigma is computed without cancellation as
 * {@code sqrt(sin(phi - phi0) sin(phi + phi0)) / cos(phi0)}, with {@code phi - phi0 = t phi'} taken directly (not as
 * the difference of {@code (t + s) phi'} and {@code phi0}, which would round t to the spacing of doubles near s).
 * Derivatives: {@code gammaDot = -sin(phi) phi' / cos(phi0)} with {@code phi' = pi / (2 (1 + s))} and
 * {@code sigmaDot = -gamma gammaDot / sigma}, which is +infinity at t = 0 (sigma behaves like sqrt(t) there), while
 * {@code d sigma^2 / dt = -2 gamma gammaDot} stays finite ({@link #sigmaSquaredDot}).
 * Inverse log-SNR in closed form, {@code cos(phi) = cos(phi0) sqrt(sigmoid(l))}, written so that small t keeps its
 * digits: with {@code k = cos(phi0)^2 sigmoid(-l) = sin(phi)^2 - sin(phi0)^2}, {@code t = atan2(k / sin(phi + phi0),
 * cos(phi - phi0)) / phi'} (every term a sum of positive ones; {@code acos} and the subtraction of s lost the digits of
 * t below about 0.01).
 */
public record VpCosineSchedule() implements NoiseSchedule {

    /** The offset s. */
    public static final double S = 0.008;
    static final String TYPE = "vpCosine";
    private static final double RATE = Math.PI / (2 * (1 + S));
    private static final double PHI0 = S * RATE;
    private static final double COS0 = Math.cos(PHI0);
    private static final double SIN0 = Math.sin(PHI0);

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
        double delta = Checks.time(t) * RATE;   // phi - phi0, without rounding t + s first
        return Math.sqrt(Math.sin(delta) * Math.sin(delta + 2 * PHI0)) / COS0;
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
        // gamma^2 = sigmoid(l) = cos^2(phi) / cos^2(phi0) and sigma^2 = sigmoid(-l) = (sin^2(phi) - sin^2(phi0)) /
        // cos^2(phi0); the angle delta = phi - phi0 = t RATE then follows from sums of positive terms only:
        // sin(delta) = (sin^2 phi - sin^2 phi0) / sin(phi + phi0), cos(delta) = cos(phi) cos(phi0) + sin(phi) sin(phi0)
        double k = COS0 * COS0 * DiscreteVpSchedule.sigmoid(-logSnr);   // sin^2(phi) - sin^2(phi0)
        double cosPhi = COS0 * Math.sqrt(DiscreteVpSchedule.sigmoid(logSnr));
        double sinPhi = Math.sqrt(SIN0 * SIN0 + k);
        double sinDelta = k / (sinPhi * COS0 + cosPhi * SIN0);
        double cosDelta = cosPhi * COS0 + sinPhi * SIN0;
        double t = Math.atan2(sinDelta, cosDelta) / RATE;
        return Math.max(0, Math.min(1, t));
    }

    @Override
    public String toJson() {
        return ScheduleJson.header(TYPE).toString();
    }
}
