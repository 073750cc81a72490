package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StageRegressionTest {

    private static double[] targets(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian() * 2 + 1;
        }
        y[0] = 0; // a zero target and (below) zero predictions must be handled
        return y;
    }

    /** Perfect predictions: RMSE 0, MAE 0, R2 1. */
    @Test
    void perfectPredictions() {
        double[] y = targets(500, 1);
        StageFit fit = StageRegression.evaluate(2, y.clone(), y);
        assertEquals(2, fit.stage());
        assertEquals(500, fit.count());
        assertEquals(0.0, fit.rmse(), 1e-12);
        assertEquals(0.0, fit.mae(), 1e-12);
        assertEquals(1.0, fit.r2(), 1e-12);
    }

    /** Predictions off by a constant c: RMSE = MAE = |c| and R2 = 1 - c^2 / var(y) (population variance). */
    @Test
    void constantOffsetAgainstHandComputedValues() {
        double[] y = targets(400, 2);
        double c = 0.3;
        double[] p = new double[y.length];
        double mean = 0;
        for (int i = 0; i < y.length; i++) {
            p[i] = y[i] + c;
            mean += y[i] / y.length;
        }
        p[1] = 0;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < y.length; i++) {
            sse += (p[i] - y[i]) * (p[i] - y[i]);
            sae += Math.abs(p[i] - y[i]);
            sst += (y[i] - mean) * (y[i] - mean);
        }
        StageFit fit = StageRegression.evaluate(0, p, y);
        assertEquals(Math.sqrt(sse / y.length), fit.rmse(), 1e-9);
        assertEquals(sae / y.length, fit.mae(), 1e-9);
        assertEquals(1 - sse / sst, fit.r2(), 1e-9);
    }

    /** Predicting the mean target everywhere gives R2 = 0. */
    @Test
    void meanPredictorHasZeroR2() {
        double[] y = targets(300, 3);
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        double[] p = new double[y.length];
        java.util.Arrays.fill(p, mean);
        assertEquals(0.0, StageRegression.evaluate(1, p, y).r2(), 1e-9);
    }

    /** One fit per stage, in order; float arrays are accepted. */
    @Test
    void perStageAndFloatOverload() {
        double[] y0 = targets(100, 4);
        double[] y1 = targets(100, 5);
        double[] p1 = y1.clone();
        p1[3] += 1.0;
        List<StageFit> fits = StageRegression.perStage(List.of(y0, p1), List.of(y0, y1));
        assertEquals(2, fits.size());
        assertEquals(0.0, fits.get(0).rmse(), 1e-12);
        assertEquals(Math.sqrt(1.0 / 100), fits.get(1).rmse(), 1e-9);
        assertEquals(1, fits.get(1).stage());
        StageFit f = StageRegression.evaluate(0, new float[] {1, 2, 3}, new float[] {1, 2, 4});
        assertEquals(Math.sqrt(1.0 / 3), f.rmse(), 1e-7);
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StageRegression.evaluate(3, new double[] {1, 2}, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().startsWith("stage 3: targets.length = 3; allowed: 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StageRegression.evaluate(0, new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("element 1"));
        assertThrows(IllegalArgumentException.class,
                () -> StageRegression.perStage(List.of(new double[2]), List.of()));
    }
}
