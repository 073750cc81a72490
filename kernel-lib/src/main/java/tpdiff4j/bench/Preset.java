package tpdiff4j.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import tpdiff4j.Refusals;

/**
 * Sizes of a benchmark run. {@code quick} finishes in a few minutes on this project's 2-core machine; {@code full} is
 * the recorded run and fits the whole {@code environment/bench --preset full} into 40 minutes.
 *
 * <p>Time plan of the full preset (2 cores, one PyTorch thread per process, planning figures, not measurements):
 * <pre>
 *   set-up and build (environment/setup, warm caches)               ~ 2 min
 *   linear assignment, tpdiff4j and scipy                           ~ 1 min
 *   step cost against frames, three rows, 4/8/16 frames              ~ 3 min
 *   alignment cost                                                  &lt; 0.5 min
 *   sampling latency, batch 1 and 16, and the 32x32 row at batch 1  ~ 3 min
 *   training: 3 seeds x 400 s, a seed's 2 arms at the same time       20 min
 *     evaluations: 3 x 15 of 64 clips at ~0.1 s a clip (vanilla's;
 *     TPDiff's are faster and run alongside)                        ~ 4.8 min
 *     metric noise: 3 x 2 extra evaluations of vanilla's final EMA   ~ 0.6 min
 *   kernel timing                                                   ~ 1 min
 *   notebook suite, quick mode                                      ~ 2.5 min
 *                                                            total ~ 38.4 min
 * </pre>
 * The budget of 400 s per run (about 8,000 vanilla steps) is about what vanilla needed at this learning rate for its
 * curve to flatten by the report's criterion (seed 1000 run on to 8,000 steps, docs/levers.md); 3 seeds x 2 arms x
 * 400 s in turns would take 40 minutes of training alone, so the full preset trains a seed's two arms at the same
 * time, each in its own process on one of the two cores ({@code armsInParallel}).
 * {@link #plannedTrainingSeconds} is the training line of this plan for any preset. A slowed seed is trained again
 * (one retry per run) only if that retry and the seeds after it still end 3 minutes before the 40 minutes are up,
 * judged by the longest seed process so far ({@code environment/bench} passes the deadline to {@link BenchMain}).
 *
 * @param name            quick or full
 * @param modelSize       ModelConfig preset of the headline network (trained to quality): "attention" (full
 *                        space-time attention, the regime of the paper's MiniFlux-vid)
 * @param factorizedModel ModelConfig preset of the second row (step costs only, no training to quality): "tiny"
 *                        (factorized attention, the AnimateDiff-like regime)
 * @param frames          full-rate frames F of the training and sampling clips (16x16 grayscale sprites)
 * @param batch           training batch size of both arms: 8. At 16 a TPDiff step costs less relative to vanilla's
 *                        (about the FLOP ratio), but TPDiff needed 1.67 times vanilla's steps to reach its quality
 *                        instead of 1.09, and took longer to get there; at 4 it needed 1.31 times, and vanilla
 *                        itself trained to a worse quality (docs/levers.md, "The batch size")
 * @param learningRate    AdamW learning rate of every arm of the training race. The full preset's 2e-3 is the better of
 *                        1e-3, 2e-3 and 3e-3 for vanilla at 4,000 steps (the race's length before its budget was
 *                        raised to let vanilla flatten), and still better than 1e-3 at 8,000 steps on two seeds
 *                        (measured with {@link LeverStudy}, see docs/levers.md), so TPDiff races a tuned baseline;
 *                        TPDiff gets the same rate
 * @param seeds           training seeds (each trains vanilla and TPDiff aligned, plus TPDiff unaligned if asked)
 * @param trainSeconds    training wall-clock budget per run (evaluations excluded)
 * @param evalPoints      evaluations per run after the one at time 0, evenly spaced in the budget
 * @param evalClips       generated clips per evaluation (30 sampling steps each)
 * @param realClips       real clips the generated ones are compared with
 * @param noiseSeeds      sampling seeds (at least 2; the run's own evaluation seed is the first) with which vanilla's
 *                        final EMA weights are scored again to measure the metric's own noise
 * @param unaligned       also train TPDiff without alignment (a third arm)
 * @param sampleReps      timed repetitions per sampling configuration at the largest sampling batch (after the
 *                        warm-up rounds); a smaller batch gets more of them ({@link #sampleReps(int)})
 * @param scalingFrames   frame counts of the step-cost scan (the power law is fitted over all of them)
 * @param scalingSteps    timed steps per frame count (after six warm-up steps)
 * @param alignReps       timed aligner calls per stage (after ten warm-up calls)
 * @param size            side in pixels of the clips (16: 16 tokens per frame with patch 4)
 * @param largeSize       side in pixels of the third row, the headline model on larger clips (32: 64 tokens per frame,
 *                        attention products about 80% of a step's FLOPs), measured for step costs and sampling
 *                        latency only (too slow to train to quality here); 0 leaves the row out
 * @param armsInParallel  train the arms of a seed at the same time, one process (and one core) each, instead of round
 *                        robin in one process; needs as many cores as arms (with fewer, the training section falls back
 *                        to round robin and says so)
 * @param times           how the training race draws diffusion times, the same rule for both arms
 * @param stages          stages K of TPDiff's uniform pyramid in the training race (its evaluations sample with 30
 *                        calls split over them, {@code 10/10/10} for 3): 3, the paper's main setting, or a named
 *                        option from 2 up to log2(frames) (4 at 16 frames: 2, 4, 8 and 16 frames). The sampling and
 *                        step-cost sections keep their own fixed configurations
 */
