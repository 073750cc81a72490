package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import tpdiff4j.Refusals;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Stage-wise diffusion of one batch in one stage (TPDiff v1 Sec. 3.3-3.4, Eq. 7-13; docs/derivation.md sections 5
 * and 6).
 *
 * <table>
 *   <caption>symbols</caption>
 *   <tr><th>here</th><th>paper</th><th>meaning</th></tr>
 *   <tr><td>{@code endData()}</td><td>{@code D_k = Down(x0, r_k)}</td><td>data at the stage's rate</td></tr>
 *   <tr><td>{@code startData()}</td><td>{@code A_k = Up_B(Down(x0, B r_k))}</td><td>previous stage's data,
 *       repeated ({@code A = D} in stage 0)</td></tr>
 *   <tr><td>{@code start()}</td><td>{@code x_s = gamma_s A + sigma_s eps} (Eq. 7)</td><td></td></tr>
 *   <tr><td>{@code end()}</td><td>{@code x_e = gamma_e D + sigma_e eps} (Eq. 8)</td><td>the same eps</td></tr>
 *   <tr><td>{@code epsilonK()}</td><td>{@code eps_k} (Eq. 11)</td><td>constant noise of the stage</td></tr>
 *   <tr><td>{@code cleanK()}</td><td>{@code x~_k = (x_s - sigma_s eps_k) / gamma_s}</td><td>virtual clean point</td></tr>
 * </table>
 *
 * <p>With {@code rho = sigma / gamma}, Eq. (11) {@code eps_k = (x_e/gamma_e - x_s/gamma_s) / (rho_e - rho_s)} equals
 * the noise-shift form {@code eps_k = eps + (A - D) / (rho_s - rho_e)}, and {@code x~_k = D + rho_e (D - A) /
 * (rho_s - rho_e)}. The stage path (Eq. 10) is then the vanilla forward process of the virtual pair:
 * <pre>  x_t = gamma_t x~_k + sigma_t eps_k,   t in [e, s],</pre>
 * valid for any {@link NoiseSchedule}; it passes through {@code x_s} and {@code x_e}. The noise-shift form is used
 * because it also holds where {@code gamma_s = 0} (flow matching at {@code t = 1}, where {@code A = D}).
 *
 * <p>The larger of the two factors on {@code A - D}, {@code max(1, rho_e) / (rho_s - rho_e)}, is the stage's
 * {@linkplain TemporalPyramid#targetGain target gain}: on the frames the jump fills in, the targets carry the data
 * difference multiplied by up to that factor. A pyramid keeps it at most {@link TemporalPyramid#MAX_TARGET_GAIN}.
 *
 * <p>Targets ({@link #target}) are the vanilla targets of the virtual pair, so a model of any
 * {@link PredictionType} and any deterministic solver work stage-wise unchanged (not DDIM with eta &gt; 0, see
 * {@code PyramidSampler}): {@code EPSILON -> eps_k},
 * {@code X0 -> x~_k}, {@code VELOCITY -> gammaDot_t x~_k + sigmaDot_t eps_k = dx_t/dt} per unit <b>global</b>
 * {@code t} ({@code eps_k - x~_k} for flow matching), {@code V_PREDICTION -> gamma_t eps_k - sigma_t x~_k}. The paper's flow-matching target
 * Eq. (13) {@code v_k = x_s - x_e} is the velocity per unit <b>stage</b> time {@code t' = (t - e)/(s - e)}:
 * {@link #flowVelocityPerStageTime()} {@code = (s - e)(eps_k - x~_k)}.
 */
public final class StageEndpoints {

    private final NoiseSchedule schedule;
    private final Stage stage;
    private final NDArray startData;
    private final NDArray endData;
    private final NDArray epsilon;
    private final double rhoS;
    private final double rhoE;

    private StageEndpoints(NoiseSchedule schedule, Stage stage, NDArray startData, NDArray endData, NDArray epsilon) {
        this.schedule = schedule;
        this.stage = stage;
        this.startData = startData;
        this.endData = endData;
        this.epsilon = epsilon;
        this.rhoS = schedule.sigma(stage.start()) / schedule.gamma(stage.start());
        this.rhoE = schedule.sigma(stage.end()) / schedule.gamma(stage.end());
    }

    /**
     * Endpoints of stage {@code index} for full-rate data {@code x0} and stage-resolution noise {@code eps}, with
     * Down = keep every r-th frame.
     *
     * @param p the pyramid
     * @param index stage index in sampling order
     * @param x0 full-rate data {@code [N, F, ...]}
     * @param eps noise {@code [N, F_k, ...]}, shared by both endpoints
     */
    public static StageEndpoints of(TemporalPyramid p, int index, NDArray x0, NDArray eps) {
        return of(p, index, x0, eps, TemporalOps.DownMode.SUBSAMPLE);
    }

    /** As {@link #of(TemporalPyramid, int, NDArray, NDArray)} with the given Down mode. */
    public static StageEndpoints of(TemporalPyramid p, int index, NDArray x0, NDArray eps, TemporalOps.DownMode mode) {
        String allowed = "a TemporalPyramid p, full-rate data x0 [N, F, ...] and stage noise eps [N, F_k, ...]";
        Refusals.notNull(p, "p", allowed);
        Refusals.notNull(x0, "x0", allowed);
        Refusals.notNull(eps, "eps", allowed);
        Stage st = p.stage(index);
        if (x0.getShape().dimension() < 2 || x0.getShape().get(1) != p.frames()) {
            throw new IllegalArgumentException("x0 has shape " + x0.getShape() + "; allowed: full-rate data [N, "
                    + p.frames() + ", ...]");
        }
        NDArray d = TemporalOps.down(x0, st.rateFactor(), mode);
        if (!eps.getShape().equals(d.getShape())) {
            throw new IllegalArgumentException("eps has shape " + eps.getShape() + "; allowed: " + d.getShape()
                    + ", noise at the resolution of stage " + index);
        }
        NDArray a = index == 0 ? d : TemporalOps.up(TemporalOps.down(d, p.rateFactors()[index - 1], mode),
                p.rateFactors()[index - 1]);
        return new StageEndpoints(p.schedule(), st, a, d, eps);
    }

    private static void requireType(PredictionType type) {
        Refusals.notNull(type, "type", "one of " + java.util.Arrays.toString(PredictionType.values()));
    }

    /** The stage. */
    public Stage stage() {
        return stage;
    }

    /** {@code A_k}: start-point data. */
    public NDArray startData() {
        return startData;
    }

    /** {@code D_k}: end-point data. */
    public NDArray endData() {
        return endData;
    }

    /** The shared noise {@code eps}. */
    public NDArray epsilon() {
        return epsilon;
    }

    /** {@code x_s = gamma_s A + sigma_s eps} (Eq. 7). */
    public NDArray start() {
        return pointAt(startData, stage.start());
    }

    /** {@code x_e = gamma_e D + sigma_e eps} (Eq. 8). */
    public NDArray end() {
        return pointAt(endData, stage.end());
    }

    private NDArray pointAt(NDArray data, double t) {
        return data.mul(schedule.gamma(t)).add(epsilon.mul(schedule.sigma(t)));
    }

    /** {@code 1 / (rho_s - rho_e)}; 0 where {@code rho_s} is infinite ({@code gamma_s = 0}). */
    private double shiftCoefficient() {
        return Double.isInfinite(rhoS) ? 0.0 : 1.0 / (rhoS - rhoE);
    }

    /** {@code eps_k = eps + (A - D) / (rho_s - rho_e)} (noise-shift form of Eq. 11). */
    public NDArray epsilonK() {
        return epsilon.add(startData.sub(endData).mul(shiftCoefficient()));
    }

    /**
     * Eq. (11) literally, {@code (x_e/gamma_e - x_s/gamma_s) / (rho_e - rho_s)}, for any schedule with
     * {@code gamma_s > 0}; equal to {@link #epsilonK()} up to rounding.
     */
    public NDArray epsilonKTwoPoint() {
        double gs = schedule.gamma(stage.start());
        if (!(gs > 0)) {
            throw new IllegalArgumentException("gamma(s) = " + gs + " at s = " + stage.start()
                    + "; Eq. (11) divides by it, use epsilonK() instead");
        }
        return end().div(schedule.gamma(stage.end())).sub(start().div(gs)).div(rhoE - rhoS);
    }

    /** {@code x~_k = D + rho_e (D - A) / (rho_s - rho_e)}; {@code = x0} in the last stage when {@code sigma(0) = 0}. */
    public NDArray cleanK() {
        return endData.add(endData.sub(startData).mul(rhoE * shiftCoefficient()));
    }

    /** {@code x_t = gamma_t x~_k + sigma_t eps_k} (Eq. 10) for {@code t} in the stage window. */
    public NDArray xt(double t) {
        checkTime(t);
        return cleanK().mul(schedule.gamma(t)).add(epsilonK().mul(schedule.sigma(t)));
    }

    /** {@code dx_t/dt = gammaDot(t) x~_k + sigmaDot(t) eps_k}, the path velocity per unit global {@code t}. */
    public NDArray velocity(double t) {
        checkTime(t);
        return cleanK().mul(schedule.gammaDot(t)).add(epsilonK().mul(schedule.sigmaDot(t)));
    }

    /** Flow matching Eq. (12): {@code x = (1 - t') x_e + t' x_s} for stage time {@code t'} in [0, 1]. */
    public NDArray flowXt(double tPrime) {
        if (!(tPrime >= 0 && tPrime <= 1)) {
            throw Refusals.refuse("tPrime", tPrime, "[0, 1]");
        }
        return end().mul(1 - tPrime).add(start().mul(tPrime));
    }

    /** Flow matching Eq. (13): {@code v_k = x_s - x_e = dx/dt'}, per unit <b>stage</b> time. */
    public NDArray flowVelocityPerStageTime() {
        return start().sub(end());
    }

    /**
     * The training target at time {@code t} for a model of the given prediction type: the vanilla target of the
     * virtual pair {@code (x~_k, eps_k)} (see the class comment).
     */
    public NDArray target(PredictionType type, double t) {
        requireType(type);
        checkTime(t);
        return switch (type) {
            case EPSILON -> epsilonK();
            case X0 -> cleanK();
            case VELOCITY -> velocity(t);
            case V_PREDICTION -> epsilonK().mul(schedule.gamma(t)).sub(cleanK().mul(schedule.sigma(t)));
        };
    }

    /**
     * {@code x_t} with one time per clip: item {@code b} is {@code gamma(t_b) x~_k[b] + sigma(t_b) eps_k[b]} (Eq. 10).
     *
     * @param t one time per item of the batch (axis 0), each in the stage window
     */
    public NDArray xt(double[] t) {
        return perClip(cleanK(), epsilonK(), t, schedule::gamma, schedule::sigma);
    }

    /** {@link #target(PredictionType, double)} with one time per clip: item {@code b} is the target at {@code t_b}. */
    public NDArray target(PredictionType type, double[] t) {
        requireType(type);
        return switch (type) {
            case EPSILON -> perClip(epsilonK(), null, t, u -> 1.0, null);
            case X0 -> perClip(cleanK(), null, t, u -> 1.0, null);
            case VELOCITY -> perClip(cleanK(), epsilonK(), t, schedule::gammaDot, schedule::sigmaDot);
            case V_PREDICTION -> perClip(epsilonK(), cleanK(), t, schedule::gamma, u -> -schedule.sigma(u));
        };
    }

    /** {@code fa(t_b) a[b] + fb(t_b) b[b]} per item b (only {@code a} when {@code fb} is null and fa is 1). */
    private NDArray perClip(NDArray a, NDArray b, double[] t, java.util.function.DoubleUnaryOperator fa,
            java.util.function.DoubleUnaryOperator fb) {
        long n = a.getShape().get(0);
        if (t.length != n) {
            throw new IllegalArgumentException("t has " + t.length + " times; allowed: one per clip of the batch, " + n);
        }
        for (double ti : t) {
            checkTime(ti);
        }
        if (fb == null) {
            return a;
        }
        long[] dims = new long[a.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        return a.mul(column(a, t, fa, dims)).add(b.mul(column(b, t, fb, dims)));
    }

    /** {@code f(t_b)} as an engine-owned column {@code [N, 1, ...]} of the type of {@code like}. */
    private static NDArray column(NDArray like, double[] t, java.util.function.DoubleUnaryOperator f, long[] dims) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = f.applyAsDouble(t[i]);
        }
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(dims);
        NDManager m = like.getManager();
        boolean f64 = like.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64;
        float[] vf = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            vf[i] = (float) v[i];
        }
        // create() wraps the Java buffer; duplicate() copies it into memory PyTorch owns (see GaussianNoise)
        try (NDArray wrapped = f64 ? m.create(v, shape) : m.create(vf, shape)) {
            return wrapped.duplicate();
        }
    }

    private void checkTime(double t) {
        if (!stage.contains(t)) {
            throw new IllegalArgumentException("t = " + t + " is outside stage " + stage.index() + "'s window; allowed: "
                    + stage.end() + " <= t <= " + stage.start());
        }
    }
}
