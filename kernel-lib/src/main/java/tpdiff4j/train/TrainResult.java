package tpdiff4j.train;

/**
 * Outcome of one {@link Trainer#train} call.
 *
 * @param steps          steps done by this call
 * @param totalSteps     the trainer's step count afterwards
 * @param seconds        wall-clock seconds of this call
 * @param meanLoss       mean loss over this call's steps
 * @param lastLoss       smoothed loss at the end
 * @param interrupted    true if a thread interrupt stopped it at a step boundary
 */
public record TrainResult(long steps, long totalSteps, double seconds, double meanLoss, double lastLoss, boolean interrupted) {

    /** Seconds per training step. */
    public double secondsPerStep() {
        return steps == 0 ? Double.NaN : seconds / steps;
    }
}
