package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tpdiff4j.experiment.QualityCurve;

/** One seed per process: the slowdown test on a run's slices, the choice between attempts, the JSON channel, a real child. */
class SeedProcessTest {

    private static QualityCurve curve(double[][] secondsAndSteps) {
        QualityCurve c = QualityCurve.empty("c");
        for (double[] p : secondsAndSteps) {
            c = c.with(p[0], (long) p[1], 1);
        }
        return c;
    }

    @Test
    void slowdownComparesTheSlicesAfterTheFirst() {
        // first slice (warm-up) at 0.1 s per step is left out; then 0.05, 0.05, 0.1 s per step: the last slice 2x slower
        assertEquals(2.0, SeedProcess.slowdown(curve(new double[][] {{0, 0}, {30, 300}, {60, 900}, {90, 1500}, {120, 1800}})), 1e-12);
        // constant speed after the warm-up: 1 (steps and seconds are exact in binary: no rounding)
        assertEquals(1.0, SeedProcess.slowdown(curve(new double[][] {{0, 0}, {30, 300}, {60, 800}, {90, 1300}})), 0);
        // one slice after the first is not enough to compare
        assertTrue(Double.isNaN(SeedProcess.slowdown(curve(new double[][] {{0, 0}, {30, 300}, {60, 800}}))));
    }

    private static Map<BenchArm, TrainBench.Run> seed(double vanillaSecondsPerStep, double lastSliceSeconds) {
        Map<BenchArm, TrainBench.Run> m = new EnumMap<>(BenchArm.class);
        QualityCurve c = curve(new double[][] {{0, 0}, {10, 100}, {20, 200}, {20 + lastSliceSeconds, 300}});
        m.put(BenchArm.VANILLA, new TrainBench.Run(BenchArm.VANILLA, 1000, c, vanillaSecondsPerStep, 300, 3e9, new double[] {1, 2}));
        m.put(BenchArm.TPDIFF_ALIGNED, new TrainBench.Run(BenchArm.TPDIFF_ALIGNED, 1000, c, 0.05, 300, 1e9, new double[0]));
        return m;
    }

    @Test
    void ofTwoAttemptsTheOneAtFullSpeedCountsElseTheFaster() {
        Map<BenchArm, TrainBench.Run> slow = seed(0.1, 30), steady = seed(0.2, 10), fast = seed(0.05, 10);
        assertTrue(SeedProcess.slowed(slow), "a slice 3x slower than the one before");
        assertFalse(SeedProcess.slowed(steady));
        assertSame(steady, TrainBench.better(slow, steady));
        assertSame(steady, TrainBench.better(steady, slow));
        assertSame(fast, TrainBench.better(steady, fast));
        assertSame(steady, TrainBench.better(steady, seed(0.2, 10)), "a tie keeps the first attempt");
        assertEquals(3.0, TrainBench.maxSlowdown(slow), 1e-12);
        // counted attempts: one slowed within its run, one 4x slower per vanilla step than the fastest, one at full speed
        assertEquals(java.util.List.of(1000L, 1001L), TrainBench.slowedSeeds(java.util.List.of(slow, steady, fast)));
        assertEquals(java.util.List.of(), TrainBench.slowedSeeds(java.util.List.of(steady, steady)));
    }

    @Test
    void runsSurviveTheJsonChannel() {
        Map<BenchArm, TrainBench.Run> runs = TrainBenchTest.seed(new double[] {3.9, Double.NaN, 3.7});
        Map<BenchArm, TrainBench.Run> back = SeedProcess.fromJson(SeedProcess.toJson(runs));
        assertEquals(runs.keySet(), back.keySet());
        for (BenchArm a : runs.keySet()) {
            TrainBench.Run x = runs.get(a), y = back.get(a);
            assertEquals(x.mode(), y.mode());
            assertEquals(x.seed(), y.seed());
            assertEquals(x.curve(), y.curve());
            assertEquals(x.secondsPerStep(), y.secondsPerStep(), 0);
            assertEquals(x.steps(), y.steps());
            assertEquals(x.flopsPerStep(), y.flopsPerStep(), 0);
            assertArrayEquals(x.noise(), y.noise(), 0);
        }
    }

    /** A real child JVM trains both arms of one seed of a short preset and hands the runs back. */
    @Test
    void aChildProcessTrainsOneSeed() {
        Preset p = Preset.quick().withTrainSeconds(2);
        Map<BenchArm, TrainBench.Run> runs = SeedProcess.run(p, 1007, true);
        assertTrainedAllArms(p, 1007, runs);
    }

