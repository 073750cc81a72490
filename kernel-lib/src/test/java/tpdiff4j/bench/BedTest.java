package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.NetDenoiser;
import tpdiff4j.nn.SpaceTimeTransformer;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.TrainConfig;

/** The benches' sampling call and training set-up. */
class BedTest {

    /**
     * The large-clip row trains at batch 1, where the batch aligner refuses to pair (one clip keeps its noise): its
     * TPDiff trainer is built without a coupling instead of failing the benchmark run after the row's vanilla scan.
     */
    @Test
    void theBatchOneRowTrainsTPDiffWithoutCouplingAndTheOthersAligned() {
        Preset large = Preset.quick().largeRow();
        assertEquals(1, large.batch());
        assertEquals(tpdiff4j.pyramid.NoiseCoupling.NONE, Bed.raceConfig(large, BenchArm.TPDIFF_ALIGNED).coupling());
        try (tpdiff4j.train.Trainer t = Bed.trainer(large, 8, BenchArm.TPDIFF_ALIGNED, 1)) {
            assertEquals(tpdiff4j.pyramid.NoiseCoupling.NONE, t.config().coupling());
            assertEquals(1, t.config().batchSize());
            assertEquals(3, t.config().pyramid().size());
        }
        TrainConfig headline = Bed.raceConfig(Preset.quick(), BenchArm.TPDIFF_ALIGNED);
        assertTrue(headline.batchSize() > 1);
        assertTrue(headline.coupling() != tpdiff4j.pyramid.NoiseCoupling.NONE, "the race's TPDiff arm is aligned");
    }

    /**
     * {@code sampleOnce} reads the samples back (their maximum) before it returns, so that a timed call on a GPU ends
     * when the device has finished rather than when the work is queued: the value is the maximum of the same run made
     * directly (same seed, so the same clips bit for bit), and once the network's cached constants exist it leaves no array behind in the given manager.
     */
    @Test
    void sampleOnceReturnsTheMaximumOfTheSamplesItMade() {
        Compute.useThreads(1);
        try (NDManager m = Compute.newManager()) {
            Denoiser den = new NetDenoiser(new SpaceTimeTransformer(ModelConfig.tiny(8, 1, Bed.SIZE, Bed.SIZE), m),
                    PredictionType.VELOCITY);
            VideoSampler s = Bed.sampler(8, 2, 2);
            Shape shape = new Shape(2, 8, Bed.CHANNELS, Bed.SIZE, Bed.SIZE);
            Bed.sampleOnce(s, den, m, shape, 4); // builds the network's cached constants (they live with the weights)
            int before = m.getManagedArrays().size();
            float read = Bed.sampleOnce(s, den, m, shape, 5);
            assertEquals(before, m.getManagedArrays().size(), "the samples and intermediates are freed");
            try (NDManager sub = m.newSubManager()) {
                float direct = s.sample(den, sub, shape, 5).max().getFloat();
                assertEquals(direct, read, 0f, "the maximum of the run's clips");
                assertTrue(read > 0, "samples of a 2-stage pyramid carry noise: max " + read);
            }
        }
    }

    @Test
    void thirtyCallsAreSplitOverTheStagesWithTheRemainderOnTheEarlyOnes() {
        assertArrayEquals(new int[] {30}, Bed.steps30(1));
        assertArrayEquals(new int[] {10, 10, 10}, Bed.steps30(3));
        assertArrayEquals(new int[] {8, 8, 7, 7}, Bed.steps30(4));
        assertArrayEquals(new int[] {6, 6, 6, 6, 6}, Bed.steps30(5));
        assertEquals(30, java.util.Arrays.stream(Bed.steps30(7)).sum());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bed.steps30(0));
        assertTrue(e.getMessage().startsWith("stages = 0"), e.getMessage());
    }
}
