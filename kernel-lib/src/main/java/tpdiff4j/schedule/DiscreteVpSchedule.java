package tpdiff4j.schedule;

/**
 * Common part of the beta schedules (DDPM, Ho et al. 2020): from betas {@code beta_0..beta_{N-1}} it builds
 * {@code alphaBar_i = prod_{j <= i} (1 - beta_j)} by a float64 cumulative product, and
 * {@code 1 - alphaBar_i = -expm1(sum_{j <= i} log1p(-beta_j))} without cancellation. The log-SNR takes
 * {@code ln alphaBar_i} from that sum of logs where the product underflows, so it stays finite.
 *
 * <p>Continuous time (docs/conventions.md): step i sits at {@code t_i = i / (N - 1)}; the log-SNR
 * {@code l_i = ln(alphaBar_i / (1 - alphaBar_i))} is interpolated linearly in t between steps, and
 * {@code gamma = sqrt(sigmoid(l))}, {@code sigma = sqrt(sigmoid(-l))} (variance preserving,
 * {@code gamma^2 + sigma^2 = 1}). At a step this gives {@code gamma = sqrt(alphaBar_i)} and
 * {@code sigma = sqrt(1 - alphaBar_i)}.
 *
 * <p>Derivatives follow the interpolation: on a segment {@code dl/dt = (l_{k+1} - l_k)(N - 1)},
 * {@code gammaDot = gamma sigma^2 (dl/dt) / 2}, {@code sigmaDot = -sigma gamma^2 (dl/dt) / 2}. At a step time they
 * are those of the segment below it (toward t = 0, where sampling goes next); at t = 0 of the first segment.
 * {@link #timeAtLogSnr} inverts the piecewise-linear log-SNR exactly.
 */
public abstract class DiscreteVpSchedule implements DiscreteSchedule {

    private final double[] alphaBar;
    private final double[] logSnr;

    DiscreteVpSchedule(double[] betas) {
        int n = betas.length;
        alphaBar = new double[n];
        logSnr = new double[n];
        double product = 1;
        double logSum = 0;
        for (int i = 0; i < n; i++) {
            Checks.beta("beta_" + i, betas[i]);
            product *= 1 - betas[i];
            logSum += Math.log1p(-betas[i]);
            alphaBar[i] = product;
            // ln alphaBar from the product while it is a normal double; from the sum of logs once the product
            // underflows (betas near 1 over many steps: alphaBar below 1e-308), so the log-SNR stays finite and
            // strictly decreasing instead of -Infinity on several steps in a row
            double logAlphaBar = product >= Double.MIN_NORMAL ? Math.log(product) : logSum;
            logSnr[i] = logAlphaBar - Math.log(-Math.expm1(logSum));
        }
    }

    @Override
    public int steps() {
        return alphaBar.length;
    }

    @Override
    public double alphaBar(int i) {
        return alphaBar[checkStep(i)];
    }

    @Override
    public double timeOfStep(int i) {
        return (double) checkStep(i) / (alphaBar.length - 1);
    }

    private int checkStep(int i) {
        if (i < 0 || i >= alphaBar.length) {
            throw new IllegalArgumentException("i = " + i + " is not a step of " + name() + "; allowed: 0 <= i <= "
                    + (alphaBar.length - 1));
        }
        return i;
    }

    /** Index k of the segment [t_k, t_{k+1}] used at t: the one below t at a step time. */
    private int segment(double t) {
        int k = (int) Math.ceil(t * (alphaBar.length - 1)) - 1;
        return Math.max(0, Math.min(alphaBar.length - 2, k));
    }

    @Override
    public double logSnr(double t) {
        Checks.time(t);
        int k = segment(t);
        double w = t * (alphaBar.length - 1) - k;
        return w == 1 ? logSnr[k + 1] : (1 - w) * logSnr[k] + w * logSnr[k + 1];
    }

    private double logSnrRate(double t) {
        int k = segment(t);
        return (logSnr[k + 1] - logSnr[k]) * (alphaBar.length - 1);
    }

    @Override
    public double gamma(double t) {
        return Math.sqrt(sigmoid(logSnr(t)));
    }

    @Override
    public double sigma(double t) {
        return Math.sqrt(sigmoid(-logSnr(t)));
    }

    @Override
    public double gammaDot(double t) {
        double l = logSnr(t);
        return 0.5 * Math.sqrt(sigmoid(l)) * sigmoid(-l) * logSnrRate(t);
    }

    @Override
    public double sigmaDot(double t) {
        double l = logSnr(t);
        return -0.5 * Math.sqrt(sigmoid(-l)) * sigmoid(l) * logSnrRate(t);
    }

    @Override
    public double rho(double t) {
        return Math.exp(-0.5 * logSnr(t));
    }

    @Override
    public double timeAtLogSnr(double l) {
        int n = alphaBar.length;
        if (!(l <= logSnr[0] && l >= logSnr[n - 1])) {
            throw new IllegalArgumentException("logSnr = " + l + " is outside the range of " + name() + "; allowed: "
                    + logSnr[n - 1] + " <= logSnr <= " + logSnr[0]);
        }
        int lo = 0;
        int hi = n - 1; // logSnr[lo] >= l >= logSnr[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (logSnr[mid] >= l) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double w = (logSnr[lo] - l) / (logSnr[lo] - logSnr[hi]);
        return (lo + w) / (n - 1);
    }

    /** The logistic function {@code 1 / (1 + e^-x)}, without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
