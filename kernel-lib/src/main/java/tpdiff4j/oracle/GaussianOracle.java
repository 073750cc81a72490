package tpdiff4j.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import tpdiff4j.Refusals;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalOps;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Exact (Bayes-optimal, minimum mean squared error) stage-wise predictors for {@link GaussianVideo} data.
 *
 * <p>In stage {@code k} (frames {@code F_k}, window {@code [e, s]}) every quantity is linear in
 * {@code (x0, eps)} along frames, the same for every pixel: with the {@code F_k x F} matrices {@code P} (Down to the
 * stage rate, {@code D = P x0}) and {@code U} (the previous stage's data repeated, {@code A = U x0}; {@code U = P} in
 * stage 0), and {@code c = 1 / (rho_s - rho_e)} ({@code 0} when {@code rho_s} is infinite):
 * <pre>
 *   eps_k = eps + M x0,      M = c (U - P)
 *   x~_k  = N x0,            N = P - rho_e M
 *   x_t   = gamma_t x~_k + sigma_t eps_k = G x0 + sigma_t eps,      G = gamma_t N + sigma_t M
 *   target T = a x~_k + b eps_k = (a N + b M) x0 + b eps            ((a, b) = type.coefficients(schedule, t))
 * </pre>
 * With {@code x0 ~ N(0, Sigma)} and {@code eps ~ N(0, I)} independent, {@code (T, x_t)} is jointly Gaussian, so
 * <pre>
 *   E[T | x_t] = L x_t,   L = Cov(T, x_t) Cov(x_t)^{-1},
 *   Cov(x_t) = G Sigma G^T + sigma_t^2 I,   Cov(T, x_t) = (a N + b M) Sigma G^T + b sigma_t I.
 * </pre>
 * A model returning {@code E[T | x_t]} is the best any trained network can do; its probability-flow ODE carries
 * the stage-start distribution exactly to the stage-end distribution (the marginal path of a linear interpolation
 * is transported by the conditional expectation of its velocity). {@code K = 1} gives the vanilla oracle.
 */
public final class GaussianOracle {

    private final GaussianVideo video;
    private final TemporalPyramid pyramid;
    private final TemporalOps.DownMode downMode;

    private GaussianOracle(GaussianVideo video, TemporalPyramid pyramid, TemporalOps.DownMode downMode) {
        if (video.frames() != pyramid.frames()) {
            throw Refusals.refuse("pyramid frames", pyramid.frames(),
                    video.frames() + ", the video's frame count (the two must agree)");
        }
        this.video = video;
        this.pyramid = pyramid;
        this.downMode = downMode;
    }

    /** The oracle for a pyramid (subsampling Down). */
    public static GaussianOracle of(GaussianVideo video, TemporalPyramid pyramid) {
        return new GaussianOracle(video, pyramid, TemporalOps.DownMode.SUBSAMPLE);
    }

    /** The oracle for a pyramid with the given Down mode. */
    public static GaussianOracle of(GaussianVideo video, TemporalPyramid pyramid, TemporalOps.DownMode mode) {
        return new GaussianOracle(video, pyramid, mode);
    }

    /** The vanilla oracle: a one-stage pyramid over the whole video. */
    public static GaussianOracle vanilla(GaussianVideo video, NoiseSchedule schedule) {
        return of(video, TemporalPyramid.uniform(schedule, 1, video.frames()));
    }

    /** The pyramid. */
    public TemporalPyramid pyramid() {
        return pyramid;
    }

    /**
     * A denoiser predicting {@code E[T | x_t]} for the target of {@code type}; the stage is read from the frame
     * count of {@code x} ({@code [N, F_k, ...]}). Works for float32 and float64 inputs.
     */
    public Denoiser denoiser(PredictionType type) {
        return Denoiser.of(type, (x, t) -> {
            Stage st = pyramid.stageWithFrames(x.getShape().get(1));
            double[][] l = predictor(st.index(), type, t);
            Shape shape = x.getShape();
            int f = Math.toIntExact(shape.get(1));
            NDArray lm = x.getManager().create(flatten(l), new Shape(f, f)).toType(x.getDataType(), false);
            NDArray out = lm.matMul(x.reshape(shape.get(0), f, -1)).reshape(shape);
            lm.close();
            return out;
        });
    }

    /**
     * The {@code F_k x F_k} matrix {@code L} with {@code E[T | x_t] = L x_t} along frames.
     *
     * @param stage stage index in sampling order
     * @param type the target
     * @param t time inside the stage's window
     */
    public double[][] predictor(int stage, PredictionType type, double t) {
        Stage st = pyramid.stage(stage);
        NoiseSchedule s = pyramid.schedule();
        RealMatrix p = downMatrix(st.rateFactor());
        RealMatrix u = p;
        if (stage > 0) {
            int b = pyramid.rateFactors()[stage - 1];
            RealMatrix prev = downMatrix(st.rateFactor() * b);
            u = new Array2DRowRealMatrix(st.frames(), pyramid.frames());
            for (int j = 0; j < st.frames(); j++) {
                u.setRow(j, prev.getRow(j / b));
            }
        }
        double rhoS = s.rho(st.start());
        double rhoE = s.rho(st.end());
        double c = Double.isInfinite(rhoS) ? 0.0 : 1.0 / (rhoS - rhoE);
        RealMatrix m = u.subtract(p).scalarMultiply(c);
        RealMatrix n = p.subtract(m.scalarMultiply(rhoE));
        double g = s.gamma(t);
        double sg = s.sigma(t);
        RealMatrix gm = n.scalarMultiply(g).add(m.scalarMultiply(sg));
        double[] ab = type.coefficients(s, t);
        RealMatrix tx = n.scalarMultiply(ab[0]).add(m.scalarMultiply(ab[1]));
        RealMatrix sigma = new Array2DRowRealMatrix(video.frameCovariance());
        RealMatrix id = MatrixUtils.createRealIdentityMatrix(st.frames());
        RealMatrix cxx = gm.multiply(sigma).multiply(gm.transpose()).add(id.scalarMultiply(sg * sg));
        RealMatrix ctx = tx.multiply(sigma).multiply(gm.transpose()).add(id.scalarMultiply(ab[1] * sg));
        RealMatrix lt = new LUDecomposition(cxx).getSolver().solve(ctx.transpose()); // Cxx symmetric
        return lt.transpose().getData();
    }

    /** {@code F_k x F} matrix of {@code Down_r}. */
    private RealMatrix downMatrix(int r) {
        int f = pyramid.frames();
        RealMatrix d = new Array2DRowRealMatrix(f / r, f);
        for (int j = 0; j < f / r; j++) {
            if (downMode == TemporalOps.DownMode.AVERAGE) {
                for (int q = 0; q < r; q++) {
                    d.setEntry(j, j * r + q, 1.0 / r);
                }
            } else {
                d.setEntry(j, j * r, 1.0);
            }
        }
        return d;
    }

    private static double[] flatten(double[][] a) {
        int f = a.length;
        double[] out = new double[f * f];
        for (int i = 0; i < f; i++) {
            System.arraycopy(a[i], 0, out, i * f, f);
        }
        return out;
    }
}