public record Preset(String name, String modelSize, String factorizedModel, int frames, int batch, double learningRate, int seeds,
                     double trainSeconds, int evalPoints, int evalClips, int realClips, int noiseSeeds, boolean unaligned,
                     int sampleReps, int[] scalingFrames, int scalingSteps, int alignReps, int size, int largeSize,
                     boolean armsInParallel, RaceTimes times, int stages) {

    /** Sampling batch sizes: a single video (the paper's latency) and a batch of 16. */
    public static final int[] SAMPLE_BATCHES = {1, 16};

    /**
     * Scan frame counts. The attention model stops at 16: at 32 frames its attention scores (batch 8 x 4 heads x
     * 512^2 floats) exceed 32 MiB, the step leaves the caches and becomes memory-bound, another regime.
     */
    static final int[] SCALING_FRAMES = {4, 8, 16};

    /**
     * Timed repetitions of each sampling configuration at {@code batch}: {@link #sampleReps()} at the largest sampling
     * batch, and at a smaller batch as many times more as make up the same number of clips (80 at batch 1 in the full
     * preset, about 15 s of calls). A call at batch 1 is short, so a passing state of the machine moves a few of its
     * timings by half, and a median of 5 moved by about 0.1x in speed-up between runs; the calls at batch 16 are long
     * and steady, and cost 16 times as much to repeat.
     */
    public int sampleReps(int batch) {
        if (batch < 1) {
            throw Refusals.refuse("batch", batch, "a whole number of clips, at least 1");
        }
        return sampleReps * Math.max(1, SAMPLE_BATCHES[SAMPLE_BATCHES.length - 1] / batch);
    }

    /** Learning rate of the presets' training race (see {@code learningRate}). */
    static final double RACE_LEARNING_RATE = 2e-3;

    public Preset {
        tpdiff4j.nn.ModelConfig.preset(modelSize, 4, 1, 16, 16); // validates both names
        tpdiff4j.nn.ModelConfig.preset(factorizedModel, 4, 1, 16, 16);
        if (seeds < 1 || evalPoints < 1 || evalClips < 2 || realClips < 2 || batch < 1 || frames < 4) {
            throw new IllegalArgumentException("seeds = " + seeds + ", evalPoints = " + evalPoints + ", evalClips = " + evalClips
                    + ", realClips = " + realClips + ", batch = " + batch + ", frames = " + frames + " in preset " + name
                    + "; allowed: seeds, evalPoints and batch at least 1, evalClips and realClips at least 2, frames at least 4");
        }
        if (noiseSeeds < 2) {
            throw Refusals.refuse("noiseSeeds", noiseSeeds, "at least 2 (to measure a spread)");
        }
        if (size < 4 || size % 4 != 0 || largeSize < 0 || largeSize % 4 != 0) {
            throw new IllegalArgumentException("size = " + size + ", largeSize = " + largeSize + "; allowed: "
                    + "multiples of the patch 4 (size at least 4; largeSize 0 for no third row)");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw Refusals.refuse("learningRate", learningRate, "a number in (0, 1)");
        }
        Refusals.notNull(times, "times", "one of " + java.util.Arrays.toString(RaceTimes.values()));
        checkStages(stages, frames);
        if (!(trainSeconds > 0)) {
            throw Refusals.refuse("trainSeconds", trainSeconds, "a positive number of seconds");
        }
    }

    /** Minutes, not seconds: one seed, short budgets, the same models and regime as {@link #full()}. */
    public static Preset quick() {
        return new Preset("quick", "attention", "tiny", 16, 8, RACE_LEARNING_RATE, 1, 15, 2, 16, 64, 3, false, 3, SCALING_FRAMES, 3, 20, 16, 32, false, RaceTimes.UNIFORM, 3);
    }

    /** The recorded run: three seeds, 400 s per training run, 14 evaluations of 64 clips, arms in parallel (time plan above). */
    public static Preset full() {
        return new Preset("full", "attention", "tiny", 16, 8, RACE_LEARNING_RATE, 3, 400, 14, 64, 128, 3, false, 5, SCALING_FRAMES, 8, 50, 16, 32, true, RaceTimes.UNIFORM, 3);
    }

    /** quick or full. */
    public static Preset named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("preset = '" + name + "'; allowed: quick or full");
        };
    }

    /** The same sizes with another headline model preset ({@link tpdiff4j.nn.ModelConfig#PRESETS}). */
    public Preset withModelSize(String model) {
        if (!tpdiff4j.nn.ModelConfig.PRESETS.contains(model)) {
            throw new IllegalArgumentException("model = '" + model + "'; allowed: one of " + tpdiff4j.nn.ModelConfig.PRESETS);
        }
        return new Preset(name, model, factorizedModel, frames, batch, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /** The same sizes with another training budget per run, in seconds. */
    public Preset withTrainSeconds(double seconds) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, seeds, seconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /** The same sizes with another learning rate for every arm of the training race. */
    public Preset withLearningRate(double lr) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, lr, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /**
     * The same preset with another training batch size (both arms of the race, the step-cost scan and the step-time
     * ratio; the sampling batches stay {@link #SAMPLE_BATCHES}).
     */
    public Preset withBatch(int b) {
        if (b < 1) {
            throw Refusals.refuse("batch", b, "a whole number of clips, at least 1");
        }
        return new Preset(name, modelSize, factorizedModel, frames, b, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /** The same sizes with another number of training seeds. */
    public Preset withSeeds(int n) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, n, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /** The same sizes with or without the unaligned TPDiff arm. */
    public Preset withUnaligned(boolean u) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, u, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, stages);
    }

    /** The same sizes with the arms of a training seed trained at the same time (true) or round robin (false). */
    public Preset withArmsInParallel(boolean parallel) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, parallel, times, stages);
    }

    /** The same sizes with another time draw for both arms of the training race. */
    public Preset withTimes(RaceTimes t) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, t, stages);
    }

    /**
     * Refuses a stage count the race cannot train: TPDiff needs at least 2 stages, and {@code frames} hold at most
     * {@link tpdiff4j.pyramid.TemporalPyramid#maxStages}.
     */
    static void checkStages(int stages, int frames) {
        int maxStages = tpdiff4j.pyramid.TemporalPyramid.maxStages(frames);
        if (stages < 2 || stages > maxStages) {
            throw Refusals.refuse("stages", stages, "2 to " + maxStages + " stages for " + frames + " frames (each stage"
                    + " halves the frame rate of the next, and the lowest keeps at least 2 frames)");
        }
    }

    /** The same sizes with another number of stages K of TPDiff's pyramid in the training race. */
    public Preset withStages(int k) {
        return new Preset(name, modelSize, factorizedModel, frames, batch, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, size, largeSize, armsInParallel, times, k);
    }

    /** The same sizes with the second-row preset swapped for the headline one (its step costs, its training). */
    Preset factorizedRow() {
        return withModelSize(factorizedModel);
    }

    /**
     * The headline model on clips of {@link #largeSize()} pixels (the third row), at batch 1: at 32x32 a clip of 16
     * frames is 1024 tokens, and the attention scores of a batch of 8 (8 x 4 heads x 1024^2 floats, 128 MiB) leave the
     * reusable heap (blocks above 32 MiB are always mapped afresh, see {@code ode.NativeHeap}), which makes a step
     * memory-bound; batch 1 (16 MiB) keeps the row compute-bound. Only when largeSize > 0.
     */
    Preset largeRow() {
        if (largeSize == 0) {
            throw new IllegalStateException("preset " + name + " has no third row (largeSize = 0)");
        }
        return new Preset(name, modelSize, factorizedModel, frames, 1, learningRate, seeds, trainSeconds, evalPoints, evalClips,
                realClips, noiseSeeds, unaligned, sampleReps, scalingFrames, scalingSteps, alignReps, largeSize, 0, armsInParallel, times, stages);
    }

    /** Training arms per seed: vanilla and TPDiff aligned, plus TPDiff unaligned if {@link #unaligned()}. */
    public int arms() {
        return unaligned ? 3 : 2;
    }

    /**
     * The training section's planned wall-clock: per seed and arm the budget plus {@code evalPoints + 1} evaluations,
     * plus per seed {@code noiseSeeds - 1} extra evaluations of vanilla's final weights, each of {@code evalClips}
     * clips at {@code secondsPerClip}. With the arms in parallel a seed takes as long as its vanilla run (the evaluations
     * of the other arms sample faster and run alongside).
     */
    public double plannedTrainingSeconds(double secondsPerClip) {
        double eval = evalClips * secondsPerClip;
        double run = trainSeconds + (evalPoints + 1) * eval;
        return seeds * ((armsInParallel ? 1 : arms()) * run + (noiseSeeds - 1) * eval);
    }

    /** The preset as JSON for the report. */
    public JsonObject toJsonObject() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }
}
