package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/** Experiments, arms, budgets and curves refuse bad arguments in the library's one form. */
class ExperimentArgumentsTest {

    private static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void experimentPartsAreRefusedByName() {
        ModelConfig model = ModelConfig.tiny(DATA.spec());
        String m = refusal(() -> Experiment.of(null, model));
        assertTrue(m.startsWith("data = null; allowed: "), m);
        m = refusal(() -> Experiment.of(DATA, null));
        assertTrue(m.startsWith("model = null; allowed: "), m);
        m = refusal(() -> Experiment.of(DATA, ModelConfig.tiny(new tpdiff4j.data.VideoSpec(4, 1, 16, 16))));
        assertTrue(m.startsWith("model = 4x1x16x16; allowed: a model that fits the data "), m);
        Experiment exp = Experiment.of(DATA, model);
        assertEquals("budget = null; allowed: Budget.steps(n) or Budget.seconds(s)", refusal(() -> exp.withBudget(null)));
        assertEquals("factory = null; allowed: a function that builds the network on a manager",
                refusal(() -> exp.withNetwork("mine", null)));
        assertEquals("network name = ' '; allowed: a non-blank, stable name for one's own network",
                refusal(() -> exp.withNetwork(" ", m2 -> null)));
    }

    @Test
    void anEpsilonArmOnFlowMatchingIsRefusedWhenConfigured() {
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec()))
                .withPrediction(tpdiff4j.ode.PredictionType.EPSILON);
        String m = refusal(() -> exp.arm("vanilla", TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8)));
        assertTrue(m.startsWith("arm vanilla: prediction = EPSILON with schedule 'flowMatching'; allowed: VELOCITY"), m);
        Experiment ddpm = exp.arm("ddpm", TemporalPyramid.uniform(Schedules.linear(0.00085, 0.012, 1000), 2, 8));
        assertEquals(1, ddpm.arms().size(), "EPSILON on a schedule with gamma(1) > 0 samples");
    }

    /** An arm whose VELOCITY targets cannot be computed is refused when it is added, before any arm trains. */
    @Test
    void aVelocityArmOnASchedulesWithoutUsableDerivativesIsRefusedWhenAdded() {
        Experiment exp = Experiment.of(DATA, ModelConfig.tiny(DATA.spec()));
        TemporalPyramid root = TemporalPyramid.uniform(Schedules.of("root", t -> Math.sqrt(1 - t), Math::sqrt), 2, 8);
        String m = refusal(() -> exp.arm("root", root));
        assertTrue(m.startsWith("arm root: prediction = VELOCITY with schedule 'root': the velocity target"), m);
        assertTrue(m.contains("but sigmaDot(0.0) cannot be computed"), m);
        Experiment epsilon = exp.withPrediction(tpdiff4j.ode.PredictionType.EPSILON).arm("linear",
                TemporalPyramid.uniform(Schedules.linear(0.00085, 0.012, 1000), 2, 8));
        // sqrt(t) at 0 and sqrt(1 - 0.99 t) at 1 are too steep for finite differences: EPSILON targets need none,
        // but the evaluations sample with Euler (the default), which integrates the velocity: refused when added,
        // rather than after the first training slice
        TemporalPyramid rootLinear = TemporalPyramid.uniform(Schedules.of("root-linear", t -> Math.sqrt(1 - 0.99 * t),
                Math::sqrt), 2, 8);
        m = refusal(() -> epsilon.arm("root-linear", rootLinear));
        assertTrue(m.startsWith("arm root-linear: solver = euler with schedule 'root-linear': the euler solver"
                + " integrates dx/dt = gammaDot(t) x0 + sigmaDot(t) eps, whatever the network predicts, at the times of"
                + " each stage's grid, but sigmaDot(0.0) cannot be computed"), m);
        assertTrue(m.endsWith("or withSolver(\"ddim\"), which needs no derivative for an EPSILON network"), m);
        Experiment both = epsilon.withSolver("ddim").arm("root-linear", rootLinear);
        assertEquals(2, both.arms().size(), "EPSILON targets and DDIM steps need no derivative");
        m = refusal(() -> both.withPrediction(tpdiff4j.ode.PredictionType.VELOCITY));
        assertTrue(m.startsWith("arm root-linear: prediction = VELOCITY with schedule 'root-linear'"), m);
        m = refusal(() -> both.withSolver("heun"));
        assertTrue(m.startsWith("arm root-linear: solver = heun with schedule 'root-linear'"), m);
    }

    @Test
    void armPartsAreRefusedByName() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8);
        String m = refusal(() -> Arm.of("a", p).withCoupling(null));
        assertTrue(m.startsWith("arm a: coupling = null; allowed: a non-null value"), m);
    }

    @Test
    void budgetsAndCurvesNameTheValue() {
        assertEquals("steps = unlimited and seconds = Infinity; allowed: a step limit, a time limit or both",
                refusal(() -> Budget.of(Long.MAX_VALUE, Double.POSITIVE_INFINITY)));
        String m = refusal(() -> QualityCurve.empty("c").with(2, 1, 0.5).with(1, 2, 0.4));
        assertEquals("point 1 has seconds = 1.0; allowed: at least 2.0, the seconds of the point before (points in time"
                + " order)", m);
        m = refusal(() -> QualityCurve.empty("c").with(1, 1, 0.5).timeToReach(Double.NaN));
        assertTrue(m.startsWith("target = NaN; allowed: a finite number below MotionQuality.DIVERGED"), m);
        assertEquals("lanes = []; allowed: at least one run",
                refusal(() -> SideBySide.run(java.util.List.of(), Budget.steps(1), 1, null)));
    }

    @Test
    void readingAnExperimentNamesTheFieldOrArgumentTheValueAndWhatIsAllowed() {
        String json = ExperimentTest.experiment().toJson();
        assertEquals("experiment JSON: field 'version' = 9; allowed: 1 (the version this reader knows)",
                refusal(() -> Experiment.fromJson(json.replace("\"version\":1,", "\"version\":9,"), ExperimentTest.DATA)));
        assertEquals("experiment JSON: field 'format' = \"other\"; allowed: \"" + Experiment.FORMAT
                + "\" (the document Experiment.toJson writes)",
                refusal(() -> Experiment.fromJson(json.replace("\"" + Experiment.FORMAT + "\"", "\"other\""), ExperimentTest.DATA)));
        String data = refusal(() -> Experiment.fromJson(json, SpriteVideos.builder().withFrames(8).withSize(32).build()));
        assertTrue(data.startsWith("data = a data set of spec ") && data.contains("; allowed: a data set of spec "), data);
        String other = refusal(() -> Experiment.fromJson(json, SpriteVideos.builder().withFrames(8).withSize(16)
                .withSpeed(1, 2).build()));
        assertTrue(other.startsWith("data = SpriteVideos") && other.contains("; allowed: the data set the experiment was"
                + " run on, SpriteVideos"), other);
        String result = "{\"experiment\": " + json + ", \"device\": \"cpu\", \"complete\": false, \"results\": []}";
        assertEquals("name = 'nope'; allowed: one of the arms []",
                refusal(() -> ExperimentResult.fromJson(result, ExperimentTest.DATA).arm("nope")));
        String notObject = refusal(() -> ExperimentResult.fromJson("[1]", ExperimentTest.DATA));
        assertTrue(notObject.endsWith(" = not a JSON object; allowed: an experiment result, {\"experiment\", \"results\","
                + " \"device\", \"complete\"} as ExperimentResult.save writes it"), notObject);
    }
}
