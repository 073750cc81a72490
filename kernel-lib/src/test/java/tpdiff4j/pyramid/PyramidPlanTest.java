package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * The plan JSON carries the sampler's own numbers bit for bit, and the fixtures that {@code environment/py/plan_check.py}
 * checks against: this test writes {@code target/plan-check/plan-NAME.json} and {@code fixture-NAME.json} with small
 * fixed tensors and the Java stage-wise x_t and targets ({@link StageEndpoints}).
 */
class PyramidPlanTest {

    /**
     * The pyramids the Python check reads: non-uniform with a rate-4 jump and convention B; SD1.5 betas; K = 4 at
     * 32 frames; a continuous schedule without a closed diffusers form and a schedule of Java functions (the check
     * evaluates them from the plan's schedule JSON: vpCosine in closed form, the functions' table); and improved-DDPM
     * cosine betas with jumps by 2, 3 and 2 on 24 frames, whose early betas are differences of numbers near 1, so
     * that the reader's derivatives agree with Java's only within the rounding bound it derives.
     */
    static final String[] NAMES = {"fm-nonuniform-b", "sd15-uniform-a", "linear-k4-32", "vpcosine-k2", "functions-b",
        "cosine-232-24"};

    /**
     * Plans of samplers set up for an ablation, with the jump rules other than the default: the Python check reads
     * their coefficients by each rule's own formula and does not expect the start distribution from them.
     */
    static final Map<String, JumpRule> ABLATIONS = Map.of("fm-jump-none", JumpRule.NONE,
            "fm-jump-paper-printed", JumpRule.PAPER_PRINTED);

    /** The plan the Python check reads for {@code name}: the pyramid's own, or an ablation sampler's. */
    static String planJson(String name) {
        JumpRule rule = ABLATIONS.get(name);
        return rule == null ? pyramid(name).planJson(steps(name))
                : PyramidPlan.json(PyramidSampler.of(pyramid(name), tpdiff4j.ode.Solvers.ddim(), steps(name))
                        .withJumpRule(rule));
    }

    static TemporalPyramid pyramid(String name) {
        return switch (name) {
            case "fm-nonuniform-b" -> TemporalPyramid.builder(Schedules.flowMatching(3.0), 16).withBoundaries(0.5, 0.25)
                    .withRateFactors(4, 2).withConvention(WindowConvention.B).build();
            case "sd15-uniform-a" -> TemporalPyramid.uniform(Schedules.scaledLinear(0.00085, 0.012, 1000), 3, 16);
            case "linear-k4-32" -> TemporalPyramid.builder(Schedules.linear(0.00085, 0.012, 1000), 32).withStages(4).build();
            case "vpcosine-k2" -> TemporalPyramid.uniform(Schedules.vpCosine(), 2, 8);
            case "functions-b" -> TemporalPyramid.builder(Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2),
                    t -> Math.sin(t * Math.PI / 2)), 16).withBoundaries(0.6, 0.3).withConvention(WindowConvention.B).build();
            case "cosine-232-24" -> TemporalPyramid.builder(Schedules.cosine(1000), 24).withBoundaries(0.8, 0.5, 0.2)
                    .withRateFactors(2, 3, 2).build();
            case "fm-jump-none", "fm-jump-paper-printed" -> TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static int[] steps(String name) {
        return switch (name) {
            case "fm-nonuniform-b" -> new int[] {3, 4, 5};
            case "sd15-uniform-a" -> new int[] {10, 10, 10};
            case "vpcosine-k2" -> new int[] {6};
            case "functions-b" -> new int[] {4, 3, 5};
            case "fm-jump-none", "fm-jump-paper-printed" -> new int[] {4, 4, 4};
            default -> new int[] {2, 3, 4, 5};
        };
    }

