package tpdiff4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.metrics.ClipBatch;
import tpdiff4j.metrics.MotionFeatures;
import tpdiff4j.metrics.SpriteEstimator;
import tpdiff4j.nn.FlopCount;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.TrainListener;

import tpdiff4j.train.Trainer;

/**
 * The test bed shared by the DJL benchmarks: 16x16 grayscale sprite videos, flow matching with velocity prediction,
 * the preset's model, and samplers with Euler steps (for flow matching the same as DDIM). Vanilla sampling is the
 * one-stage pyramid (exactly the plain solver, docs/derivation.md section 11); TPDiff sampling the uniform K-stage
 * pyramid with the
 * corrected stage jump.
 */
final class Bed {

    static final int SIZE = 16;
    static final int CHANNELS = 1;
    static final NoiseSchedule SCHEDULE = Schedules.flowMatching();

    private Bed() {
    }

    static SpriteVideos data(int frames) {
        return data(frames, SIZE);
    }

    /** Sprite clips of {@code frames} frames of {@code size} x {@code size} pixels. */
    static SpriteVideos data(int frames, int size) {
        return SpriteVideos.builder().withFrames(frames).withSize(size).withChannels(CHANNELS).build();
    }

    /** The preset's headline model for clips of {@code frames} frames of the preset's size. */
    static ModelConfig model(Preset p, int frames) {
        return ModelConfig.preset(p.modelSize(), frames, CHANNELS, p.size(), p.size());
    }

    /** Shape {@code [n, F, C, H, W]} of {@code n} clips of the preset's size. */
    static Shape clips(Preset p, int n, int frames) {
        return new Shape(n, frames, CHANNELS, p.size(), p.size());
    }

    /** A quiet trainer of the preset's model on sprites with {@code frames} frames. */
    static Trainer trainer(Preset p, int frames, BenchArm mode, long seed) {
        return trainer(p, frames, mode, seed, null);
    }

    /** The same with a listener (null: none). */
    static Trainer trainer(Preset p, int frames, BenchArm mode, long seed, TrainListener listener) {
        TrainConfig c = config(p, mode, frames, seed).withLearningRate(p.learningRate());
        Trainer.Builder b = Trainer.builder().withModel(model(p, frames)).withConfig(c).withData(data(frames, p.size())).withProgress(false);
        if (listener != null) {
            b.withListener(listener);
        }
        return b.build();
    }

    /**
     * Expected analytic forward + backward FLOPs of one training step of {@code mode} on the preset's model at its
     * frame count: each stage's step ({@link FlopCount}) weighted by the arm's stage-draw probability.
     */
    static double stepFlops(Preset p, BenchArm mode) {
        TrainConfig c = raceConfig(p, mode);
        return FlopCount.expectedTrainingStep(model(p, p.frames()), c.batchSize(), c.pyramid(),
                c.stageDraw().probabilities(c.pyramid()));
    }

    /**
     * Vanilla's 30 full-rate network calls over those of the sampler with {@code steps} per stage (sampling order), in
     * the analytic forward FLOPs of the preset's model on {@code batch} clips ({@link FlopCount#sampling}): the
     * speed-up the sampler would have if time followed the FLOPs.
     */
    static double samplingFlopRatio(Preset p, long batch, int... steps) {
        int f = p.frames();
        ModelConfig cfg = model(p, f);
        return FlopCount.sampling(cfg, batch, pyramid(f, 1), java.util.Arrays.stream(steps).sum())
                / FlopCount.sampling(cfg, batch, pyramid(f, steps.length), steps);
    }

    /**
     * TPDiff's training step cost relative to vanilla's when a step costs {@code F^exponent}: {@code sum_k w_k
     * (F_k/F)^exponent} with the stage-draw probabilities {@code w_k} of the preset's race.
     */
    static double costFactor(Preset p, double exponent) {
        TrainConfig c = raceConfig(p, BenchArm.TPDIFF_ALIGNED);
        return c.stageDraw().costFactor(c.pyramid(), exponent);
    }

    /** {@code mode}'s configuration in the preset's race at its frame count (seed 0: for its stage draw and costs). */
    static TrainConfig raceConfig(Preset p, BenchArm mode) {
        return config(p, mode, p.frames(), 0);
    }

