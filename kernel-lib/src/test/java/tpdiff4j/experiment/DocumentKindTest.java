package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.DocumentKind;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;

/**
 * Every JSON reader of the library, given a document of another kind that the library writes, says which kind it got
 * and which reader takes it, instead of naming the first field it misses ("field 'prediction' is missing" for a
 * pyramid given to the training configuration's reader).
 */
class DocumentKindTest {

    private static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    /** One document of each kind, as the library writes it. */
    private static Map<DocumentKind, String> documents() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8);
        Experiment e = Experiment.of(DATA, ModelConfig.tiny(DATA.spec())).arm("a", p);
        Map<DocumentKind, String> docs = new LinkedHashMap<>();
        docs.put(DocumentKind.SCHEDULE, Schedules.scaledLinear(0.00085, 0.012, 1000).toJson());
        docs.put(DocumentKind.DIFFUSERS, Schedules.toDiffusersConfig(Schedules.scaledLinear(0.00085, 0.012, 1000)));
        docs.put(DocumentKind.PYRAMID, p.toJson());
        docs.put(DocumentKind.PLAN, p.planJson(2, 2));
        docs.put(DocumentKind.TRAIN_CONFIG, TrainConfig.flowMatching(2, 8, 1).toJsonObject().toString());
        docs.put(DocumentKind.MODEL_CONFIG, ModelConfig.tiny(DATA.spec()).toJson());
        docs.put(DocumentKind.STAGE_RULE, StageDraw.uniform().toJsonObject().toString());
        docs.put(DocumentKind.EXPERIMENT, e.toJson());
        docs.put(DocumentKind.EXPERIMENT_RESULT, "{\"experiment\": " + e.toJson() + ", \"device\": \"cpu\","
                + " \"complete\": false, \"results\": []}");
        return docs;
    }

    /** The readers, by the kind each reads and the name its messages give its input. */
    private record Reader(DocumentKind kind, String what, ReadCall call) {
    }

    @FunctionalInterface
    private interface ReadCall {
        Object read(String json) throws Exception;
    }

    private static Reader[] readers() {
        return new Reader[] {
            new Reader(DocumentKind.SCHEDULE, "schedule JSON", Schedules::fromJson),
            new Reader(DocumentKind.DIFFUSERS, "scheduler_config.json", Schedules::fromDiffusersConfig),
            new Reader(DocumentKind.PYRAMID, "pyramid JSON", TemporalPyramid::fromJson),
            new Reader(DocumentKind.TRAIN_CONFIG, "train config JSON",
                    j -> TrainConfig.fromJsonObject(JsonParser.parseString(j).getAsJsonObject())),
            new Reader(DocumentKind.MODEL_CONFIG, "model JSON", ModelConfig::fromJson),
            new Reader(DocumentKind.STAGE_RULE, "stage draw JSON",
                    j -> StageDraw.fromJsonObject(JsonParser.parseString(j).getAsJsonObject())),
            new Reader(DocumentKind.STAGE_RULE, "stage time draw JSON",
                    j -> StageTimeDraw.fromJsonObject(JsonParser.parseString(j).getAsJsonObject())),
            new Reader(DocumentKind.EXPERIMENT, "experiment JSON", j -> Experiment.fromJson(j, DATA)),
            new Reader(DocumentKind.EXPERIMENT_RESULT, "experiment result JSON", j -> ExperimentResult.fromJson(j, DATA)),
        };
    }

    @Test
    void eachDocumentIsRecognisedAsItsOwnKind() {
        documents().forEach((kind, json) -> assertEquals(kind, DocumentKind.of(JsonParser.parseString(json)), json));
        assertEquals(null, DocumentKind.of(JsonParser.parseString("{\"frames\": 8}")), "no kind's marks");
        assertEquals(null, DocumentKind.of(JsonParser.parseString("[1, 2]")), "not an object");
    }

    @Test
    void everyReaderNamesTheKindItGotAndItsReader() {
        Map<DocumentKind, String> docs = documents();
        String[] readerOf = {"Schedules.fromJson", "Schedules.fromDiffusersConfig", "TemporalPyramid.fromJson", null,
            "TrainConfig.fromJsonObject", "ModelConfig.fromJson", "StageDraw.fromJsonObject or StageTimeDraw.fromJsonObject",
            "Experiment.fromJson(json, data)", "ExperimentResult.load(file, data) or ExperimentResult.fromJson(json, data)"};
        int checked = 0;
        for (Reader r : readers()) {
            int i = 0;
            for (Map.Entry<DocumentKind, String> d : docs.entrySet()) {
                String reader = readerOf[i++];
                if (d.getKey() == r.kind()) {
                    assertRead(r, d.getValue());
                    continue;
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.call().read(d.getValue()),
                        r.what() + " given " + d.getKey());
                String m = e.getMessage();
                assertTrue(m.startsWith(r.what() + " = " + d.getKey().noun() + " (the document "), m);
                assertTrue(m.contains("; allowed: " + r.kind().noun() + " (the document "), m);
                assertTrue(reader == null ? m.contains("No reader of this library takes a pyramid plan back")
                        : m.endsWith("Read " + d.getKey().noun() + " with " + reader), m);
                checked++;
            }
        }
        assertEquals(9 * 8, checked);
    }

    private static void assertRead(Reader r, String json) {
        try {
            r.call().read(json);
        } catch (Exception e) {
            throw new AssertionError(r.what() + " refused its own kind: " + e.getMessage(), e);
        }
    }

    @Test
    void theWordsOfOneCaseInFull() {
        String pyramid = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16).toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromJsonObject(JsonParser.parseString(pyramid).getAsJsonObject()));
        assertEquals("train config JSON = a temporal pyramid (the document TemporalPyramid.toJson writes); allowed: a"
                + " training configuration (the document TrainConfig.toJsonObject writes). Read a temporal pyramid with"
                + " TemporalPyramid.fromJson", e.getMessage());
    }

    /** The two rule objects, {"rule": ...}, are told apart by their rule. */
    @Test
    void aStageDrawAndAStageTimeDrawAreToldApartByTheirRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.fromJsonObject(
                StageDraw.byWindowLength().toJsonObject()));
        assertEquals("stage time draw JSON = a stage draw (rule \"windowLength\", the document StageDraw.toJsonObject"
                + " writes); allowed: a stage time draw (the document StageTimeDraw.toJsonObject writes), with a rule of"
                + " [uniform, power, logitNormal, globalLogitNormal]. Read a stage draw with StageDraw.fromJsonObject",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageDraw.fromJsonObject(
                StageTimeDraw.logitNormal(0, 1).toJsonObject()));
        assertTrue(e.getMessage().startsWith("stage draw JSON = a stage time draw (rule \"logitNormal\", the document"
                + " StageTimeDraw.toJsonObject writes); allowed: a stage draw"), e.getMessage());
        // "uniform" is a rule of both: each reader reads it as its own
        assertEquals(StageDraw.uniform(), StageDraw.fromJsonObject(StageTimeDraw.uniform().toJsonObject()));
        assertEquals(StageTimeDraw.uniform(), StageTimeDraw.fromJsonObject(StageDraw.uniform().toJsonObject()));
    }

    /** A checkpoint folder whose config.json holds another document names it, with the file. */
    @Test
    void aCheckpointConfigThatIsAnotherDocumentIsNamed(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.flowMatching(1, 8, 1).withBatchSize(2);
        try (tpdiff4j.train.Trainer t = tpdiff4j.train.Trainer.builder()
                .withNetwork(m -> tpdiff4j.train.AffineBlock.network(m, 8)).withConfig(c).withData(DATA)
                .withProgress(false).build()) {
            t.step();
            t.saveCheckpoint(dir);
        }
        Path config = tpdiff4j.train.Checkpoint.latest(dir).resolve("config.json");
        Files.writeString(config, c.toJsonObject().toString());   // the training configuration alone
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tpdiff4j.train.Checkpoint.latestStep(dir));
        assertEquals(config + " = a training configuration (the document TrainConfig.toJsonObject writes); allowed: a"
                + " checkpoint's config.json (the document Trainer.saveCheckpoint writes). Read a training configuration"
                + " with TrainConfig.fromJsonObject", e.getMessage());
    }
}