    @Test
    void planCarriesTheSamplersNumbersExactly() {
        for (String name : NAMES) {
            TemporalPyramid p = pyramid(name);
            int[] n = steps(name);
            JsonObject plan = JsonParser.parseString(p.planJson(n)).getAsJsonObject();
            assertEquals(PyramidPlan.SCHEMA, plan.get("schema").getAsString());
            assertEquals(2, plan.get("version").getAsInt()); // 2: sampling.initStd
            assertEquals(p.size(), plan.get("K").getAsInt());
            assertEquals(p.frames(), plan.get("frames").getAsInt());
            assertEquals(p.convention().name(), plan.get("convention").getAsString());
            PyramidSampler sampler = PyramidSampler.of(p, tpdiff4j.ode.Solvers.ddim(), n);
            assertEquals(n.length == 1 ? p.size() : n.length, plan.getAsJsonArray("stages").size());
            JsonArray stages = plan.getAsJsonArray("stages");
            for (int k = 0; k < p.size(); k++) {
                JsonObject st = stages.get(k).getAsJsonObject();
                Stage s = p.stage(k);
                // assertEquals(double, double) compares bit patterns: the decimal text gives back the same double
                assertEquals(s.start(), st.get("start").getAsDouble());
                assertEquals(s.end(), st.get("end").getAsDouble());
                assertEquals(s.frames(), st.get("frames").getAsInt());
                assertEquals(s.rateFactor(), st.get("rateFactor").getAsInt());
                assertEquals(n.length == 1 ? n[0] : n[k], st.get("steps").getAsInt());
                double[] grid = sampler.grid(k).times();
                JsonArray g = st.getAsJsonArray("grid");
                assertEquals(grid.length, g.size());
                for (int i = 0; i < grid.length; i++) {
                    assertEquals(grid[i], g.get(i).getAsDouble());
                    assertEquals(p.schedule().gamma(grid[i]), st.getAsJsonArray("gridGamma").get(i).getAsDouble());
                    assertEquals(p.schedule().sigma(grid[i]), st.getAsJsonArray("gridSigma").get(i).getAsDouble());
                }
            }
            JsonArray jumps = plan.getAsJsonArray("jumps");
            assertEquals(p.size() - 1, jumps.size());
            for (int k = 0; k + 1 < p.size(); k++) {
                JsonObject j = jumps.get(k).getAsJsonObject();
                assertEquals(p.jump(k).scale(), j.get("scale").getAsDouble());
                assertEquals(p.jump(k).noiseWeight(), j.get("noiseWeight").getAsDouble());
                assertEquals(p.rateFactors()[k], j.get("factor").getAsInt());
            }
            NoiseSchedule written = Schedules.fromJson(plan.getAsJsonObject("schedule").get("json").toString());
            assertEquals(name.startsWith("functions") ? tpdiff4j.schedule.Tabulation.of(p.schedule()).schedule()
                    : p.schedule(), written);
            boolean exact = !name.startsWith("vpcosine") && !name.startsWith("functions");
            assertEquals(exact, plan.getAsJsonObject("schedule").get("diffusersExact").getAsBoolean());
            NoiseSchedule imported = Schedules.fromDiffusersConfig(plan.getAsJsonObject("schedule").get("diffusers").toString());
            assertEquals(exact, p.schedule().equals(imported));
        }
    }

    @Test
    void anAblationSamplersPlanNamesItsRuleAndCarriesThatRulesJumps() {
        for (Map.Entry<String, JumpRule> e : ABLATIONS.entrySet()) {
            TemporalPyramid p = pyramid(e.getKey());
            JsonObject plan = JsonParser.parseString(planJson(e.getKey())).getAsJsonObject();
            assertEquals(e.getValue().name(), plan.get("jumpRule").getAsString());
            JsonArray jumps = plan.getAsJsonArray("jumps");
            for (int k = 0; k + 1 < p.size(); k++) {
                StageJump jump = p.jump(k, e.getValue());
                JsonObject j = jumps.get(k).getAsJsonObject();
                assertEquals(jump.scale(), j.get("scale").getAsDouble());
                assertEquals(jump.noiseWeight(), j.get("noiseWeight").getAsDouble());
                assertFalse(jump.scale() == p.jump(k).scale() && jump.noiseWeight() == p.jump(k).noiseWeight(),
                        e.getKey() + ": the rule's jump is the default one");
            }
        }
    }

