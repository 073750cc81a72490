package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PresetTest {

    /** Planning figure of the Javadoc: about 0.1 s to sample and score one clip of the attention model. */
    private static final double SECONDS_PER_CLIP = 0.1;

    @Test
    void fullPresetTrainsTheAttentionModelWithThreeSeedsAndFitsItsTimePlan() {
        Preset f = Preset.full();
        assertEquals("attention", f.modelSize());
        assertEquals("tiny", f.factorizedModel());
        assertTrue(f.seeds() >= 3 && f.noiseSeeds() >= 3, "at least 3 seeds and 3 sampling seeds for the noise");
        assertFalse(f.unaligned(), "the unaligned arm is left out of the 40-minute run");
        assertEquals(2, f.arms());
        // the Javadoc's plan gives the training section 20 + 4.8 + 0.6 min of the 40, which needs the arms in parallel
        assertTrue(f.armsInParallel() && !Preset.quick().armsInParallel());
        assertEquals(3 * (400 + 15 * 6.4 + 2 * 6.4), f.plannedTrainingSeconds(SECONDS_PER_CLIP), 1e-6); // 25.4 min
        assertTrue(f.withArmsInParallel(false).plannedTrainingSeconds(SECONDS_PER_CLIP) > 40 * 60,
                "in turns, the training alone would overrun the 40 minutes");
        assertTrue(Preset.quick().plannedTrainingSeconds(SECONDS_PER_CLIP) <= 120,
                "quick stays a few minutes: " + Preset.quick().plannedTrainingSeconds(SECONDS_PER_CLIP));
        for (Preset p : new Preset[] {Preset.quick(), f}) {
            assertTrue(java.util.Arrays.stream(p.scalingFrames()).max().getAsInt() <= 16,
                    "the attention model is scanned up to 16 frames (32 is memory-bound)");
            assertTrue(java.util.Arrays.binarySearch(p.scalingFrames(), p.frames()) >= 0, "the scan includes F");
        }
    }

    /** Batch 1 gets the clips of batch 16 in repetitions: 80 short calls' medians instead of 5. */
    @Test
    void sampleRepsGrowAsTheBatchShrinks() {
        Preset f = Preset.full();
        assertEquals(5, f.sampleReps());
        assertEquals(5, f.sampleReps(16));
        assertEquals(80, f.sampleReps(1));
        assertEquals(40, f.sampleReps(2));
        assertEquals(5, f.sampleReps(64), "never fewer than at the largest sampling batch");
        assertEquals(48, Preset.quick().sampleReps(1));
        assertEquals("80 at batch 1, 5 at batch 16", SampleBench.repsText(f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.sampleReps(0));
        assertTrue(e.getMessage().startsWith("batch = 0; allowed: "), e.getMessage());
    }

    @Test
    void plannedTrainingSecondsCountsBudgetsEvaluationsAndNoiseRuns() {
        Preset p = Preset.quick().withSeeds(2).withTrainSeconds(10).withUnaligned(true);
        // per seed: 3 arms x (10 s + 3 evaluations x 16 clips x 0.5 s) + 2 noise evaluations x 8 s
        assertEquals(2 * (3 * (10 + 3 * 8) + 2 * 8), p.plannedTrainingSeconds(0.5), 1e-9);
        // the arms at the same time: a seed takes one run's time (its vanilla run's) plus the noise evaluations
        assertEquals(2 * ((10 + 3 * 8) + 2 * 8), p.withArmsInParallel(true).plannedTrainingSeconds(0.5), 1e-9);
    }

    @Test
    void theRaceTimesTravelToTheSeedProcessAndDefaultToThePapersDraw() {
        assertEquals(RaceTimes.UNIFORM, Preset.full().times());
        assertEquals(RaceTimes.UNIFORM, Preset.quick().times());
        Preset ln = Preset.full().withTimes(RaceTimes.LOGIT_NORMAL);
        assertEquals(ln.withSeeds(2).times(), RaceTimes.LOGIT_NORMAL, "the other withers keep it");
        // the seed processes read the preset back from JSON
        com.google.gson.Gson gson = new com.google.gson.Gson();
        Preset back = gson.fromJson(gson.toJson(ln), Preset.class);
        assertEquals(RaceTimes.LOGIT_NORMAL, back.times());
        assertEquals(ln.trainSeconds(), back.trainSeconds());
        assertEquals(RaceTimes.LOGIT_NORMAL, RaceTimes.named("logitnormal"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaceTimes.named("cosine"));
        assertTrue(e.getMessage().contains("times = 'cosine'") && e.getMessage().contains("uniform or logitnormal"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> Preset.quick().withTimes(null));
        assertTrue(n.getMessage().contains("times = null"), n.getMessage());
    }

    @Test
    void theRaceStagesTravelToTheSeedProcessAndShapeTheTPDiffArmOnly() {
        assertEquals(3, Preset.full().stages(), "the paper's main setting");
        Preset k4 = Preset.full().withStages(4);
        assertEquals(4, k4.withSeeds(2).withTimes(RaceTimes.LOGIT_NORMAL).stages(), "the other withers keep it");
        com.google.gson.Gson gson = new com.google.gson.Gson();
        assertEquals(4, gson.fromJson(gson.toJson(k4), Preset.class).stages());
        assertEquals(java.util.List.of(2, 4, 8, 16), Bed.raceConfig(k4, BenchArm.TPDIFF_ALIGNED).pyramid().stages().stream()
                .map(s -> s.frames()).toList());
        assertEquals(1, Bed.raceConfig(k4, BenchArm.VANILLA).stages());
        assertEquals(BenchArm.TPDIFF_ALIGNED.config(16, 5).coupling(), Bed.raceConfig(k4, BenchArm.TPDIFF_ALIGNED).coupling());
        // the step-cost figures of the race follow its pyramid: four uniform stages cost less per step than three
        assertTrue(Bed.costFactor(k4, 2) < Bed.costFactor(Preset.full(), 2));
        assertEquals((1 + 1 / 4.0 + 1 / 16.0 + 1 / 64.0) / 4, Bed.costFactor(k4, 2), 1e-12);
    }

    @Test
    void badSizesAreRefusedByName() {
        Preset q = Preset.quick();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.withModelSize("huge"));
        assertTrue(e.getMessage().contains("huge"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.withTrainSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> q.withSeeds(0));
        assertThrows(IllegalArgumentException.class, () -> Preset.named("medium"));
        assertEquals("tiny", q.factorizedRow().modelSize());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> q.withLearningRate(0));
        assertTrue(lr.getMessage().contains("learningRate = 0.0"), lr.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.withLearningRate(Double.NaN));
    }

    @Test
    void everyArmOfTheRaceTrainsWithThePresetsLearningRate() {
        Preset p = Preset.quick().withLearningRate(3e-3);
        assertEquals(2e-3, Preset.full().learningRate(), 0, "the rate chosen for vanilla at the race's length");
        for (BenchArm arm : BenchArm.values()) {
            try (tpdiff4j.train.Trainer t = Bed.trainer(p, p.frames(), arm, 5)) {
                assertEquals(3e-3, t.config().learningRate(), 0, arm.name());
                assertEquals(p.batch(), t.config().batchSize(), arm.name());
            }
        }
    }
}
