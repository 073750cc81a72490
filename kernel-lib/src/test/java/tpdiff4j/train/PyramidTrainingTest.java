package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.StageEndpoints;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.pyramid.TrainingClips;
import tpdiff4j.pyramid.TrainingPairSampler;
import tpdiff4j.pyramid.WindowConvention;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Every pyramid and coupling trains through the one Trainer; the pairs are the pyramid sampler's. */
class PyramidTrainingTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final NoiseSchedule FM = Schedules.flowMatching();

    /** Trains {@code steps} steps of a tiny model on sprites; returns the frame counts the steps trained on. */
    static Set<Integer> trainedFrames(TrainConfig c, int steps) {
        int f = c.pyramid().frames();
        SpriteVideos data = SpriteVideos.builder().withFrames(f).withSize(16).build();
        Set<Integer> frames = new TreeSet<>();
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(data.spec())).withConfig(c).withData(data)
                .withProgress(false).withListener(p -> frames.add(p.frames())).build()) {
            TrainResult r = t.train(steps);
            assertEquals(steps, r.losses().length);
            for (double l : r.losses()) {
                assertTrue(Double.isFinite(l) && l > 0, c.label() + " loss " + l);
            }
            assertEquals(c.pyramid(), t.pyramid(), "the trainer trains the configured pyramid");
        }
        return frames;
    }

    static Set<Integer> stageFrames(TemporalPyramid p) {
        Set<Integer> s = new TreeSet<>();
        p.stages().forEach(st -> s.add(st.frames()));
        return s;
    }

    @Test
    void uniformK3WithAndWithoutAlignmentVisitsEveryStage() {
        for (NoiseCoupling c : new NoiseCoupling[] {BatchNoiseAligner.l2(), NoiseCoupling.NONE}) {
            TrainConfig cfg = TrainConfig.flowMatching(3, 8, 11).withBatchSize(4).withCoupling(c);
            assertEquals(Set.of(2, 4, 8), trainedFrames(cfg, 12), cfg.label());
        }
    }

    @Test
    void nonUniformRate4ConventionBAndK4At32FramesTrain() {
        TemporalPyramid nonUniform = TemporalPyramid.builder(FM, 16).withBoundaries(0.5, 0.25).build();
        TemporalPyramid rate4 = TemporalPyramid.builder(FM, 16).withStages(2).withRateFactors(4).build();
        TemporalPyramid convB = TemporalPyramid.builder(FM, 8).withStages(3).withConvention(WindowConvention.B).build();
        TemporalPyramid k4 = TemporalPyramid.uniform(FM, 4, 32);
        for (TemporalPyramid p : new TemporalPyramid[] {nonUniform, rate4, convB, k4}) {
            // weights put every stage in reach within few steps: the draw is the configuration's, not uniform
            TrainConfig c = TrainConfig.of(p, PredictionType.VELOCITY, 5).withBatchSize(2)
                    .withCoupling(BatchNoiseAligner.l2());
            Set<Integer> seen = trainedFrames(c, 3 * p.size());
            assertTrue(stageFrames(p).containsAll(seen), p + ": trained frames " + seen);
        }
        assertEquals(Set.of(4, 16), stageFrames(rate4));
        assertEquals(Set.of(4, 8, 16, 32), stageFrames(k4));
    }

    @Test
    void vanillaWithAlignmentIsAOneStagePyramidWithTheAligner() {
        TrainConfig c = TrainConfig.vanilla(FM, PredictionType.VELOCITY, 8, 3).withBatchSize(4)
                .withCoupling(BatchNoiseAligner.l2());
        assertEquals(Set.of(8), trainedFrames(c, 3));
        assertEquals(1.0, c.costFactor(2.0), 0.0);
        assertTrue(c.toJsonObject().getAsJsonObject("coupling").toString().contains("batchAligner"));
    }

    @Test
    void ddimEpsilonTrainingOnTheAnimateDiffScheduleVanillaAndPyramid() {
        SpriteVideos data = SpriteVideos.builder().withFrames(8).withSize(16).build();
        NoiseSchedule ad = Schedules.linear(0.00085, 0.012, 1000);
        for (int k : new int[] {1, 3}) {
            for (NoiseCoupling cp : new NoiseCoupling[] {NoiseCoupling.NONE, BatchNoiseAligner.l2()}) {
                TrainConfig c = TrainConfig.of(TemporalPyramid.uniform(ad, k, 8), PredictionType.EPSILON, 2)
                        .withBatchSize(2).withCoupling(cp);
                try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(data.spec())).withConfig(c).withData(data)
                        .withProgress(false).build()) {
                    double first = t.step();
                    // zero output layer at init: loss = mean(eps_k^2) >= 1 (eps_k = eps + shift), finite
                    assertTrue(Double.isFinite(first) && first > 0.5, c.label() + " first loss " + first);
                    assertTrue(Double.isFinite(t.train(3).meanLoss()), c.label());
                }
            }
        }
    }

    @Test
    void perClipPairsAreTheStagePathAtEachClipsTime() {
        TemporalPyramid p = TemporalPyramid.builder(FM, 8).withBoundaries(0.5, 0.25).build();
        SpriteVideos data = SpriteVideos.builder().withFrames(8).withSize(16).build();
        for (PredictionType type : new PredictionType[] {PredictionType.VELOCITY, PredictionType.EPSILON}) {
            TrainingPairSampler s = TrainingPairSampler.of(p, type);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x0 = data.batch(m, 3, 3);
                for (int k = 0; k < 3; k++) {
                    double[] tPrime = {0.37, 1.0, 0.05};
                    TrainingClips got = s.sampleClips(x0, k, tPrime, 99);
                    // the same endpoints by hand: the same seeded noise at the stage's resolution
                    NDArray eps = GaussianNoise.normal(m, new Shape(3, p.stage(k).frames(), 1, 16, 16), DataType.FLOAT32, 99);
                    StageEndpoints ends = StageEndpoints.of(p, k, x0, eps);
                    for (int b = 0; b < 3; b++) {
                        double t = got.t()[b];
                        assertEquals(p.stage(k).time(tPrime[b]), t, 1e-15);
                        float[] want = ends.xt(t).get(new NDIndex(b)).toFloatArray();
                        float[] have = got.xt().get(new NDIndex(b)).toFloatArray();
                        // the same float32 products: column coefficient vs scalar coefficient, rounding of one multiply
                        assertArrayEquals(want, have, 1e-6f, "xt stage " + k + " clip " + b);
                        assertArrayEquals(ends.target(type, t).get(new NDIndex(b)).toFloatArray(),
                                got.target().get(new NDIndex(b)).toFloatArray(), 1e-5f, type + " target stage " + k);
                    }
                    // one clip through sampleClips is the single-pair sample
                    var single = s.sample(x0.get("0:1"), k, 0.37, 5);
                    var one = s.sampleClips(x0.get("0:1"), k, new double[] {0.37}, 5);
                    assertEquals(single.t(), one.t()[0], 0.0);
                    assertArrayEquals(single.xt().toFloatArray(), one.xt().toFloatArray(), 1e-6f);
                }
            }
        }
    }

    @Test
    void alignedNoiseIsAPermutationOfTheDrawnNoise() {
        TemporalPyramid p = TemporalPyramid.uniform(FM, 3, 8);
        SpriteVideos data = SpriteVideos.builder().withFrames(8).withSize(16).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = data.batch(m, 6, 1);
            TrainingPairSampler aligned = TrainingPairSampler.builder(p, PredictionType.EPSILON)
                    .withCoupling(BatchNoiseAligner.l2()).build();
            TrainingPairSampler plain = TrainingPairSampler.of(p, PredictionType.EPSILON);
            // eps_k - eps = (A - D)/(rho_s - rho_e) is the same for both, so the targets differ exactly by the
            // permutation of the raw noise
            double[] tp = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
            NDArray raw = GaussianNoise.normal(m, new Shape(6, 8, 1, 16, 16), DataType.FLOAT32, 4);
            NDArray ea = aligned.sampleClips(x0, 2, tp, 4).target().sub(plain.sampleClips(x0, 2, tp, 4).target()).add(raw);
            float[] rows = ea.toFloatArray(), src = raw.toFloatArray();
            int n = 8 * 256;
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                int match = -1;
                for (int j = 0; j < 6; j++) {
                    boolean eq = true;
                    for (int q = 0; q < n && eq; q++) {
                        eq = Math.abs(rows[i * n + q] - src[j * n + q]) < 1e-4; // float32 add/sub of O(1) values
                    }
                    if (eq) {
                        match = j;
                    }
                }
                assertTrue(match >= 0, "row " + i + " is one of the drawn noises");
                used.add(match);
            }
            assertEquals(6, used.size(), "a permutation");
        }
    }
}
