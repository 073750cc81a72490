package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Stages, windows, jump coefficients, cost model and JSON (docs/derivation.md sections 4, 9, 10 and 12). */
class TemporalPyramidTest {

    static final NoiseSchedule FM = Schedules.flowMatching();

    /**
     * maxStages(F) is the largest K that uniform accepts for F frames, and every smaller K is accepted too: checked
     * against uniform itself for every F up to 70 (K up to 7), so the two can never disagree.
     */
    @Test
    void maxStagesIsTheLargestKThatUniformAcceptsForTheFrames() {
        for (int f = 1; f <= 70; f++) {
            int max = TemporalPyramid.maxStages(f);
            for (int k = 1; k <= max; k++) {
                assertEquals(k, TemporalPyramid.uniform(FM, k, f).size(), "F = " + f + ", K = " + k);
            }
            int over = max + 1, frames = f;
            assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, over, frames),
                    "F = " + f + " cannot hold K = " + over);
        }
        assertEquals(4, TemporalPyramid.maxStages(16));
        assertEquals(3, TemporalPyramid.maxStages(8), "8 frames: 2 -> 4 -> 8, not 1 -> 2 -> 4 -> 8");
        assertEquals(3, TemporalPyramid.maxStages(12));
        assertEquals(1, TemporalPyramid.maxStages(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.maxStages(0));
        assertEquals("frames = 0; allowed: a frame count >= 1", e.getMessage());
    }

    @Test
    void uniformFlowMatchingK3HasTheDocumentedStages() {
        TemporalPyramid p = TemporalPyramid.uniform(FM, 3, 16);
        List<Stage> s = p.stages();
        assertEquals(3, s.size());
        assertArrayEquals(new int[] {4, 8, 16}, s.stream().mapToInt(Stage::frames).toArray());
        assertArrayEquals(new int[] {4, 2, 1}, s.stream().mapToInt(Stage::rateFactor).toArray());
        // convention A: stages start on the nominal boundaries, end where rho is divided by sqrt 2
        assertEquals(1.0, s.get(0).start());
        assertEquals(2.0 / 3, s.get(1).start(), 1e-15);
        assertEquals(1.0 / 3, s.get(2).start(), 1e-15);
        assertEquals(0.0, s.get(2).end());
        for (int i = 0; i < 2; i++) {
            double e = s.get(i).end();
            double sNext = s.get(i + 1).start();
            assertEquals(FM.rho(sNext) / Math.sqrt(2), FM.rho(e), 1e-12, "rho_e = rho_s / sqrt 2");
            // docs/derivation.md section 9, temporal x2 analogue in data fraction d = 1 - s: e = sqrt2 d / ((1 - d)
            // + sqrt2 d) (data frac)
            double d = 1 - sNext;
            assertEquals(Math.sqrt(2) * d / ((1 - d) + Math.sqrt(2) * d), 1 - e, 1e-12);
            assertEquals(d + (1 - d) / Math.sqrt(2), p.jump(i).scale(), 1e-12);
            assertEquals((1 - d) / Math.sqrt(2), p.jump(i).noiseWeight(), 1e-12);
        }
    }

    @Test
    void conventionBEndsOnTheBoundaryAndStartsNoisier() {
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).withStages(3).withConvention(WindowConvention.B).build();
        assertEquals(2.0 / 3, p.stage(0).end(), 1e-15);
        assertEquals(1.0 / 3, p.stage(1).end(), 1e-15);
        for (int i = 1; i < 3; i++) {
            assertEquals(Math.sqrt(2) * FM.rho(p.stage(i - 1).end()), FM.rho(p.stage(i).start()), 1e-12);
        }
        assertEquals(1.0, p.stage(0).start());
        assertEquals(0.0, p.stage(2).end());
    }

    @Test
    void pyramidFlowSpatialConstantsAreTheB4SpecialCase() {
        // Pyramid Flow (B = 4 block noise, corr -1/3), data fraction d = 1 - t = 2/3 at the boundary t = 1/3
        TemporalPyramid a = TemporalPyramid.builder(FM, 16).withBoundaries(1.0 / 3).withRateFactors(4).build();
        StageJump j = a.jump(0);
        assertEquals(4, j.factor());
        double d = 2.0 / 3;
        assertEquals((1 + d) / 2, j.scale(), 1e-12);
        assertEquals(0.8333333333333334, j.scale(), 1e-12);
        assertEquals(Math.sqrt(3) * (1 - d) / 2, j.noiseWeight(), 1e-12);
        assertEquals(0.28867513459481287, j.noiseWeight(), 1e-12);
        assertEquals(2 * d / (1 + d), 1 - a.stage(0).end(), 1e-12);
        assertEquals(0.8, 1 - a.stage(0).end(), 1e-12);
        // Pyramid Flow code convention (B): the next stage starts at rho_s = 2 rho(1/3), i.e. t = 0.5
        TemporalPyramid b = TemporalPyramid.builder(FM, 16).withBoundaries(1.0 / 3).withRateFactors(4)
                .withConvention(WindowConvention.B).build();
        assertEquals(0.5, b.stage(1).start(), 1e-12);
        assertEquals(1.0 / 3, b.stage(0).end(), 1e-15);
        assertArrayEquals(new int[] {4, 16}, b.stages().stream().mapToInt(Stage::frames).toArray());
    }

    @Test
    void correctedAndPrintedCoefficientsForVpSchedules() {
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        TemporalPyramid p = TemporalPyramid.uniform(sd, 3, 16);
        for (int i = 0; i < 2; i++) {
            double s = p.stage(i + 1).start();
            double gs = sd.gamma(s);
            double ss = sd.sigma(s);
            // VP closed form: gamma_s / gamma_e = sqrt(gamma_s^2 + sigma_s^2 / B)
            assertEquals(Math.sqrt(gs * gs + ss * ss / 2), p.jump(i).scale(), 1e-9);
            assertEquals(ss / Math.sqrt(2), p.jump(i).noiseWeight(), 1e-12);
            StageJump printed = p.jump(i, JumpRule.PAPER_PRINTED);
            assertEquals(Math.sqrt(2) * gs / (ss + Math.sqrt(2) * gs), printed.scale(), 1e-12);
            assertEquals(ss / Math.sqrt(2), printed.noiseWeight(), 1e-12);
            assertEquals(0.0, p.jump(i, JumpRule.NONE).noiseWeight());
            assertTrue(Math.abs(printed.scale() - p.jump(i).scale()) > 0.05, "printed scale differs");
        }
    }

    /**
     * The flow-matching closed form of the corrected scale, gamma_s / gamma_e = (1 - s) + s / sqrt(B), for B = 2, 3, 4
     * under both conventions, and the worked example of derivation.md section 9.3 (K = 3, the jump at s = 2/3,
     * convention A): the moments the two rules hand the next stage follow from scale a and noise weight w alone,
     * mean a gamma_e A, per-frame variance a^2 sigma_e^2 + w^2 and pair covariance a^2 sigma_e^2 - w^2 (the shared
     * noise of a repeated frame plus the antithetic pair). Closed forms in double: 1e-12; the table's rounded values:
     * half a unit of their last digit.
     */
    @Test
    void flowMatchingScaleClosedFormAndTheWorkedExampleOfThePrintedFormula() {
        for (int b : new int[] {2, 3, 4}) {
            for (WindowConvention c : WindowConvention.values()) {
                TemporalPyramid p = TemporalPyramid.builder(FM, 4 * b * b).withBoundaries(0.6, 0.3)
                        .withRateFactors(b, b).withConvention(c).build();
                for (int i = 0; i < 2; i++) {
                    double s = p.stage(i + 1).start();
                    assertEquals((1 - s) + s / Math.sqrt(b), p.jump(i).scale(), 1e-12, "B = " + b + " " + c + " jump " + i);
                    assertEquals(s * Math.sqrt((b - 1.0) / b), p.jump(i).noiseWeight(), 1e-12);
                }
            }
        }
        TemporalPyramid p = TemporalPyramid.uniform(FM, 3, 16);
        double s = p.stage(1).start(), e = p.stage(0).end();
        assertEquals(2.0 / 3, s, 1e-15);
        assertEquals(Math.sqrt(2) / (1 + Math.sqrt(2)), e, 1e-12);
        assertEquals(0.5858, e, 5e-5);
        double ge = FM.gamma(e), se = FM.sigma(e), gs = FM.gamma(s), ss = FM.sigma(s);
        // the printed coefficient is the value of gamma_e (v1 Eq. 22), where Eq. 14 needs the ratio gamma_s / gamma_e
        for (int i = 0; i < 2; i++) {
            assertEquals(FM.gamma(p.stage(i).end()), p.jump(i, JumpRule.PAPER_PRINTED).scale(), 1e-12, "jump " + i);
        }
        double[][] table = { // scale, noise weight, mean / A, per-frame variance, correlation in a pair
            {0.8047, 0.4714, 0.3333, 0.4444, 0.0},
            {0.4142, 0.4714, 0.1716, 0.2811, -0.58}};
        JumpRule[] rules = {JumpRule.CORRECTED, JumpRule.PAPER_PRINTED};
        for (int r = 0; r < 2; r++) {
            StageJump j = p.jump(0, rules[r]);
            double a = j.scale(), w = j.noiseWeight();
            double mean = a * ge, variance = a * a * se * se + w * w, covariance = a * a * se * se - w * w;
            double[] got = {a, w, mean, variance, covariance / variance};
            for (int q = 0; q < 5; q++) {
                double half = q == 4 ? 5e-3 : 5e-5;
                assertEquals(table[r][q], got[q], half, rules[r] + " column " + q);
            }
        }
        // the corrected rule hands over exactly the training start: mean gamma_s A, variance sigma_s^2, no correlation
        StageJump corrected = p.jump(0);
        assertEquals(gs, corrected.scale() * ge, 1e-12);
        assertEquals(ss * ss, corrected.scale() * corrected.scale() * se * se + corrected.noiseWeight() * corrected.noiseWeight(), 1e-12);
        assertEquals(0.0, corrected.scale() * corrected.scale() * se * se - corrected.noiseWeight() * corrected.noiseWeight(), 1e-12);
    }

    @Test
    void costModelMatchesThePaperAndAnyAllocation() {
        TemporalPyramid p = TemporalPyramid.uniform(FM, 3, 16);
        assertEquals(21.0 / 48, p.costFactor(2.0), 1e-15);
        assertEquals(7.0 / 12, p.costFactor(1.0), 1e-15);
        assertEquals(85.0 / 256, TemporalPyramid.uniform(FM, 4, 16).costFactor(2.0), 1e-15);
        assertEquals(15.0 / 32, TemporalPyramid.uniform(FM, 4, 16).costFactor(1.0), 1e-15);
        assertEquals(0.6875, p.costFactor(1.0, 1, 1, 2), 1e-15); // late-heavy 1-1-2
        assertEquals(0.5, p.costFactor(1.0, 2, 1, 1), 1e-15);    // early-heavy 2-1-1
        assertEquals((20 * 0.25 + 5 * 0.5 + 5) / 30, p.costFactor(1.0, 20, 5, 5), 1e-15);
        assertEquals(1.0, TemporalPyramid.uniform(FM, 1, 16).costFactor(2.0));
        // rate factor 4 per jump: 2, 8, 32 frames of 32
        TemporalPyramid r4 = TemporalPyramid.builder(FM, 32).withStages(3).withRateFactors(4).build();
        assertArrayEquals(new int[] {2, 8, 32}, r4.stages().stream().mapToInt(Stage::frames).toArray());
        assertEquals((1.0 / 256 + 1.0 / 16 + 1) / 3, r4.costFactor(2.0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> p.costFactor(1.0, 1, 1));
    }

    @Test
    void jsonRoundTripKeepsEverything() {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.scaledLinear(0.00085, 0.012, 1000), 16)
                .withBoundaries(0.6, 0.25).withRateFactors(2, 4).withConvention(WindowConvention.B).build();
        TemporalPyramid q = TemporalPyramid.fromJson(p.toJson());
        assertEquals(p, q);
        assertEquals(p.stages(), q.stages());
        assertArrayEquals(new int[] {2, 4}, q.rateFactors());
        assertArrayEquals(new double[] {0.6, 0.25}, q.boundaries());
        assertTrue(p.toJson().contains("\"boundaries\":[0.0,0.25,0.6,1.0]"), p.toJson());
        TemporalPyramid u = TemporalPyramid.uniform(FM, 3, 16);
        assertEquals(u.stages(), TemporalPyramid.fromJson(u.toJson()).stages());
    }

    @Test
    void badConfigurationsAreRejectedWithMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.uniform(FM, 3, 10));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withBoundaries(0.4, 0.5));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withRateFactors(1));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withStages(3).withRateFactors(2, 2, 2)
                .build());
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 3, 16).jump(2));
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 3, 16).stageWithFrames(5));
        assertTrue(e.getMessage().contains("frames = 5") && e.getMessage().contains("[4, 8, 16]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 1, 16).jump(0));
        assertTrue(e.getMessage().contains("jump index = 0") && e.getMessage().contains("no jump"), e.getMessage());
    }

    /**
     * One rate factor without withStages or withBoundaries leaves K at its default of 3: a refusal says so and names
     * the largest K that this factor allows (16 frames with factor 4: K <= 2, as 4 -> 16; 3 stages would need 4 * 4
     * = 16 and leave stage 0 one frame), next to the largest K with factor 2 (16 = 2 * 2^3: K <= 4).
     */
    @Test
    void aRefusedDefaultStageCountSaysItIsTheDefaultAndWhatTheGivenFactorAllows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withRateFactors(4).build());
        assertTrue(e.getMessage().contains("K = 3 stages (the default K; withStages(k) sets it)"), e.getMessage());
        assertTrue(e.getMessage().contains("K <= 2 stages with rate factor 4"), e.getMessage());
        assertTrue(e.getMessage().contains("K <= 4 stages with rate factor 2"), e.getMessage());
        assertArrayEquals(new int[] {4, 16}, TemporalPyramid.builder(FM, 16).withStages(2).withRateFactors(4).build()
                .stages().stream().mapToInt(Stage::frames).toArray());
        // 12 frames with factor 3: 3 * 3 = 9 does not divide 12, and 4 -> 12 (K = 2) is the largest pyramid
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 12).withRateFactors(3).build());
        assertTrue(e.getMessage().contains("K <= 2 stages with rate factor 3"), e.getMessage());
        // a K the user chose is not called the default
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withStages(3)
                .withRateFactors(4).build());
        assertFalse(e.getMessage().contains("default"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 5, 16));
        assertFalse(e.getMessage().contains("default"), e.getMessage());
    }

    /** Every per-stage and per-jump list is in sampling order: boundary i and rate factor i belong to jump i. */
    @Test
    void boundariesRateFactorsAndStepsShareTheSamplingOrder() {
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).withBoundaries(0.5, 0.25).withRateFactors(4, 2).build();
        assertArrayEquals(new int[] {2, 8, 16}, p.stages().stream().mapToInt(Stage::frames).toArray());
        // nominal windows [0.5, 1], [0.25, 0.5], [0, 0.25]; convention A keeps the starts on the boundaries
        assertEquals(1.0, p.stage(0).start());
        assertEquals(0.5, p.stage(1).start(), 1e-15);
        assertEquals(0.25, p.stage(2).start(), 1e-15);
        // jump 0 at t = 0.5 with factor 4: rho_e = rho(0.5) / sqrt(4)
        assertEquals(4, p.jump(0).factor());
        assertEquals(FM.rho(0.5) / 2, FM.rho(p.stage(0).end()), 1e-12);
        assertEquals(2, p.jump(1).factor());
        assertEquals(FM.rho(0.25) / Math.sqrt(2), FM.rho(p.stage(1).end()), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.25}, p.boundaries());
        assertArrayEquals(new int[] {4, 2}, p.rateFactors());
        // the accessors feed the builder back unchanged
        assertEquals(p, TemporalPyramid.builder(FM, 16).withBoundaries(p.boundaries())
                .withRateFactors(p.rateFactors()).build());
        // uniform boundaries are listed in sampling order too
        assertArrayEquals(new double[] {0.75, 0.5, 0.25}, TemporalPyramid.uniform(FM, 4, 16).boundaries(), 1e-15);
        assertArrayEquals(new double[0], TemporalPyramid.uniform(FM, 1, 16).boundaries());
        // steps per stage in the same order: 2 frames for 10 steps, 8 for 0, 16 for 2 (p = 1)
        assertEquals((10 * 2.0 / 16 + 2 * 1.0) / 12, p.costFactor(1.0, 10, 0, 2), 1e-15);
    }

    @Test
    void withScheduleKeepsTheDesignAndMovesTheWindows() {
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).withBoundaries(0.6, 0.3).withRateFactors(2, 4)
                .withConvention(WindowConvention.B).build();
        TemporalPyramid q = p.withSchedule(sd);
        assertEquals(sd, q.schedule());
        assertEquals(TemporalPyramid.builder(sd, 16).withBoundaries(0.6, 0.3).withRateFactors(2, 4)
                .withConvention(WindowConvention.B).build(), q);
        assertArrayEquals(p.boundaries(), q.boundaries());
        assertArrayEquals(p.rateFactors(), q.rateFactors());
        assertEquals(p.convention(), q.convention());
        assertEquals(p.frames(), q.frames());
        // convention B: stage 1 starts where rho = sqrt(B) rho(0.6) under the new schedule
        assertEquals(Math.sqrt(2) * sd.rho(0.6), sd.rho(q.stage(1).start()), 1e-9 * sd.rho(q.stage(1).start()));
        assertTrue(Math.abs(q.stage(1).start() - p.stage(1).start()) > 1e-3, "windows follow the schedule");
        assertEquals(p, q.withSchedule(FM));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.withSchedule(null));
        assertTrue(e.getMessage().contains("schedule = null"), e.getMessage());
    }

    @Test
    void builderContradictionsNameTheProblem() {
        // boundaries imply K = 3; withStages(4) contradicts (was an ArrayIndexOutOfBoundsException)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withBoundaries(0.5, 0.25).withStages(4).build());
        assertTrue(e.getMessage().contains("K = 3") && e.getMessage().contains("withStages(4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withStages(4).withBoundaries(0.5, 0.25).build());
        assertTrue(e.getMessage().contains("K = 3") && e.getMessage().contains("withStages(4)"), e.getMessage());
        // a single rate factor 4 with K = 3 and 16 frames would leave stage 0 one frame (was silent)
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withStages(3).withRateFactors(4).build());
        String m = e.getMessage();
        assertTrue(m.contains("frames = 16") && m.contains("K = 3") && m.contains("[4, 4]") && m.contains("1 frame")
                && m.contains("withRateFactors(2, 2), withRateFactors(2, 4), withRateFactors(4, 2)") && m.contains("K <= 4"), m);
        // not divisible
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 3, 12 + 2));
        assertTrue(e.getMessage().contains("not divisible") && e.getMessage().contains("frames = 14"), e.getMessage());
        // product above the frame count
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withRateFactors(8, 8).build());
        assertTrue(e.getMessage().contains("above 16"), e.getMessage());
        // rate factors for the wrong number of jumps
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withBoundaries(0.5, 0.25).withRateFactors(2, 2, 2).build());
        assertTrue(e.getMessage().contains("K = 3 stages have 2 jumps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withStages(1).withRateFactors(2).build());
        assertTrue(e.getMessage().contains("no rate factors for one stage"), e.getMessage());
        // boundaries in t order are refused with the sampling-order hint
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withBoundaries(0.25, 0.5));
        assertTrue(e.getMessage().contains("sampling order") && e.getMessage().contains("withBoundaries(0.5, 0.25)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withBoundaries(1.0, 0.5));
        assertTrue(e.getMessage().contains("boundaries[0] = 1.0") && e.getMessage().contains("(0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).withRateFactors(2, 1));
        assertTrue(e.getMessage().contains("rateFactors[1] = 1") && e.getMessage().contains(">= 2"), e.getMessage());
        // K is inferred from the boundaries or from a list of rate factors
        assertEquals(2, TemporalPyramid.builder(FM, 16).withBoundaries(0.3).build().size());
        assertArrayEquals(new int[] {2, 4, 8, 16}, TemporalPyramid.builder(FM, 16).withRateFactors(2, 2, 2).build()
                .stages().stream().mapToInt(Stage::frames).toArray());
        // K = 4 at 32 frames with rate 2: 4, 8, 16, 32
        assertArrayEquals(new int[] {4, 8, 16, 32}, TemporalPyramid.uniform(FM, 4, 32).stages().stream()
                .mapToInt(Stage::frames).toArray());
    }

    @Test
    void equalityWorksForASchedulesOfJavaFunctionsAndFollowsTheDesign() {
        NoiseSchedule mine = Schedules.of("cosine-flow", t -> 0.5 * (1 + Math.cos(Math.PI * t)),
                t -> 0.5 * (1 - Math.cos(Math.PI * t)));
        TemporalPyramid a = TemporalPyramid.uniform(mine, 3, 16);
        TemporalPyramid b = TemporalPyramid.uniform(mine, 3, 16);
        assertEquals(a, b);   // the same schedule object, the same design: no JSON needed
        assertEquals(a.hashCode(), b.hashCode());
        Set<TemporalPyramid> set = new HashSet<>(List.of(a, b));
        assertEquals(1, set.size());
        assertNotEquals(a, TemporalPyramid.builder(mine, 16).withBoundaries(0.5, 0.25).build());
        assertNotEquals(a, TemporalPyramid.uniform(mine, 3, 32));
        assertNotEquals(a, TemporalPyramid.builder(mine, 16).withStages(3).withConvention(WindowConvention.B).build());
        assertNotEquals(a, TemporalPyramid.builder(mine, 16).withStages(2).withRateFactors(4).build());
        assertNotEquals(a, a.withSchedule(Schedules.of("cosine-flow", t -> 0.5 * (1 + Math.cos(Math.PI * t)),
                t -> 0.5 * (1 - Math.cos(Math.PI * t)))));   // two lambda schedules are different objects
        // built-in schedules compare by value, so a JSON round trip gives an equal pyramid
        TemporalPyramid c = TemporalPyramid.builder(Schedules.scaledLinear(0.00085, 0.012, 1000), 16)
                .withBoundaries(0.7, 0.2).build();
        assertEquals(c, TemporalPyramid.fromJson(c.toJson()));
        assertEquals(c.hashCode(), TemporalPyramid.fromJson(c.toJson()).hashCode());
        assertNotEquals(c, c.withSchedule(Schedules.linear(0.00085, 0.012, 1000)));
    }

    /**
     * A discrete DDPM schedule has finite log-SNR at both ends (Stable Diffusion 1.5: -5.364 at t = 1, 7.069 at
     * t = 0), so convention B cannot start a stage sqrt(2) times noisier than a boundary near 1, nor convention A end
     * one sqrt(2) times cleaner than a boundary near 0. The message names the boundary, the convention, how far the
     * boundary may go and the other convention; the limit it prints is the real one (just inside it builds, just
     * outside it does not).
     */
    @Test
    void aBoundaryTooCloseToTheEndOfADiscreteScheduleNamesTheLimitAndTheOtherConvention() {
        NoiseSchedule sd = Schedules.scaledLinear(0.00085, 0.012, 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(sd, 16)
                .withBoundaries(0.97).withConvention(WindowConvention.B).build());
        String m = e.getMessage();
        assertTrue(m.contains("boundaries[0] = 0.97") && m.contains("convention B") && m.contains("noisier than t = 1")
                && m.contains("a boundary <= ") && m.contains("or convention A"), m);
        double limitB = sd.timeAtLogSnr(sd.logSnr(1.0) + Math.log(2));
        assertTrue(m.contains(String.format("%.6g", limitB)), m);
        assertEquals(1.0, TemporalPyramid.builder(sd, 16).withBoundaries(limitB - 1e-9)
                .withConvention(WindowConvention.B).build().stage(1).start(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(sd, 16).withBoundaries(limitB + 1e-6)
                .withConvention(WindowConvention.B).build());
        assertEquals(0.97, TemporalPyramid.builder(sd, 16).withBoundaries(0.97).build().stage(1).start(), 0.0);

        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(sd, 16)
                .withBoundaries(0.5, 0.0005).build());
        m = e.getMessage();
        assertTrue(m.contains("boundaries[1] = " + 0.0005) && m.contains("convention A") && m.contains("cleaner than t = 0")
                && m.contains("a boundary >= ") && m.contains("or convention B"), m);
        double limitA = sd.timeAtLogSnr(sd.logSnr(0.0) - Math.log(2));
        assertTrue(m.contains(String.format("%.6g", limitA)), m);
        assertEquals(0.0, TemporalPyramid.builder(sd, 16).withBoundaries(0.5, limitA + 1e-9).build().stage(1).end(),
                1e-6);
    }

    /** A NaN exponent made a NaN cost factor (and a NaN bar in the cost plot) without a word; a null rule an NPE. */
    @Test
    void aNonFiniteCostExponentAndANullJumpRuleAreRefused() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.costFactor(bad));
            assertTrue(e.getMessage().startsWith("exponent = " + bad) && e.getMessage().contains("finite"), e.getMessage());
        }
        assertEquals(21.0 / 48, p.costFactor(2), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.jump(0, null));
        assertTrue(e.getMessage().startsWith("jump rule = null") && e.getMessage().contains("CORRECTED"), e.getMessage());
    }
}
