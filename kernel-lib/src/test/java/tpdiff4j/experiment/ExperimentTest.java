package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageLossWeights;
import tpdiff4j.train.StageTimeDraw;

class ExperimentTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();
    static final NoiseSchedule FM = Schedules.flowMatching();
    static final NoiseSchedule QUARTER = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2),
            t -> Math.sin(t * Math.PI / 2));

    static Experiment experiment() {
        return Experiment.of(DATA, ModelConfig.tiny(DATA.spec()))
                .arm("vanilla", TemporalPyramid.uniform(FM, 1, 8))
                .arm("vanilla+align", TemporalPyramid.uniform(FM, 1, 8), BatchNoiseAligner.l2())
                .arm(Arm.of("own", TemporalPyramid.builder(QUARTER, 8).withBoundaries(0.3).withRateFactors(4).build())
                        .withSteps(4, 6).withStageDraw(StageDraw.byWindowLength()).withJumpRule(JumpRule.CORRECTED))
                .arm(Arm.of("own-aligned", TemporalPyramid.builder(QUARTER, 8).withBoundaries(0.3).withRateFactors(4).build())
                        .withCoupling(BatchNoiseAligner.l2()))
                .withBudget(Budget.steps(4)).withEvalPoints(2).withEvalClips(4).withSampleClips(8).withBatchSize(2)
                .withProgress(false);
    }

    @Test
    void progressLinesGoToStandardOutputUnlessSwitchedOff() {
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec())).arm("vanilla", TemporalPyramid.uniform(FM, 1, 8))
                .withBudget(Budget.steps(2)).withEvalPoints(1).withEvalClips(2).withSampleClips(2).withBatchSize(2);
        assertTrue(exp.progress(), "an experiment reports its progress by default, as a trainer does");
        assertTrue(Experiment.fromJson(exp.toJson(), DATA).progress(), "the switch is not saved: a loaded one reports");
        assertTrue(printed(exp).contains("vanilla"), "a line per evaluation names the arm");
        assertEquals("", printed(exp.withProgress(false)));
    }

    static String printed(Experiment exp) {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertTrue(exp.run().complete());
        } finally {
            System.setOut(out);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void armsTrainSideBySideAndTheResultRoundTripsThroughJson(@TempDir Path dir) throws java.io.IOException {
        Experiment exp = experiment();
        ExperimentResult res = exp.run();
        assertTrue(res.complete());
        assertEquals(4, res.arms().size());
        for (ArmResult a : res.arms()) {
            assertEquals(4, a.steps(), a.name() + " used the step budget");
            assertEquals(3, a.curve().points().size(), "untrained + one point per slice");
            assertEquals(2, a.curve().points().get(1).steps(), "slice 1 of 2 ends at step 2");
            assertTrue(a.metrics().containsKey("frechet"), a.metrics().keySet().toString());
            assertEquals(4, a.shape()[0], "four clips kept for the GIF");
        }
        // same initial weights, same evaluation noise: the two one-stage arms score the same before training
        assertEquals(res.arm("vanilla").curve().points().get(0).quality(),
                res.arm("vanilla+align").curve().points().get(0).quality(), 0.0);
        assertEquals(1.0, res.arm("vanilla").costFactor(), 0.0);
        assertTrue(res.arm("own").costFactor() < 1.0);
        String table = res.table();
        for (String name : new String[] {"vanilla", "vanilla+align", "own", "own-aligned", "train s/step"}) {
            assertTrue(table.contains(name), table);
        }
        assertEquals(2, res.plot().panelCount());
        assertTrue(res.video().gif().length > 100);

        Path file = res.save(dir.resolve("exp.json"));
        ExperimentResult back = ExperimentResult.load(file, DATA);
        assertEquals(res.toJson(), back.toJson());
        assertEquals(res, back);
        assertEquals(res.table(), back.table());

        // a save that cannot take the file's place (here a folder that is not empty) leaves no temporary file
        Path taken = dir.resolve("taken.json");
        java.nio.file.Files.createDirectories(taken.resolve("inside"));
        assertThrows(java.io.UncheckedIOException.class, () -> res.save(taken));
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
            List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("exp.json", "taken.json"), names, "files left beside the experiment");
        }
    }

    @Test
    void experimentJsonStoresEachScheduleOnceAndLoadsBackEqual() {
        Experiment exp = experiment();
        String json = exp.toJson();
        Experiment back = Experiment.fromJson(json, DATA);
        assertEquals(json, back.toJson());
        assertEquals(exp, back);
        // flow matching and the tabulated quarter circle, each once, referenced by two arms each
        var o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertEquals(java.util.Set.of("flowMatching", "quarter-circle"), o.getAsJsonObject("schedules").keySet());
        assertEquals(1, json.split("\"gammaDot\"").length - 1, "the table is written once");
        var table = o.getAsJsonObject("scheduleTables").getAsJsonObject("quarter-circle");
        assertTrue(table.get("maxError").getAsDouble() <= table.get("tolerance").getAsDouble());
        assertEquals("quarter-circle", back.arms().get(2).pyramid().schedule().name());
        assertEquals(4, back.arms().get(2).pyramid().stage(0).rateFactor());
    }

    @Test
    void anArmsTimeDrawAndStageLossFactorsReachItsTrainerAndItsJson() {
        TemporalPyramid p = TemporalPyramid.uniform(FM, 2, 8);
        Experiment exp = experiment().arm(Arm.of("levers", p)
                .withTimeDraw(tpdiff4j.train.StageTimeDraw.logitNormal(0.5, 1))
                .withLossWeights(tpdiff4j.train.StageLossWeights.of(1, 3))
                .withStageDraw(StageDraw.weights(1, 2)));
        Arm levers = exp.arms().get(4);
        tpdiff4j.train.TrainConfig c = exp.trainConfig(levers);
        assertEquals(tpdiff4j.train.StageTimeDraw.logitNormal(0.5, 1), c.timeDraw());
        assertEquals(tpdiff4j.train.StageLossWeights.of(1, 3), c.lossWeights());
        assertEquals(tpdiff4j.train.StageTimeDraw.uniform(), exp.trainConfig(exp.arms().get(0)).timeDraw(),
                "other arms keep the paper's draw");
        String json = exp.toJson();
        Experiment back = Experiment.fromJson(json, DATA);
        assertEquals(json, back.toJson());
        assertEquals(c, back.trainConfig(back.arms().get(4)), "the arm's whole training configuration comes back");
        var arms = com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("arms");
        assertTrue(arms.get(4).getAsJsonObject().has("timeDraw"));
        assertTrue(!arms.get(0).getAsJsonObject().has("timeDraw"), "the paper's draw is not written");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Arm.of("bad", p).withLossWeights(tpdiff4j.train.StageLossWeights.of(1, 2, 3)));
        assertTrue(e.getMessage().startsWith("arm bad: lossWeights = ") && e.getMessage().contains("3 entries; allowed:"
                + " equal weights or 2 entries, one per stage"), e.getMessage());
    }

    /**
     * Stage weights that do not fit an arm's pyramid are refused naming the arm, as its loss factors and sampling steps
     * are; before, the message was the stage draw's alone ("stage weights = [1.0, 2.0, 3.0] have 3 entries; ..."), which
     * in an experiment of several arms does not say which one.
     */
    @Test
    void stageWeightsThatDoNotFitAnArmsPyramidNameTheArm() {
        TemporalPyramid p = TemporalPyramid.uniform(FM, 2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Arm.of("mine", p).withStageDraw(tpdiff4j.train.StageDraw.weights(1, 2, 3)));
        assertTrue(e.getMessage().startsWith("arm mine: stageDraw = weights[1.0, 2.0, 3.0]: stage weights = [1.0, 2.0,"
                + " 3.0] have 3 entries; allowed: one per stage, for the pyramid's 2 stages"), e.getMessage());
    }

    @Test
    void theSameSetUpOnAnEqualDatasetGivesTheSameJson() {
        SpriteVideos again = SpriteVideos.builder().withFrames(8).withSize(16).build();   // another instance
        Experiment a = experiment();
        Experiment b = Experiment.of(again, ModelConfig.tiny(again.spec())).arm("vanilla", TemporalPyramid.uniform(FM, 1, 8));
        Experiment a1 = Experiment.of(DATA, ModelConfig.tiny(DATA.spec())).arm("vanilla", TemporalPyramid.uniform(FM, 1, 8));
        assertEquals(a1.toJson(), b.toJson(), "the dataset is described by its settings, not by its identity");
        assertEquals(a1, b);
        String description = com.google.gson.JsonParser.parseString(a.toJson()).getAsJsonObject()
                .getAsJsonObject("data").get("description").getAsString();
        assertEquals("SpriteVideos(8 frames of 1 x 16 x 16, sprites 1..1, radii [2.0, 3.2], shapes [DISC, SQUARE],"
                + " speed 0.5..1.5 px/frame)", description);
        assertTrue(!a1.equals(Experiment.of(SpriteVideos.builder().withFrames(8).withSize(16).withSpeed(1, 2).build(),
                ModelConfig.tiny(DATA.spec())).arm("vanilla", TemporalPyramid.uniform(FM, 1, 8))), "other sprites");
    }

    @Test
    void aDamagedOrWrongExperimentFileIsRefusedByNameAndField(@TempDir Path dir) throws Exception {
        String setUp = experiment().toJson();
        String result = "{\"experiment\": " + setUp + ", \"device\": \"cpu\", \"complete\": false, \"results\": []}";
        assertEquals(experiment(), ExperimentResult.fromJson(result, DATA).experiment());
        Path file = dir.resolve("exp.json");
        java.util.function.BiConsumer<String, String> refused = (text, expected) -> {
            try {
                java.nio.file.Files.writeString(file, text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentResult.load(file, DATA));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        };
        refused.accept(result.substring(0, result.length() / 2), "is not valid JSON");
        refused.accept("[1, 2]", "not a JSON object");
        refused.accept(result.replace("\"results\"", "\"resultz\""), "field 'results' is missing");
        refused.accept(setUp, "= an experiment's set-up (the document Experiment.toJson writes); allowed: an experiment"
                + " result (the document ExperimentResult.save or ExperimentResult.toJson writes). Read an experiment's"
                + " set-up with Experiment.fromJson(json, data)");
        // the other way round: a result file read as a set-up says what it is, also when it holds a bare NaN (as every
        // result with an unsampled arm or a metric without a value does), instead of calling it invalid JSON
        for (String r : new String[] {result, result.replace("\"results\": []", "\"results\": [], \"note\": NaN")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(r, DATA));
            assertTrue(e.getMessage().startsWith("experiment JSON = an experiment result"), e.getMessage());
            assertTrue(e.getMessage().contains("ExperimentResult.load(file, data)"), e.getMessage());
        }
        refused.accept(result.replace("\"version\":1,", ""), "field 'version' is missing");
        refused.accept(result.replace("\"jumpRule\":\"CORRECTED\"", "\"jumpRule\":\"CORECTED\""),
                "'arms[].jumpRule' = \"CORECTED\"; allowed: [CORRECTED, PAPER_PRINTED, NONE]");
        refused.accept(result.replace("\"prediction\":\"VELOCITY\"", "\"prediction\":\"VELO\""),
                "field 'prediction' = \"VELO\"; allowed: [");
        refused.accept(result.replace("\"evalPoints\":2", "\"evalPoints\":\"two\""), "wrong form");
    }

    /** A field written as null is refused as null with what is allowed, not as a missing field or a Gson error. */
    @Test
    void aFieldWrittenAsNullIsRefusedAsNull() {
        String json = experiment().toJson();
        for (String key : new String[] {"evalPoints", "solver", "seed", "arms", "budget", "model"}) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
            o.add(key, com.google.gson.JsonNull.INSTANCE);
            String text = new com.google.gson.GsonBuilder().serializeNulls().create().toJson(o);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(text, DATA));
            assertTrue(e.getMessage().startsWith("experiment JSON: field '" + key + "' = 'null'; allowed: a document"
                    + " with the fields ["), e.getMessage());
        }
        String network = json.replace("\"model\":{", "\"network\":null,\"model\":{");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(network, DATA));
        assertTrue(e.getMessage().startsWith("experiment JSON: field 'network' = 'null'; allowed: the name of one's own"
                + " network"), e.getMessage());
        // inside the document: named by path (was "a field is missing or has the wrong form (...JsonNull)")
        String[][] nested = {
            {"\"name\":\"vanilla\"", "\"name\":null", "field 'arms[0].name' = 'null'; allowed: the arm's name"},
            {"\"schedule\":\"flowMatching\"", "\"schedule\":null",
                "field 'arms[0].pyramid.schedule' = 'null'; allowed: one of the schedule ids ["},
        };
        for (String[] c : nested) {
            String text = json.replaceFirst(java.util.regex.Pattern.quote(c[0]), java.util.regex.Matcher.quoteReplacement(c[1]));
            assertNotEquals(json, text, c[0]);
            e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(text, DATA));
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        o.getAsJsonObject("data").add("description", com.google.gson.JsonNull.INSTANCE);
        String noDescription = new com.google.gson.GsonBuilder().serializeNulls().create().toJson(o);
        e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(noDescription, DATA));
        assertTrue(e.getMessage().startsWith("experiment JSON: field 'data.description' = 'null'; allowed: the data"
                + " set's description"), e.getMessage());
        String result = "{\"experiment\": " + json + ", \"device\": null, \"complete\": false, \"results\": []}";
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentResult.fromJson(result, DATA));
        assertTrue(e.getMessage().contains("field 'device' = 'null'; allowed: an experiment result"), e.getMessage());
    }

    @Test
    void handEditsThatWouldBeLostOrChangedOnLoadingAreRefusedByPath() {
        String json = experiment().toJson();
        java.util.function.BiConsumer<String, String> refused = (text, expected) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(text, DATA),
                    () -> "accepted: " + expected);
            assertTrue(e.getMessage().startsWith("experiment JSON") && e.getMessage().contains(expected), e.getMessage());
        };
        // a number in quotes or with a fraction was read as another value, and saved differently
        refused.accept(json.replace("\"batchSize\":2", "\"batchSize\":\"2\""),
                "field 'batchSize' = '\"2\"' would be read as '2'");
        refused.accept(json.replace("\"batchSize\":2", "\"batchSize\":2.7"), "field 'batchSize' = '2.7' would be read as '2'");
        refused.accept(json.replace("\"steps\":4", "\"steps\":4.5"), "field 'budget.steps' = '4.5' would be read as '4'");
        refused.accept(json.replace("\"steps\":4", "\"steps\":\"200\""), "field 'budget.steps' = '\"200\"'");
        refused.accept(json.replace("\"name\":\"vanilla\"", "\"name\":7"), "field 'arms[0].name' = '7' would be read as '\"7\"'");
        // a misspelt or extra key at any depth was dropped without a word
        refused.accept(json.replace("\"budget\":{", "\"budget\":{\"stpes\":100,"),
                "field 'budget.stpes' = '100' is not part of this format and would be dropped; allowed keys there: [steps, seconds]");
        refused.accept(json.replace("\"name\":\"vanilla\"", "\"name\":\"vanilla\",\"nmae\":1"), "field 'arms[0].nmae'");
        refused.accept(json.replace("\"model\":{", "\"model\":{\"dpeth\":4,"), "field 'model.dpeth'");
        refused.accept(json.replace("\"batchSize\":2", "\"batchSize\":2,\"batchsize\":4"), "field 'batchsize'");
        refused.accept(json.replace("\"schedules\":{", "\"schedules\":{\"unused\":{\"type\":\"flowMatching\",\"version\":1,\"shift\":2.0},"),
                "field 'schedules.unused'");
        // a field spelt out with the value the writer leaves out loses nothing and loads; the same key misspelt does not
        String spelt = json.replace("\"name\":\"vanilla\",", "\"name\":\"vanilla\",\"timeDraw\":{\"rule\":\"uniform\"},");
        assertNotEquals(json, spelt);
        assertEquals(json, Experiment.fromJson(spelt, DATA).toJson(), "a spelt-out default reads as the default");
        refused.accept(spelt.replace("\"timeDraw\"", "\"timeDrwa\""), "field 'arms[0].timeDrwa' = '{\"rule\":\"uniform\"}' is"
                + " not part of this format and would be dropped");
        // a field the reader would fill in
        Experiment seconds = experiment().withBudget(Budget.of(4, 30));
        refused.accept(seconds.toJson().replace("\"steps\":4,", ""), "field 'budget.steps' is missing");
        // not standard JSON: the lenient parser took the second of two keys, comments and single quotes
        refused.accept(json.replace("\"batchSize\":2", "\"batchSize\":2,\"batchSize\":4"), "duplicate key 'batchSize'");
        refused.accept(json.replace("{\"format\"", "{/* mine */\"format\""), "is not valid JSON");
        refused.accept(json.replace("\"solver\":\"euler\"", "'solver':'euler'"), "is not valid JSON");
        refused.accept(json.replace("\"learningRate\":", "\"learningRate\":NaN,\"x\":"), "path $.learningRate");
        // what a person's editor may do is fine: indentation, Windows line ends, a byte order mark, 2.0 for 2
        String pretty = new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(com.google.gson.JsonParser.parseString(json)).replace("\n", "\r\n");
        assertEquals(experiment(), Experiment.fromJson("\uFEFF" + pretty, DATA));
        assertEquals(json, Experiment.fromJson(json.replace("\"batchSize\":2", "\"batchSize\":2.0"), DATA).toJson());
    }

    @Test
    void aResultFileKeepsItsNonFiniteNumbersAndRefusesEditsThatWouldBeLost(@TempDir Path dir) {
        QualityCurve curve = QualityCurve.empty("vanilla").with(0.5, 2, 1.25);
        ArmResult arm = new ArmResult("vanilla", curve, 2, 0.5, Double.NaN, 1.0, Double.POSITIVE_INFINITY,
                java.util.Map.of("fd", Double.NEGATIVE_INFINITY), new float[0], new int[] {0, 8, 1, 16, 16});
        ExperimentResult r = new ExperimentResult(experiment(), List.of(arm), "cpu", false);
        Path file = r.save(dir.resolve("exp.json"));
        String text = r.toJson();
        assertTrue(text.contains("NaN") && text.contains("-Infinity"), text);
        ExperimentResult back = ExperimentResult.load(file, DATA);
        assertEquals(text, back.toJson(), "save, load, save gives the same bytes");
        assertTrue(Double.isNaN(back.arms().get(0).secondsPerStep()));
        assertEquals(Double.NEGATIVE_INFINITY, back.arms().get(0).metrics().get("fd"));
        java.util.function.BiConsumer<String, String> refused = (edited, expected) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentResult.fromJson(edited, DATA),
                    () -> "accepted: " + expected);
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        };
        refused.accept(text.replace("\"secondsPerStep\":NaN", "\"secondsPerStep\":\"NaN\""),
                "field 'results[0].secondsPerStep' = '\"NaN\"' would be read as 'NaN'");
        refused.accept(text.replace("\"complete\":false", "\"complete\":\"false\""), "field 'complete'");
        refused.accept(text.replace("\"device\":\"cpu\"", "\"device\":\"cpu\",\"note\":\"run on my laptop\""),
                "field 'note' = '\"run on my laptop\"' is not part of this format");
        refused.accept(text.replace("\"steps\":2,\"trainSeconds\"", "\"steps\":2,\"stpes\":3,\"trainSeconds\""), "field 'results[0].stpes'");
        refused.accept(text.replace("\"device\":\"cpu\"", "\"device\":\"cpu\",\"device\":\"gpu\""), "duplicate key 'device'");
        refused.accept(text.replace("\"device\"", "/* mine */\"device\""), "is not valid JSON");
        refused.accept(text.replace("\"secondsPerStep\":NaN", "\"secondsPerStep\":nan"), "is not valid JSON");
    }

    /** A coupling of one's own: pairs clip i with noise B - 1 - i. */
    record Reversed() implements tpdiff4j.pyramid.NoiseCoupling {
        @Override
        public ai.djl.ndarray.NDArray couple(ai.djl.ndarray.NDArray data, ai.djl.ndarray.NDArray noise) {
            return noise.flip(0);
        }
    }

    /**
     * A saved result was readable by its owner only (the permissions of a temporary file kept by the rename), so a
     * colleague on the same machine could not read it; it now gets the permissions {@code Files.write} gives. A save
     * right after an interrupted training (the flag still set) writes the file and keeps the flag set.
     */
    @Test
    void aResultSavesWithTheInterruptFlagSetAndWithTheUsualPermissions(@TempDir Path dir) throws Exception {
        ExperimentResult r = new ExperimentResult(experiment(), List.of(), "cpu", false);
        Path file = dir.resolve("exp.json");
        try {
            Thread.currentThread().interrupt();
            r.save(file);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
        } finally {
            Thread.interrupted();
        }
        assertEquals(r.toJson(), java.nio.file.Files.readString(file));
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Path plain = java.nio.file.Files.writeString(dir.resolve("plain.txt"), "x");
            assertEquals(java.nio.file.Files.getPosixFilePermissions(plain), java.nio.file.Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void anExperimentWithACouplingOfOnesOwnLoadsBackWhenTheCouplingIsPassedAgain(@TempDir Path dir) {
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec()))
                .arm(Arm.of("reversed", TemporalPyramid.uniform(FM, 2, 8)).withCoupling(new Reversed()).withSteps(2))
                .withBudget(Budget.steps(2)).withEvalPoints(1).withEvalClips(2).withSampleClips(2).withBatchSize(2)
                .withProgress(false);
        ExperimentResult res = exp.run();
        Path file = res.save(dir.resolve("reversed.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentResult.load(file, DATA));
        assertTrue(e.getMessage().contains("Reversed[]") && e.getMessage().contains("ExperimentResult.load(file, data,"
                + " coupling)"), e.getMessage());
        ExperimentResult back = ExperimentResult.load(file, DATA, BatchNoiseAligner.l2(), new Reversed());
        assertEquals(res, back);
        assertEquals(new Reversed(), back.experiment().arms().get(0).coupling());
        assertEquals(exp, Experiment.fromJson(exp.toJson(), DATA, new Reversed()));
        tpdiff4j.train.TrainConfig c = exp.trainConfig(exp.arms().get(0));
        assertEquals(c, tpdiff4j.train.TrainConfig.fromJsonObject(c.toJsonObject(), new Reversed()));
    }

    @Test
    void aNetworkOfOnesOwnTrainsInAnExperimentAndIsNamedInItsJson() {
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec()))
                .arm(Arm.of("vanilla", TemporalPyramid.uniform(FM, 1, 8)).withSteps(4))
                .arm(Arm.of("tpdiff", TemporalPyramid.uniform(FM, 2, 8)).withSteps(2))
                .withNetwork("affine", m -> tpdiff4j.train.AffineBlock.network(m, 8))
                .withBudget(Budget.steps(2)).withEvalPoints(1).withEvalClips(4).withSampleClips(8).withBatchSize(2)
                .withProgress(false);
        ExperimentResult res = exp.run();
        assertEquals(2, res.arm("tpdiff").steps());
        Experiment back = Experiment.fromJson(exp.toJson(), DATA);
        assertEquals(exp.toJson(), back.toJson());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> back.run(null));
        assertTrue(e.getMessage().contains("withNetwork(\"affine\""), e.getMessage());
    }

    @Test
    void armsWhoseNetworkFactoryGivesOtherInitialWeightsAreRefused() {
        int[] calls = {0};
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec()))
                .arm(Arm.of("vanilla", TemporalPyramid.uniform(FM, 1, 8)).withSteps(2))
                .arm(Arm.of("tpdiff", TemporalPyramid.uniform(FM, 2, 8)).withSteps(1))
                .withNetwork("frame-mlp", m -> tpdiff4j.train.FrameMlp.network(m, 8, ++calls[0])) // a new seed per call
                .withBudget(Budget.steps(1)).withEvalPoints(1).withEvalClips(2).withSampleClips(2).withBatchSize(2)
                .withProgress(false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> exp.run(null));
        assertTrue(e.getMessage().startsWith("the network factory of withNetwork(\"frame-mlp\", ...) gave arm 'tpdiff' other"
                + " initial weights than arm 'vanilla'") && e.getMessage().contains("setRandomSeed"), e.getMessage());
        ExperimentResult res = exp.withNetwork("frame-mlp", m -> tpdiff4j.train.FrameMlp.network(m, 8, 1)).run(null);
        assertEquals(1, res.arm("tpdiff").steps(), "a factory with a fixed seed runs");
    }

    @Test
    void badInputIsRefusedByName() {
        Experiment exp = experiment();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> exp.arm("vanilla", TemporalPyramid.uniform(FM, 1, 8)));
        assertEquals("arm name = 'vanilla', used twice; allowed: a name no other arm has", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> exp.arm("k3-16", TemporalPyramid.uniform(FM, 3, 16)));
        assertEquals("arm k3-16: pyramid for 16 frames; allowed: a pyramid for 8 frames, the data's clips",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Experiment.fromJson(exp.toJson(), SpriteVideos.builder().withFrames(16).withSize(16).build()));
        assertTrue(e.getMessage().contains("spec"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Experiment.of(DATA, ModelConfig.tiny(DATA.spec())).run(null));
        // one clip has no covariance: refused when configured, not after the training when the metrics need two
        e = assertThrows(IllegalArgumentException.class, () -> exp.withSampleClips(1));
        assertTrue(e.getMessage().contains("sampleClips = 1") && e.getMessage().contains(">= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> exp.withEvalClips(1));
        assertTrue(e.getMessage().contains("evalClips = 1") && e.getMessage().contains(">= 2"), e.getMessage());
    }

    @Test
    void anExperimentReadWithAnotherDataSetOfTheSameShapeIsRefused() {
        String json = experiment().toJson();
        SpriteVideos faster = SpriteVideos.builder().withFrames(8).withSize(16).withSpeed(2, 3).build();
        assertEquals(DATA.spec(), faster.spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.fromJson(json, faster));
        assertTrue(e.getMessage().contains(DATA.toString()) && e.getMessage().contains(faster.toString()), e.getMessage());
        // the same settings in a new instance are the same data set: read back equal, JSON unchanged
        Experiment again = Experiment.fromJson(json, SpriteVideos.builder().withFrames(8).withSize(16).build());
        assertEquals(json, again.toJson());
    }

    @Test
    void moreEvaluationsThanBudgetStepsAreRefusedInsteadOfTrainingPastTheBudget() {
        Experiment exp = experiment().withBudget(Budget.steps(2)).withEvalPoints(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> exp.run(null));
        assertTrue(e.getMessage().contains("evalPoints = 4") && e.getMessage().contains("2 steps")
                && e.getMessage().contains("evalPoints <= 2"), e.getMessage());
        // every slice count up to the budget adds up to the budget exactly
        for (int steps = 1; steps <= 12; steps++) {
            for (int n = 1; n <= steps; n++) {
                Budget b = Budget.steps(steps);
                b.checkSlices(n);
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += b.slice(i, n).steps();
                }
                assertEquals(steps, sum, steps + " steps in " + n + " slices");
            }
        }
        Budget.seconds(1).checkSlices(1000); // a time budget has no step count to exceed
    }

    @Test
    void armsCompareByValueAndPrintTheirSteps() {
        TemporalPyramid p = TemporalPyramid.builder(QUARTER, 8).withBoundaries(0.3).withRateFactors(4).build();
        Arm a = Arm.of("own", p).withSteps(4, 6).withCoupling(BatchNoiseAligner.l2());
        Arm b = Arm.of("own", TemporalPyramid.builder(QUARTER, 8).withBoundaries(0.3).withRateFactors(4).build())
                .withSteps(4, 6).withCoupling(BatchNoiseAligner.l2());
        assertEquals(a, b);   // equal steps in two arrays, two aligners with the same cost
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(1, new java.util.HashSet<>(List.of(a, b)).size());
        assertNotEquals(a, b.withSteps(6, 4));
        assertNotEquals(a, b.withCoupling(NoiseCoupling.NONE));
        assertNotEquals(a, b.withCoupling(BatchNoiseAligner.of(BatchNoiseAligner.Cost.SQUARED_L2)));
        assertNotEquals(a, b.withJumpRule(JumpRule.NONE));
        assertNotEquals(a, b.withName("other"));
        assertEquals("Arm[name=own, pyramid=quarter-circle, K = 2 (2-8 frames), coupling=BatchNoiseAligner(L2), "
                + "stageDraw=" + StageDraw.uniform() + ", stepsPerStage=[4, 6], jumpRule=CORRECTED]", a.toString());
        assertTrue(Arm.of("v", TemporalPyramid.uniform(FM, 1, 8)).toString().contains("coupling=none"));
    }

    @Test
    void armsThatDrawTimesOrWeighStagesDifferentlyAreNotEqual() {
        Arm a = Arm.of("a", TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16));
        Arm logit = a.withTimeDraw(StageTimeDraw.logitNormal(0, 1));
        Arm weighted = a.withLossWeights(StageLossWeights.of(1, 2, 3));
        assertNotEquals(a, logit);
        assertNotEquals(a, weighted);
        assertEquals(logit, a.withTimeDraw(StageTimeDraw.logitNormal(0, 1)));
        assertEquals(logit.hashCode(), a.withTimeDraw(StageTimeDraw.logitNormal(0, 1)).hashCode());
        assertEquals(weighted, a.withLossWeights(StageLossWeights.of(1, 2, 3)));
        assertTrue(logit.toString().contains("timeDraw=" + StageTimeDraw.logitNormal(0, 1)), logit.toString());
        assertTrue(weighted.toString().contains("lossWeights=" + StageLossWeights.of(1, 2, 3)), weighted.toString());
        assertTrue(!a.toString().contains("timeDraw") && !a.toString().contains("lossWeights"), a.toString());
    }

    /** A null solver name, pyramid or arm list is refused with the parameter's name, not a bare NullPointerException. */
    @Test
    void nullSolverPyramidAndArmsAreRefusedByName() {
        SpriteVideos data = SpriteVideos.builder().withFrames(8).build();
        Experiment ex = Experiment.of(data, ModelConfig.tiny(data.spec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.withSolver(null));
        assertTrue(e.getMessage().startsWith("solver = null") && e.getMessage().contains("euler"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.arm("k3", null));
        assertTrue(e.getMessage().contains("arm k3") && e.getMessage().contains("pyramid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.withArms(null));
        assertTrue(e.getMessage().startsWith("arms = null"), e.getMessage());
    }
}
