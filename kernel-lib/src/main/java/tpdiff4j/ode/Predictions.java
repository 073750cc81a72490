package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Conversions between prediction types for any schedule (docs/conventions.md, prediction types).
 *
 * <p>With {@code x = gamma x0 + sigma eps} and a prediction {@code p = aF x0 + bF eps} of type F (coefficients
 * from {@link PredictionType#coefficients}), the pair (x0, eps) solves a 2x2 system with determinant
 * {@code det = gamma bF - sigma aF}:
 * {@code x0 = (bF x - sigma p) / det}, {@code eps = (gamma p - aF x) / det}. A prediction of type T is then
 * {@code aT x0 + bT eps = ((aT bF - bT aF) x + (bT gamma - aT sigma) p) / det}.
 *
 * <p>The determinant is gamma for EPSILON, -sigma for X0, {@code gamma sigmaDot - sigma gammaDot} for VELOCITY
 * and {@code gamma^2 + sigma^2} for V_PREDICTION; where it is 0 the source does not determine the target
 * (epsilon at a time with gamma = 0, x0 at a time with sigma = 0) and the conversion throws. It also throws where the
 * determinant is 0 up to rounding: {@code |det| <= 1e-12 |(gamma, sigma)| |(aF, bF)|}, the sine of the angle between
 * the two rows of the system. There the conversion divides by a number that is rounding noise (a user's
 * {@code gamma = cos(pi t / 2)} gives {@code gamma(1) = 6.1e-17}, not 0) and would lose more than 12 of the 16 digits
 * of double precision, so an epsilon prediction at such a time yields x0 and the velocity as noise of order 1.
 */
public final class Predictions {

    /** The smallest allowed {@code |det| / (|(gamma, sigma)| |(aF, bF)|)}; below it the system is singular up to rounding. */
    static final double SINGULAR = 1e-12;

    private Predictions() {
    }

    /** The two coefficients {@code {cx, cp}} with {@code target = cx x + cp pred}. */
    public static double[] coefficients(NoiseSchedule s, double t, PredictionType from, PredictionType to) {
        if (from == to) {
            return new double[] {0, 1};
        }
        double[] f = from.coefficients(s, t);
        double[] g = to.coefficients(s, t);
        double gamma = s.gamma(t);
        double sigma = s.sigma(t);
        double det = gamma * f[1] - sigma * f[0];
        double cx = (g[0] * f[1] - g[1] * f[0]) / det;
        double cp = (g[1] * gamma - g[0] * sigma) / det;
        double scale = Math.hypot(gamma, sigma) * Math.hypot(f[0], f[1]);
        if (!(Math.abs(det) > SINGULAR * scale) || !Double.isFinite(cx) || !Double.isFinite(cp)) {
            throw new IllegalArgumentException("cannot convert a " + from + " prediction to " + to + " at t = " + t
                    + " of schedule '" + s.name() + "': gamma = " + gamma + ", sigma = " + sigma + " make the " + from
                    + " prediction carry no information about " + to + " (determinant " + det + (det == 0 ? "" : ", within"
                    + " rounding of 0: |det| <= " + SINGULAR + " * " + scale) + "); allowed: a time where |determinant| > "
                    + SINGULAR + " |(gamma, sigma)| |(a, b)| of the " + from + " coefficients (a, b), or a model that predicts "
                    + to + " directly. " + (Math.abs(gamma) < Math.abs(sigma)
                            // the noisy end, where sampling starts: every solver calls the model there
                            ? "Every solver calls the model at the grid's first time, Solvers.ddim() and Solvers.euler()"
                            + " included, so a grid that starts at such a time (gamma = 0: pure noise) needs a model of"
                            + " another prediction type, or a grid that starts where gamma > 0 (e.g. TimeGrid.uniform(0.999,"
                            + " 0, steps) instead of from 1)"
                            : "To integrate down to such a time (an X0 model to t = 0 where sigma = 0), use"
                            + " Solvers.euler() or Solvers.ddim(): they never call the model at the grid's last time, while"
                            + " Heun and RK4 do"));
        }
        return new double[] {cx, cp};
    }

    /**
     * Converts a prediction of type {@code from} at time t into type {@code to}.
     *
     * @param xt   the noisy sample x_t, any shape
     * @param pred the prediction, same shape as xt
     * @return a new array of the shape of xt (or {@code pred} itself when {@code from == to})
     */
    public static NDArray convert(NoiseSchedule s, double t, NDArray xt, NDArray pred, PredictionType from,
                                  PredictionType to) {
        if (!xt.getShape().equals(pred.getShape())) {
            throw new IllegalArgumentException("pred has shape " + pred.getShape() + " but xt has shape " + xt.getShape()
                    + "; allowed: the same shape");
        }
        if (from == to) {
            return pred;
        }
        double[] c = coefficients(s, t, from, to);
        if (c[0] == 0) {
            return pred.mul(c[1]);
        }
        try (NDArray a = xt.mul(c[0]); NDArray b = pred.mul(c[1])) {
            return a.add(b);
        }
    }
}
