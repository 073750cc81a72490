package tpdiff4j.data;

import java.util.SplittableRandom;
import tpdiff4j.Refusals;

/**
 * Gaussian videos with AR(1) correlation over frames: every pixel (channel, row, column) is an independent
 * stationary AR(1) process over the frame axis,
 * <pre>
 *   x_0 = s z_0,     x_f = a x_{f-1} + s sqrt(1 - a^2) z_f,     z_f ~ N(0, 1) i.i.d.,
 * </pre>
 * so {@code Cov(x_f, x_g) = s^2 a^|f-g|} for the same pixel and 0 across pixels. Its known covariance makes the
 * error of a generated frame covariance measurable (and the optimal denoiser closed-form, see the oracle package).
 */
public final class GaussianVideos implements VideoDataset {

    private final VideoSpec spec;
    private final double a;
    private final double s;

    /**
     * @param spec clip shape
     * @param a    frame-to-frame correlation, in (-1, 1)
     * @param s    marginal standard deviation, finite and positive
     */
    public GaussianVideos(VideoSpec spec, double a, double s) {
        if (!(a > -1 && a < 1)) {
            throw Refusals.refuse("a", a, "an AR(1) correlation in (-1, 1)");
        }
        Refusals.notNull(spec, "spec", "the clip shape, e.g. new VideoSpec(16, 1, 4, 4)");
        if (!(s > 0 && Double.isFinite(s))) {
            throw Refusals.refuse("s", s, "a finite, positive standard deviation");
        }
        this.spec = spec;
        this.a = a;
        this.s = s;
    }

    @Override
    public VideoSpec spec() {
        return spec;
    }

    /** The settings, e.g. {@code "GaussianVideos(16 frames of 1 x 4 x 4, AR(1) a = 0.9, s = 1.0)"}. */
    @Override
    public String toString() {
        return "GaussianVideos(" + spec.frames() + " frames of " + spec.channels() + " x " + spec.height() + " x "
                + spec.width() + ", AR(1) a = " + a + ", s = " + s + ")";
    }

    /** Frame-to-frame correlation a. */
    public double correlation() {
        return a;
    }

    /** Marginal standard deviation s. */
    public double std() {
        return s;
    }

    /** The exact frame covariance {@code s^2 a^|f-g|} of one pixel, for frames {@code 0 <= f, g < F}. */
    public double frameCovariance(int f, int g) {
        int n = spec.frames();
        if (f < 0 || f >= n || g < 0 || g >= n) {
            throw new IllegalArgumentException("frames (f, g) = (" + f + ", " + g + "); allowed: both in 0.." + (n - 1)
                    + ", the frames of a clip");
        }
        return s * s * Math.pow(a, Math.abs(f - g));
    }

    /** The exact F x F frame covariance matrix of one pixel. */
    public double[][] frameCovariance() {
        int n = spec.frames();
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = frameCovariance(i, j);
            }
        }
        return c;
    }

    @Override
    public void fill(long seed, float[] out, int offset) {
        SplittableRandom rng = new SplittableRandom(seed);
        int frame = spec.frameSize();
        double innov = s * Math.sqrt(1 - a * a);
        for (int p = 0; p < frame; p++) {
            double x = s * rng.nextGaussian();
            out[offset + p] = (float) x;
            for (int f = 1; f < spec.frames(); f++) {
                x = a * x + innov * rng.nextGaussian();
                out[offset + f * frame + p] = (float) x;
            }
        }
    }
}
