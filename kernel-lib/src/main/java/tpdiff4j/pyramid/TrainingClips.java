package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;

/**
 * A stage-wise training batch with one diffusion time per clip (TPDiff v1 Algorithm 2 with the time drawn per clip,
 * as vanilla training draws it): clip {@code b} of {@code xt} is the stage path at {@code t[b]}, and
 * {@code target} holds each clip's regression target at its own time.
 *
 * @param xt     noised latents {@code [N, F_k, ...]}
 * @param t      global diffusion time of each clip, in {@code [stage.end(), stage.start()]}, length N
 * @param stage  the stage
 * @param target the targets of the sampler's prediction type, same shape as {@code xt}
 */
public record TrainingClips(NDArray xt, double[] t, Stage stage, NDArray target) {

    public TrainingClips {
        t = t.clone();
    }

    @Override
    public double[] t() {
        return t.clone();
    }
}
