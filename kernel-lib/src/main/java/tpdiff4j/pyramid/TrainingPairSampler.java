package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.SplittableRandom;
import tpdiff4j.Refusals;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;

/**
 * Draws stage-wise training pairs (TPDiff v1 Algorithm 2; docs/derivation.md section 8), one stage per batch:
 * <ol>
 *   <li>pick the stage {@code k} (uniformly, or with the given weights);</li>
 *   <li>pick the stage time {@code t' ~ U(0, 1]} and set {@code t = e_k + t' (s_k - e_k)} (the trainer can draw
 *       {@code t'} by another rule and pass it to {@link #sampleClips});</li>
 *   <li>draw {@code eps ~ N(0, I)} at the stage's resolution {@code [N, F_k, ...]};</li>
 *   <li>optionally couple it to the stage data {@code D_k} ({@link NoiseCoupling}, e.g. the batch aligner);</li>
 *   <li>build both endpoints with that one noise and return {@code (x_t, t, stage, target)}
 *       ({@link StageEndpoints#xt}, {@link StageEndpoints#target}).</li>
 * </ol>
 * Same seed, same data: the same pair. The noise has the data's type (float32 or float64).
 */
public final class TrainingPairSampler {

    private final TemporalPyramid pyramid;
    private final PredictionType type;
    private final NoiseCoupling coupling;
    private final double[] cumulative;
    private final TemporalOps.DownMode downMode;

