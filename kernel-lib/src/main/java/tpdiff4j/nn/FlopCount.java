package tpdiff4j.nn;

import tpdiff4j.Refusals;
import tpdiff4j.pyramid.TemporalPyramid;

/**
 * Analytic floating-point operations of one forward pass of {@link SpaceTimeTransformer}, by part, so that training
 * curves can be drawn against work done rather than seconds (the result then holds on any hardware).
 *
 * <p>Conventions: a multiply-add counts as 2 FLOPs; only matrix products are counted (layer norms, softmax, GELU,
 * modulation, bias and residual additions are O(N D) element-wise work and left out); a backward pass costs
 * {@link #BACKWARD_FACTOR} forward passes (one product for the input gradient and one for the weight gradient per
 * forward product), so a training step costs {@code (1 + BACKWARD_FACTOR)} forward passes. With batch B, frames F,
 * tokens per frame S, token count {@code N = B F S}, width D, MLP width {@code M = mlpRatio D}, patch values
 * {@code P = C p^2}:
 * <pre>
 *   patch embedding   2 N P D
 *   time embedding    2 * 2 B D^2                         (two D x D layers on the embedding of t)
 *   modulation        depth * 2 B D (9 D) + 2 B D (2 D)    (adaLN; additive: depth * 2 B D^2)
 *   projections       per attention layer: 2 N D (3 D) (q, k, v) + 2 N D^2 (output)
 *   attention         per attention layer over sequences of length n: 2 N n D (Q K^T) + 2 N n D (A V)
 *                     full: n = F S;  factorized: n = S (spatial) plus n = F (temporal)
 *   MLP               depth * 2 * 2 N D M
 *   final layer       2 N D P
 * </pre>
 * Full attention is the only part quadratic in F ({@code 4 B (F S)^2 D} per block); every other part is linear in F
 * except the time embedding and modulation, which do not depend on F at all.
 *
 * @param patchEmbed  FLOPs of the patch embedding
 * @param timeEmbed   FLOPs of the time-embedding MLP
 * @param modulation  FLOPs of the conditioning projections (adaLN or additive) of all blocks and the final layer
 * @param projections FLOPs of the q, k, v and output projections of all attention layers
 * @param attention   FLOPs of the attention products Q K^T and A V of all attention layers
 * @param mlp         FLOPs of the block MLPs
 * @param finalLayer  FLOPs of the output projection
 */
