/**
 * Training: one {@link tpdiff4j.train.Trainer} for vanilla diffusion and TPDiff with or without data-noise alignment
 * ({@link tpdiff4j.train.TrainMode}), AdamW with exportable state, gradient clipping, EMA, per-step NDManager scopes,
 * progress listeners ({@link tpdiff4j.train.ProgressLine}), atomic checkpoints with resume
 * ({@link tpdiff4j.train.Checkpoint}) and interrupt at step boundaries.
 */
package tpdiff4j.train;
