package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.Schedules;

/** The training-pair sampler (v1 Algorithm 2). */
class TrainingPairSamplerTest extends WithNDManager {

    static NDArray x0() {
        return GaussianNoise.normal(manager, new Shape(4, 8, 1, 2, 2), DataType.FLOAT64, 1);
    }

    @Test
    void pairsAreReproducibleAndConsistentWithTheEndpoints() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        TrainingPairSampler sampler = TrainingPairSampler.of(p, PredictionType.VELOCITY);
        NDArray x = x0();
        int[] seen = new int[3];
        for (long seed = 0; seed < 60; seed++) {
            TrainingPair a = sampler.sample(x, seed);
            TrainingPair b = sampler.sample(x, seed);
            assertArrayEquals(a.xt().toDoubleArray(), b.xt().toDoubleArray(), 0.0, "same seed, same pair");
            assertArrayEquals(a.target().toDoubleArray(), b.target().toDoubleArray(), 0.0);
            assertEquals(a.t(), b.t());
            Stage st = a.stage();
            seen[st.index()]++;
            assertTrue(st.contains(a.t()));
            assertEquals(new Shape(4, st.frames(), 1, 2, 2), a.xt().getShape());
            assertEquals(a.xt().getShape(), a.target().getShape());
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(seen[k] > 5, "uniform stage choice reaches stage " + k);
        }
        // the explicit form: same stage, time and noise seed as StageEndpoints
        TrainingPair pair = sampler.sample(x, 1, 0.25, 77);
        NDArray eps = GaussianNoise.normal(manager, new Shape(4, 4, 1, 2, 2), DataType.FLOAT64, 77);
        StageEndpoints e = StageEndpoints.of(p, 1, x, eps);
        assertArrayEquals(e.xt(pair.t()).toDoubleArray(), pair.xt().toDoubleArray(), 1e-15);
        assertArrayEquals(e.epsilonK().sub(e.cleanK()).toDoubleArray(), pair.target().toDoubleArray(), 1e-15);
    }

    @Test
    void stageWeightsAndCouplingAreUsed() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        TrainingPairSampler onlyLast = TrainingPairSampler.builder(p, PredictionType.EPSILON)
                .withStageWeights(0, 0, 1).build();
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(2, onlyLast.sample(x0(), seed).stage().index());
        }
        // a coupling that reverses the batch: the pair must use the reversed noise
        NoiseCoupling reverse = (data, noise) -> noise.flip(0);
        TrainingPairSampler coupled = TrainingPairSampler.builder(p, PredictionType.EPSILON).withCoupling(reverse).build();
        TrainingPair pair = coupled.sample(x0(), 0, 0.5, 5);
        NDArray eps = GaussianNoise.normal(manager, new Shape(4, 2, 1, 2, 2), DataType.FLOAT64, 5).flip(0);
        assertArrayEquals(eps.toDoubleArray(), pair.target().toDoubleArray(), 1e-15, "stage 0 (A = D): eps_k = eps");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPairSampler.builder(p, PredictionType.EPSILON).withStageWeights(1, 1));
        assertTrue(e.getMessage().contains("[1.0, 1.0]") && e.getMessage().contains("3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPairSampler.builder(p, PredictionType.EPSILON).withStageWeights(0, 0, 0));
        assertTrue(e.getMessage().contains("all zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPairSampler.builder(p, PredictionType.EPSILON).withDownMode(null));
        assertTrue(e.getMessage().contains("down mode = null") && e.getMessage().contains("SUBSAMPLE"), e.getMessage());
    }

    /**
     * A coupling of one's own may only reorder the noise batch: one that scales it (variance 4 instead of 1), repeats
     * an item or changes the type used to train on the result without a word, and one that returns null is named too.
     * A reordering, such as a reversal, and the identity pass.
     */
    @Test
    void aCouplingThatChangesTheNoiseIsRefusedByName() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8);
        record Scaled() implements NoiseCoupling {
            public NDArray couple(NDArray data, NDArray noise) {
                return noise.mul(2);
            }
        }
        record FirstTwice() implements NoiseCoupling {
            public NDArray couple(NDArray data, NDArray noise) {
                return noise.get("0:1").repeat(0, noise.getShape().get(0));
            }
        }
        record AsFloat() implements NoiseCoupling {
            public NDArray couple(NDArray data, NDArray noise) {
                return noise.toType(DataType.FLOAT32, true);
            }
        }
        record Nothing() implements NoiseCoupling {   // was a NullPointerException naming no coupling
            public NDArray couple(NDArray data, NDArray noise) {
                return null;
            }
        }
        String[][] expected = {{"Scaled[]", "item 0 of 4", "none of the noise items"},
            {"FirstTwice[]", "item 1 of 4", "repeats a noise item"}, {"AsFloat[]", "float32", "float64"},
            {"Nothing[]", "returned null"}};
        NoiseCoupling[] bad = {new Scaled(), new FirstTwice(), new AsFloat(), new Nothing()};
        for (int i = 0; i < bad.length; i++) {
            TrainingPairSampler s = TrainingPairSampler.builder(p, PredictionType.VELOCITY).withCoupling(bad[i]).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.sample(x0(), 1, 0.5, 3));
            for (String part : expected[i]) {
                assertTrue(e.getMessage().contains(part), e.getMessage());
            }
            assertTrue(e.getMessage().contains("reordered along axis 0"), e.getMessage());
        }
        for (NoiseCoupling fine : new NoiseCoupling[] {(d, n) -> n.flip(0), (d, n) -> n.duplicate(), NoiseCoupling.NONE}) {
            TrainingPairSampler s = TrainingPairSampler.builder(p, PredictionType.VELOCITY).withCoupling(fine).build();
            assertEquals(new Shape(4, 8, 1, 2, 2), s.sample(x0(), 1, 0.5, 3).xt().getShape());
        }
    }

    /**
     * A stage of weight 0 is never drawn, also after the last stage with a weight: the fractions 0.33, 0.03, 0.46 of
     * their sum 0.82 add up to 1 - 2^-53 in double precision, which used to leave the draw u = 1 - 2^-53, the largest
     * below 1, to stage 3 of weight 0. Zero weights between stages with weight are skipped as before.
     */
    @Test
    void aStageOfWeightZeroIsNeverDrawnEvenWhereTheWeightsRoundBelowOne() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 4, 16);
        TrainingPairSampler s = TrainingPairSampler.builder(p, PredictionType.VELOCITY)
                .withStageWeights(0.33, 0.03, 0.46, 0).build();
        assertEquals(2, s.stageFor(Math.nextDown(1.0)), "the largest u below 1");
        assertEquals(0, s.stageFor(0.0));
        TrainingPairSampler middle = TrainingPairSampler.builder(p, PredictionType.VELOCITY).withStageWeights(1, 0, 0, 1)
                .build();
        assertEquals(0, middle.stageFor(Math.nextDown(0.5)));
        assertEquals(3, middle.stageFor(0.5), "stages 1 and 2 of weight 0 are skipped");
        assertEquals(3, middle.stageFor(Math.nextDown(1.0)));
    }

    /**
     * Clips of the wrong length are refused for what they are, whichever stage is drawn: 17 frames for a 16-frame
     * pyramid used to be reported as "not divisible by the rate factor r = 4" in stage 0, which 20 frames would
     * satisfy and still be wrong.
     */
    @Test
    void clipsOfAnotherFrameCountAreRefusedWithThePyramidsFrameCount() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        TrainingPairSampler s = TrainingPairSampler.of(p, PredictionType.VELOCITY);
        for (int frames : new int[] {17, 20, 8}) {
            NDArray x = GaussianNoise.normal(manager, new Shape(2, frames, 1, 2, 2), DataType.FLOAT64, 1);
            for (int k = 0; k < 3; k++) {
                int stage = k;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.sample(x, stage, 0.5, 3));
                assertTrue(e.getMessage().startsWith("x0 has shape (2, " + frames + ", 1, 2, 2)")
                        && e.getMessage().contains("allowed: full-rate data [N, 16, ...]"), e.getMessage());
            }
        }
    }
}
