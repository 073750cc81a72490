package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Model sizes that cannot work are refused when the config is made, not later as index errors. */
class ModelConfigTest {

    private static void rejected(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    private static ModelConfig make(int frames, int h, int w, int dim, int heads) {
        return new ModelConfig(frames, 1, h, w, 4, dim, 2, heads, 2, ModelConfig.Attention.FACTORIZED,
                ModelConfig.Conditioning.ADALN, 0);
    }

    @Test
    void badSizesNameTheParameterAndTheAllowedRange() {
        rejected(() -> make(8, 16, 16, 0, 2), "dim = 0", "at least 1");
        rejected(() -> make(8, 16, 16, -8, 2), "dim = -8");
        rejected(() -> make(8, 0, 16, 32, 2), "height = 0");
        rejected(() -> make(8, 16, -4, 32, 2), "width = -4");
        rejected(() -> make(0, 16, 16, 32, 2), "frames = 0");
        rejected(() -> make(8, 16, 16, 36, 8), "dim = 36", "heads = 8", "multiple of it");
        rejected(() -> make(8, 16, 16, 32, 0), "heads = 0");
    }

    @Test
    void everySizeHasANamedCopyThatIsCheckedLikeTheConstructor() {
        ModelConfig tiny = ModelConfig.tiny(8, 1, 16, 16);
        ModelConfig mine = tiny.withPatch(2).withDim(48).withDepth(3).withHeads(3).withMlpRatio(4);
        assertEquals(new ModelConfig(8, 1, 16, 16, 2, 48, 3, 3, 4, ModelConfig.Attention.FACTORIZED,
                ModelConfig.Conditioning.ADALN, 0), mine);
        assertEquals(mine, ModelConfig.fromJson(mine.toJson()));
        assertEquals(64, mine.tokensPerFrame(), "16 x 16 pixels in patches of 2 x 2");
        rejected(() -> tiny.withPatch(3), "patch = 3; allowed: a side that divides height 16");
        rejected(() -> tiny.withHeads(3), "dim = 32", "heads = 3", "for example 12");
        rejected(() -> tiny.withDepth(0), "depth = 0", "at least 1");
        rejected(() -> tiny.withMlpRatio(-1), "mlpRatio = -1");
        rejected(() -> tiny.withDim(30), "dim = 30", "divisible by 4");
    }

    @Test
    void everyPresetTakesTheDatasetSpec() {
        tpdiff4j.data.VideoSpec spec = new tpdiff4j.data.VideoSpec(16, 1, 32, 32);
        assertEquals(ModelConfig.attention(16, 1, 32, 32), ModelConfig.attention(spec));
        assertEquals(ModelConfig.small(16, 1, 32, 32), ModelConfig.small(spec));
        assertEquals(ModelConfig.tiny(16, 1, 32, 32), ModelConfig.tiny(spec));
        assertEquals(4, ModelConfig.small(spec).patch(), "8 x 8 patches on a square clip");
        // a 32x24 clip: min/8 = 3 divides only the width; the preset had failed with "patch = 3", a value the user
        // never chose
        assertEquals(2, ModelConfig.small(new tpdiff4j.data.VideoSpec(16, 1, 32, 24)).patch());
        assertEquals(1, ModelConfig.small(new tpdiff4j.data.VideoSpec(16, 1, 10, 15)).patch());
        // the fixed patch 4 of tiny and attention cannot fit 30x30: the error names the preset and the patches that fit
        rejected(() -> ModelConfig.attention(new tpdiff4j.data.VideoSpec(16, 1, 30, 30)), "preset attention",
                "30x30", "patch = 4", "[1, 2, 3, 5, 6, 10, 15, 30]", "new ModelConfig");
        rejected(() -> ModelConfig.tiny(new tpdiff4j.data.VideoSpec(16, 1, 30, 30)), "preset tiny");
    }

    @Test
    void aWeightMatrixBeyondOneJavaArrayIsRefusedInsteadOfWrappingRound() {
        ModelConfig tiny = ModelConfig.tiny(16, 1, 32, 32);
        // 2^30 * 32 wraps round to 0 in int arithmetic: an MLP of width 0, a silently different model
        rejected(() -> tiny.withMlpRatio(1 << 30), "mlpRatio = 1073741824", "MLP", "dim <= ");
        // 9 * 65536^2 entries in the adaLN matrix; the trainer failed with a bare "integer overflow"
        rejected(() -> tiny.withDim(1 << 16), "dim = 65536", "adaLN modulation", "dim <= 15446");
        assertEquals(15444, tiny.withDim(15444).dim(), "the largest dim divisible by 4 whose 9 D x D matrix fits");
        rejected(() -> tiny.withDim(15448), "dim = 15448");
    }

    /** A mistyped or truncated config names what is wrong instead of returning null or a reflection error. */
    @Test
    void badModelJsonIsRefusedWithTheFieldAndTheValue() {
        for (String json : new String[] {null, "", "not json"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json));
            assertTrue(e.getMessage().startsWith("model JSON") && e.getMessage().contains("ModelConfig.toJson()"), e.getMessage());
        }
        String json = ModelConfig.tiny(16, 1, 16, 16).toJson();
        assertTrue(json.contains("\"frames\":16"), json);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.fromJson(json.replace("\"frames\":16", "\"frames\":0")));
        assertTrue(zero.getMessage().contains("frames = 0; allowed: at least 1"), zero.getMessage());
        assertEquals(ModelConfig.tiny(16, 1, 16, 16), ModelConfig.fromJson(json));
    }

    /**
     * A model file is read as strictly as the library's other files: a misspelt or missing key used to give a model
     * with that field 0 (a misspelt "seed" silently became seed 0), and a number in quotes was read as the number.
     */
    @Test
    void modelJsonThatWouldNotBeWrittenBackAsReadIsRefused() {
        ModelConfig m = ModelConfig.tiny(16, 1, 16, 16).withSeed(7);
        String json = m.toJson();
        assertTrue(json.contains("\"seed\":7") && json.contains("\"depth\":2"), json);
        rejected(() -> ModelConfig.fromJson(json.replace("\"seed\":7", "\"sed\":7")), "model JSON", "'seed' is missing");
        rejected(() -> ModelConfig.fromJson(json.replace("\"seed\":7", "\"seed\":7,\"dpeth\":4")),
                "model JSON", "'dpeth' = '4'", "would be dropped", "allowed keys");
        rejected(() -> ModelConfig.fromJson(json.replace(",\"seed\":7", "")), "'seed' is missing");
        rejected(() -> ModelConfig.fromJson(json.replace("\"frames\":16,", "")), "'frames' is missing");
        rejected(() -> ModelConfig.fromJson(json.replace("\"seed\":7", "\"seed\":\"7\"")), "'seed' = '\"7\"'",
                "would be read as '7'");
        rejected(() -> ModelConfig.fromJson(json.replace("\"depth\":2", "\"depth\":2.5")), "model JSON", "depth");
        rejected(() -> ModelConfig.fromJson("[" + json + "]"), "model JSON", "not an object");
        rejected(() -> ModelConfig.fromJson(json.replace("\"depth\":2", "\"depth\":2,\"depth\":3")), "model JSON", "depth");
        // a field written as null is refused as null, with the form the field takes, not as a Gson error
        rejected(() -> ModelConfig.fromJson(json.replace("\"seed\":7", "\"seed\":null")),
                "model JSON: field 'seed' = 'null'; allowed: an integer, in the JSON object that ModelConfig.toJson() writes");
        rejected(() -> ModelConfig.fromJson(json.replace("\"frames\":16", "\"frames\":null")), "field 'frames' = 'null'; allowed: an integer");
        rejected(() -> ModelConfig.fromJson(json.replace("\"attention\":\"FACTORIZED\"", "\"attention\":null")),
                "model JSON: field 'attention' = 'null'; allowed: one of [FACTORIZED, FULL]");
        // what the writer writes, and an integer written with a zero fraction, still read back as written
        assertEquals(m, ModelConfig.fromJson(json));
        assertEquals(m, ModelConfig.fromJson(json.replace("\"depth\":2", "\"depth\":2.0")));
    }
}
