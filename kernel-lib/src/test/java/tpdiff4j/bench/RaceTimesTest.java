package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;

class RaceTimesTest {

    /** Mass of logit-normal(0, 1) over [a, b] by composite Simpson in the logit (smooth integrand, 2000 panels). */
    private static double mass(double a, double b) {
        double la = a <= 0 ? -12 : Math.log(a / (1 - a)), lb = b >= 1 ? 12 : Math.log(b / (1 - b));
        int n = 2000;
        double h = (lb - la) / n, sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = la + i * h;
            double f = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3;
    }

    @Test
    void thePapersDrawLeavesTheArmsAsTheyAre() {
        // the library's flow-matching configuration of each arm, untouched by the paper's draw, at every stage count
        for (BenchArm arm : BenchArm.values()) {
            for (int k : new int[] {2, 3, 4}) {
                TrainConfig plain = TrainConfig.flowMatching(arm.pyramid() ? k : 1, 16, 5);
                TrainConfig expected = arm == BenchArm.TPDIFF_ALIGNED
                        ? plain.withCoupling(tpdiff4j.align.BatchNoiseAligner.l2()) : plain;
                assertEquals(expected, arm.config(16, 5, RaceTimes.UNIFORM, k), arm + ", K = " + k);
                assertEquals(expected, RaceTimes.UNIFORM.apply(expected));
            }
            assertEquals(arm.config(16, 5, RaceTimes.UNIFORM, 3), arm.config(16, 5), "the paper's K = 3 by default");
        }
    }

    @Test
    void logitNormalDrawsStagesByTheCurvesMassOverTheirWindowsInBothArms() {
        TrainConfig tp = BenchArm.TPDIFF_ALIGNED.config(16, 5, RaceTimes.LOGIT_NORMAL, 3);
        TemporalPyramid p = tp.pyramid();
        double[] w = tp.stageDraw().probabilities(p);
        assertEquals(3, w.length);
        // the windows [e_k, s_k] overlap (each stage starts where the previous one's upsampled state lands), so the
        // probabilities are the masses over the windows normalised to sum 1
        double[] m = new double[3];
        double total = 0;
        for (int k = 0; k < 3; k++) {
            m[k] = mass(p.stage(k).end(), p.stage(k).start());
            total += m[k];
        }
        for (int k = 0; k < 3; k++) {
            // Simpson's error with 2000 panels is far below 1e-9 here; the library's normal CDF is good to ~1e-12
            assertEquals(m[k] / total, w[k], 1e-9, "stage " + k);
        }
        assertEquals(StageTimeDraw.globalLogitNormal(0, 1), tp.timeDraw());
        assertEquals(BenchArm.TPDIFF_ALIGNED.config(16, 5).coupling().toString(), tp.coupling().toString(), "alignment untouched");
        TrainConfig v = BenchArm.VANILLA.config(16, 5, RaceTimes.LOGIT_NORMAL, 3);
        assertEquals(1, v.stages());
        assertEquals(StageTimeDraw.globalLogitNormal(0, 1), v.timeDraw());
        assertEquals(1.0, v.stageDraw().probabilities(v.pyramid())[0], 0);
    }

    @Test
    void theLogitNormalRaceSpendsFewerFlopsPerTPDiffStepThanTheUniformOne() {
        Preset uniform = Preset.quick(), ln = uniform.withTimes(RaceTimes.LOGIT_NORMAL);
        double vanilla = Bed.stepFlops(uniform, BenchArm.VANILLA);
        assertEquals(vanilla, Bed.stepFlops(ln, BenchArm.VANILLA), 1e-6 * vanilla, "one stage: the same work");
        double paper = Bed.stepFlops(uniform, BenchArm.TPDIFF_ALIGNED) / vanilla;
        double option = Bed.stepFlops(ln, BenchArm.TPDIFF_ALIGNED) / vanilla;
        // the full-rate stage is drawn with probability ~0.2 instead of 1/3, so the mean step is cheaper
        assertTrue(option < paper - 0.05, option + " against " + paper);
        assertEquals(Bed.costFactor(ln, 2.0), 0.3 / 16 + 0.5 / 4 + 0.2, 0.01, "quadratic cost factor at ~(0.3, 0.5, 0.2)");
    }
}
