package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** Stages, windows, jump coefficients, cost model and JSON (docs/derivation.md sections 4, 9, 10 and 12). */
class TemporalPyramidTest {

    static final NoiseSchedule FM = Schedules.flowMatching();

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
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).stages(3).convention(WindowConvention.B).build();
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
        TemporalPyramid a = TemporalPyramid.builder(FM, 16).boundaries(1.0 / 3).rateFactors(4).build();
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
        TemporalPyramid b = TemporalPyramid.builder(FM, 16).boundaries(1.0 / 3).rateFactors(4)
                .convention(WindowConvention.B).build();
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
        // rate factor 4 per jump: 1, 4, 16 frames of 16
        TemporalPyramid r4 = TemporalPyramid.builder(FM, 16).stages(3).rateFactors(4).build();
        assertArrayEquals(new int[] {1, 4, 16}, r4.stages().stream().mapToInt(Stage::frames).toArray());
        assertEquals((1.0 / 256 + 1.0 / 16 + 1) / 3, r4.costFactor(2.0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> p.costFactor(1.0, 1, 1));
    }

    @Test
    void jsonRoundTripKeepsEverything() {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.scaledLinear(0.00085, 0.012, 1000), 16)
                .boundaries(0.25, 0.6).rateFactors(2, 4).convention(WindowConvention.B).build();
        TemporalPyramid q = TemporalPyramid.fromJson(p.toJson());
        assertEquals(p, q);
        assertEquals(p.stages(), q.stages());
        assertArrayEquals(new int[] {2, 4}, q.rateFactors());
        assertArrayEquals(new double[] {0, 0.25, 0.6, 1}, q.boundaries());
        TemporalPyramid u = TemporalPyramid.uniform(FM, 3, 16);
        assertEquals(u.stages(), TemporalPyramid.fromJson(u.toJson()).stages());
    }

    @Test
    void badConfigurationsAreRejectedWithMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.uniform(FM, 3, 10));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).boundaries(0.5, 0.4));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).rateFactors(1));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16).stages(3).rateFactors(2, 2, 2)
                .build());
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 3, 16).jump(2));
        assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(FM, 3, 16).stageWithFrames(5));
    }
}
