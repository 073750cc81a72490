package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.GaussianVideos;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * Files that commit 7fd0a0c (30 November) wrote, before data sets described their settings: they record the data
 * set as {@code Object.toString()} gave it, {@code "tpdiff4j.data.SpriteVideos@75d2da2d"}, an identity hash that no
 * later process reproduces. The fixtures were written by that commit's jar with
 * {@code SpriteVideos.builder().withFrames(4).withSize(16).build()}, {@code ModelConfig.tiny(4, 1, 16, 16)}, arms
 * "vanilla" (K = 1) and "tpdiff" (K = 2, {@code BatchNoiseAligner.l2()}), budget 2 steps, 1 evaluation of 2 clips,
 * 2 final clips, batch 2, then {@code Experiment.toJson()} and {@code run().save(file)}.
 */
class OlderExperimentFilesTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(4).withSize(16).build();

    static String fixture(String name) throws IOException {
        try (InputStream in = OlderExperimentFilesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The experiment as it is built today with the settings the old file records; it timed each sampler with one
     * call (the sampling time became a median of several later), which a file without "samplingCalls" records.
     */
    static Experiment sameExperimentToday() {
        return Experiment.of(DATA, ModelConfig.tiny(4, 1, 16, 16))
                .arm("vanilla", TemporalPyramid.uniform(Schedules.flowMatching(), 1, 4))
                .arm("tpdiff", TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4), BatchNoiseAligner.l2())
                .withBudget(Budget.steps(2)).withEvalPoints(1).withEvalClips(2).withSampleClips(2).withBatchSize(2)
                .withSamplingCalls(1);
    }

    @Test
    void anExperimentFileThatRecordsItsDataSetByIdentityHashLoadsWithTheSameMeaning() throws IOException {
        String json = fixture("experiment-7fd0a0c.json");
        assertTrue(json.contains("\"description\":\"tpdiff4j.data.SpriteVideos@"), "the fixture is an old file");
        Experiment e = Experiment.fromJson(json, DATA);
        assertEquals(sameExperimentToday(), e, "every recorded setting reads as the experiment built today: "
                + e.toJson());
        assertEquals(0.99, e.emaDecay(), 0.0);
        assertEquals(2, e.budget().steps());
    }

    @Test
    void aResultFileThatRecordsItsDataSetByIdentityHashLoadsWithItsNumbers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("result.json");
        Files.writeString(file, fixture("result-7fd0a0c.json"));
        ExperimentResult r = ExperimentResult.load(file, DATA);
        assertEquals(sameExperimentToday(), r.experiment());
        assertTrue(r.complete());
        // the table that 7fd0a0c printed for this run: frechet 91.3074 and 89.7822 (4 decimals)
        assertEquals(91.3074, r.arm("vanilla").metrics().get("frechet"), 5e-5);
        assertEquals(89.7822, r.arm("tpdiff").metrics().get("frechet"), 5e-5);
        assertEquals(2, r.arm("tpdiff").steps());
        assertEquals(2 * 4 * 16 * 16, r.arm("tpdiff").clips().length, "the final clips are kept");
    }

    @Test
    void anOldFileStillRefusesADataSetOfAnotherClass() throws IOException {
        GaussianVideos other = new GaussianVideos(new VideoSpec(4, 1, 16, 16), 0.5, 1.0);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> Experiment.fromJson(fixture("experiment-7fd0a0c.json"), other));
        assertTrue(x.getMessage().contains("tpdiff4j.data.SpriteVideos@75d2da2d") && x.getMessage().contains("GaussianVideos"),
                x.getMessage());
    }
}
