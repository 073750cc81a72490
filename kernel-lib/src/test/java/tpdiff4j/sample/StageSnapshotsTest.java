package tpdiff4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/** StageSnapshots keeps one clip's x0Hat at the last step of every pyramid stage, copied out correctly. */
class StageSnapshotsTest {

    @Test
    void keepsTheLastEstimateOfEachStageForTheChosenClip() {
        // X0 model x0Hat = 0.5 x: the listener gets x0Hat = pred, so the snapshot must equal half the state
        Denoiser half = Denoiser.of(PredictionType.X0, (x, t) -> x.mul(0.5f));
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        StageSnapshots snaps = new StageSnapshots(1);
        List<float[]> lastOfStage = new ArrayList<>(List.of(new float[0], new float[0], new float[0]));
        int[] stage = {-1};
        VideoSampler sampler = VideoSampler.pyramid(p, Solvers.euler(), 2, 3, 4).withListener((i, t, x, x0) -> {
            snaps.onStep(i, t, x, x0);
            if (i == 0) {
                stage[0]++;
            }
            lastOfStage.set(stage[0], x.get(1).mul(0.5f).toFloatArray());
        });
        try (NDManager m = NDManager.newBaseManager()) {
            sampler.sample(half, m, new Shape(2, 8, 1, 3, 5), 4);
        }
        assertArrayEquals(new int[] {2, 4, 8}, snaps.frames());
        assertEquals(3, snaps.times().length);
        for (int k = 0; k < 3; k++) {
            float[][][][] c = snaps.clips().get(k);
            assertEquals(1, c[0].length);
            assertEquals(3, c[0][0].length);
            assertEquals(5, c[0][0][0].length);
            float[] flat = new float[c.length * 15];
            for (int f = 0; f < c.length; f++) {
                for (int y = 0; y < 3; y++) {
                    System.arraycopy(c[f][0][y], 0, flat, f * 15 + y * 5, 5);
                }
            }
            assertArrayEquals(lastOfStage.get(k), flat, 1e-7f, "stage " + k);
        }
        // the snapshot time is the start of the stage's last step, inside the stage window
        double[] t = snaps.times();
        for (int k = 0; k < 3; k++) {
            double s = p.stage(k).start(), e = p.stage(k).end();
            assertEquals(true, t[k] < s && t[k] > e, "stage " + k + " time " + t[k] + " in (" + e + ", " + s + ")");
        }
    }

    @Test
    void rejectsBadIndices() {
        assertThrows(IllegalArgumentException.class, () -> new StageSnapshots(-1));
        StageSnapshots s = new StageSnapshots(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 4, 1, 2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.onStep(0, 1, x, null));
            assertEquals("index = 3; allowed: 0 .. 1, a clip of the batch of 2 clips this sampler draws"
                    + " (new StageSnapshots(0) keeps the first)", e.getMessage());
        }
    }

    /**
     * A stage the run did not have is refused with the stages it had (it was Java's bare "Index 2 out of bounds for
     * length 2"), and before any run with what to do.
     */
    @Test
    void aStageTheRunDidNotHaveIsRefusedWithTheStagesItHad() {
        StageSnapshots s = new StageSnapshots(0);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.clips().get(0));
        assertEquals("stage = 0; allowed: none yet: no step has been seen; pass this listener to a sampler"
                + " (withListener) and sample first", e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            s.onStep(0, 1.0, m.zeros(new Shape(1, 2, 1, 2, 2)), null);   // stage 0: 2 frames
            s.onStep(0, 0.5, m.ones(new Shape(1, 4, 1, 2, 2)), null);    // stage 1: 4 frames
        }
        assertEquals(2, s.clips().size());
        assertEquals(4, s.clips().get(1).length);
        for (int bad : new int[] {2, -1}) {
            e = assertThrows(IndexOutOfBoundsException.class, () -> s.clips().get(bad));
            assertEquals("stage = " + bad + "; allowed: 0 .. 1 (the 2 stages of the last run, sampling order)",
                    e.getMessage());
        }
        assertThrows(UnsupportedOperationException.class, () -> s.clips().add(new float[1][1][1][1]), "read-only");
    }

    /**
     * A listener reused for a second run (a notebook cell run twice, a loop over seeds) holds that run's stages, not
     * both runs' six: before, frames() read 2, 4, 8, 2, 4, 8 and a stage view showed six stages. Vanilla runs (one
     * stage each, equal frames) also keep one entry. The second run's clip (another seed) is what is kept.
     */
    @Test
    void aSecondRunReplacesTheFirst() {
        Denoiser half = Denoiser.of(PredictionType.X0, (x, t) -> x.mul(0.5f));
        StageSnapshots snaps = new StageSnapshots(0);
        StageSnapshots vanillaSnaps = new StageSnapshots(0);
        VideoSampler pyramid = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8),
                Solvers.euler(), 2).withListener(snaps);
        VideoSampler vanilla = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 3).withListener(vanillaSnaps);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 8, 1, 2, 2);
            pyramid.sample(half, m, shape, 4);
            float first = snaps.clips().get(2)[0][0][0][0];
            pyramid.sample(half, m, shape, 5);
            vanilla.sample(half, m, shape, 4);
            vanilla.sample(half, m, shape, 5);
            assertArrayEquals(new int[] {2, 4, 8}, snaps.frames());
            assertEquals(3, snaps.times().length);
            assertEquals(true, first != snaps.clips().get(2)[0][0][0][0], "the second run's clip is kept");
            assertArrayEquals(new int[] {8}, vanillaSnaps.frames());
        }
    }
}
