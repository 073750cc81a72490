package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import tpdiff4j.Refusals;
import tpdiff4j.ode.GaussianNoise;

/**
 * Monte-Carlo moments of a stage jump against the distribution the next stage was trained on (docs/derivation.md
 * section 9).
 *
 * <p>For fixed clean low-rate data {@code D} ({@code [1, f, ...]}) it draws {@code N} stage ends
 * {@code x_e = gamma_e D + sigma_e n}, applies the jump ({@code x_s = scale Up_B(x_e) + noiseWeight n'}) and looks
 * at the residual {@code r = x_s - gamma_s Up_B(D)}, which training ({@code x_s = gamma_s A + sigma_s eps}, Eq. 7)
 * wants to be {@code N(0, sigma_s^2 I)}:
 * <ul>
 *   <li>{@code meanError}: RMS over elements of the sample mean of {@code r} (bias; exact sampling:
 *       about {@code sigma_s / sqrt(N)}, {@link #meanFloor});</li>
 *   <li>{@code varianceError}: RMS over elements of {@code Var(r) / sigma_s^2 - 1} (about {@code sqrt(2/N)},
 *       {@link #varianceFloor});</li>
 *   <li>{@code blockCorrelation}: mean correlation of {@code r} between the first two frames of each block of
 *       {@code B} repeated frames (0 wanted; 1 when the repeated frames keep identical noise).</li>
 * </ul>
 *
 * @param rule the jump rule measured
 * @param meanError RMS bias of the stage start
 * @param varianceError RMS relative variance error
 * @param blockCorrelation mean correlation inside a block
 * @param meanFloor {@code sigma_s / sqrt(N)}
 * @param varianceFloor {@code sqrt(2 / (N - 1))}
 */
public record JumpMoments(JumpRule rule, double meanError, double varianceError, double blockCorrelation,
        double meanFloor, double varianceFloor) {

    /**
     * Measures jump {@code jump} of {@code pyramid} under {@code rule}.
     *
     * @param lowData clean data at the rate of the stage being left, {@code [1, f, ...]}, {@code f = from().frames()}
     * @param draws {@code N >= 2}
     * @param seed seed of the stage-end noise and of the jump's block noise
     */
    public static JumpMoments measure(TemporalPyramid pyramid, int jump, JumpRule rule, NDArray lowData, int draws,
            long seed) {
        if (draws < 2) {
            throw Refusals.refuse("draws", draws, ">= 2");
        }
        StageJump j = pyramid.jump(jump, rule);
        Shape low = lowData.getShape();
        if (low.dimension() < 2 || low.get(0) != 1 || low.get(1) != j.from().frames()) {
            throw new IllegalArgumentException("lowData has shape " + low + "; expected [1, " + j.from().frames()
                    + ", ...] (the frames of stage " + j.from().index() + ")");
        }
        double ge = pyramid.schedule().gamma(j.from().end()), se = pyramid.schedule().sigma(j.from().end());
        double gs = pyramid.schedule().gamma(j.to().start()), ss = pyramid.schedule().sigma(j.to().start());
        try (NDManager m = lowData.getManager().newSubManager()) {
            NDArray d = lowData.toType(DataType.FLOAT64, true);
            d.attach(m);
            long[] dims = low.getShape().clone();
            dims[0] = draws;
            NDArray n = GaussianNoise.normal(m, new Shape(dims), DataType.FLOAT64, GaussianNoise.derive(seed, 1));
            NDArray xe = n.mul(se).add(d.mul(ge));
            NDArray r = j.apply(xe, GaussianNoise.derive(seed, 2)).sub(TemporalOps.up(d, j.factor()).mul(gs));
            NDArray mean = r.mean(new int[] {0});
            NDArray centred = r.sub(mean);
            NDArray var = centred.square().sum(new int[] {0}).div(draws - 1.0);
            double meanError = Math.sqrt(mean.square().mean().getDouble());
            double varianceError = Math.sqrt(var.div(ss * ss).sub(1).square().mean().getDouble());
            NDArray blocks = centred.reshape(draws, j.from().frames(), j.factor(), -1);
            NDArray a = blocks.get(":, :, 0, :"), b = blocks.get(":, :, 1, :");
            NDArray cov = a.mul(b).sum(new int[] {0});
            NDArray norm = a.square().sum(new int[] {0}).mul(b.square().sum(new int[] {0})).sqrt();
            double corr = cov.div(norm.maximum(1e-300)).mean().getDouble();
            return new JumpMoments(rule, meanError, varianceError, corr, ss / Math.sqrt(draws),
                    Math.sqrt(2.0 / (draws - 1)));
        }
    }
}
