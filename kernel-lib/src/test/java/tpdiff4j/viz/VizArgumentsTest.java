package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Figures, traces, videos and plots refuse bad arguments in the library's one form, {@code name = value; allowed:
 * ...}, and a null the same way (they were NullPointerExceptions from {@code Objects.requireNonNull}).
 */
class VizArgumentsTest {

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void tracesNameTheValueAndWhatIsAllowed() {
        assertEquals("opacity = 1.5; allowed: a number in [0, 1]", refusal(() -> Trace.line(new double[] {1}).opacity(1.5)));
        assertEquals("bins = 0; allowed: at least 1", refusal(() -> Trace.histogram(new double[] {1}).bins(0)));
        assertEquals("dash = wavy; allowed: " + String.join(", ", Colors.DASHES) + " or null (the default of the"
                + " trace's place)", refusal(() -> Trace.line(new double[] {1}).dash("wavy")));
        assertEquals("x = null; allowed: an array (not null)", refusal(() -> Trace.scatter(null, new double[1])));
        assertEquals("x = []; allowed: at least one point", refusal(() -> Trace.scatter(new double[0], new double[0])));
        assertEquals("bar: values.length = 1; allowed: categories.length = 2, at least 1",
                refusal(() -> Trace.bar(new String[] {"a", "b"}, new double[] {1})));
        assertEquals("histogram: values = 1 values, none finite; allowed: at least one finite number",
                refusal(() -> Trace.histogram(new double[] {Double.NaN})));
        assertEquals("heatmap: z[1] = a row of length 1; allowed: a row of length 2 like row 0 (z is rectangular)",
                refusal(() -> Trace.heatmap(new double[][] {{1, 2}, {3}})));
    }

    @Test
    void figuresNameTheValueAndWhatIsAllowed() {
        assertEquals("traces[1] = null; allowed: a Trace", refusal(() -> Figure.of(Trace.line(new double[] {1}), null)));
        assertEquals("traces = null; allowed: an array, each a Trace", refusal(() -> Figure.of((Trace[]) null)));
        assertEquals("add: traces[0] = null; allowed: a Trace", refusal(() -> Figure.line(new double[] {1}).add((Trace) null)));
        assertEquals("grid: cols = 0; allowed: at least 1", refusal(() -> Figure.grid(0, Figure.line(new double[] {1}))));
        assertEquals("grid: figures[0] = null; allowed: a Figure", refusal(() -> Figure.grid(1, (Figure) null)));
        assertEquals("grid: figures = []; allowed: at least one figure", refusal(() -> Figure.grid(1)));
        assertEquals("size = 40x300; allowed: width and height within 50..8000 pixels",
                refusal(() -> Figure.line(new double[] {1}).size(40, 300)));
    }

    @Test
    void videosNameTheValueAndWhatIsAllowed() {
        float[][][][] clip = new float[2][1][2][2];
        assertEquals("fps = 0; allowed: 1..50", refusal(() -> Video.of(clip).fps(0)));
        assertEquals("scale = 33; allowed: 1..32", refusal(() -> Video.of(clip).scale(33)));
        assertEquals("cols = 0; allowed: at least 1", refusal(() -> Video.of(clip).cols(0)));
        assertEquals("grid: videos[1] = null; allowed: a Video", refusal(() -> Video.grid(2, Video.of(clip), null)));
        assertEquals("stages = []; allowed: at least one clip", refusal(() -> Video.stages(java.util.List.of())));
        assertEquals("stages.get(0) = a String; allowed: one clip (NDArray, float[][][][] or a one-clip Video)",
                refusal(() -> Video.stages(java.util.List.of("x"))));
        assertEquals("clip = null; allowed: a non-empty float[F][C][H][W]", refusal(() -> Video.of((float[][][][]) null)));
        try (NDManager m = NDManager.newBaseManager()) {
            String msg = refusal(() -> Video.of(m.zeros(new Shape(2, 2))));
            assertEquals("clip = an array of shape (2, 2); allowed: shape [F, C, H, W] or [1, F, C, H, W]", msg);
        }
    }

    @Test
    void plotsNameTheValueAndWhatIsAllowed() {
        double[][] pts = {{0, 0}, {1, 1}};
        assertEquals("matching: assignment[1] = 0; allowed: a permutation of 0..1",
                refusal(() -> Plots.matching(pts, pts, new int[] {0, 0})));
        assertEquals("assignment = null; allowed: an array (not null)", refusal(() -> Plots.matching(pts, pts, null)));
        String m = refusal(() -> Plots.matching(new double[][] {{0, 0}, {1}}, pts, new int[] {0, 1}));
        assertTrue(m.endsWith("[1] = 1 coordinates; allowed: [N][2] points"), m);
        assertEquals("schedules.get(0) = null; allowed: a NoiseSchedule",
                refusal(() -> Plots.schedules(Arrays.asList((tpdiff4j.schedule.NoiseSchedule) null))));
        assertEquals("schedules = []; allowed: at least one NoiseSchedule", refusal(() -> Plots.schedules()));
        assertEquals("pyramid = a pyramid of 1 stage (no jump); allowed: a TemporalPyramid of at least 2 stages",
                refusal(() -> Plots.jumps(tpdiff4j.pyramid.TemporalPyramid.uniform(
                        tpdiff4j.schedule.Schedules.flowMatching(), 1, 8))));
        assertEquals("matching: noise = 1 points; allowed: 2, the points of data",
                refusal(() -> Plots.matching(pts, new double[][] {{0, 0}}, new int[] {0, 1})));
        assertEquals("trajectories: steps = []; allowed: at least one recorded step",
                refusal(() -> Plots.trajectories(java.util.List.<double[][]>of())));
    }
}
