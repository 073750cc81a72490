package tpdiff4j.metrics;

/**
 * Flicker of generated clips next to that of real clips (see {@link Flicker} for MAD and HF).
 *
 * @param generatedMad          MAD of the generated clips
 * @param realMad               MAD of the real clips
 * @param generatedHighFrequency HF of the generated clips
 * @param realHighFrequency      HF of the real clips
 */
public record FlickerScore(double generatedMad, double realMad, double generatedHighFrequency,
        double realHighFrequency) {

    /**
     * @return MAD(generated) / MAD(real): 1 is ideal, above 1 means more flicker than real clips; infinite (NaN if
     *     both are still) when the real clips do not change at all, which has no flicker scale to compare with
     */
    public double relativeMad() {
        return generatedMad / realMad;
    }

    /**
     * @return HF(generated) / HF(real): 1 is ideal, above 1 means more high-frequency temporal energy; infinite (NaN if
     *     both are zero) when every pixel of the real clips changes linearly in time or not at all (still clips)
     */
    public double relativeHighFrequency() {
        return generatedHighFrequency / realHighFrequency;
    }
}
