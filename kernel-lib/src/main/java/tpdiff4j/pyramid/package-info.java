/**
 * The temporal pyramid of TPDiff: stages that run the diffusion at lower frame rates while the latent is noisy, the
 * closed-form stage-wise training targets, and the stage jumps that double the frames between stages.
 *
 * <ul>
 *   <li>{@link tpdiff4j.pyramid.TemporalPyramid}: a schedule cut into {@code K} stages, listed in sampling order
 *       (stage 0 noisiest, lowest frame rate); {@link tpdiff4j.pyramid.Stage} is one window {@code [end, start]} on
 *       {@code t} with its frame count; {@link tpdiff4j.pyramid.WindowConvention} says where the windows sit around
 *       each nominal boundary; {@code costFactor(p)} is the cost model {@code (1/K) sum_k (F_k/F)^p}.</li>
 *   <li>{@link tpdiff4j.pyramid.TemporalOps}: {@code Down} (keep every r-th frame, or average) and {@code Up}
 *       (repeat every frame) on tensors {@code [B, F, ...]}.</li>
 *   <li>{@link tpdiff4j.pyramid.StageEndpoints}: the stage start and end built from one shared noise, the stage noise
 *       {@code eps_k}, the virtual clean point {@code x~_k}, the path {@code x_t} and the target of every prediction
 *       type; {@link tpdiff4j.pyramid.TrainingPairSampler} draws {@link tpdiff4j.pyramid.TrainingPair}s from them,
 *       optionally with a {@link tpdiff4j.pyramid.NoiseCoupling} (the batch aligner of {@code tpdiff4j.align}).</li>
 *   <li>{@link tpdiff4j.pyramid.StageJump}: the renoise between stages under a {@link tpdiff4j.pyramid.JumpRule}
 *       (the corrected rule, the paper's printed formula, or none); {@link tpdiff4j.pyramid.JumpMoments} measures
 *       its mean and variance error by Monte Carlo.</li>
 *   <li>{@link tpdiff4j.pyramid.PyramidSampler}: a solver run per stage with a jump in between (seeded noise from
 *       {@link tpdiff4j.ode.GaussianNoise}); {@link tpdiff4j.pyramid.PyramidPlan}: the whole sampling plan as JSON
 *       for scripts in other frameworks ({@code TemporalPyramid.planJson}, format in {@code docs/plan-format.md}).</li>
 * </ul>
 * The mathematics, including why the printed jump formula fails, is derived in {@code docs/derivation.md}
 * (sections 4 to 12); the conventions (time direction, stage order, windows) are in {@code docs/conventions.md};
 * task-by-task examples in {@code docs/guide.md}.
 */
package tpdiff4j.pyramid;
