package tpdiff4j.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * Everything that defines a training run besides the model and the data, an immutable value saved as JSON in
 * every checkpoint. A checkpoint resumes only under an equal configuration.
 *
 * @param mode          vanilla or TPDiff (with or without alignment)
 * @param prediction    what the network predicts: EPSILON (DDIM-type) or VELOCITY (flow matching, eps - x0)
 * @param scheduleJson  the noise schedule as {@link NoiseSchedule#toJson()}
 * @param stages        pyramid stages K (ignored by VANILLA; TPDiff uses uniform stages)
 * @param batchSize     clips per step
 * @param learningRate  AdamW learning rate
 * @param weightDecay   AdamW decoupled weight decay
 * @param beta1         AdamW beta1
 * @param beta2         AdamW beta2
 * @param clipNorm      global gradient-norm clip (0 = off)
 * @param emaDecay      EMA decay of the weights in [0, 1)
 * @param seed          seed of all training randomness (data, noise, times); step n uses a generator seeded
 *                      from (seed, n), so the RNG state of a run is just (seed, step)
 */
public record TrainConfig(TrainMode mode, PredictionType prediction, String scheduleJson, int stages, int batchSize,
                          double learningRate, double weightDecay, double beta1, double beta2, double clipNorm,
                          double emaDecay, long seed) {

    public TrainConfig {
        if (mode == null || prediction == null || scheduleJson == null) {
            throw new IllegalArgumentException("mode, prediction and scheduleJson must not be null");
        }
        if (prediction != PredictionType.EPSILON && prediction != PredictionType.VELOCITY) {
            throw new IllegalArgumentException("prediction = " + prediction + ": training supports EPSILON or VELOCITY");
        }
        if (stages < 1) {
            throw new IllegalArgumentException("stages = " + stages + ": must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ": must be at least 1");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate = " + learningRate + ": must be positive");
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm = " + clipNorm + ": must be >= 0 (0 = off)");
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay = " + emaDecay + ": must be in [0, 1)");
        }
        TrainChecks.optimizer(learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay);
    }

    /** Defaults: batch 8, lr 1e-3, wd 0.01, betas (0.9, 0.999), clip 1, EMA 0.999, K = 3. */
    public static TrainConfig of(TrainMode mode, PredictionType prediction, NoiseSchedule schedule, long seed) {
        return new TrainConfig(mode, prediction, schedule.toJson(), 3, 8, 1e-3, 0.01, 0.9, 0.999, 1.0, 0.999, seed);
    }

    /** Flow matching (gamma = 1 - t, sigma = t), velocity prediction. */
    public static TrainConfig flowMatching(TrainMode mode, long seed) {
        return of(mode, PredictionType.VELOCITY, Schedules.flowMatching(), seed);
    }

    public NoiseSchedule schedule() {
        return Schedules.fromJson(scheduleJson);
    }

    public TrainConfig withMode(TrainMode m) {
        return new TrainConfig(m, prediction, scheduleJson, stages, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(mode, prediction, scheduleJson, stages, b, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(mode, prediction, scheduleJson, stages, batchSize, lr, weightDecay, beta1, beta2, clipNorm, emaDecay, seed);
    }

    public TrainConfig withEmaDecay(double d) {
        return new TrainConfig(mode, prediction, scheduleJson, stages, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, d, seed);
    }

    public TrainConfig withStages(int k) {
        return new TrainConfig(mode, prediction, scheduleJson, k, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, seed);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(mode, prediction, scheduleJson, stages, batchSize, learningRate, weightDecay, beta1, beta2, clipNorm, emaDecay, s);
    }

    public JsonObject toJsonObject() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }

    public static TrainConfig fromJsonObject(JsonObject o) {
        return new Gson().fromJson(o, TrainConfig.class);
    }
}
