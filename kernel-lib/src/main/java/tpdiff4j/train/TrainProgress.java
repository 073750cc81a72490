package tpdiff4j.train;

/**
 * State after one training step.
 *
 * @param step           steps done in this run so far (global step count of the trainer)
 * @param targetStep     step at which the current {@code train} call stops (or -1 for a pure time budget)
 * @param loss           loss of this step
 * @param smoothedLoss   exponential average of the loss (factor 0.9)
 * @param frames         frame count the step trained on (the stage's F_k for TPDiff)
 * @param stepsPerSecond steps per second of this train call
 * @param etaSeconds     estimated seconds to the end of the call (NaN if unknown)
 */
public record TrainProgress(long step, long targetStep, double loss, double smoothedLoss, int frames,
                            double stepsPerSecond, double etaSeconds) {
}
