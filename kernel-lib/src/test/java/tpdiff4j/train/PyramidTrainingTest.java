package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.TrainingPairSampler;
import tpdiff4j.schedule.Schedules;

class PyramidTrainingTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void bothTpdiffModesTrainAStepAtEveryStageFrameCount() {
        SpriteVideos data = SpriteVideos.builder().frames(8).size(16).build();
        for (TrainMode mode : new TrainMode[] {TrainMode.TPDIFF_ALIGNED, TrainMode.TPDIFF_UNALIGNED}) {
            Set<Integer> frames = new HashSet<>();
            try (Trainer t = Trainer.builder().setModel(ModelConfig.tiny(8, 1, 16, 16))
                    .setConfig(TrainConfig.flowMatching(mode, 11).withBatchSize(4)).setData(data).optProgress(false)
                    .optListener(p -> frames.add(p.frames())).build()) {
                TrainResult r = t.train(12);
                assertTrue(Double.isFinite(r.meanLoss()), mode + " loss " + r.meanLoss());
                assertEquals(3, t.pyramid().orElseThrow().size());
            }
            assertEquals(Set.of(2, 4, 8), frames, mode + " visits every stage: frames " + frames);
        }
    }

    @Test
    void ddimEpsilonTrainingOnTheAnimateDiffScheduleInEveryMode() {
        SpriteVideos data = SpriteVideos.builder().frames(8).size(16).build();
        for (TrainMode mode : TrainMode.values()) {
            TrainConfig c = TrainConfig.of(mode, PredictionType.EPSILON, Schedules.linear(0.00085, 0.012, 1000), 2)
                    .withBatchSize(2);
            try (Trainer t = Trainer.builder().setModel(ModelConfig.tiny(8, 1, 16, 16)).setConfig(c).setData(data)
                    .optProgress(false).build()) {
                double first = t.step();
                // zero output layer at init: loss = mean(eps_k^2) >= 1 (eps_k = eps + shift, docs/derivation.md
                // section 6), finite
                assertTrue(Double.isFinite(first) && first > 0.5, mode + " first loss " + first);
                assertTrue(Double.isFinite(t.train(3).meanLoss()), mode.toString());
            }
        }
    }

    @Test
    void pairsEqualThePyramidTrainingPairSamplerForOneClip() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        SpriteVideos data = SpriteVideos.builder().frames(8).size(16).build();
        for (PredictionType type : new PredictionType[] {PredictionType.VELOCITY, PredictionType.EPSILON}) {
            PyramidPairs mine = new PyramidPairs(p, type, NoiseCoupling.NONE);
            TrainingPairSampler ref = TrainingPairSampler.of(p, type);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x0 = data.batch(m, 1, 3);
                for (int k = 0; k < 3; k++) {
                    double tPrime = 0.37;
                    var expected = ref.sample(x0, k, tPrime, 99);
                    NDArray raw = GaussianNoise.normal(m, new Shape(1, p.stage(k).frames(), 1, 16, 16), DataType.FLOAT32, 99);
                    TrainBatch got = mine.make(x0, k, new double[] {tPrime}, raw, m);
                    assertEquals(expected.t(), got.t().getFloat(0), 1e-6);
                    assertEquals(p.stage(k).frames(), got.frames());
                    float[] a = expected.xt().toFloatArray(), b = got.xt().toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], 1e-5, "xt stage " + k);
                    }
                    a = expected.target().toFloatArray();
                    b = got.target().toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], 1e-4, type + " target stage " + k);
                    }
                }
            }
        }
    }

    @Test
    void alignedNoiseIsAPermutationOfTheDrawnNoise() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        SpriteVideos data = SpriteVideos.builder().frames(8).size(16).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = data.batch(m, 6, 1);
            PyramidPairs aligned = new PyramidPairs(p, PredictionType.EPSILON, tpdiff4j.align.BatchNoiseAligner.l2());
            PyramidPairs plain = new PyramidPairs(p, PredictionType.EPSILON, NoiseCoupling.NONE);
            // last stage (full rate, A = D there is not the case, but eps_k - eps = (A - D)/(rho_s - rho_e) is the same
            // for both, so the targets differ exactly by the permutation of the raw noise)
            NDArray raw = GaussianNoise.normal(m, new Shape(6, 8, 1, 16, 16), DataType.FLOAT32, new SplittableRandom(4));
            double[] tp = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
            NDArray ea = aligned.make(x0, 2, tp, raw, m).target().sub(plain.make(x0, 2, tp, raw, m).target()).add(raw);
            float[] rows = ea.toFloatArray(), src = raw.toFloatArray();
            int n = 8 * 256;
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                int match = -1;
                for (int j = 0; j < 6; j++) {
                    boolean eq = true;
                    for (int q = 0; q < n && eq; q++) {
                        eq = Math.abs(rows[i * n + q] - src[j * n + q]) < 1e-4;
                    }
                    if (eq) {
                        match = j;
                    }
                }
                assertTrue(match >= 0, "row " + i + " is one of the drawn noises");
                used.add(match);
            }
            assertEquals(6, used.size(), "a permutation");
            assertArrayEquals(new long[] {6, 8, 1, 16, 16}, ea.getShape().getShape());
        }
    }
}
