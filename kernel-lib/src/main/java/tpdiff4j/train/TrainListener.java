package tpdiff4j.train;

/** Observer of a training run, called on the training thread after every step. */
public interface TrainListener {

    /** One finished step. */
    void onStep(TrainProgress progress);

    /** The run ended (budget reached or interrupted). */
    default void onEnd(TrainResult result) {
    }
}
