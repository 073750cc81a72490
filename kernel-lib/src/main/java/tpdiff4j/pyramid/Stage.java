package tpdiff4j.pyramid;

import tpdiff4j.Refusals;

/**
 * One stage of a {@link TemporalPyramid}, in sampling order (stage 0 is the noisiest and has the lowest frame
 * rate; the last stage runs at full rate and ends at {@code t = 0}).
 *
 * <p>Training transports {@code x_s = gamma_s A + sigma_s eps} (at {@code t = start}) to
 * {@code x_e = gamma_e D + sigma_e eps} (at {@code t = end}) with one shared noise (docs/derivation.md section 5),
 * where
 * {@code D = Down_r(x0)} and {@code A} is the previous stage's data repeated up to this rate.
 *
 * @param index position in sampling order, 0 = noisiest
 * @param start the noisier end of the window, {@code s} (the paper's {@code s_k})
 * @param end the cleaner end of the window, {@code e < s} (the paper's {@code e_k})
 * @param frames frame count {@code F / rateFactor}
 * @param rateFactor total temporal downsampling {@code r} relative to full rate ({@code 2^(k-1)} in the paper)
 */
public record Stage(int index, double start, double end, int frames, int rateFactor) {

    public Stage {
        if (index < 0) {   // was accepted: a stage -1 that no pyramid has
            throw Refusals.refuse("index", index, ">= 0 (0 is the noisiest stage)");
        }
        if (!(start > end) || end < 0 || start > 1) {
            throw new IllegalArgumentException("stage " + index + " has window [end, start] = [" + end + ", " + start
                    + "]; allowed: 0 <= end < start <= 1");
        }
        if (frames < 1 || rateFactor < 1) {
            throw new IllegalArgumentException("stage " + index + " has frames = " + frames + ", rateFactor = "
                    + rateFactor + "; allowed: both >= 1");
        }
    }

    /**
     * {@code t = end + tPrime (start - end)} for the stage-local time {@code tPrime} in [0, 1] (TPDiff v1 Eq. 12).
     * The result always lies in the window: {@code time(0) == end} and {@code time(1) == start} exactly (in floating
     * point {@code end + (start - end)} can land one ulp above {@code start}, which {@link #contains} would refuse, or
     * one ulp below it).
     *
     * @throws IllegalArgumentException if {@code tPrime} is outside [0, 1] or NaN
     */
    public double time(double tPrime) {
        if (!(tPrime >= 0 && tPrime <= 1)) {
            throw Refusals.refuse("tPrime", tPrime,
                    "the stage time in [0, 1] (0 = end " + end + ", 1 = start " + start + " of stage " + index + ")");
        }
        if (tPrime == 1) {
            return start;   // end + (start - end) can round one ulp below start as well as above it
        }
        return Math.min(start, Math.max(end, end + tPrime * (start - end)));
    }

    /** Whether {@code t} lies in {@code [end, start]}. */
    public boolean contains(double t) {
        return t >= end && t <= start;
    }
}
