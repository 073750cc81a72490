package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.metrics.MetricReport;

class ComparisonTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void aTinyRunGivesOneColumnPerModeWithTimingsAndMetrics() {
        Comparison.Options o = Comparison.Options.quick().withSteps(3).withSamples(8).withProgress(false).withUnaligned(true);
        Comparison.Result r = Comparison.run(o, null);
        List<MetricReport> reps = r.reports();
        assertEquals(List.of("vanilla", "tpdiff", "tpdiff-noalign"), reps.stream().map(MetricReport::name).toList());
        for (MetricReport m : reps) {
            assertEquals(3.0, m.extras().get("train steps"));
            assertTrue(m.extras().get("train s/step") > 0);
            assertTrue(m.frechet() != null && m.twoSample() != null, m.name() + " has metrics");
            assertEquals(8, m.generatedClips());
            // sampled after all modes trained, three calls in turn, the median kept
            assertTrue(m.extras().keySet().stream().anyMatch(k -> k.startsWith("sample s (8 clips, ")
                    && k.endsWith(" steps, median of 3)")), m.extras().toString());
        }
        String table = r.table();
        assertTrue(table.contains("train s/step") && table.contains("C2ST AUC") && table.contains("tpdiff"), table);
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("quick", json.getAsJsonObject("options").get("preset").getAsString());
        assertEquals(3, json.getAsJsonArray("reports").size());
        assertTrue(json.get("device").getAsString().contains("cpu"), json.get("device").getAsString());
    }

    @Test
    void eachModesHeadingGivesTheTimeBudgetAsGiven() {
        // "--seconds 0.5" printed "budget 300 steps / 0 s" (the seconds were rounded to whole ones)
        assertEquals("0.5", Comparison.seconds(0.5));
        assertEquals("0.001", Comparison.seconds(0.001));
        assertEquals("45", Comparison.seconds(45));
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        Comparison.run(Comparison.Options.quick().withModel("tiny").withSteps(1).withSeconds(2.5).withSamples(2)
                .withProgress(false), new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        String out = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("== vanilla: tiny, ") && out.contains(", budget 1 steps / 2.5 s\n"), out);
        assertTrue(out.contains("[vanilla] sampled 2 clips in ") && out.contains("[tpdiff] sampled 2 clips in ")
                && out.contains(" s (median of 3 calls)\n"), out);
    }

    @Test
    void badCommandLinesAreRefusedBeforeAnyTrainingWithTheFlagAndWhatItTakes() {
        String[][] cases = {
            {"--steps", "-3"}, {"--steps", "0"}, {"--seconds", "abc"}, {"--seconds", "0"}, {"--seconds", "Infinity"},
            {"--samples", "1"}, {"--samples", "2.5"}, {"--steps"},
        };
        String[] expected = {
            "steps = -3; allowed: at least 1", "steps = 0; allowed: at least 1", "--seconds = 'abc'; allowed: a number of seconds",
            "seconds = 0.0; allowed: a positive, finite number", "seconds = Infinity; allowed: a positive, finite number",
            "samples = 1; allowed: at least 2", "--samples = '2.5'; allowed: a whole number of clips", "--steps needs a value",
        };
        assertRefused(cases, expected);
        assertEquals(7, Comparison.parse(new String[] {"--steps", "7", "--samples", "2", "--seconds", "0.5"}).steps());
    }

    /** Each command line of {@code cases} is refused by {@link Comparison#parse} with a message holding its {@code expected}. */
    private static void assertRefused(String[][] cases, String[] expected) {
        assertEquals(cases.length, expected.length, "one expected message a case");
        for (int c = 0; c < cases.length; c++) {
            String[] args = cases[c];
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Comparison.parse(args), java.util.Arrays.toString(args));
            assertTrue(e.getMessage().contains(expected[c]), java.util.Arrays.toString(args) + ": " + e.getMessage());
        }
    }

    /**
     * {@code --preset} used to replace every option before it, so {@code --model tiny --preset small} trained the
     * attention model and {@code --steps 5 --preset quick} trained 300 steps, without a word; and of an option given
     * twice the last silently won.
     */
    @Test
    void optionsHoldInAnyOrderAndAnOptionGivenTwiceIsRefused() {
        Comparison.Options o = Comparison.parse(new String[] {"--model", "tiny", "--steps", "5", "--samples", "4",
                "--unaligned", "--quiet", "--preset", "small"});
        assertEquals("small", o.preset());
        assertEquals("tiny", o.model());
        assertEquals(5, o.steps());
        assertEquals(4, o.samples());
        assertTrue(o.unaligned() && !o.progress());
        assertEquals(Comparison.Options.small().maxTrainSeconds(), o.maxTrainSeconds());
        String[][] cases = {
            {"--steps", "5", "--steps", "6"}, {"--preset", "quick", "--preset", "small"}, {"--quiet", "--quiet"},
            {"--model", "--quiet"}, {"--preset", "tiny"}, {"--samples", "0"}, {"--frames", "8"},
        };
        String[] expected = {
            "--steps is given twice ('5' and '6')", "--preset is given twice ('quick' and 'small')",
            "--quiet is given twice", "--model needs a value, but the next argument is the option --quiet",
            "preset = 'tiny'; allowed: quick or small", "samples = 0; allowed: at least 2", "unknown argument '--frames'",
        };
        assertRefused(cases, expected);
    }

    /** A second run of a preset overwrote build/compare/ without a word; it now moves the earlier results aside. */
    @Test
    void anEarlierRunOfThePresetIsMovedToPreviousAndSaidSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path json = dir.resolve("quick.json");
        java.nio.file.Files.writeString(json, "run 1");
        java.nio.file.Files.writeString(dir.resolve("quick-vanilla.gif"), "gif 1");
        java.nio.file.Files.writeString(dir.resolve("small.json"), "small run"); // another preset: left alone
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, Comparison.keepPreviousRun(dir, "quick", out).size());
        java.nio.file.Path prev = dir.resolve("previous");
        assertEquals("run 1", java.nio.file.Files.readString(prev.resolve("quick.json")));
        assertEquals("gif 1", java.nio.file.Files.readString(prev.resolve("quick-vanilla.gif")));
        assertTrue(!java.nio.file.Files.exists(json) && java.nio.file.Files.exists(dir.resolve("small.json")));
        String said = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("earlier quick run's results (2 files) moved to " + prev), said);
        assertTrue(!said.contains("the run before that is gone"), "previous/ held no earlier run to lose: " + said);
        // the next run replaces the older copy in previous/, GIFs of a mode the new run lacks included
        java.nio.file.Files.writeString(json, "run 2");
        buf.reset();
        assertEquals(1, Comparison.keepPreviousRun(dir, "quick", out).size());
        said = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("moved to " + prev + "/; the run before that is gone"), said);
        assertEquals("run 2", java.nio.file.Files.readString(prev.resolve("quick.json")));
        assertTrue(!java.nio.file.Files.exists(prev.resolve("quick-vanilla.gif")));
        buf.reset();
        assertEquals(0, Comparison.keepPreviousRun(dir, "quick", out).size(), "nothing to keep");
        assertEquals("", buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        // an interrupted run leaves GIFs but no table: they go, and previous/ keeps the last complete run
        java.nio.file.Files.writeString(dir.resolve("quick-tpdiff.gif"), "half a run");
        assertEquals(0, Comparison.keepPreviousRun(dir, "quick", out).size());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("quick-tpdiff.gif")));
        assertEquals("run 2", java.nio.file.Files.readString(prev.resolve("quick.json")));
        said = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("deleted 1 GIFs of an interrupted quick run"), said);
    }

    @Test
    void logitNormalTimesAreANamedOptionOfEveryMode() {
        Comparison.Options o = Comparison.parse(new String[] {"--times", "logitnormal", "--preset", "quick", "--steps", "2",
                "--samples", "4", "--quiet"});
        assertEquals(RaceTimes.LOGIT_NORMAL, o.times(), "--times holds before --preset too");
        assertEquals(RaceTimes.UNIFORM, Comparison.parse(new String[] {"--preset", "small"}).times());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Comparison.parse(new String[] {"--times", "cosine"}));
        assertTrue(e.getMessage().contains("times = 'cosine'"), e.getMessage());
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Comparison.Result r = Comparison.run(o, new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        String log = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("== vanilla: attention, 16 x 16 x 16 frames, batch 8, logitnormal times"), log);
        assertEquals(2.0, r.reports().get(1).extras().get("train steps"));
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("LOGIT_NORMAL", json.getAsJsonObject("options").get("times").getAsString());
    }
    /**
     * {@code --stages 4} trains TPDiff with four uniform stages (2, 4, 8 and 16 frames) and samples them with 8/8/7/7
     * of the 30 calls, end to end: the sampler refuses a split whose length differs from the trained pyramid's stage
     * count, so a finished run shows that the trainer's pyramid had four stages. A count the 16 frames do not hold is
     * refused by name before anything trains.
     */
    @Test
    void fourStagesAreANamedOptionThatTrainsAndSamplesEndToEnd() {
        Comparison.Options o = Comparison.parse(new String[] {"--stages", "4", "--model", "tiny", "--steps", "2",
                "--samples", "4", "--quiet"});
        assertEquals(4, o.stages());
        assertEquals(3, Comparison.parse(new String[] {"--preset", "small"}).stages(), "the paper's three by default");
        assertRefused(new String[][] {{"--stages", "5"}, {"--stages", "1"}, {"--stages", "four"}},
                new String[] {"stages = 5; allowed: 2 to 4 stages for 16 frames", "stages = 1; allowed: 2 to 4 stages",
                    "--stages = 'four'; allowed: a whole number of stages"});
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Comparison.Result r = Comparison.run(o, new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        String log = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("== tpdiff: tiny, 16 x 16 x 16 frames, batch 8, uniform times, 4 stages, budget 2 steps"), log);
        assertTrue(log.contains("== vanilla: tiny, 16 x 16 x 16 frames, batch 8, uniform times, budget 2 steps"), log);
        assertEquals(List.of("vanilla", "tpdiff"), r.reports().stream().map(MetricReport::name).toList());
        assertEquals(4, r.reports().get(1).generatedClips());
        assertTrue(r.reports().get(1).extras().containsKey("sample s (4 clips, 30 steps, median of 3)"),
                r.reports().get(1).extras().toString());
        assertEquals(4, JsonParser.parseString(r.toJson()).getAsJsonObject().getAsJsonObject("options").get("stages").getAsInt());
    }
}
