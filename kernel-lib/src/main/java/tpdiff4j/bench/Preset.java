package tpdiff4j.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

/**
 * Sizes of a benchmark run. {@code quick} finishes in a few minutes on this project's 2-core machine, {@code full}
 * in 10 to 20 minutes (with the notebook suite and the kernel timing of {@code environment/bench} around it).
 *
 * @param name          quick or full
 * @param modelSize     ModelConfig preset of every benchmarked network: tiny or small
 * @param frames        full-rate frames F of the training and sampling clips (16x16 grayscale sprites)
 * @param batch         training batch size
 * @param seeds         training seeds (each trains vanilla, TPDiff aligned and TPDiff unaligned)
 * @param trainSeconds  training wall-clock budget per run (evaluations excluded)
 * @param evalPoints    evaluations per run after the one at time 0, evenly spaced in the budget
 * @param evalClips     generated clips per evaluation (30 sampling steps each)
 * @param realClips     real clips the generated ones are compared with
 * @param sampleReps    timed repetitions per sampling configuration (after one warm-up)
 * @param scalingFrames frame counts of the step-cost scan
 * @param scalingSteps  timed steps per frame count (after six warm-up steps)
 * @param alignReps     timed aligner calls per stage (after ten warm-up calls)
 */
public record Preset(String name, String modelSize, int frames, int batch, int seeds, double trainSeconds, int evalPoints,
                     int evalClips, int realClips, int sampleReps, int[] scalingFrames, int scalingSteps, int alignReps) {

    /** Sampling batch sizes: a single video (the paper's latency) and a batch of 16. */
    public static final int[] SAMPLE_BATCHES = {1, 16};

    /** Minutes, not seconds: one seed, short budgets. */
    public static Preset quick() {
        return new Preset("quick", "tiny", 16, 8, 1, 12, 2, 32, 64, 3, new int[] {4, 8, 16, 32, 64}, 3, 20);
    }

    /** The recorded run: three seeds, 40 s per training run. */
    public static Preset full() {
        return new Preset("full", "tiny", 16, 8, 3, 40, 4, 48, 96, 5, new int[] {4, 8, 16, 32, 64}, 8, 50);
    }

    /** quick or full. */
    public static Preset named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("preset = '" + name + "': must be quick or full");
        };
    }

    /** The same sizes with another model preset ({@link tpdiff4j.nn.ModelConfig#PRESETS}). */
    public Preset withModelSize(String model) {
        if (!tpdiff4j.nn.ModelConfig.PRESETS.contains(model)) {
            throw new IllegalArgumentException("model = '" + model + "': must be one of " + tpdiff4j.nn.ModelConfig.PRESETS);
        }
        return new Preset(name, model, frames, batch, seeds, trainSeconds, evalPoints, evalClips, realClips, sampleReps,
                scalingFrames, scalingSteps, alignReps);
    }

    /** The preset as JSON for the report. */
    public JsonObject toJsonObject() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }
}