public record FlopCount(double patchEmbed, double timeEmbed, double modulation, double projections, double attention,
                        double mlp, double finalLayer) {

    /** A backward pass counted as this many forward passes. */
    public static final double BACKWARD_FACTOR = 2;

    /** The forward pass of {@code cfg}'s network on a batch {@code [batch, frames, C, H, W]}. */
    public static FlopCount forward(ModelConfig cfg, long batch, long frames) {
        Refusals.notNull(cfg, "cfg", "a ModelConfig, e.g. ModelConfig.tiny(data.spec())");
        if (batch < 1 || frames < 1) {
            throw new IllegalArgumentException("batch = " + batch + ", frames = " + frames + "; allowed: batch >= 1 and"
                    + " frames >= 1");
        }
        double d = cfg.dim(), s = cfg.tokensPerFrame(), p = cfg.patchSize(), m = (double) cfg.mlpRatio() * d;
        double n = batch * frames * s;
        int depth = cfg.depth();
        boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
        double modulation = adaln ? depth * 2.0 * batch * d * 9 * d + 2.0 * batch * d * 2 * d : depth * 2.0 * batch * d * d;
        int layers = cfg.attention() == ModelConfig.Attention.FULL ? 1 : 2;
        double sequenceSum = cfg.attention() == ModelConfig.Attention.FULL ? frames * s : s + frames;
        return new FlopCount(2 * n * p * d, 2 * 2.0 * batch * d * d, modulation,
                depth * layers * (2 * n * d * 3 * d + 2 * n * d * d),
                depth * 4 * n * sequenceSum * d,
                depth * 2 * 2 * n * d * m,
                2 * n * d * p);
    }

    /** A pyramid the network of {@code cfg} can run: the stages' frame counts are fractions of the network's F. */
    private static void requirePyramid(ModelConfig cfg, TemporalPyramid pyramid) {
        Refusals.notNull(cfg, "cfg", "a ModelConfig, e.g. ModelConfig.tiny(data.spec())");
        Refusals.notNull(pyramid, "pyramid",
                "a TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, " + cfg.frames() + ")");
        if (pyramid.frames() != cfg.frames()) {   // was counted for a network that cannot run the pyramid
            throw new IllegalArgumentException("pyramid frames = " + pyramid.frames() + " for a model of " + cfg.frames()
                    + " frames; allowed: a pyramid of the model's " + cfg.frames() + " full-rate frames");
        }
    }

    /** The forward FLOPs in all. */
    public double total() {
        return patchEmbed + timeEmbed + modulation + projections + attention + mlp + finalLayer;
    }

    /** Forward plus backward: {@code (1 + BACKWARD_FACTOR) total()}. */
    public double trainingStep() {
        return (1 + BACKWARD_FACTOR) * total();
    }

    /**
     * Expected forward-plus-backward FLOPs of one training step when stage k of {@code pyramid} (its frame count
     * {@code F_k}) is drawn with probability {@code probabilities[k]}: {@code sum_k w_k trainingStep(B, F_k)}. A
     * one-stage pyramid gives the full-rate step.
     */
    public static double expectedTrainingStep(ModelConfig cfg, long batch, TemporalPyramid pyramid, double[] probabilities) {
        requirePyramid(cfg, pyramid);
        if (probabilities == null || probabilities.length != pyramid.size()) {
            throw Refusals.refuse("probabilities", java.util.Arrays.toString(probabilities),
                    "one per stage, " + pyramid.size() + " here (e.g. StageDraw.uniform().probabilities(pyramid))");
        }
        double sum = 0;
        for (double w : probabilities) {
            sum += w;
        }
        // a NaN gave a NaN count and weights that do not sum to 1 a count that is no expectation
        if (java.util.Arrays.stream(probabilities).anyMatch(w -> !(w >= 0 && w <= 1)) || !(Math.abs(sum - 1) <= 1e-9)) {
            throw new IllegalArgumentException("probabilities = " + java.util.Arrays.toString(probabilities) + " (sum "
                    + sum + "); allowed: values in [0, 1] that sum to 1 (within 1e-9), one per stage, e.g."
                    + " StageDraw.weights(...).probabilities(pyramid)");
        }
        double e = 0;
        for (int k = 0; k < probabilities.length; k++) {
            e += probabilities[k] * forward(cfg, batch, pyramid.stage(k).frames()).trainingStep();
        }
        return e;
    }

    /**
     * Forward FLOPs of one sampling run through {@code pyramid}: {@code sum_k n_k total(B, F_k)} with
     * {@code n_k = stepsPerStage[k]} network calls on stage k (sampling order, noisiest stage first). A one-stage
     * pyramid with n steps gives n full-rate calls, so the ratio of two such counts is the speed-up a sampler could
     * have if its time followed the FLOPs; the stage jumps (upsampling and renoising, element-wise work) are not counted.
     * The time conditioning is counted on every call, as in a forward pass without precomputed rows.
     */
    public static double sampling(ModelConfig cfg, long batch, TemporalPyramid pyramid, int... stepsPerStage) {
        requirePyramid(cfg, pyramid);
        pyramid.checkStepsPerStage(stepsPerStage);
        double e = 0;
        for (int k = 0; k < stepsPerStage.length; k++) {
            e += stepsPerStage[k] * forward(cfg, batch, pyramid.stage(k).frames()).total();
        }
        return e;
    }
}
