/**
 * Training: one {@link tpdiff4j.train.Trainer} for vanilla diffusion and TPDiff with or without data-noise alignment
 * ({@link tpdiff4j.train.TrainMode}), AdamW with exportable state, gradient clipping, EMA, per-step NDManager scopes,
 * progress listeners ({@link tpdiff4j.train.ProgressLine}), atomic checkpoints with resume
 * ({@link tpdiff4j.train.Checkpoint}) and interrupt at step boundaries.
 * <p>What one TPDiff training step computes is derived in {@code docs/derivation.md} (section 8); examples:
 * {@code docs/guide.md} ("Train").
 */
package tpdiff4j.train;
