package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import tpdiff4j.data.Tensors;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.TrainingClips;
import tpdiff4j.pyramid.TrainingPairSampler;

/**
 * The training pairs of every configuration, vanilla included (a one-stage pyramid: stage data = x0, window
 * [0, 1], so {@code x_t = gamma(t) x0 + sigma(t) eps} with the vanilla target). One step draws, from the step's
 * generator and in this order:
 * <ol>
 *   <li>the stage {@code k} by the configuration's {@link StageDraw} ({@link TrainingPairSampler#stageFor});</li>
 *   <li>per clip b a stage time {@code t'_b} by the configuration's {@link StageTimeDraw} (the paper's
 *       {@code t'_b ~ U(0, 1]} by default; a global rule draws inside stage k's window), so
 *       {@code t_b = e_k + t'_b (s_k - e_k)};</li>
 *   <li>the seed of the stage-resolution noise, which {@link TrainingPairSampler#sampleClips} draws, couples to the
 *       stage data as a batch ({@code TrainConfig#coupling}) and turns into {@code x_t} and the target of the
 *       prediction type (the stage's virtual pair, exactly what the pyramid sampler integrates).</li>
 * </ol>
 */
final class PyramidPairs {

    private final TrainingPairSampler sampler;
    private final StageTimeDraw timeDraw;

    private PyramidPairs(TrainingPairSampler sampler, StageTimeDraw timeDraw) {
        this.sampler = sampler;
        this.timeDraw = timeDraw;
    }

    static PyramidPairs of(TrainConfig c) {
        return new PyramidPairs(TrainingPairSampler.builder(c.pyramid(), c.prediction()).withCoupling(c.coupling())
                .withStageWeights(c.stageDraw().probabilities(c.pyramid())).build(), c.timeDraw());
    }

    /** The batch for clean clips {@code x0: [B, F, C, H, W]}; every array in {@code m}'s scope ({@code x0}'s manager). */
    TrainBatch make(NDArray x0, SplittableRandom rng, NDManager m) {
        int k = sampler.stageFor(rng.nextDouble());
        Stage stage = sampler.pyramid().stage(k);
        double[] tPrime = new double[(int) x0.getShape().get(0)];
        for (int i = 0; i < tPrime.length; i++) {
            tPrime[i] = timeDraw.draw(rng, stage.start(), stage.end());
        }
        TrainingClips c = sampler.sampleClips(x0, k, tPrime, rng.nextLong());
        double[] t = c.t();
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            tf[i] = (float) t[i];
        }
        return new TrainBatch(c.xt(), Tensors.owned(m, tf), c.target(), c.stage().frames(), k);
    }

    TemporalPyramid pyramid() {
        return sampler.pyramid();
    }
}
