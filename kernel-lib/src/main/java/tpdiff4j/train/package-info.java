/**
 * Training: one {@link tpdiff4j.train.Trainer} for any temporal pyramid (one stage = vanilla diffusion) and any
 * data-noise coupling ({@link tpdiff4j.train.TrainConfig}), stages drawn by a {@link tpdiff4j.train.StageDraw}, times
 * inside a stage by a {@link tpdiff4j.train.StageTimeDraw}, optional {@link tpdiff4j.train.StageLossWeights}, the
 * built-in transformer or one's own network ({@code tpdiff4j.nn.StageNetwork}), AdamW with exportable state,
 * gradient clipping, EMA, per-step NDManager scopes,
 * progress listeners ({@link tpdiff4j.train.ProgressLine}), atomic checkpoints with resume
 * ({@link tpdiff4j.train.Checkpoint}) and interrupt at step boundaries.
 * <p>What one TPDiff training step computes is derived in {@code docs/derivation.md} (section 8); examples:
 * {@code docs/guide.md} ("Train"); the options beyond the paper's method and their measured effect:
 * {@code docs/levers.md}.
 */
package tpdiff4j.train;
