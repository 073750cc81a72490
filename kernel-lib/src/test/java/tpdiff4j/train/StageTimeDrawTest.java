package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StageTimeDrawTest {

    static final int DRAWS = 200_000;
    static final int BINS = 20;

    /** Integral of the stated density over [a, b] by composite Simpson (the density is smooth inside (0, 1)). */
    static double mass(StageTimeDraw d, double a, double b) {
        // the end points 0 and 1 are outside the density's domain: integrate from 1e-12 instead; the mass left out is
        // below 1e-12 for every rule tested (power a >= 1 and logit-normal vanish at both ends)
        double lo = Math.max(a, 1e-12), hi = Math.min(b, 1 - 1e-12);
        int n = 4000;
        double h = (hi - lo) / n, s = d.density(lo) + d.density(hi);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * d.density(lo + i * h);
        }
        return s * h / 3;
    }

    @Test
    void drawsFollowTheStatedDensityWithinBinomialTolerance() {
        for (StageTimeDraw d : List.of(StageTimeDraw.uniform(), StageTimeDraw.power(2), StageTimeDraw.power(1.5),
                StageTimeDraw.logitNormal(0, 1), StageTimeDraw.logitNormal(1, 0.5))) {
            SplittableRandom rng = new SplittableRandom(12345);
            long[] count = new long[BINS];
            for (int i = 0; i < DRAWS; i++) {
                double t = d.draw(rng);
                assertTrue(t > 0 && t <= 1, d + " drew " + t);
                count[Math.min(BINS - 1, (int) (t * BINS))]++;
            }
            double total = 0;
            for (int b = 0; b < BINS; b++) {
                double p = mass(d, (double) b / BINS, (b + 1.0) / BINS);
                total += p;
                // each bin count is Binomial(DRAWS, p): 5 standard deviations (two-sided chance ~6e-7 per bin), plus
                // 2 counts for the quadrature (Simpson with 4000 panels on smooth densities: error far below 1e-5)
                double tol = 5 * Math.sqrt(DRAWS * p * (1 - p)) + 2;
                assertEquals(DRAWS * p, count[b], tol, d + " bin " + b);
            }
            assertEquals(1.0, total, 1e-3, d + ": the stated density must integrate to 1");
        }
    }

    @Test
    void aGlobalDrawFollowsOneCurveInsideEveryWindowAndTheStageDrawByMassCompletesIt() {
        StageTimeDraw g = StageTimeDraw.globalLogitNormal(0.3, 0.8);
        StageTimeDraw local = StageTimeDraw.logitNormal(0.3, 0.8);
        tpdiff4j.pyramid.TemporalPyramid pyr = tpdiff4j.pyramid.TemporalPyramid.uniform(
                tpdiff4j.schedule.Schedules.flowMatching(), 3, 16);
        double[] masses = g.windowMasses(pyr);
        double[] probs = StageDraw.byMass(g, pyr).probabilities(pyr);
        double total = java.util.Arrays.stream(masses).sum();
        for (int k = 0; k < 3; k++) {
            tpdiff4j.pyramid.Stage st = pyr.stages().get(k);
            // the mass is the curve's integral over the window (Simpson, error far below 1e-6)
            assertEquals(mass(local, st.end(), st.start()), masses[k], 1e-6, "mass of window " + k);
            assertEquals(masses[k] / total, probs[k], 1e-15, "stage " + k + " drawn in proportion to its mass");
            // inside the window, t = e + t' (s - e) follows the curve restricted to it: bins of the window against
            // the curve's mass over each bin, within 5 binomial standard deviations
            SplittableRandom rng = new SplittableRandom(4242 + k);
            int n = 100_000, bins = 10;
            long[] count = new long[bins];
            double e = st.end(), s = st.start();
            for (int i = 0; i < n; i++) {
                double tp = g.draw(rng, s, e);
                assertTrue(tp > 0 && tp <= 1, g + " drew t' = " + tp + " in window " + k);
                count[Math.min(bins - 1, (int) (tp * bins))]++;
            }
            for (int b = 0; b < bins; b++) {
                double p = mass(local, e + b * (s - e) / bins, e + (b + 1) * (s - e) / bins) / masses[k];
                assertEquals(n * p, count[b], 5 * Math.sqrt(n * p * (1 - p)) + 2, g + " window " + k + " bin " + b);
            }
        }
        // on the whole axis the global rule is the stage-local one with the same parameters, and a one-stage
        // pyramid gets the whole mass
        assertEquals(local.density(0.4), g.density(0.4), 0);
        tpdiff4j.pyramid.TemporalPyramid one = tpdiff4j.pyramid.TemporalPyramid.uniform(
                tpdiff4j.schedule.Schedules.flowMatching(), 1, 16);
        assertEquals(1.0, g.windowMasses(one)[0], 1e-15);
        assertEquals(g, StageTimeDraw.fromJsonObject(g.toJsonObject()));
        assertEquals("globalLogitNormal(0.3, 0.8)", g.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> local.windowMasses(pyr));
        assertTrue(e.getMessage().contains("stage-local") && e.getMessage().contains("globalLogitNormal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageDraw.byMass(local, pyr));
        assertTrue(e.getMessage().contains("global = logitNormal(0.3, 0.8)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.draw(new SplittableRandom(1), 0.2, 0.5));
        assertTrue(e.getMessage().contains("start = 0.2, end = 0.5") && e.getMessage().contains("end < start"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.globalLogitNormal(0, 0));
        assertTrue(e.getMessage().contains("globalLogitNormal m = 0.0, s = 0.0"), e.getMessage());
    }

    @Test
    void stageLocalRulesIgnoreTheWindowAndDrawAsBefore() {
        for (StageTimeDraw d : List.of(StageTimeDraw.uniform(), StageTimeDraw.power(2), StageTimeDraw.logitNormal(0, 1))) {
            SplittableRandom a = new SplittableRandom(5), b = new SplittableRandom(5);
            for (int i = 0; i < 100; i++) {
                assertEquals(d.draw(a), d.draw(b, 0.667, 0.261), 0.0, d + ": the window changes nothing");
            }
        }
    }

    @Test
    void theDefaultIsThePapersUniformDrawOnTheSameRandomStream() {
        SplittableRandom a = new SplittableRandom(9), b = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            assertEquals(1.0 - b.nextDouble(), StageTimeDraw.uniform().draw(a), 0.0); // bit-identical to before
        }
    }

    @Test
    void jsonRoundTripAndValidation() {
        for (StageTimeDraw d : List.of(StageTimeDraw.uniform(), StageTimeDraw.power(3), StageTimeDraw.logitNormal(-0.5, 2))) {
            assertEquals(d, StageTimeDraw.fromJsonObject(d.toJsonObject()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.power(0));
        assertTrue(e.getMessage().contains("power a = 0.0") && e.getMessage().contains("a > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.logitNormal(0, -1));
        assertTrue(e.getMessage().contains("s = -1.0") && e.getMessage().contains("s > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StageTimeDraw("beta", 0, 0));
        assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("logitNormal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.logitNormal(Double.NaN, 1));
    }

    /**
     * Every rule draws t' in (0, 1], as documented, also where the arithmetic underflows: power(0.001) is
     * {@code u^1000}, which is 0 in double precision for u below e^(-0.745) (almost half the draws); such draws come
     * back as the smallest positive double, as the logit-normal rules already did.
     */
    @Test
    void drawsStayInsideZeroToOneWhereThePowerUnderflows() {
        for (StageTimeDraw d : List.of(StageTimeDraw.power(0.001), StageTimeDraw.power(1e-6), StageTimeDraw.logitNormal(0, 500),
                StageTimeDraw.globalLogitNormal(-3, 500))) {
            SplittableRandom rng = new SplittableRandom(4);
            int tiny = 0;
            for (int i = 0; i < 2000; i++) {
                double t = d.draw(rng, 0.5, 0.0);
                assertTrue(t > 0 && t <= 1, d + ": t' = " + t);
                if (t == Double.MIN_VALUE) {
                    tiny++;
                }
            }
            assertTrue(tiny > 0, d + ": the test reaches the underflow");
        }
    }

    /**
     * A window where the global curve has no mass a double can hold (its mean far beyond the window's noisy start):
     * the restricted normal's limit is the window's end nearest the mean, so every draw is the noisy start, t' = 1 up
     * to the rounding of sigmoid(logit(start)) (1e-9 is far above that rounding and far below any other draw). On a
     * thread that flushes subnormals to zero, as a training thread does, this draw was an IllegalArgumentException
     * "x = NaN" from deep inside the normal's quantile.
     */
    @Test
    void aWindowWithoutMassUnderTheGlobalCurveDrawsItsNearEndAlsoWhereSubnormalsFlushToZero() throws Exception {
        StageTimeDraw far = StageTimeDraw.globalLogitNormal(30, 0.01);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> mode = new java.util.concurrent.atomic.AtomicReference<>();
        Thread flushing = new Thread(() -> {
            mode.set(tpdiff4j.ode.Denormals.applyToThisThread());
            try {
                SplittableRandom rng = new SplittableRandom(11);
                for (double[] window : new double[][] {{0.8016444423264752, 0.2}, {0.30216947925196225, 0.0}}) {
                    for (int i = 0; i < 200; i++) {
                        double t = far.draw(rng, window[0], window[1]);
                        assertEquals(1.0, t, 1e-9, "window [" + window[1] + ", " + window[0] + "], draw " + i);
                    }
                }
            } catch (Throwable x) {
                failure.set(x);
            }
        });
        flushing.start();
        flushing.join();
        org.junit.jupiter.api.Assumptions.assumeTrue("subnormals: flushed to zero".equals(mode.get()),
                "this machine does not flush subnormals: " + mode.get());
        if (failure.get() != null) {
            throw new AssertionError("under " + mode.get(), failure.get());
        }
    }

    /** A key written as null is refused as null by name, not as a rule that is missing or a malformed object. */
    @Test
    void aKeyWrittenAsNullIsRefusedAsNull() {
        for (String key : new String[] {"rule", "shape", "scale"}) {
            com.google.gson.JsonObject o = StageTimeDraw.logitNormal(0, 1).toJsonObject();
            o.add(key, com.google.gson.JsonNull.INSTANCE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageTimeDraw.fromJsonObject(o));
            assertTrue(e.getMessage().startsWith("stage time draw JSON: field '" + key + "' = 'null'; allowed: the object"
                    + " StageTimeDraw.toJsonObject() writes"), e.getMessage());
        }
    }
}