    private TrainingPairSampler(TemporalPyramid pyramid, PredictionType type, NoiseCoupling coupling,
            double[] weights, TemporalOps.DownMode downMode) {
        this.pyramid = pyramid;
        this.type = type;
        this.coupling = coupling;
        this.downMode = downMode;
        this.cumulative = new double[weights.length];
        double sum = Arrays.stream(weights).sum();
        double acc = 0;
        int lastDrawn = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i] / sum;
            cumulative[i] = acc;
            if (weights[i] > 0) {
                lastDrawn = i;
            }
        }
        // the sum of the fractions can round below 1 (0.33, 0.03, 0.46 of 0.82 add up to 1 - 2^-53): close the
        // distribution at the last stage with a weight, so that no draw u < 1 reaches a stage of weight 0 after it
        Arrays.fill(cumulative, lastDrawn, weights.length, 1.0);
    }

    /** Uniform stages, no coupling, subsampling Down. */
    public static TrainingPairSampler of(TemporalPyramid pyramid, PredictionType type) {
        return builder(pyramid, type).build();
    }

    /** A builder. */
    public static Builder builder(TemporalPyramid pyramid, PredictionType type) {
        return new Builder(pyramid, type);
    }

    /** The pyramid. */
    public TemporalPyramid pyramid() {
        return pyramid;
    }

    /** The prediction type of the targets. */
    public PredictionType type() {
        return type;
    }

    /**
     * Draws one pair.
     *
     * @param x0 full-rate data {@code [N, F, ...]}
     * @param seed seed of stage, time and noise
     * @return the pair; its arrays belong to {@code x0}'s manager
     */
    public TrainingPair sample(NDArray x0, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = stageFor(rnd.nextDouble());
        return sample(x0, k, 1.0 - rnd.nextDouble(), GaussianNoise.derive(seed, 1));
    }

    /** The stage that a uniform draw {@code u} in [0, 1) picks under the stage weights (inverse CDF). */
    public int stageFor(double u) {
        if (!(u >= 0 && u < 1)) {
            throw Refusals.refuse("u", u, "[0, 1)");
        }
        int k = 0;
        while (k < cumulative.length - 1 && u >= cumulative[k]) {
            k++;
        }
        return k;
    }

    /**
     * Draws the batch of a given stage with one stage time per clip: clip {@code b} at
     * {@code t_b = e + t'_b (s - e)}, all clips sharing one noise draw (coupled as a batch).
     *
     * @param x0 full-rate data {@code [N, F, ...]}
     * @param stageIndex stage in sampling order
     * @param tPrime stage time of each clip in [0, 1], length N
     * @param noiseSeed seed of the stage-resolution noise
     */
    public TrainingClips sampleClips(NDArray x0, int stageIndex, double[] tPrime, long noiseSeed) {
        Refusals.notNull(tPrime, "tPrime", "one stage time in [0, 1] per clip of x0");
        Stage st = pyramid.stage(stageIndex);
        StageEndpoints ends = endpoints(x0, stageIndex, noiseSeed);
        double[] t = new double[tPrime.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = st.time(tPrime[i]);
        }
        return new TrainingClips(ends.xt(t), t, st, ends.target(type, t));
    }

    /**
     * Draws the pair for a given stage and stage time.
     *
     * @param x0 full-rate data
     * @param stageIndex stage in sampling order
     * @param tPrime stage time in [0, 1] ({@code t = e + t'(s - e)})
     * @param noiseSeed seed of the stage-resolution noise
     */
    public TrainingPair sample(NDArray x0, int stageIndex, double tPrime, long noiseSeed) {
        Stage st = pyramid.stage(stageIndex);
        StageEndpoints ends = endpoints(x0, stageIndex, noiseSeed);
        double t = st.time(tPrime);
        return new TrainingPair(ends.xt(t), t, st, ends.target(type, t));
    }

    /** Stage data, noise drawn at the stage's resolution and coupled, and the endpoints built from them. */
    private StageEndpoints endpoints(NDArray x0, int stageIndex, long noiseSeed) {
        Stage st = pyramid.stage(stageIndex);
        // before Down, whose own complaint (frames not divisible by the stage's rate factor) would name the wrong rule
        if (x0.getShape().dimension() < 2 || x0.getShape().get(1) != pyramid.frames()) {
            throw new IllegalArgumentException("x0 has shape " + x0.getShape() + "; allowed: full-rate data [N, "
                    + pyramid.frames() + ", ...], the pyramid's " + pyramid.frames() + " frames on axis 1");
        }
        NDArray d = TemporalOps.down(x0, st.rateFactor(), downMode);
        DataType dt = x0.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray eps = GaussianNoise.normal(x0.getManager(), d.getShape(), dt, noiseSeed);
        NDArray coupled = coupling.couple(d, eps);
        if (coupled == null) {
            throw new IllegalStateException("coupling " + coupling + " returned null; allowed: the noise batch reordered"
                    + " along axis 0, each item once with its values unchanged (NoiseCoupling), or the noise itself");
        }
        if (!coupled.getShape().equals(eps.getShape())) {
            throw new IllegalStateException("coupling " + coupling + " changed the noise shape from " + eps.getShape()
                    + " to " + coupled.getShape());
        }
        if (coupled != eps) {
            requireReordering(coupling, eps, coupled);
        }
        return StageEndpoints.of(pyramid, stageIndex, x0, coupled, downMode);
    }

    /**
     * Refuses a coupling result that is not {@code noise} with its items reordered along axis 0 (the contract of
     * {@link NoiseCoupling}): values scaled, shifted, mixed or an item repeated would train on noise that is no
     * longer {@code N(0, I)}. Compares whole items bit for bit.
     */
    static void requireReordering(NoiseCoupling coupling, NDArray noise, NDArray coupled) {
        if (coupled.getDataType() != noise.getDataType()) {
            throw new IllegalStateException("coupling " + coupling + " returned " + coupled.getDataType() + " noise for "
                    + noise.getDataType() + " noise; allowed: the noise batch reordered along axis 0, values and type"
                    + " unchanged (NoiseCoupling)");
        }
        int items = Math.toIntExact(noise.getShape().get(0));
        byte[] given = noise.toByteArray();
        byte[] got = coupled.toByteArray();
        int size = given.length / Math.max(1, items);
        boolean[] used = new boolean[items];
        for (int j = 0; j < items; j++) {
            int from = j * size;
            boolean repeat = false;
            int match = -1;
            // Items that differ do so in their first bytes almost always, so the scan costs about one full
            // comparison per item (tens of microseconds for a batch of clips), not items squared.
            for (int i = 0; i < items && match < 0; i++) {
                if (java.util.Arrays.equals(given, i * size, i * size + size, got, from, from + size)) {
                    if (used[i]) {
                        repeat = true;
                    } else {
                        match = i;
                    }
                }
            }
            if (match < 0) {
                throw new IllegalStateException("coupling " + coupling + " returned item " + j + " of " + items + ", which "
                        + (repeat ? "repeats a noise item already used" : "is none of the noise items it was given")
                        + "; allowed: the noise batch reordered along axis 0, each item once with its values unchanged"
                        + " (NoiseCoupling), so that the noise stays N(0, I)");
            }
            used[match] = true;
        }
    }

    /** Builder with named {@code withX} steps. */
    public static final class Builder {
        private final TemporalPyramid pyramid;
        private final PredictionType type;
        private NoiseCoupling coupling = NoiseCoupling.NONE;
        private double[] weights;
        private TemporalOps.DownMode downMode = TemporalOps.DownMode.SUBSAMPLE;

        private Builder(TemporalPyramid pyramid, PredictionType type) {
            if (pyramid == null || type == null) {
                throw new IllegalArgumentException("pyramid = " + pyramid + ", type = " + type + "; allowed: a "
                        + "TemporalPyramid and a PredictionType, neither null");
            }
            this.pyramid = pyramid;
            this.type = type;
        }

        /**
         * Noise coupling (default {@link NoiseCoupling#NONE}). Null is refused, as {@code TrainConfig} refuses it: it
         * was read as no coupling, so an aligner not yet assigned trained unaligned without a word.
         */
        public Builder withCoupling(NoiseCoupling c) {
            Refusals.notNull(c, "coupling",
                    "a NoiseCoupling, NoiseCoupling.NONE for none or e.g. BatchNoiseAligner.l2()");
            this.coupling = c;
            return this;
        }

        /** Stage weights in sampling order, non-negative, not all zero (default uniform). */
        public Builder withStageWeights(double... w) {
            if (w == null || w.length != pyramid.size()) {
                throw Refusals.refuse("stage weights", Arrays.toString(w),
                        pyramid.size() + " values, one per stage in sampling order");
            }
            double sum = 0;
            for (double x : w) {
                if (!(x >= 0) || Double.isInfinite(x)) {
                    throw new IllegalArgumentException("stage weight " + x + " in " + Arrays.toString(w)
                            + "; allowed: finite values >= 0");
                }
                sum += x;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("stage weights = " + Arrays.toString(w) + " are all zero; allowed: "
                        + "at least one weight > 0");
            }
            this.weights = w.clone();
            return this;
        }

        /** Down operator for the data (default subsample). */
        public Builder withDownMode(TemporalOps.DownMode m) {
            Refusals.notNull(m, "down mode", Arrays.toString(TemporalOps.DownMode.values()));
            this.downMode = m;
            return this;
        }

        /** Builds. */
        public TrainingPairSampler build() {
            double[] w = weights;
            if (w == null) {
                w = new double[pyramid.size()];
                Arrays.fill(w, 1.0);
            }
            return new TrainingPairSampler(pyramid, type, coupling, w, downMode);
        }
    }
}
