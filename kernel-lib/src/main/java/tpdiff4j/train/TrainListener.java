package tpdiff4j.train;

/** Observer of a training run, called on the training thread after every step. */
public interface TrainListener {

    /** One finished step. */
    void onStep(TrainProgress progress);

    /** The run ended (budget reached or interrupted). */
    default void onEnd(TrainResult result) {
    }

    /**
     * The {@code train} call ends with {@code failure} instead (a loss that is not finite, a checkpoint that cannot be
     * saved, a listener that threw, running out of memory): {@link #onEnd} is not called, and {@code train} throws
     * {@code failure} once every listener has seen it. A listener that keeps something open for the run (a progress
     * line, a file) ends it here.
     */
    default void onFailure(Throwable failure) {
    }
}
