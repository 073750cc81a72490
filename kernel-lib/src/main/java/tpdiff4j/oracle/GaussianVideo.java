package tpdiff4j.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import tpdiff4j.ode.GaussianNoise;

/**
 * Gaussian videos {@code x0 ~ N(0, Sigma (x) I)}: frames correlated in time with the frame covariance
 * {@code Sigma} ({@code F x F}), every pixel (channel, row, column) an independent copy. For such data the optimal
 * predictor of any target that is linear in {@code (x0, eps)} is linear in {@code x_t} and known in closed form
 * ({@link GaussianOracle}), so the whole TPDiff pipeline can be run exactly, without training.
 */
public final class GaussianVideo {

    private final double[][] sigma;
    private final RealMatrix cholesky;

    private GaussianVideo(double[][] sigma) {
        this.sigma = sigma;
        this.cholesky = new CholeskyDecomposition(new Array2DRowRealMatrix(sigma), 1e-12, 1e-14).getL();
    }

    /**
     * AR(1) frames: {@code Sigma_ij = variance * corr^|i - j|}, the covariance of a stationary
     * {@code x_{i+1} = corr x_i + sqrt(1 - corr^2) sqrt(variance) w_i}.
     *
     * @param frames {@code F >= 1}
     * @param corr lag-one correlation in (-1, 1)
     * @param variance per-frame variance, > 0
     */
    public static GaussianVideo ar1(int frames, double corr, double variance) {
        if (frames < 1 || !(corr > -1 && corr < 1) || !(variance > 0)) {
            throw new IllegalArgumentException("frames = " + frames + ", corr = " + corr + ", variance = " + variance
                    + "; allowed: frames >= 1, -1 < corr < 1, variance > 0");
        }
        double[][] s = new double[frames][frames];
        for (int i = 0; i < frames; i++) {
            for (int j = 0; j < frames; j++) {
                s[i][j] = variance * Math.pow(corr, Math.abs(i - j));
            }
        }
        return new GaussianVideo(s);
    }

    /** A video model with the given symmetric positive definite frame covariance. */
    public static GaussianVideo of(double[][] frameCovariance) {
        double[][] s = new double[frameCovariance.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = frameCovariance[i].clone();
        }
        return new GaussianVideo(s);
    }

    /** Frame count {@code F}. */
    public int frames() {
        return sigma.length;
    }

    /** The frame covariance {@code Sigma} (a copy). */
    public double[][] frameCovariance() {
        double[][] s = new double[sigma.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigma[i].clone();
        }
        return s;
    }

    /**
     * Draws videos {@code x0 = L z} along frames ({@code Sigma = L L^T}).
     *
     * @param manager owner
     * @param batch {@code N}
     * @param pixelShape trailing shape, e.g. {@code (C, H, W)}
     * @param type FLOAT32 or FLOAT64
     * @param seed the seed
     * @return {@code [N, F, pixelShape...]}
     */
    public NDArray sample(NDManager manager, int batch, Shape pixelShape, DataType type, long seed) {
        int f = frames();
        long p = pixelShape.size();
        NDArray z = GaussianNoise.normal(manager, new Shape(batch, f, p), DataType.FLOAT64, seed);
        NDArray l = manager.create(cholesky.getData());
        NDArray x = l.matMul(z);
        long[] dims = new long[2 + pixelShape.dimension()];
        dims[0] = batch;
        dims[1] = f;
        System.arraycopy(pixelShape.getShape(), 0, dims, 2, pixelShape.dimension());
        return x.reshape(new Shape(dims)).toType(type, false);
    }

    /**
     * The empirical frame covariance of videos {@code [N, F, ...]}: every (item, pixel) is one sample of the
     * F-vector; the mean is taken as known (0), so {@code S = (1/n) sum x x^T} over the {@code n} samples.
     */
    public static double[][] empiricalFrameCovariance(NDArray videos) {
        int n = Math.toIntExact(videos.getShape().get(0));
        int f = Math.toIntExact(videos.getShape().get(1));
        int p = Math.toIntExact(videos.getShape().size() / ((long) n * f));
        double[] v = videos.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] s = new double[f][f];
        for (int b = 0; b < n; b++) {
            int base = b * f * p;
            for (int i = 0; i < f; i++) {
                for (int j = 0; j <= i; j++) {
                    double acc = 0;
                    for (int q = 0; q < p; q++) {
                        acc += v[base + i * p + q] * v[base + j * p + q];
                    }
                    s[i][j] += acc;
                }
            }
        }
        double count = (double) n * p;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j <= i; j++) {
                s[i][j] /= count;
                s[j][i] = s[i][j];
            }
        }
        return s;
    }

    /** {@code ||est - truth||_F / ||truth||_F}. */
    public static double relativeError(double[][] est, double[][] truth) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int j = 0; j < truth.length; j++) {
                double d = est[i][j] - truth[i][j];
                num += d * d;
                den += truth[i][j] * truth[i][j];
            }
        }
        return Math.sqrt(num / den);
    }

    /**
     * The expected size of {@link #relativeError} for {@code n} exact samples (Monte-Carlo floor):
     * {@code E||S - Sigma||_F^2 = (||Sigma||_F^2 + tr(Sigma)^2) / n} for the zero-mean estimator, so the floor is
     * {@code sqrt((||Sigma||_F^2 + tr(Sigma)^2) / n) / ||Sigma||_F}.
     */
    public double monteCarloError(long n) {
        double fro = 0;
        double tr = 0;
        for (int i = 0; i < sigma.length; i++) {
            tr += sigma[i][i];
            for (int j = 0; j < sigma.length; j++) {
                fro += sigma[i][j] * sigma[i][j];
            }
        }
        return Math.sqrt((fro + tr * tr) / n) / Math.sqrt(fro);
    }
}
