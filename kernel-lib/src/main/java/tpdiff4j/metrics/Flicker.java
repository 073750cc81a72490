package tpdiff4j.metrics;

import tpdiff4j.Refusals;

/**
 * Frame-to-frame flicker of video clips, measured relative to real clips.
 *
 * <p>For a batch x of shape [B, F, C, H, W]:
 * <pre>
 *   MAD(x) = mean over b, c, y, x and f = 0..F-2 of |x_{f+1} - x_f|
 *   HF(x)  = mean over b, c, y, x and f = 1..F-2 of (x_{f+1} - 2 x_f + x_{f-1})^2
 * </pre>
 * MAD is the mean absolute temporal difference. HF is the output energy of the temporal high-pass filter
 * [1, -2, 1], whose power gain 16 sin^4(omega / 2) is 0 for a constant pixel, small for slow motion and largest
 * (16) at the Nyquist frequency, where frame-to-frame flicker lives. Both grow with the sprites' speed, so they are
 * only meaningful as ratios to real clips of the same data: {@link FlickerScore#relativeMad()} and
 * {@link FlickerScore#relativeHighFrequency()}, 1 being ideal. Shuffling the frames of a real clip makes both
 * clearly larger than 1.
 */
public final class Flicker {

    private Flicker() {
    }

    /**
     * @return MAD(x), the mean absolute difference between consecutive frames; needs F >= 2
     * @throws IllegalArgumentException if a value is NaN or infinite (a diverged sample), naming it
     */
    public static double meanAbsoluteDifference(ClipBatch clips) {
        requireFrames(clips, 2);
        clips.requireFinite("flicker");
        float[] v = clips.data();
        int frameSize = clips.channels() * clips.height() * clips.width();
        double sum = 0;
        long n = 0;
        for (int b = 0; b < clips.batch(); b++) {
            int base = b * clips.frames() * frameSize;
            for (int f = 0; f + 1 < clips.frames(); f++) {
                int o = base + f * frameSize;
                for (int i = 0; i < frameSize; i++) {
                    sum += Math.abs((double) v[o + frameSize + i] - v[o + i]); // in float, 3e38 - -3e38 is infinite
                }
                n += frameSize;
            }
        }
        return sum / n;
    }

    /**
     * @return HF(x), the mean squared temporal second difference; needs F >= 3
     * @throws IllegalArgumentException if a value is NaN or infinite (a diverged sample), naming it
     */
    public static double highFrequencyEnergy(ClipBatch clips) {
        requireFrames(clips, 3);
        clips.requireFinite("flicker");
        float[] v = clips.data();
        int frameSize = clips.channels() * clips.height() * clips.width();
        double sum = 0;
        long n = 0;
        for (int b = 0; b < clips.batch(); b++) {
            int base = b * clips.frames() * frameSize;
            for (int f = 1; f + 1 < clips.frames(); f++) {
                int o = base + f * frameSize;
                for (int i = 0; i < frameSize; i++) {
                    double d2 = v[o + frameSize + i] - 2.0 * v[o + i] + v[o - frameSize + i];
                    sum += d2 * d2;
                }
                n += frameSize;
            }
        }
        return sum / n;
    }

    /**
     * @return MAD and HF of the generated and of the real clips
     * @throws IllegalArgumentException if a value of either batch is NaN or infinite (a diverged sample: no ratio is
     *                                  computed from it), or if the two batches differ in F, C, H or W: at another frame count the
     *                                  frame-to-frame change of the same motion is another size, so the ratios would
     *                                  not measure flicker
     */
    public static FlickerScore compare(ClipBatch generated, ClipBatch real) {
        if (generated.frames() != real.frames() || generated.channels() != real.channels()
                || generated.height() != real.height() || generated.width() != real.width()) {
            throw Refusals.refuse("real", real, "clips of the same F, C, H, W as generated " + generated
                    + " (flicker ratios compare the same frame rate and size; resample or load the real clips with "
                    + "the generated clips' VideoSpec)");
        }
        generated.requireFinite("flicker of the generated clips");
        real.requireFinite("flicker of the real clips");
        return new FlickerScore(meanAbsoluteDifference(generated), meanAbsoluteDifference(real),
                highFrequencyEnergy(generated), highFrequencyEnergy(real));
    }

    private static void requireFrames(ClipBatch clips, int min) {
        if (clips.frames() < min) {
            throw Refusals.refuse("frames F", clips.frames(),
                    "at least " + min + " frames per clip, which flicker needs");
        }
    }
}
