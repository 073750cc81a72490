package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentFitTest {

    @Test
    void exactPowerLawIsRecovered() {
        double[] x = {8, 16, 32, 64};
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            y[i] = 3.5 * Math.pow(x[i], 1.7);
        }
        ExponentFit f = ExponentFit.fit(x, y);
        assertEquals(1.7, f.exponent(), 1e-12);
        assertEquals(3.5, f.prefactor(), 1e-10);
        assertEquals(1.0, f.r2(), 1e-12);
        assertEquals(3.5 * Math.pow(20, 1.7), f.predict(20), 1e-9);
    }

    @Test
    void twoPointsGiveTheLogSlope() {
        ExponentFit f = ExponentFit.fit(new double[] {10, 40}, new double[] {2, 8});
        assertEquals(1.0, f.exponent(), 1e-12);
    }

    @Test
    void noisyFitMatchesTheClosedFormRegression() {
        Random rnd = new Random(3);
        double[] x = {4, 8, 16, 32, 64};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * Math.pow(x[i], 0.8) * Math.exp(0.1 * rnd.nextGaussian());
        }
        // slope = cov(log x, log y) / var(log x), computed independently with sums of products
        double n = x.length, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            double lx = Math.log(x[i]), ly = Math.log(y[i]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        ExponentFit f = ExponentFit.fit(x, y);
        assertEquals(slope, f.exponent(), 1e-12);
        assertTrue(f.r2() > 0.9 && f.r2() < 1, "r2 = " + f.r2());
    }

    @Test
    void badInputIsRefusedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExponentFit.fit(new double[] {1, 2}, new double[] {1, -1}));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExponentFit.fit(new double[] {2, 2}, new double[] {1, 3}));
        assertThrows(IllegalArgumentException.class, () -> ExponentFit.fit(new double[] {2}, new double[] {1}));
    }
}
