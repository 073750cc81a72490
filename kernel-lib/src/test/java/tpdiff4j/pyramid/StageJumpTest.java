package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * Renoise moments by Monte Carlo (docs/derivation.md section 9): N = 100000 draws of
 * {@code x_e = gamma_e D + sigma_e eps}
 * for fixed data D, then the jump. Tolerances 4/sqrt(N) on standardised moments (mean / sigma_s, correlations) and
 * 4 sqrt(2/N) on variance ratios.
 */
class StageJumpTest extends WithNDManager {

    static final int N = 100_000;
    static final double TOL = 4 / Math.sqrt(N);
    /** Moments of the jumped samples, frame by frame: mean, variance, correlation matrix. */
    record Moments(double[] mean, double[] var, double[][] corr) {}

    static Moments jumpMoments(TemporalPyramid p, JumpRule rule, double[] data, long seed) {
        StageJump j = p.jump(0, rule);
        NoiseSchedule s = p.schedule();
        int f = j.from().frames();
        double e = j.from().end();
        NDArray d = manager.create(data, new Shape(1, f, 1));
        NDArray eps = GaussianNoise.normal(manager, new Shape(N, f, 1), DataType.FLOAT64, seed);
        NDArray xe = eps.mul(s.sigma(e)).add(d.mul(s.gamma(e)));
        double[] x = j.apply(xe, seed + 1).toDoubleArray();
        int g = f * j.factor();
        double[] mean = new double[g];
        for (int n = 0; n < N; n++) {
            for (int a = 0; a < g; a++) {
                mean[a] += x[n * g + a] / N;
            }
        }
        double[][] cov = new double[g][g];
        for (int n = 0; n < N; n++) {
            for (int a = 0; a < g; a++) {
                double da = x[n * g + a] - mean[a];
                for (int b = 0; b < g; b++) {
                    cov[a][b] += da * (x[n * g + b] - mean[b]) / (N - 1);
                }
            }
        }
        double[] var = new double[g];
        double[][] corr = new double[g][g];
        for (int a = 0; a < g; a++) {
            var[a] = cov[a][a];
        }
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                corr[a][b] = cov[a][b] / Math.sqrt(var[a] * var[b]);
            }
        }
        return new Moments(mean, var, corr);
    }

    static void assertTrainingStartDistribution(TemporalPyramid p, double[] data, String what) {
        StageJump j = p.jump(0);
        NoiseSchedule s = p.schedule();
        double st = j.to().start();
        Moments m = jumpMoments(p, JumpRule.CORRECTED, data, 5);
        int b = j.factor();
        for (int a = 0; a < m.mean().length; a++) {
            double expected = s.gamma(st) * data[a / b]; // gamma_s Up(D)
            assertEquals(expected, m.mean()[a], TOL * s.sigma(st), what + ": mean of frame " + a);
            assertEquals(1.0, m.var()[a] / (s.sigma(st) * s.sigma(st)), TOL * Math.sqrt(2), what + ": variance " + a);
            for (int c = 0; c < a; c++) {
                assertEquals(0.0, m.corr()[a][c], TOL, what + ": correlation of frames " + a + ", " + c);
            }
        }
    }

    @Test
    void correctedJumpGivesTheTrainingStartDistributionForB2() {
        double[] data = {0.8, -1.5, 0.3, 2.0};
        for (NoiseSchedule s : new NoiseSchedule[] {Schedules.flowMatching(), Schedules.scaledLinear(0.00085, 0.012, 1000)}) {
            for (WindowConvention c : WindowConvention.values()) {
                TemporalPyramid p = TemporalPyramid.builder(s, 8).withStages(2).withConvention(c).build();
                assertEquals(s.rho(p.stage(1).start()) / Math.sqrt(2), s.rho(p.stage(0).end()), 1e-9);
                assertTrainingStartDistribution(p, data, s.name() + " " + c + " B = 2");
            }
        }
    }

    @Test
    void correctedJumpGivesTheTrainingStartDistributionForB4() {
        double[] data = {1.2, -0.7};
        TemporalPyramid p = TemporalPyramid.builder(Schedules.flowMatching(), 8).withBoundaries(0.4).withRateFactors(4).build();
        assertEquals(2, p.stage(0).frames());
        assertTrainingStartDistribution(p, data, "FM B = 4");
        TemporalPyramid vp = TemporalPyramid.builder(Schedules.vpCosine(), 8).withBoundaries(0.5).withRateFactors(4)
                .withConvention(WindowConvention.B).build();
        assertTrainingStartDistribution(vp, data, "vpCosine B = 4, convention B");
    }

    @Test
    void blockNoiseHasTheRightStructure() {
        NDArray pairs = StageJump.blockNoise(manager, new Shape(3, 4, 2), 2, DataType.FLOAT64, 7);
        assertEquals(new Shape(3, 8, 2), pairs.getShape());
        double[] v = pairs.toDoubleArray();
        for (int n = 0; n < 3; n++) {
            for (int j = 0; j < 4; j++) {
                for (int p = 0; p < 2; p++) {
                    int a = (n * 8 + 2 * j) * 2 + p;
                    assertEquals(0.0, v[a] + v[a + 2], 0.0, "antithetic pairs sum to exactly 0");
                    assertTrue(v[a] != 0.0);
                }
            }
        }
        double[] q = StageJump.blockNoise(manager, new Shape(2, 3, 1), 4, DataType.FLOAT64, 8).toDoubleArray();
        for (int blk = 0; blk < 6; blk++) {
            double sum = 0;
            for (int r = 0; r < 4; r++) {
                sum += q[blk * 4 + r];
            }
            assertEquals(0.0, sum, 1e-14, "a block of 4 sums to 0");
        }
    }

    @Test
    void printedFormulaAndNoRenoiseMissTheStartDistribution() {
        double[] data = {0.8, -1.5, 0.3, 2.0};
        NoiseSchedule fm = Schedules.flowMatching();
        TemporalPyramid p = TemporalPyramid.builder(fm, 8).withStages(2).build();
        double st = p.stage(1).start();
        Moments printed = jumpMoments(p, JumpRule.PAPER_PRINTED, data, 11);
        double worstMean = 0;
        double worstVar = 0;
        for (int a = 0; a < 8; a++) {
            worstMean = Math.max(worstMean, Math.abs(printed.mean()[a] - fm.gamma(st) * data[a / 2]) / fm.sigma(st));
            worstVar = Math.max(worstVar, Math.abs(printed.var()[a] / (fm.sigma(st) * fm.sigma(st)) - 1));
        }
        assertTrue(worstMean > 10 * TOL || worstVar > 10 * TOL * Math.sqrt(2),
                "printed formula misses mean or variance: " + worstMean + ", " + worstVar);
        Moments none = jumpMoments(p, JumpRule.NONE, data, 12);
        for (int j = 0; j < 4; j++) {
            assertEquals(1.0, none.corr()[2 * j][2 * j + 1], 1e-9, "no renoise: duplicated frames fully correlated");
        }
        assertEquals(0.5, none.var()[0] / (fm.sigma(st) * fm.sigma(st)), TOL * Math.sqrt(2) * 0.5,
                "no renoise: half the variance (B = 2)");
    }
}
