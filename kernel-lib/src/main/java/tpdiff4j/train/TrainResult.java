package tpdiff4j.train;

import java.util.Arrays;

/**
 * Outcome of one {@link Trainer#train} call.
 *
 * @param steps          steps done by this call
 * @param totalSteps     the trainer's step count afterwards
 * @param seconds        wall-clock seconds of this call
 * @param meanLoss       mean loss over this call's steps
 * @param lastLoss       smoothed loss at the end
 * @param interrupted    true if a thread interrupt stopped it at a step boundary
 * @param losses         the loss of every step of this call, in order
 * @param stepSeconds    wall-clock seconds of every step of this call (the step itself, without listeners or
 *                       checkpoint writes)
 * @param warmupSteps    how many leading steps of this call are warm-up: the first {@value Trainer#WARMUP_STEPS}
 *                       steps a trainer runs after it is built (JIT compilation, allocator growth) are slow and
 *                       say nothing about the steady state
 */
public record TrainResult(long steps, long totalSteps, double seconds, double meanLoss, double lastLoss,
                          boolean interrupted, double[] losses, double[] stepSeconds, int warmupSteps) {

    public TrainResult {
        losses = losses.clone();
        stepSeconds = stepSeconds.clone();
    }

    /** Wall-clock seconds per training step of this call, warm-up and listeners included. */
    public double secondsPerStep() {
        return steps == 0 ? Double.NaN : seconds / steps;
    }

    /** Mean seconds per step over the steps after warm-up (NaN if there are none). */
    public double secondsPerStepAfterWarmup() {
        return Arrays.stream(stepSeconds, Math.min(warmupSteps, stepSeconds.length), stepSeconds.length).average()
                .orElse(Double.NaN);
    }

    /**
     * One readable line (a notebook shows it when {@code train(...)} is a cell's value), e.g. {@code "TrainResult: 200
     * steps in 12.30 s (trainer at step 200), 0.0615 s/step, 0.0550 after warm-up, mean loss 0.1234, smoothed
     * 0.1111"}; the per-step arrays are {@link #losses()} and {@link #stepSeconds()}.
     */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "TrainResult: %d step%s in %.2f s (trainer at step %d), %.4f s/step,"
                + " %.4f after warm-up, mean loss %.4f, smoothed %.4f%s", steps, steps == 1 ? "" : "s", seconds,
                totalSteps, secondsPerStep(), secondsPerStepAfterWarmup(), meanLoss, lastLoss,
                interrupted ? ", interrupted" : "");
    }

    @Override
    public double[] losses() {
        return losses.clone();
    }

    @Override
    public double[] stepSeconds() {
        return stepSeconds.clone();
    }
}
