package tpdiff4j.schedule;

/**
 * A schedule defined by N discrete diffusion steps (DDPM/DDIM style betas).
 *
 * <p>Time convention (docs/conventions.md): step {@code i} sits at {@code t = i / (N - 1)}; between two steps the
 * log-SNR is linear in t. At a step, {@code gamma = sqrt(alphaBar(i))} and {@code sigma = sqrt(1 - alphaBar(i))}.
 */
public interface DiscreteSchedule extends NoiseSchedule {

    /** The number N of discrete steps (N >= 2). */
    int steps();

    /** {@code alphaBar_i = prod_{j <= i} (1 - beta_j)} for {@code i} in [0, N - 1], computed in float64. */
    double alphaBar(int i);

    /** The time of step i: {@code i / (N - 1)}. */
    double timeOfStep(int i);
}