    /**
     * {@code mode}'s configuration at the preset's batch size. A batch of one clip (the large-clip row) trains without
     * a noise coupling: its only pairing of clips and noises is the one it has, so aligning would change nothing, and
     * the aligner refuses batches of one.
     */
    static TrainConfig config(Preset p, BenchArm mode, int frames, long seed) {
        TrainConfig c = mode.config(frames, seed, p.times(), p.stages());
        return (p.batch() == 1 ? c.withCoupling(NoiseCoupling.NONE) : c).withBatchSize(p.batch());
    }

    /** Sampler with the given steps per stage (one entry: vanilla) over a uniform pyramid of {@code frames}. */
    static VideoSampler sampler(int frames, int... steps) {
        if (steps.length == 1) {
            return VideoSampler.vanilla(SCHEDULE, Solvers.euler(), steps[0]).withProgress(false);
        }
        return VideoSampler.pyramid(pyramid(frames, steps.length), Solvers.euler(), steps).withProgress(false);
    }

    /**
     * Thirty network calls split over {@code stages} stages in sampling order, the earlier (cheaper) stages taking the
     * remainder: {30}, {15, 15}, {10, 10, 10}, {8, 8, 7, 7} (the sampling table's K = 4 row), ...
     */
    static int[] steps30(int stages) {
        if (stages < 1 || stages > 30) {
            throw Refusals.refuse("stages", stages, "1 to 30 stages for 30 network calls");
        }
        int[] steps = new int[stages];
        for (int k = 0; k < stages; k++) {
            steps[k] = 30 / stages + (k < 30 % stages ? 1 : 0);
        }
        return steps;
    }

    /** The uniform pyramid with {@code stages} stages (flow matching, convention A). */
    static TemporalPyramid pyramid(int frames, int stages) {
        return TemporalPyramid.uniform(SCHEDULE, stages, frames);
    }

    /** Samples {@code n} clips {@code [n, F, C, H, W]} (see {@link #sampleOnce(VideoSampler, Denoiser, NDManager, Shape, long)}). */
    static float sampleOnce(VideoSampler s, Denoiser model, NDManager m, int frames, int n, long seed) {
        return sampleOnce(s, model, m, new Shape(n, frames, CHANNELS, SIZE, SIZE), seed);
    }

    /**
     * Samples clips of {@code shape} in a sub-manager of {@code m}, closes all intermediates and returns the
     * samples' maximum, read back to the host. The read makes a timed call end when the device has finished: on a
     * GPU the operations only queue work, and a sampling run that returned without it would time the queueing (its
     * unfinished tail then counted against the next timed call). On the CPU it costs one reduction.
     */
    static float sampleOnce(VideoSampler s, Denoiser model, NDManager m, Shape shape, long seed) {
        try (NDManager sub = m.newSubManager()) {
            return s.sample(model, sub, shape, seed).max().getFloat();
        }
    }

    /** Motion features of {@code n} generated clips, sampled in chunks of at most 16; null if a sample is not finite. */
    static double[][] generatedFeatures(VideoSampler s, Denoiser model, NDManager m, int frames, int n, long seed) {
        List<double[]> rows = new ArrayList<>();
        for (int done = 0, chunk = 0; done < n; chunk++) {
            int b = Math.min(16, n - done);
            try (NDManager sub = m.newSubManager()) {
                NDArray x = s.sample(model, sub, new Shape(b, frames, CHANNELS, SIZE, SIZE), seed + 7919L * chunk);
                if (x.isNaN().any().getBoolean() || x.isInfinite().any().getBoolean()) {
                    return null;
                }
                for (double[] f : MotionFeatures.of(ClipBatch.fromNDArray(x.clip(-1f, 1f)), SpriteEstimator.DEFAULT)) {
                    rows.add(f);
                }
            }
            done += b;
        }
        return rows.toArray(new double[0][]);
    }

    /** Motion features of {@code n} real clips. */
    static double[][] realFeatures(SpriteVideos data, NDManager m, int n, long seed) {
        try (NDManager sub = m.newSubManager()) {
            return MotionFeatures.of(ClipBatch.fromNDArray(data.batch(sub, n, seed)), SpriteEstimator.DEFAULT);
        }
    }
}
