package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * The target gain {@code max(1, rho_e) / (rho_s - rho_e)} of a stage and its limit {@code 2^12}: a stage that would
 * amplify its training targets beyond it is refused wherever a pyramid is made, with the boundary and the smallest
 * value that works; every pyramid in use stays far below it.
 */
class TargetGainTest extends WithNDManager {

    static final NoiseSchedule FM = Schedules.flowMatching();
    static final double LIMIT = TemporalPyramid.MAX_TARGET_GAIN;
    /** The number after {@code boundaries[i] >= } in a refusal. */
    static double allowedBoundary(String message, int i) {
        Matcher m = Pattern.compile("boundaries\\[" + i + "\\] >= ([0-9.eE+-]+)").matcher(message);
        assertTrue(m.find(), message);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theLimitIsOneOverTheSquareRootOfFloat32Roundoff() {
        assertEquals(4096.0, LIMIT, 0.0);
        assertEquals(Math.pow(2, -24), 1 / (LIMIT * LIMIT), 0.0);
    }

    /**
     * Flow matching has {@code rho(t) = t / (1 - t)}. A last boundary at {@code 1e-12} starts the last stage there
     * (convention A), so its gain is {@code (1 - 1e-12) / 1e-12}, about {@code 1e12}: refused, and the message names
     * the boundary and the exact smallest boundary, {@code rho(b) = 1/4096}, that is {@code b = 1/4097}. Convention B
     * starts the stage at {@code rho = sqrt 2 rho(b)}, so there the smallest is {@code b = r / (1 + r)},
     * {@code r = 1 / (4096 sqrt 2)}. The printed limit is rounded up to 6 digits, so it builds as printed; one part in a
     * million below the exact limit is refused.
     */
    @Test
    void aLastBoundaryNearZeroIsRefusedWithTheSmallestBoundaryThatWorks() {
        double r = 1 / (LIMIT * Math.sqrt(2));
        double[] exact = {1 / (LIMIT + 1), r / (1 + r)};
        WindowConvention[] conventions = {WindowConvention.A, WindowConvention.B};
        for (int c = 0; c < 2; c++) {
            WindowConvention conv = conventions[c];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TemporalPyramid.builder(FM, 16).withStages(3).withBoundaries(0.5, 1e-12).withConvention(conv)
                            .build());
            String m = e.getMessage();
            assertTrue(m.startsWith("boundaries[1] = 1.0E-12: stage 2") && m.contains("target gain")
                    && m.contains("4096") && m.contains("float32") && m.contains("convention " + conv), m);
            double printed = allowedBoundary(m, 1);
            assertTrue(printed >= exact[c] && printed <= exact[c] * (1 + 1e-5), printed + " vs " + exact[c]);
            TemporalPyramid ok = TemporalPyramid.builder(FM, 16).withBoundaries(0.5, printed).withConvention(conv).build();
            assertTrue(ok.targetGain(2) <= LIMIT, conv + ": " + ok.targetGain(2));
            double below = exact[c] * (1 - 1e-6);
            assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.builder(FM, 16)
                    .withBoundaries(0.5, below).withConvention(conv).build());
        }
    }

    /**
     * Just inside the limit the pyramid builds and the last stage's targets are bounded by the gain: with data that is
     * 0 on even frames and {@code p} (|p| <= 1) on odd ones, the repeated coarse data A is 0 everywhere, so
     * {@code eps_k - eps = (A - D) / rho_s = -gain * p} on odd frames and 0 on even ones, exactly (float64, relative
     * 1e-12), and never more than 4096 |p|. In float32 the noise still survives in the amplified target: the target
     * minus the amplified part is {@code eps} within {@code 2^-10}: four roundings to float32, of the data and the
     * coefficient (each {@code 2^-25} relative, times 4096), the product (half an ulp below 4096, {@code 2^-13}) and
     * the sum (half an ulp below 8192, {@code 2^-12}), together {@code 5 * 2^-13}.
     */
    @Test
    void justInsideTheLimitTheTargetsStayBounded() {
        double b = 1 / (LIMIT + 1) * (1 + 1e-9);
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).withBoundaries(0.5, b).build();
        double gain = p.targetGain(2);
        assertEquals((1 - b) / b, gain, 1e-12 * gain, "1 / rho(start) in the last stage of flow matching");
        assertTrue(gain <= LIMIT && gain > LIMIT * (1 - 1e-8), "gain " + gain);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            double[] pattern = new double[16 * 3];
            for (int j = 0; j < 16; j++) {
                for (int q = 0; q < 3; q++) {
                    pattern[j * 3 + q] = j % 2 == 1 ? Math.sin(1 + j + 7 * q) : 0.0;
                }
            }
            NDArray x0 = manager.create(pattern, new Shape(1, 16, 3)).toType(type, false);
            NDArray eps = GaussianNoise.normal(manager, new Shape(1, 16, 3), type, 5);
            StageEndpoints ends = StageEndpoints.of(p, 2, x0, eps);
            double[] epsK = ends.target(PredictionType.EPSILON, 0.5 * b).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] e = eps.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] v = ends.target(PredictionType.VELOCITY, 0.5 * b).toType(DataType.FLOAT64, false).toDoubleArray();
            double tolerance = type == DataType.FLOAT64 ? 1e-12 * LIMIT : Math.pow(2, -10);
            double largest = 0;
            for (int i = 0; i < e.length; i++) {
                double amplified = -gain * pattern[i];
                assertEquals(e[i], epsK[i] - amplified, tolerance, type + " eps_k at " + i);
                largest = Math.max(largest, Math.abs(epsK[i] - e[i]));
                // flow matching: VELOCITY = eps_k - x~_k, and x~_k = D = x0 in the last stage (rho_e = 0)
                assertEquals(epsK[i] - pattern[i], v[i], type == DataType.FLOAT64 ? 1e-12 * LIMIT : 2 * tolerance,
                        type + " velocity at " + i);
            }
            assertTrue(largest <= LIMIT * (1 + 1e-6) && largest > 0.5 * LIMIT, type + ": " + largest);
        }
    }

    /**
     * A stage in the middle is refused the same way, by the boundary that places its start: flow matching
     * (0.5, 3e-4, 2.5e-4) under convention A starts stage 2 at 3e-4 and ends it where
     * {@code rho = rho(2.5e-4) / sqrt 2}, a gap in rho of about 1.2e-4 (gain 8100). The smallest start is
     * {@code rho = rho_e + 1/4096}, about 4.21e-4; with it the pyramid builds and every stage is within the limit.
     */
    @Test
    void aNarrowMiddleStageNamesTheBoundaryThatStartsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.builder(FM, 16).withBoundaries(0.5, 3e-4, 2.5e-4).withRateFactors(2, 2, 2).build());
        String m = e.getMessage();
        assertTrue(m.startsWith("boundaries[1] = 3.0E-4: stage 2") && m.contains("boundaries[2] = 2.5E-4"), m);
        double rhoE = FM.rho(2.5e-4) / Math.sqrt(2);
        double rhoS = rhoE + 1 / LIMIT;
        double exact = rhoS / (1 + rhoS);
        double printed = allowedBoundary(m, 1);
        assertTrue(printed >= exact && printed <= exact * (1 + 1e-5), printed + " vs " + exact);
        TemporalPyramid p = TemporalPyramid.builder(FM, 16).withBoundaries(0.5, printed, 2.5e-4).build();
        for (int i = 0; i < p.size(); i++) {
            assertTrue(p.targetGain(i) <= LIMIT, i + ": " + p.targetGain(i));
        }
        assertEquals(0.0, p.targetGain(0), 0.0, "stage 0 starts from its own data");
    }

    /**
     * One check covers every way a pyramid is made. On flow matching with shift 3, {@code rho(t) = 3t / (1 - t)}, so
     * a last boundary at 1e-4 gives the gain 3333 and is allowed; the same design moved to plain flow matching
     * ({@code withSchedule}) has the gain 9999 and is refused, and so is its JSON read back with the shift changed.
     */
    @Test
    void withScheduleAndFromJsonRunTheSameCheck() {
        TemporalPyramid shifted = TemporalPyramid.builder(Schedules.flowMatching(3), 16).withBoundaries(0.5, 1e-4).build();
        assertEquals((1 - 1e-4) / 3e-4, shifted.targetGain(2), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shifted.withSchedule(FM));
        assertTrue(e.getMessage().startsWith("boundaries[1] = 1.0E-4: stage 2"), e.getMessage());
        String json = shifted.toJson();
        assertTrue(json.contains("\"shift\":3.0"), json);
        e = assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.fromJson(json.replace("\"shift\":3.0", "\"shift\":1.0")));
        assertTrue(e.getMessage().startsWith("boundaries[1] = 1.0E-4: stage 2") && e.getMessage().contains("target gain"),
                e.getMessage());
        assertEquals(shifted, TemporalPyramid.fromJson(json));
    }

    static List<NoiseSchedule> schedules() {
        java.util.function.DoubleUnaryOperator u = t -> 2 * t / (1 + t);
        return List.of(FM, Schedules.flowMatching(3), Schedules.flowMatching(0.1),
                Schedules.linear(1e-4, 0.02, 1000), Schedules.linear(0.00085, 0.012, 1000),
                Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.cosine(1000), Schedules.vpCosine(),
                Schedules.tabulated(Schedules.scaledLinear(0.00085, 0.012, 1000), 1000),
                Schedules.of("ve", t -> 1.0, t -> 80 * t),
                // the notebooks' own schedules
                Schedules.of("vp-shift2", t -> Math.cos(Math.PI / 2 * u.applyAsDouble(t)),
                        t -> Math.sin(Math.PI / 2 * u.applyAsDouble(t))),
                Schedules.of("cosine-flow", t -> 0.5 * (1 + Math.cos(Math.PI * t)), t -> 0.5 * (1 - Math.cos(Math.PI * t))));
    }

    /**
     * Every uniform pyramid, K = 1 to 6, of every schedule, in both conventions, is allowed, at least 80 times below
     * the limit (the largest gain, 50, is flow matching with shift 0.1: {@code rho = 0.1 t / (1 - t)}, so the last
     * stage starting at 1/6 has {@code 1 / rho = 50}). On flow matching with convention A the last stage's gain is
     * exactly {@code K - 1} ({@code rho(1/K) = 1 / (K - 1)}), {@code (K - 1) / shift} with a shift. Convention B may
     * refuse a boundary near {@code t = 1} on a schedule with a finite end, but never for the gain. The
     * notebooks' non-uniform pyramid, (0.5, 0.25), builds too.
     */
    @Test
    void everyUniformPyramidOfEveryScheduleStaysFarBelowTheLimit() {
        double largest = 0;
        for (NoiseSchedule s : schedules()) {
            for (WindowConvention c : WindowConvention.values()) {
                for (int k = 1; k <= 6; k++) {
                    TemporalPyramid p;
                    try {
                        p = TemporalPyramid.builder(s, 64).withStages(k).withConvention(c).build();
                    } catch (IllegalArgumentException e) {
                        assertTrue(c == WindowConvention.B && e.getMessage().contains("noisier than t = 1")
                                && !e.getMessage().contains("target gain"), s.name() + " " + c + " K = " + k + ": "
                                + e.getMessage());
                        continue;
                    }
                    for (int i = 0; i < k; i++) {
                        assertTrue(p.targetGain(i) <= LIMIT / 80, s.name() + " " + c + " K = " + k + " stage " + i
                                + ": " + p.targetGain(i));
                        largest = Math.max(largest, p.targetGain(i));
                    }
                    if (c == WindowConvention.A && k > 1 && (s == FM || s.name().startsWith("flowMatching"))) {
                        double shift = s.rho(0.5);   // shift t / (1 - t) at t = 1/2
                        assertEquals((k - 1) / shift, p.targetGain(k - 1), 1e-9 * k / shift, s.name() + " K = " + k);
                    }
                }
            }
            TemporalPyramid notebook = TemporalPyramid.builder(s, 16).withBoundaries(0.5, 0.25).build();
            assertTrue(notebook.targetGain(2) <= LIMIT / 80, s.name() + ": " + notebook.targetGain(2));
        }
        assertEquals(50, largest, 1e-9, "flow matching with shift 0.1, K = 6");
        assertFalse(largest > LIMIT / 80);
    }
}
