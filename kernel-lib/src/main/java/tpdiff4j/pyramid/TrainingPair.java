package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;

/**
 * One stage-wise training example for a batch (TPDiff v1 Algorithm 2): the network input {@code xt} at global time
 * {@code t} inside {@code stage}, and the regression {@code target}.
 *
 * @param xt noised latent {@code [N, F_k, ...]} at the stage's resolution
 * @param t global diffusion time in {@code [stage.end(), stage.start()]}
 * @param stage the stage (its frame count tells the network which stage it is in)
 * @param target the target of the sampler's prediction type, same shape as {@code xt}
 */
public record TrainingPair(NDArray xt, double t, Stage stage, NDArray target) {}
