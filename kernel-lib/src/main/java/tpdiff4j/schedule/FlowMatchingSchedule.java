package tpdiff4j.schedule;

import com.google.gson.JsonObject;

/**
 * Rectified-flow / flow-matching schedule (TPDiff v1 Eq. 4): {@code gamma = 1 - u}, {@code sigma = u}, where
 * {@code u = shift(t) = s t / (1 + (s - 1) t)} is the SD3-style time shift (diffusers
 * {@code FlowMatchEulerDiscreteScheduler}); {@code s = 1} is the plain schedule {@code gamma = 1 - t, sigma = t}.
 *
 * <p>Evaluated with the denominator {@code d = s t + (1 - t)} (the same number as {@code 1 + (s - 1) t}):
 * {@code u = s t / d} and {@code gamma = (1 - t) / d}, so that {@code gamma(1) = 0} and {@code sigma(1) = 1}
 * exactly for every shift and gamma keeps full relative precision near t = 1 (no cancellation in {@code 1 - u}).
 * Derivatives: {@code du/dt = s / d^2}, {@code gammaDot = -du/dt}, {@code sigmaDot = du/dt}.
 * Log-SNR {@code 2 ln((1 - u) / u) = 2 (ln(1 - t) - ln t - ln s)}, inverse in closed form: {@code u = 1 / (1 + e^(l/2))}
 * and {@code t = u / (s - (s - 1) u)}. The log-SNR is +infinity at t = 0 and -infinity at t = 1.
 *
 * @param shift the shift s > 0 (1 = no shift; SD3 uses 3)
 */
public record FlowMatchingSchedule(double shift) implements NoiseSchedule {

    /** JSON type tag. */
    static final String TYPE = "flowMatching";

    /** Validates the shift. */
    public FlowMatchingSchedule {
        Checks.positive("shift", shift);
    }

    /** The shifted time {@code u = s t / (1 + (s - 1) t)}; exactly 0 at t = 0 and 1 at t = 1. */
    public double shifted(double t) {
        Checks.time(t);
        return shift == 1 ? t : shift * t / denominator(t);
    }

    /** {@code d = s t + (1 - t)}: written so that d(1) = s exactly. */
    private double denominator(double t) {
        return shift * t + (1 - t);
    }

    private double shiftRate(double t) {
        double d = denominator(t);
        return shift / (d * d);
    }

    @Override
    public String name() {
        return shift == 1 ? "flowMatching" : "flowMatching(shift=" + shift + ")";
    }

    @Override
    public double gamma(double t) {
        Checks.time(t);
        return shift == 1 ? 1 - t : (1 - t) / denominator(t);
    }

    @Override
    public double sigma(double t) {
        return shifted(t);
    }

    @Override
    public double gammaDot(double t) {
        Checks.time(t);
        return -shiftRate(t);
    }

    @Override
    public double sigmaDot(double t) {
        Checks.time(t);
        return shiftRate(t);
    }

    @Override
    public double logSnr(double t) {
        Checks.time(t);
        return 2 * (Math.log1p(-t) - Math.log(t) - Math.log(shift));
    }

    @Override
    public double timeAtLogSnr(double logSnr) {
        if (Double.isNaN(logSnr)) {
            throw new IllegalArgumentException("logSnr = NaN; allowed: any value in [-infinity, +infinity]");
        }
        double u = logSnr >= 0 ? Math.exp(-logSnr / 2) / (1 + Math.exp(-logSnr / 2)) : 1 / (1 + Math.exp(logSnr / 2));
        return shift == 1 ? u : u / (shift - (shift - 1) * u);
    }

    @Override
    public String toJson() {
        JsonObject o = ScheduleJson.header(TYPE);
        o.addProperty("shift", shift);
        return o.toString();
    }
}
