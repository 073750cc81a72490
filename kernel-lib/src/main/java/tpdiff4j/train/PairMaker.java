package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/** Turns a clean batch {@code x0: [B, F, C, H, W]} into a {@link TrainBatch}, drawing all randomness from rng. */
interface PairMaker {

    TrainBatch make(NDArray x0, SplittableRandom rng, NDManager manager);
}