    /**
     * A four-stage race end to end in a real child: the child's TPDiff arm trains the 2-4-8-16 pyramid (its FLOPs per step
     * are those of four stages, not three) and evaluates with 8/8/7/7 calls (its untrained network scores otherwise than
     * the three-stage race's, from the same initial weights, data and sampling seed); vanilla is the same in both races.
     */
    @Test
    void aFourStageRaceTrainsAndSamplesFourStagesInTheChild() {
        Preset k3 = Preset.quick().withTrainSeconds(2), k4 = k3.withStages(4);
        Map<BenchArm, TrainBench.Run> four = SeedProcess.run(k4, 1009, true), three = SeedProcess.run(k3, 1009, true);
        assertTrainedAllArms(k4, 1009, four);
        double flops4 = four.get(BenchArm.TPDIFF_ALIGNED).flopsPerStep(), flops3 = three.get(BenchArm.TPDIFF_ALIGNED).flopsPerStep();
        assertEquals(Bed.stepFlops(k4, BenchArm.TPDIFF_ALIGNED), flops4, 0);
        assertEquals(Bed.stepFlops(k3, BenchArm.TPDIFF_ALIGNED), flops3, 0);
        assertTrue(flops4 < 0.95 * flops3, "four stages train fewer frames a step on average: " + flops4 + " vs " + flops3);
        assertEquals(three.get(BenchArm.VANILLA).flopsPerStep(), four.get(BenchArm.VANILLA).flopsPerStep(), 0);
        assertEquals(three.get(BenchArm.VANILLA).curve().points().get(0).quality(),
                four.get(BenchArm.VANILLA).curve().points().get(0).quality(), 0, "vanilla's untrained network scores alike");
        double untrained4 = four.get(BenchArm.TPDIFF_ALIGNED).curve().points().get(0).quality();
        double untrained3 = three.get(BenchArm.TPDIFF_ALIGNED).curve().points().get(0).quality();
        assertTrue(Math.abs(untrained4 - untrained3) > 1e-6 * Math.abs(untrained3),
                "the same untrained weights sampled through 4 stages and through 3 give other clips: " + untrained4 + " vs " + untrained3);
    }

    /** Every arm of the preset came back trained for seed {@code seed}, evaluated at every point; vanilla with its noise. */
    private static void assertTrainedAllArms(Preset p, long seed, Map<BenchArm, TrainBench.Run> runs) {
        assertEquals(TrainBench.modes(p), runs.keySet().stream().toList());
        for (TrainBench.Run r : runs.values()) {
            assertEquals(seed, r.seed());
            assertTrue(r.steps() > 0 && r.secondsPerStep() > 0, r.steps() + " steps, " + r.secondsPerStep() + " s per step");
            assertEquals(p.evalPoints() + 1, r.curve().points().size(), r.curve().toString());
            assertTrue(r.curve().points().stream().allMatch(q -> Double.isFinite(q.quality())), r.curve().toString());
        }
        assertEquals(p.noiseSeeds(), runs.get(BenchArm.VANILLA).noise().length, "vanilla's child measures the metric noise");
        assertEquals(runs.get(BenchArm.VANILLA).curve().finalQuality(), runs.get(BenchArm.VANILLA).noise()[0], 0);
    }

    @Test
    void aSeedsChildEndsWhenItsParentIsKilled() throws Exception {
        // a SIGKILL leaves the parent no clean-up of its own: the child must notice and stop by itself
        String java = SeedProcess.javaExecutable();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ParentWatchHelper.class.getName(), "parent")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ProcessHandle child = null;
        try {
            String line = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.startsWith("child "), "parent said " + line);
            child = ProcessHandle.of(Long.parseLong(line.substring("child ".length()))).orElseThrow();
            assertTrue(child.isAlive(), "the child runs while its parent does");
            parent.destroyForcibly().waitFor();
            // it sleeps for 60 s unless it stops with its parent; the JDK polls a process that is not its own child
            child.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(child.isAlive());
        } finally {
            parent.destroyForcibly();
            if (child != null) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void armsInParallelGetAChildEachOtherwiseOneChildTrainsThemAll() {
        Preset p = Preset.quick().withUnaligned(true);
        assertEquals(java.util.List.of(TrainBench.modes(p)), SeedProcess.children(p));
        assertEquals(java.util.List.of(java.util.List.of(BenchArm.VANILLA), java.util.List.of(BenchArm.TPDIFF_ALIGNED),
                java.util.List.of(BenchArm.TPDIFF_UNALIGNED)), SeedProcess.children(p.withArmsInParallel(true)));
    }

    /** With the arms in parallel, each arm's child trains it for the whole budget; vanilla's measures the noise. */
    @Test
    void armsInParallelTrainInChildrenOfTheirOwn() {
        Preset p = Preset.quick().withTrainSeconds(4).withArmsInParallel(true);
        Map<BenchArm, TrainBench.Run> runs = SeedProcess.run(p, 1008, true);
        assertTrainedAllArms(p, 1008, runs);
        for (TrainBench.Run r : runs.values()) {
            // the last step may end past the budget by up to a step's time (about 1 s a step on a loaded machine)
            var pts = r.curve().points();
            double last = r.curve().finalSeconds(), step = last / Math.max(1, pts.get(pts.size() - 1).steps());
            assertTrue(last >= 3.5 && last <= 4 + step + 0.5, "each arm trains for the whole budget: " + r.curve());
        }
        assertEquals(0, runs.get(BenchArm.TPDIFF_ALIGNED).noise().length);
        // the same seed trained round robin in one child gives the same first evaluation (same initial weights and data)
        Map<BenchArm, TrainBench.Run> turns = SeedProcess.run(p.withArmsInParallel(false), 1008, true);
        for (BenchArm a : runs.keySet()) {
            assertEquals(turns.get(a).curve().points().get(0).quality(), runs.get(a).curve().points().get(0).quality(), 0,
                    a + ": the untrained network scores alike in both set-ups");
        }
    }
}
