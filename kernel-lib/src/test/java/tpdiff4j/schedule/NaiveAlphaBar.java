package tpdiff4j.schedule;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A second, deliberately naive implementation of the beta schedules for the tests: betas from their textbook
 * definitions and the cumulative product in 40-digit decimal arithmetic ({@link BigDecimal}), independent of the
 * float64 code under test.
 */
final class NaiveAlphaBar {

    static final MathContext MC = new MathContext(40);

    private NaiveAlphaBar() {
    }

    static BigDecimal[] linearBetas(double b0, double b1, int n) {
        BigDecimal start = new BigDecimal(b0);
        BigDecimal stop = new BigDecimal(b1);
        BigDecimal[] betas = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            BigDecimal frac = new BigDecimal(i).divide(new BigDecimal(n - 1), MC);
            betas[i] = start.add(stop.subtract(start).multiply(frac, MC), MC);
        }
        return betas;
    }

    static BigDecimal[] scaledLinearBetas(double b0, double b1, int n) {
        BigDecimal start = new BigDecimal(b0).sqrt(MC);
        BigDecimal stop = new BigDecimal(b1).sqrt(MC);
        BigDecimal[] betas = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            BigDecimal frac = new BigDecimal(i).divide(new BigDecimal(n - 1), MC);
            BigDecimal r = start.add(stop.subtract(start).multiply(frac, MC), MC);
            betas[i] = r.multiply(r, MC);
        }
        return betas;
    }

    /** Improved DDPM: beta_i = min(1 - f((i+1)/n) / f(i/n), 0.999), f(u) = cos^2(((u + 0.008) / 1.008) pi / 2). */
    static BigDecimal[] cosineBetas(int n) {
        BigDecimal[] betas = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            double f1 = Math.pow(Math.cos(((i + 1.0) / n + 0.008) / 1.008 * Math.PI / 2), 2);
            double f0 = Math.pow(Math.cos(((double) i / n + 0.008) / 1.008 * Math.PI / 2), 2);
            BigDecimal beta = BigDecimal.ONE.subtract(new BigDecimal(f1).divide(new BigDecimal(f0), MC), MC);
            betas[i] = beta.min(new BigDecimal("0.999"));
        }
        return betas;
    }

    static BigDecimal[] alphaBar(BigDecimal[] betas) {
        BigDecimal[] out = new BigDecimal[betas.length];
        BigDecimal p = BigDecimal.ONE;
        for (int i = 0; i < betas.length; i++) {
            p = p.multiply(BigDecimal.ONE.subtract(betas[i]), MC);
            out[i] = p;
        }
        return out;
    }
}