    @Test
    void doublesSurviveTheTextBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        JsonArray a = new JsonArray();
        double[] v = new double[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL) * (i % 2 == 0 ? 1 : -1);
            a.add(v[i]);
        }
        JsonArray back = JsonParser.parseString(new GsonBuilder().setPrettyPrinting().create().toJson(a)).getAsJsonArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back.get(i).getAsDouble()));
        }
    }

    /**
     * A schedule of Java functions has no JSON of its own, but a script needs gamma, sigma and their derivatives at
     * every training time, not only on the grids: the plan carries the table a training configuration saves
     * ({@code Tabulation}), which reads back as a schedule within the table's tolerance of the functions.
     */
    @Test
    void aScheduleOfJavaFunctionsGoesIntoThePlanAsItsTable() {
        NoiseSchedule own = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        TemporalPyramid p = TemporalPyramid.uniform(own, 2, 8);
        JsonObject plan = JsonParser.parseString(p.planJson(4)).getAsJsonObject();
        JsonObject s = plan.getAsJsonObject("schedule");
        assertFalse(s.get("diffusersExact").getAsBoolean());
        assertTrue(s.getAsJsonObject("diffusers").has("_tpdiff4j_discretised"));
        assertTrue(s.get("json").isJsonObject(), s.get("json").toString());
        NoiseSchedule table = Schedules.fromJson(s.get("json").toString());
        assertEquals(tpdiff4j.schedule.Tabulation.of(own).schedule(), table);   // the table a configuration saves
        JsonObject report = s.getAsJsonObject("table");
        double tolerance = report.get("tolerance").getAsDouble();
        assertTrue(report.get("maxError").getAsDouble() <= tolerance);
        for (int i = 0; i <= 1000; i++) {   // at any time, not only on the check grid: smooth functions, error << 1e-7
            double t = i / 1000.0;
            assertEquals(own.gamma(t), table.gamma(t), tolerance);
            assertEquals(own.sigma(t), table.sigma(t), tolerance);
            assertEquals(own.sigmaDot(t), table.sigmaDot(t), tolerance);
        }
        assertEquals(2, plan.getAsJsonArray("stages").size());
        assertEquals(4, plan.getAsJsonArray("stages").get(1).getAsJsonObject().get("steps").getAsInt());
        assertThrows(IllegalArgumentException.class, () -> p.planJson(4, 0));
    }

    /** A schedule that no table follows closely enough is refused with the reason, not written without its numbers. */
    @Test
    void aScheduleThatCannotBeTabulatedIsRefusedByName() {
        // sigma = t^(1/4): its derivative grows without bound at t = 0, so no cubic table stays within 1e-7
        NoiseSchedule steep = Schedules.of("quartic-root", t -> 1 - Math.pow(t, 0.25), t -> Math.pow(t, 0.25));
        TemporalPyramid p = TemporalPyramid.uniform(steep, 2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.planJson(4));
        assertTrue(e.getMessage().contains("'quartic-root'") && e.getMessage().contains("plan"), e.getMessage());
    }

    /** Writes the plans and fixtures for the Python check (environment/py/plan_check.py). */
    @Test
    void writeFixturesForThePythonCheck() throws IOException {
        Path dir = Path.of("target", "plan-check");
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) { // no stale fixture from an earlier run may reach the Python check
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> names = new ArrayList<>(List.of(NAMES));
            names.addAll(new TreeSet<>(ABLATIONS.keySet()));
            for (String name : names) {
                TemporalPyramid p = pyramid(name);
                Files.writeString(dir.resolve("plan-" + name + ".json"), planJson(name));
                JsonObject fixture = new JsonObject();
                fixture.addProperty("plan", "plan-" + name + ".json");
                JsonArray cases = new JsonArray();
                SplittableRandom rnd = new SplittableRandom(name.hashCode());
                for (int k = 0; k < p.size(); k++) {
                    for (double tPrime : new double[] {0.137, 0.62, 1.0}) {
                        cases.add(fixtureCase(manager, p, k, p.stage(k).time(tPrime), rnd));
                    }
                }
                fixture.add("cases", cases);
                Files.writeString(dir.resolve("fixture-" + name + ".json"),
                        new GsonBuilder().setPrettyPrinting().create().toJson(fixture));
            }
        }
        assertTrue(Files.size(dir.resolve("fixture-" + NAMES[0] + ".json")) > 1000);
    }

    private static JsonObject fixtureCase(NDManager manager, TemporalPyramid p, int k, double t, SplittableRandom rnd) {
        long[] full = {2, p.frames(), 1, 2, 2};
        Stage st = p.stage(k);
        long[] low = {2, st.frames(), 1, 2, 2};
        double[] x0 = gaussians(rnd, (int) new Shape(full).size());
        double[] eps = gaussians(rnd, (int) new Shape(low).size());
        NDArray x0a = manager.create(x0, new Shape(full));
        NDArray epsa = manager.create(eps, new Shape(low));
        StageEndpoints ends = StageEndpoints.of(p, k, x0a, epsa);
        NoiseSchedule s = p.schedule();
        JsonObject c = new JsonObject();
        c.addProperty("stage", k);
        c.addProperty("t", t);
        c.addProperty("gamma", s.gamma(t));
        c.addProperty("sigma", s.sigma(t));
        c.addProperty("gammaDot", s.gammaDot(t));
        c.addProperty("sigmaDot", s.sigmaDot(t));
        c.add("x0Shape", longs(full));
        c.add("x0", numbers(x0));
        c.add("epsShape", longs(low));
        c.add("eps", numbers(eps));
        c.add("xt", numbers(ends.xt(t).toDoubleArray()));
        JsonObject targets = new JsonObject();
        for (PredictionType type : PredictionType.values()) {
            targets.add(type.name(), numbers(ends.target(type, t).toDoubleArray()));
        }
        c.add("targets", targets);
        return c;
    }

    private static double[] gaussians(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) { // Box-Muller from the seeded stream: fixed values, any distribution would do
            v[i] = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        return v;
    }

    private static JsonArray numbers(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonArray longs(long[] v) {
        JsonArray a = new JsonArray();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }
}
