package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The ready-made plots put the right numbers in the right traces. */
class PlotsTest {

    private static JsonArray data(Figure f) {
        return JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonArray("data");
    }

    private static JsonObject trace(Figure f, int i) {
        return data(f).get(i).getAsJsonObject();
    }

    private static String axisTitle(JsonObject layout, String axis) {
        JsonObject a = layout.getAsJsonObject(axis);
        return a == null || !a.has("title") ? null : a.getAsJsonObject("title").get("text").getAsString();
    }

    @Test
    void scheduleCurvesAreGammaSigmaAndLogSnr() {
        NoiseSchedule fm = Schedules.flowMatching();
        NoiseSchedule qc = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2));
        Figure f = Plots.schedules(fm, qc);
        assertEquals(3, f.panelCount());
        assertEquals(6, f.traceCount());
        // order: gamma panel (fm, qc), sigma panel (fm, qc), log-SNR panel (fm, qc)
        JsonObject gammaFm = trace(f, 0), sigmaQc = trace(f, 3), snrFm = trace(f, 4);
        JsonArray t = gammaFm.getAsJsonArray("x");
        assertEquals(Plots.CURVE_POINTS, t.size());
        for (int i = 0; i < t.size(); i += 20) {
            double ti = t.get(i).getAsDouble();
            assertEquals(1 - ti, gammaFm.getAsJsonArray("y").get(i).getAsDouble(), 1e-12);
            assertEquals(Math.sin(ti * Math.PI / 2), sigmaQc.getAsJsonArray("y").get(i).getAsDouble(), 1e-12);
            if (i > 0 && i < t.size() - 1) {
                assertEquals(2 * Math.log((1 - ti) / ti), snrFm.getAsJsonArray("y").get(i).getAsDouble(), 1e-9);
            }
        }
        assertTrue(snrFm.getAsJsonArray("y").get(0).isJsonNull(), "log-SNR(0) = +inf is a gap");
        assertEquals("y3", snrFm.get("yaxis").getAsString());
        assertEquals(true, gammaFm.get("showlegend").getAsBoolean());
        assertEquals(false, sigmaQc.get("showlegend").getAsBoolean(), "one legend entry per schedule");
        assertEquals(gammaFm.getAsJsonObject("line").get("color"), trace(f, 2).getAsJsonObject("line").get("color"),
                "a schedule keeps its colour across panels");
        // the quarter circle's gamma(1) = cos(pi / 2) = 6e-17 gives log-SNR -74: the panel is cut at +-15 and says so
        JsonObject layout = JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonObject("layout");
        assertEquals("[-15.0,15.0]", layout.getAsJsonObject("yaxis3").get("range").toString());
        assertTrue(layout.toString().contains("log-SNR(t), axis cut at \u00b115"), layout.toString());
        // every panel's axes are titled, the y axes by what the curve is
        assertEquals(List.of("gamma (signal scale)", "sigma (noise scale)", "2 log(gamma / sigma)"),
                List.of(axisTitle(layout, "yaxis"), axisTitle(layout, "yaxis2"), axisTitle(layout, "yaxis3")));
        assertEquals(List.of("t", "t", "t"),
                List.of(axisTitle(layout, "xaxis"), axisTitle(layout, "xaxis2"), axisTitle(layout, "xaxis3")));
        // flow matching alone stays within +-11 away from its infinite ends: its own range, the plain title
        layout = JsonParser.parseString(Plots.schedules(fm).toJson()).getAsJsonObject().getAsJsonObject("layout");
        assertFalse(layout.getAsJsonObject("yaxis3").has("range"));
        assertFalse(layout.toString().contains("cut"), layout.toString());
    }

    @Test
    void trajectoriesFromTheRecorderDrawEveryPathWithGaps() {
        TrajectoryRecorder rec = new TrajectoryRecorder();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 3 particles moving from (i, 0) to (i, 1) in two steps: x_s = (i, s / 2)
            for (int s = 0; s < 2; s++) {
                NDArray x = m.create(new float[] {0, s / 2f, 1, s / 2f, 2, s / 2f}, new Shape(3, 2));
                rec.onStep(s, 1 - s / 2.0, x, null);
            }
            rec.end(0, m.create(new float[] {0, 1, 1, 1, 2, 1}, new Shape(3, 2)));
            assertThrows(IllegalArgumentException.class, () -> rec.end(0, m.zeros(new Shape(3, 3))));
        }
        assertEquals(3, rec.size());
        assertEquals(0.5, rec.times()[1], 0);
        Figure f = Plots.trajectories(rec);
        JsonObject paths = trace(f, 0);
        JsonArray x = paths.getAsJsonArray("x"), y = paths.getAsJsonArray("y");
        assertEquals(3 * 4, x.size(), "3 points per path plus a gap");
        assertEquals(1.0, x.get(4).getAsDouble(), 0);
        assertEquals(0.5, y.get(5).getAsDouble(), 0);
        assertTrue(x.get(3).isJsonNull());
        assertEquals(1.0, trace(f, 2).getAsJsonArray("y").get(2).getAsDouble(), 0, "end points");
        assertEquals("x", JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonObject("layout")
                .getAsJsonObject("yaxis").get("scaleanchor").getAsString());
        assertThrows(IllegalArgumentException.class, () -> Plots.trajectories(List.of(new double[2][2], new double[3][2])));
        assertEquals(1.0, Plots.straightness(rec.points()), 1e-12, "straight paths");
    }

    @Test
    void straightnessIsChordOverPathLength() {
        // particle 0: (0,0) -> (1,0) -> (1,1): chord sqrt 2, length 2; particle 1 does not move (left out)
        List<double[][]> steps = List.of(new double[][] {{0, 0}, {5, 5}}, new double[][] {{1, 0}, {5, 5}},
                new double[][] {{1, 1}, {5, 5}});
        assertEquals(Math.sqrt(2) / 2, Plots.straightness(steps), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Plots.straightness(List.<double[][]>of(new double[1][2])));
    }

    @Test
    void matchingDrawsPairsAndTheirMeanSquaredDistance() {
        double[][] data = {{0, 0}, {10, 0}};
        double[][] noise = {{10, 1}, {0, 1}};
        Figure f = Plots.matching(data, noise, new int[] {1, 0});
        JsonObject independent = trace(f, 0), aligned = trace(f, 3);
        // independent: data 0 with noise 0 = (10, 1): squared distance 101 each -> mean 101
        assertEquals(10.0, independent.getAsJsonArray("x").get(0).getAsDouble(), 0);
        assertEquals(0.0, aligned.getAsJsonArray("x").get(0).getAsDouble(), 0, "aligned: data 0 with noise 1 = (0, 1)");
        String layout = JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonObject("layout").toString();
        assertTrue(layout.contains("101.000") && layout.contains("= 1.000"), layout);
        assertThrows(IllegalArgumentException.class, () -> Plots.matching(data, noise, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Plots.matching(data, new double[][] {{1, 2}}, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Plots.matching(new double[][] {{1, 2, 3}, {0, 0}}, noise, new int[] {0, 1}));
    }

    @Test
    void barsAndStageWindowsCarryTheGivenNumbers() {
        Figure m = Plots.renoiseMoments(new double[] {0.01, 0.2, 0.5}, new double[] {0.02, 0.3, 0.9});
        assertEquals("printed", trace(m, 0).getAsJsonArray("x").get(1).getAsString());
        assertEquals(0.9, trace(m, 1).getAsJsonArray("y").get(2).getAsDouble(), 0);
        assertThrows(IllegalArgumentException.class, () -> Plots.renoiseMoments(new double[] {1, 2}, new double[] {1, 2, 3}));
        Figure c = Plots.costModel(new String[] {"vanilla", "K=3"}, new double[] {1, 21.0 / 48});
        assertEquals(21.0 / 48, trace(c, 0).getAsJsonArray("y").get(1).getAsDouble(), 0);
        Figure w = Plots.stageWindows(new double[] {1, 2 / 3.0, 1 / 3.0}, new double[] {2 / 3.0, 1 / 3.0, 0}, new int[] {4, 8, 16});
        assertEquals(3, w.traceCount());
        JsonObject s1 = trace(w, 1);
        assertEquals(1 / 3.0, s1.getAsJsonArray("x").get(0).getAsDouble(), 1e-15);
        assertEquals(2 / 3.0, s1.getAsJsonArray("x").get(1).getAsDouble(), 1e-15);
        assertEquals(1.0, s1.getAsJsonArray("y").get(0).getAsDouble(), 0);
        assertTrue(s1.get("name").getAsString().contains("8 frames"));
        assertThrows(IllegalArgumentException.class, () -> Plots.stageWindows(new double[] {1}, new double[] {0, 1}, new int[] {1}));
        assertEquals(w.width(), w.toImage().getWidth());
    }

    @Test
    void pyramidPlotsShowTheApiNumbers() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        Figure w = Plots.stageWindows(p);
        assertEquals(4, w.traceCount(), "three stages and the nominal boundaries");
        assertEquals("flowMatching: 3 stages, 16 frames, convention A", w.title());
        assertEquals("flowMatching: 1 stage, 16 frames, convention A",
                Plots.stageWindows(TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16)).title());
        for (int k = 0; k < 3; k++) {
            JsonObject s = trace(w, k);
            assertEquals(p.stages().get(k).end(), s.getAsJsonArray("x").get(0).getAsDouble(), 0);
            assertEquals(p.stages().get(k).start(), s.getAsJsonArray("x").get(1).getAsDouble(), 0);
            assertTrue(s.get("name").getAsString().contains(p.stages().get(k).frames() + " frames"));
        }
        // boundary lines in sampling order (jump 0 first), each drawn as x, x, NaN
        assertEquals(2 / 3.0, trace(w, 3).getAsJsonArray("x").get(0).getAsDouble(), 1e-12, "jump 0 at t = 2/3");
        assertEquals(1 / 3.0, trace(w, 3).getAsJsonArray("x").get(3).getAsDouble(), 1e-12, "jump 1 at t = 1/3");
        Figure c = Plots.costModel(2.0, p, TemporalPyramid.uniform(Schedules.flowMatching(), 2, 16));
        assertEquals(1.0, trace(c, 0).getAsJsonArray("y").get(0).getAsDouble(), 0);
        assertEquals(21.0 / 48, trace(c, 0).getAsJsonArray("y").get(1).getAsDouble(), 1e-12);
        assertEquals(5.0 / 8, trace(c, 0).getAsJsonArray("y").get(2).getAsDouble(), 1e-12, "K = 2: (1/4 + 1) / 2");
        assertEquals("K=3 (4-8-16)", trace(c, 0).getAsJsonArray("x").get(1).getAsString());
        // both axes say what they show (the x axis had no title; the bars' labels alone did not say what they list)
        JsonObject costLayout = JsonParser.parseString(c.toJson()).getAsJsonObject().getAsJsonObject("layout");
        assertEquals("pyramid (frames per stage)",
                costLayout.getAsJsonObject("xaxis").getAsJsonObject("title").get("text").getAsString());
        assertEquals("cost factor", costLayout.getAsJsonObject("yaxis").getAsJsonObject("title").get("text").getAsString());
        Figure j = Plots.jumps(p);
        assertEquals(2 * JumpRule.values().length, j.traceCount());
        int corrected = java.util.Arrays.asList(JumpRule.values()).indexOf(JumpRule.CORRECTED);
        assertEquals(p.jump(1).scale(), trace(j, corrected).getAsJsonArray("y").get(1).getAsDouble(), 0);
        assertEquals(p.jump(0).noiseWeight(),
                trace(j, JumpRule.values().length + corrected).getAsJsonArray("y").get(0).getAsDouble(), 0);
        assertThrows(IllegalArgumentException.class, () -> Plots.jumps(TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16)));
        // both panels say what their bars measure, not only the left one
        JsonObject layout = JsonParser.parseString(j.toJson()).getAsJsonObject().getAsJsonObject("layout");
        for (String axis : new String[] {"yaxis", "yaxis2"}) {
            assertEquals("coefficient", layout.getAsJsonObject(axis).getAsJsonObject("title").get("text").getAsString(), axis);
        }
    }
}
