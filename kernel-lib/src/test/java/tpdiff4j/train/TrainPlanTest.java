package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/** A training configuration's plan tells a script in another framework what the Java trainer does, not the defaults. */
class TrainPlanTest {

    static double[] numbers(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    @Test
    void thePlanCarriesTheStageDrawTimeDrawLossFactorsAndCoupling() {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.flowMatching(), 12).withBoundaries(0.8, 0.3)
                .withRateFactors(3, 2).build();
        TrainConfig c = TrainConfig.of(p, PredictionType.VELOCITY, 3).withBatchSize(4)
                .withStageDraw(StageDraw.weights(1, 2, 3)).withTimeDraw(StageTimeDraw.power(2))
                .withLossWeights(StageLossWeights.of(1, 0.5, 2)).withCoupling(BatchNoiseAligner.squaredL2());
        JsonObject plan = JsonParser.parseString(c.planJson(3, 4, 5)).getAsJsonObject();
        JsonObject training = plan.getAsJsonObject("training");
        double[] w = numbers(training.getAsJsonArray("stageProbabilities"));
        assertEquals(1.0 / 6, w[0], 1e-15);   // weights 1 : 2 : 3, normalised
        assertEquals(2.0 / 6, w[1], 1e-15);
        assertEquals(3.0 / 6, w[2], 1e-15);
        assertEquals(1.0, numbers(training.getAsJsonArray("lossWeights"))[0], 0.0);
        assertEquals(0.5, numbers(training.getAsJsonArray("lossWeights"))[1], 0.0);
        assertEquals("VELOCITY", training.get("prediction").getAsString());
        assertEquals("power", training.getAsJsonObject("timeDraw").get("rule").getAsString());
        assertTrue(training.get("time").getAsString().contains("(1 - u)^(1 / a), u ~ U[0, 1), a = 2.0"),
                training.get("time").getAsString());
        assertEquals("SQUARED_L2", training.getAsJsonObject("coupling").get("cost").getAsString());
        // a trainer elsewhere needs the update too: clipping, AdamW's epsilon and the EMA's warm-up are not in the numbers
        String optimizer = training.get("optimizer").getAsString();
        assertTrue(optimizer.contains("g <- g clipNorm / |g|") && optimizer.contains("sqrt(vhat) + 1e-8")
                && optimizer.contains("d_n = min(emaDecay, (1 + n) / (10 + n))"), optimizer);
        assertTrue(training.get("loss").getAsString().contains("mean over every element"));
        // the stages, grids and jumps are the pyramid's own plan
        JsonObject pyramidPlan = JsonParser.parseString(p.planJson(3, 4, 5)).getAsJsonObject();
        assertEquals(pyramidPlan.get("stages"), plan.get("stages"));
        assertEquals(pyramidPlan.get("jumps"), plan.get("jumps"));
        // and the whole configuration, which reads back equal
        assertEquals(c, TrainConfig.fromJsonObject(plan.getAsJsonObject("trainConfig")));
    }

    @Test
    void thePapersConfigurationGetsUniformStagesAndEqualLosses() {
        TrainConfig c = TrainConfig.flowMatching(3, 16, 1);
        JsonObject training = JsonParser.parseString(c.planJson(10)).getAsJsonObject().getAsJsonObject("training");
        for (double x : numbers(training.getAsJsonArray("stageProbabilities"))) {
            assertEquals(1.0 / 3, x, 1e-15);
        }
        for (double x : numbers(training.getAsJsonArray("lossWeights"))) {
            assertEquals(1.0, x, 0.0);
        }
        assertEquals("t = end + t' (start - end) with t' = 1 - u, u ~ U[0, 1); one t per clip",
                training.get("time").getAsString());
    }

    /**
     * With a schedule of Java functions the plan's schedule is the table the configuration itself records, so a
     * script evaluating the plan's schedule trains on what a resumed Java run reads back.
     */
    @Test
    void aFunctionSchedulesPlanCarriesTheTableTheConfigurationRecords() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2),
                t -> Math.sin(t * Math.PI / 2)), 2, 8);
        JsonObject plan = JsonParser.parseString(TrainConfig.of(p, PredictionType.EPSILON, 5).planJson(4)).getAsJsonObject();
        JsonObject recorded = plan.getAsJsonObject("trainConfig").getAsJsonObject("pyramid").getAsJsonObject("schedule");
        assertEquals(recorded, plan.getAsJsonObject("schedule").get("json"));
        assertEquals(plan.getAsJsonObject("trainConfig").get("scheduleTable"), plan.getAsJsonObject("schedule").get("table"));
    }

    /** Each stage-local rule's formula, computed from the same uniforms, gives exactly what the trainer draws. */
    @Test
    void theFormulaOfEachStageLocalRuleIsWhatDrawComputes() {
        double start = 0.8, end = 0.3;
        for (int i = 0; i < 1000; i++) {
            SplittableRandom a = new SplittableRandom(i), b = new SplittableRandom(i);
            assertEquals(1 - b.nextDouble(), StageTimeDraw.uniform().draw(a, start, end), 0.0);
            a = new SplittableRandom(i);
            b = new SplittableRandom(i);
            assertEquals(Math.pow(1 - b.nextDouble(), 1 / 2.5), StageTimeDraw.power(2.5).draw(a, start, end), 1e-15);
            a = new SplittableRandom(i);
            b = new SplittableRandom(i);
            double u = b.nextDouble(), v = b.nextDouble();
            double z = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);   // z ~ N(0, 1) by Box-Muller
            assertEquals(1 / (1 + Math.exp(-(0.5 + 1.5 * z))), StageTimeDraw.logitNormal(0.5, 1.5).draw(a, start, end),
                    1e-15);
        }
        assertTrue(StageTimeDraw.globalLogitNormal(0, 1).formula().startsWith("t = sigmoid(m + s z)"));
    }
}
