package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The training levers beyond the paper's method: stage time draw, stage loss factors, stage draw by cost. */
class TrainLeversTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    @Test
    void aHandEditedConfigurationThatWouldBeReadAsSomethingElseIsRefusedByPath() {
        String json = TrainConfig.flowMatching(3, 16, 5).toJsonObject().toString();
        String[][] cases = {
            {json.replace("\"batchSize\":8", "\"batchSize\":\"8\""), "field 'batchSize' = '\"8\"' would be read as '8'"},
            {json.replace("\"batchSize\":8", "\"batchSize\":8.5"), "field 'batchSize' = '8.5' would be read as '8'"},
            {json.replace("\"seed\":5", "\"seed\":5,\"sede\":6"), "field 'sede' = '6' is not part of this format"},
            {json.replace("\"coupling\":{", "\"coupling\":{\"cost\":\"L1\","), "field 'coupling.cost'"},
            {json.replace("\"prediction\":\"VELOCITY\"", "\"prediction\":\"velo\""),
                "field 'prediction' = \"velo\"; allowed: [EPSILON, X0, VELOCITY, V_PREDICTION]"},
        };
        for (String[] c : cases) {
            JsonObject o = com.google.gson.JsonParser.parseString(c[0]).getAsJsonObject();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(o), c[1]);
            assertTrue(e.getMessage().startsWith("train config JSON") && e.getMessage().contains(c[1]), e.getMessage());
        }
        String aligned = TrainConfig.flowMatching(3, 16, 5).withCoupling(tpdiff4j.align.BatchNoiseAligner.l2()).toJsonObject()
                .toString();
        JsonObject l3 = com.google.gson.JsonParser.parseString(aligned.replace("\"L2\"", "\"L3\"")).getAsJsonObject();
        IllegalArgumentException cost = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(l3));
        assertTrue(cost.getMessage().contains("field 'cost' = \"L3\"; allowed: [L2, SQUARED_L2]"), cost.getMessage());
        // the fields the writer leaves out when they hold the default may be spelt out: they lose nothing
        JsonObject spelt = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        spelt.add("timeDraw", StageTimeDraw.uniform().toJsonObject());
        spelt.add("lossWeights", StageLossWeights.equal().toJson());
        assertEquals(TrainConfig.flowMatching(3, 16, 5), TrainConfig.fromJsonObject(spelt));
        spelt.add("tiemDraw", spelt.remove("timeDraw"));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJsonObject(spelt));
        assertTrue(typo.getMessage().contains("field 'tiemDraw'") && typo.getMessage().contains("would be dropped"),
                typo.getMessage());
        JsonObject two = com.google.gson.JsonParser.parseString(json.replace("\"batchSize\":8", "\"batchSize\":8.0")).getAsJsonObject();
        assertEquals(8, TrainConfig.fromJsonObject(two).batchSize(), "8.0 is the integer 8");
    }

    @Test
    void aConfigurationFieldOfTheWrongKindIsNamedWithItsValueNotAGsonError() {
        JsonObject written = TrainConfig.flowMatching(3, 16, 5).withTimeDraw(StageTimeDraw.power(2))
                .withLossWeights(StageLossWeights.of(1, 2, 3)).toJsonObject();
        // each edit, and the text the message must hold: the field, its value, and the form allowed
        Object[][] cases = {
            {"learningRate", new com.google.gson.JsonPrimitive("fast"), "field 'learningRate' = '\"fast\"'; allowed: a number"},
            {"emaDecay", new com.google.gson.JsonPrimitive(true), "field 'emaDecay' = 'true'; allowed: a number"},
            {"seed", new JsonObject(), "field 'seed' = '{}'; allowed: an integer"},
            // beyond int: was cut to its low bits and refused as "batchSize = -1294967296", a value nobody wrote
            {"batchSize", new com.google.gson.JsonPrimitive(3_000_000_000L),
                "field 'batchSize' = '3000000000'; allowed: an integer in [-2147483648, 2147483647]"},
            {"timeDraw", new com.google.gson.JsonPrimitive("uniform"), "field 'timeDraw' = '\"uniform\"'; allowed: a JSON object"},
            {"timeDraw", com.google.gson.JsonNull.INSTANCE, "field 'timeDraw' = 'null'; allowed: a JSON object"},
            {"lossWeights", new JsonObject(), "field 'lossWeights' = '{}'; allowed: a JSON array"},
            {"stageDraw", new com.google.gson.JsonPrimitive("uniform"), "field 'stageDraw' = '\"uniform\"'; allowed: a JSON object"},
            {"coupling", new com.google.gson.JsonPrimitive("none"), "field 'coupling' = '\"none\"'; allowed: a JSON object"},
        };
        for (Object[] c : cases) {
            JsonObject o = written.deepCopy();
            o.add((String) c[0], (com.google.gson.JsonElement) c[1]);
            Exception e = assertThrows(Exception.class, () -> TrainConfig.fromJsonObject(o), (String) c[2]);
            assertEquals(IllegalArgumentException.class, e.getClass(), c[2] + ": " + e);
            assertTrue(e.getMessage().startsWith("train config JSON: ") && e.getMessage().contains((String) c[2]),
                    e.getMessage());
        }
        JsonObject noType = written.deepCopy();
        noType.getAsJsonObject("coupling").remove("type");
        Exception e = assertThrows(Exception.class, () -> TrainConfig.fromJsonObject(noType));
        assertEquals(IllegalArgumentException.class, e.getClass(), e.toString());
        assertTrue(e.getMessage().contains("field 'type' = missing; allowed: \"none\", \"batchAligner\" or \"custom\""),
                e.getMessage());
    }

    @Test
    void leversRoundTripThroughJsonAndTheDefaultJsonIsUnchanged() {
        TrainConfig paper = TrainConfig.flowMatching(3, 16, 5);
        JsonObject o = paper.toJsonObject();
        assertFalse(o.has("timeDraw") || o.has("lossWeights"), "the paper's defaults add no keys: " + o);
        assertEquals(StageTimeDraw.uniform(), TrainConfig.fromJsonObject(o).timeDraw());
        assertEquals(StageLossWeights.equal(), TrainConfig.fromJsonObject(o).lossWeights());
        TrainConfig c = paper.withTimeDraw(StageTimeDraw.logitNormal(0.5, 1.2)).withLossWeights(StageLossWeights.of(0.5, 1, 2))
                .withStageDraw(StageDraw.byCost(-2)).withLearningRate(2e-3).withEmaDecay(0.99);
        TrainConfig back = TrainConfig.fromJsonObject(c.toJsonObject());
        assertEquals(c, back);
        assertEquals(StageTimeDraw.logitNormal(0.5, 1.2), back.timeDraw());
        assertArrayEquals(new double[] {0.5, 1, 2}, back.lossWeights().factors(), 0.0);
        assertEquals(StageDraw.byCost(-2), back.stageDraw());
        // every other withX keeps the levers
        assertEquals(c.timeDraw(), c.withSeed(9).withBatchSize(2).withClipNorm(0).timeDraw());
        assertEquals(c.lossWeights(), c.withSeed(9).withBetas(0.8, 0.99).lossWeights());
        assertTrue(c.label().contains("logitNormal") && c.label().contains("loss [0.5, 1.0, 2.0]"), c.label());
    }

    @Test
    void lossWeightsAreCheckedAgainstThePyramid() {
        TrainConfig paper = TrainConfig.flowMatching(3, 16, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> paper.withLossWeights(StageLossWeights.of(1, 2)));
        assertTrue(e.getMessage().contains("[1.0, 2.0]") && e.getMessage().contains("3 stages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageLossWeights.of(1, -1, 1));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StageLossWeights.of(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> StageLossWeights.of(1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> paper.withTimeDraw(null));
    }

    @Test
    void byCostWeighsStagesByRelativeFramesToThePowerQ() {
        TrainConfig paper = TrainConfig.flowMatching(3, 16, 5); // frames 4, 8, 16
        double[] w = StageDraw.byCost(1).probabilities(paper.pyramid());
        assertArrayEquals(new double[] {0.25 / 1.75, 0.5 / 1.75, 1 / 1.75}, w, 1e-15);
        // q = -p with cost ~ frames^p: every stage gets the same expected compute w_k (F_k/F)^p
        double[] eq = StageDraw.byCost(-2).probabilities(paper.pyramid());
        for (int k = 0; k < 3; k++) {
            assertEquals(eq[2], eq[k] * Math.pow(paper.pyramid().stage(k).frames() / 16.0, 2), 1e-15);
        }
        assertArrayEquals(StageDraw.uniform().probabilities(paper.pyramid()),
                StageDraw.byCost(0).probabilities(paper.pyramid()), 1e-15);
        assertEquals(StageDraw.byCost(1.5), StageDraw.fromJsonObject(StageDraw.byCost(1.5).toJsonObject()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageDraw.byCost(Double.NaN));
        assertTrue(e.getMessage().contains("exponent = NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StageDraw("uniform", null, 1));
    }

    /**
     * A step on a stage with loss factor 0 has a zero gradient, so AdamW (m = v = 0: update 0) with no weight decay
     * leaves every weight exactly as it was, while factor 1 moves them: the factor reaches the loss that is
     * differentiated. The reported loss stays the unweighted mean square (equal under both factors at step 1).
     */
    @Test
    void aZeroLossWeightStopsLearningFromThatStage() {
        TrainConfig base = TrainConfig.flowMatching(2, 8, 3).withBatchSize(2).withWeightDecay(0)
                .withStageDraw(StageDraw.weights(1, 0)); // every step trains stage 0 (4 frames)
        double[] loss = new double[2];
        boolean[] moved = new boolean[2];
        StageLossWeights[] ws = {StageLossWeights.of(0, 1), StageLossWeights.equal()};
        for (int i = 0; i < 2; i++) {
            try (Trainer t = TrainerTest.trainer(base.withLossWeights(ws[i]), null, null)) {
                Map<String, float[]> before = TrainerTest.weights(t);
                loss[i] = t.step();
                t.step();
                Map<String, float[]> after = TrainerTest.weights(t);
                moved[i] = before.keySet().stream().anyMatch(k -> !Arrays.equals(before.get(k), after.get(k)));
            }
        }
        assertFalse(moved[0], "loss factor 0 on the only stage drawn: no weight may change");
        assertTrue(moved[1], "loss factor 1: the weights must change");
        assertEquals(loss[1], loss[0], 0.0, "same seed, same first batch: the reported (unweighted) loss is equal");
        assertNotEquals(0.0, loss[0]);
    }

    /**
     * With the global logit-normal draw and the stage draw by its mass, every clip's time lies in its stage's window
     * and the times of all steps together follow the curve weighted by how many windows cover t (where windows
     * overlap, t is drawn from either stage): {@code p(t) cover(t) / sum_k mass_k}.
     */
    @Test
    void globalTimesFollowTheCurveOverTheWholeAxis() {
        StageTimeDraw g = StageTimeDraw.globalLogitNormal(0, 1);
        TrainConfig base = TrainConfig.flowMatching(3, 16, 3).withBatchSize(8);
        TrainConfig c = base.withStageDraw(StageDraw.byMass(g, base.pyramid())).withTimeDraw(g);
        tpdiff4j.pyramid.TemporalPyramid pyr = c.pyramid();
        PyramidPairs pairs = PyramidPairs.of(c);
        java.util.List<Double> times = new java.util.ArrayList<>();
        try (ai.djl.ndarray.NDManager m = tpdiff4j.nn.Compute.newManager()) {
            ai.djl.ndarray.NDArray x0 = m.zeros(new ai.djl.ndarray.types.Shape(8, 16, 1, 4, 4));
            java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
            for (int step = 0; step < 1500; step++) {
                try (ai.djl.ndarray.NDManager sub = m.newSubManager()) {
                    x0.attach(sub);
                    TrainBatch b = pairs.make(x0, rng, sub);
                    tpdiff4j.pyramid.Stage st = pyr.stages().get(b.stage());
                    for (float t : b.t().toFloatArray()) {
                        // float32 rounding of t: 6e-8 at most
                        assertTrue(t >= st.end() - 1e-7 && t <= st.start() + 1e-7, "t = " + t + " outside stage "
                                + b.stage() + "'s window [" + st.end() + ", " + st.start() + "]");
                        times.add((double) t);
                    }
                    x0.attach(m);
                }
            }
        }
        double[] masses = g.windowMasses(pyr);
        double total = Arrays.stream(masses).sum();
        StageTimeDraw curve = StageTimeDraw.logitNormal(0, 1);
        int bins = 20, n = times.size();
        long[] count = new long[bins];
        times.forEach(t -> count[Math.min(bins - 1, (int) (t * bins))]++);
        for (int b = 0; b < bins; b++) {
            double lo = (double) b / bins, hi = (b + 1.0) / bins, p = 0;
            for (tpdiff4j.pyramid.Stage st : pyr.stages()) {
                double a = Math.max(lo, st.end()), z = Math.min(hi, st.start());
                p += a < z ? StageTimeDrawTest.mass(curve, a, z) / total : 0;
            }
            // the stage is drawn once per batch of 8, so counts vary more than binomially: by up to 8x the variance
            // (sqrt 8 in standard deviation); 5 such standard deviations, plus 2 counts for the quadrature
            assertEquals(n * p, count[b], 5 * Math.sqrt(8 * n * p * (1 - p)) + 2, "bin " + b);
        }
    }
}
