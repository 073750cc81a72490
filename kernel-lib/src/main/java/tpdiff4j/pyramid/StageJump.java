package tpdiff4j.pyramid;

import java.util.Locale;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import tpdiff4j.Refusals;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The renoise between two stages (TPDiff v1 Eq. 14; docs/derivation.md section 9):
 * <pre>
 *   x_s = scale * Up_B(x_e) + noiseWeight * n'
 * </pre>
 * {@code x_e}: end of stage {@code from} (at {@code t = e}, lower rate), {@code x_s}: start of stage {@code to}
 * (at {@code t = s}, {@code B} times the frames). {@code n'} has unit variance, correlation {@code -1/(B-1)} inside
 * each block of {@code B} repeated frames and none across blocks: for {@code B = 2} the antithetic pairs
 * {@code (m, -m)}, {@code m ~ N(0, I)}; for general {@code B}, {@code n' = sqrt(B/(B-1)) (z - mean(z))} with
 * {@code z ~ N(0, I_B)} per block.
 *
 * <p>Why {@link JumpRule#CORRECTED} is exact: a block of {@code Up_B(x_e)} carries the shared noise
 * {@code (gamma_s / gamma_e) sigma_e n = (sigma_s / sqrt B) n} (because {@code rho_e = rho_s / sqrt B}); adding
 * {@code sigma_s sqrt((B-1)/B) n'} makes the block's noise {@code sigma_s} times i.i.d. standard normals.
 */
public final class StageJump {

    private final Stage from;
    private final Stage to;
    private final int factor;
    private final JumpRule rule;
    private final double scale;
    private final double noiseWeight;

    StageJump(NoiseSchedule schedule, Stage from, Stage to, int factor, JumpRule rule) {
        if (factor < 2) {
            throw Refusals.refuse("jump factor B", factor, "B >= 2");
        }
        this.from = from;
        this.to = to;
        this.factor = factor;
        this.rule = rule;
        double e = from.end();
        double s = to.start();
        double gs = schedule.gamma(s);
        double ss = schedule.sigma(s);
        double ge = schedule.gamma(e);
        double w = ss * Math.sqrt((factor - 1.0) / factor);
        switch (rule) {
            case CORRECTED -> {
                scale = gs / ge;
                noiseWeight = w;
            }
            case PAPER_PRINTED -> {
                double rb = Math.sqrt(factor);
                scale = rb * gs / (ss + rb * gs);
                noiseWeight = w;
            }
            case NONE -> {
                scale = gs / ge;
                noiseWeight = 0.0;
            }
            default -> throw new IllegalArgumentException("rule = " + rule);
        }
    }

    /** The stage being left (lower rate). */
    public Stage from() {
        return from;
    }

    /** The stage being entered ({@code factor} times the frames). */
    public Stage to() {
        return to;
    }

    /** Frame-rate factor {@code B} of this jump. */
    public int factor() {
        return factor;
    }

    /** The rule these coefficients follow. */
    public JumpRule rule() {
        return rule;
    }

    /** Coefficient of {@code Up_B(x_e)}; {@code gamma_s / gamma_e} for {@link JumpRule#CORRECTED}. */
    public double scale() {
        return scale;
    }

    /** Coefficient of the block noise; {@code sigma_s sqrt((B-1)/B)} ({@code sigma_s / sqrt 2} for B = 2). */
    public double noiseWeight() {
        return noiseWeight;
    }

    /**
     * Applies the jump.
     *
     * @param xEnd the latent at the end of {@link #from()}, shape {@code [N, f, ...]} with {@code f = from().frames()}
     * @param seed seed of the block noise
     * @return {@code [N, B f, ...]}, the latent at the start of {@link #to()}, same data type
     */
    public NDArray apply(NDArray xEnd, long seed) {
        if (xEnd.getShape().dimension() < 2 || xEnd.getShape().get(1) != from.frames()) {
            throw new IllegalArgumentException("xEnd has shape " + xEnd.getShape() + "; allowed: [N, "
                    + from.frames() + ", ...] (the frames of stage " + from.index() + ")");
        }
        NDArray up = TemporalOps.up(xEnd, factor).mul(scale);
        if (noiseWeight == 0.0) {
            return up;
        }
        NDArray noise = blockNoise(xEnd.getManager(), xEnd.getShape(), factor, xEnd.getDataType(), seed);
        return up.add(noise.mul(noiseWeight));
    }

    /**
     * Block noise for a jump by {@code B} from a tensor of shape {@code low = [N, f, ...]}: shape
     * {@code [N, B f, ...]}, unit variance, correlation {@code -1/(B-1)} between the {@code B} frames of one block
     * (frames {@code jB .. jB + B - 1}), independent otherwise. For {@code B = 2} the pairs are exactly
     * {@code (m, -m)}, so each pair sums to 0 exactly.
     */
    public static NDArray blockNoise(NDManager manager, Shape low, int factor, DataType type, long seed) {
        if (factor < 2) {
            throw Refusals.refuse("factor B", factor, "B >= 2");
        }
        Shape blocks = TemporalOps.blockShape(low, low.get(1), factor);
        Shape out = TemporalOps.withFrames(low, low.get(1) * factor);
        if (factor == 2) {
            NDArray m = GaussianNoise.normal(manager, TemporalOps.blockShape(low, low.get(1), 1), type, seed);
            return m.concat(m.neg(), 2).reshape(out);
        }
        NDArray z = GaussianNoise.normal(manager, blocks, type, seed);
        NDArray centred = z.sub(z.mean(new int[] {2}, true));
        return centred.mul(Math.sqrt(factor / (factor - 1.0))).reshape(out);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StageJump(%d -> %d, B = %d, %s: scale %.6f, noiseWeight %.6f)",
                from.index(), to.index(), factor, rule, scale, noiseWeight);
    }
}
