package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.DiffusersSchedulerConfig;
import tpdiff4j.schedule.DiscreteSchedule;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * Imported diffusers configs against diffusers' own formulas, recomputed here with naive loops in float64: betas,
 * cumulative products, the leading / trailing / linspace timestep formulas and the flow-matching sigmas with shift.
 * diffusers itself runs in float32, so the pinned reference values are float64 ones.
 */
class DiffusersConfigTest {

    /** Stable Diffusion 1.5's scheduler config, with the class set to DDIM (its betas are PNDM's). */
    static final String SD15 = "{\"_class_name\": \"DDIMScheduler\", \"_diffusers_version\": \"0.6.0\","
            + " \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085,"
            + " \"clip_sample\": false, \"num_train_timesteps\": 1000, \"set_alpha_to_one\": false,"
            + " \"skip_prk_steps\": true, \"steps_offset\": 1, \"trained_betas\": null}";

    // ---------------------------------------------------------------- naive references

    /** beta_i of diffusers' linear / scaled_linear: linspace(start, stop, n), squared for scaled_linear. */
    static double[] naiveBetas(String kind, double b0, double b1, int n) {
        boolean scaled = kind.equals("scaled_linear");
        double a = scaled ? Math.sqrt(b0) : b0;
        double b = scaled ? Math.sqrt(b1) : b1;
        double[] betas = new double[n];
        for (int i = 0; i < n; i++) {
            double v = i == n - 1 ? b : a + i * ((b - a) / (n - 1));
            betas[i] = scaled ? v * v : v;
        }
        return betas;
    }

    static double[] naiveAlphaBar(double[] betas) {
        double[] out = new double[betas.length];
        double p = 1;
        for (int i = 0; i < betas.length; i++) {
            p *= 1 - betas[i];
            out[i] = p;
        }
        return out;
    }

    static void assertAlphaBars(double[] expected, DiscreteSchedule s) {
        assertEquals(expected.length, s.steps());
        for (int i = 0; i < expected.length; i++) {
            // two float64 products of the same betas in the same order: equal to a few ulps (1e-13 relative)
            assertEquals(expected[i], s.alphaBar(i), 1e-13 * expected[i], "alphaBar[" + i + "]");
            double t = (double) i / (expected.length - 1);
            assertEquals(Math.sqrt(expected[i]), s.gamma(t), 1e-13, "gamma at step " + i);
        }
    }

    /** diffusers' leading spacing: (arange(n) * (N // n)).round()[::-1] + offset. */
    static int[] naiveLeading(int n, int steps, int offset) {
        int[] out = new int[steps];
        for (int k = 0; k < steps; k++) {
            out[k] = (steps - 1 - k) * (n / steps) + offset;
        }
        return out;
    }

    /** diffusers' trailing spacing: round(arange(N, 0, -N / n)) - 1, numpy rounding half to even. */
    static int[] naiveTrailing(int n, int steps) {
        double ratio = (double) n / steps;
        int[] out = new int[steps];
        for (int k = 0; k < steps; k++) {
            out[k] = (int) Math.rint(n + k * -ratio) - 1;
        }
        return out;
    }

    /** diffusers' DDIM/DDPM linspace spacing: linspace(0, N - 1, n).round()[::-1]. */
    static int[] naiveLinspace(int n, int steps) {
        int[] out = new int[steps];
        for (int k = 0; k < steps; k++) {
            int j = steps - 1 - k;
            out[k] = (int) Math.rint(j == steps - 1 ? n - 1 : j * ((n - 1.0) / (steps - 1)));
        }
        return out;
    }

    static double[] asDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The grid's times must be the steps' times i / (N - 1), then 0 unless the list already ends there. */
    static void assertGridOnSteps(int[] steps, int n, TimeGrid grid) {
        int last = steps[steps.length - 1];
        assertEquals(last == 0 ? steps.length : steps.length + 1, grid.times().length);
        for (int k = 0; k < steps.length; k++) {
            assertEquals((double) steps[k] / (n - 1), grid.t(k), 1e-15, "grid time " + k);
        }
        assertEquals(0.0, grid.t(grid.steps()));
    }

    // ---------------------------------------------------------------- DDIM

    @Test
    void stableDiffusionAlphaBarAndLeadingTimesteps() {
        DiffusersConfig c = DiffusersConfig.parse(SD15);
        assertEquals(Schedules.scaledLinear(0.00085, 0.012, 1000), c.schedule());
        assertEquals(c.schedule(), Schedules.fromDiffusersConfig(SD15));
        DiscreteSchedule s = (DiscreteSchedule) c.schedule();
        assertAlphaBars(naiveAlphaBar(naiveBetas("scaled_linear", 0.00085, 0.012, 1000)), s);
        // pinned: float64 alpha_bar of SD1.5 (diffusers' float32 tables print 0.0047)
        assertEquals(0.004660098513077238, s.alphaBar(999), 1e-15);
        assertEquals(0.99915, s.alphaBar(0), 1e-15);
        assertEquals(0.2763326838229746, s.alphaBar(500), 1e-14);
        assertEquals(PredictionType.EPSILON, c.predictionType());

        double[] ts = c.timesteps(50);
        assertEquals(50, ts.length);
        assertEquals(981, ts[0]);
        assertEquals(961, ts[1]);
        assertEquals(1, ts[49]);
        assertArrayEquals(asDoubles(naiveLeading(1000, 50, 1)), ts);
        assertGridOnSteps(naiveLeading(1000, 50, 1), 1000, c.timeGrid(50));
        assertArrayEquals(asDoubles(naiveLeading(1000, 30, 1)), c.timesteps(30)); // 958, 925, ..., 34, 1
        assertEquals(958, c.timesteps(30)[0]);
        assertFalse(c.source().finalStepToCleanData());
        assertEquals(List.of("_diffusers_version", "skip_prk_steps"), c.source().ignoredKeys());
    }

    @Test
    void ddimTrailingAndLinspaceSpacing() {
        String base = "{\"_class_name\": \"DDIMScheduler\", \"beta_schedule\": \"linear\", \"beta_start\": 0.00085,"
                + " \"beta_end\": 0.012, \"clip_sample\": false, \"prediction_type\": \"v_prediction\",";
        DiffusersConfig trailing = DiffusersConfig.parse(base + " \"timestep_spacing\": \"trailing\"}");
        assertAlphaBars(naiveAlphaBar(naiveBetas("linear", 0.00085, 0.012, 1000)),
                (DiscreteSchedule) trailing.schedule());
        for (int steps : new int[] {1, 7, 30, 50}) {
            assertArrayEquals(asDoubles(naiveTrailing(1000, steps)), trailing.timesteps(steps));
            assertGridOnSteps(naiveTrailing(1000, steps), 1000, trailing.timeGrid(steps));
        }
        assertEquals(999, trailing.timesteps(30)[0]);
        assertEquals(966, trailing.timesteps(30)[1]);
        // the trap: diffusers' v_prediction is gamma eps - sigma x0, not the path velocity
        assertEquals(PredictionType.V_PREDICTION, trailing.predictionType());
        assertNotEquals(PredictionType.VELOCITY, trailing.predictionType());
        assertTrue(trailing.source().finalStepToCleanData()); // set_alpha_to_one defaults to true

        DiffusersConfig linspace = DiffusersConfig.parse(base + " \"timestep_spacing\": \"linspace\","
                + " \"steps_offset\": 1}");
        for (int steps : new int[] {2, 10, 30}) {
            int[] expected = naiveLinspace(1000, steps); // steps_offset is not added by linspace spacing
            assertArrayEquals(asDoubles(expected), linspace.timesteps(steps));
            assertGridOnSteps(expected, 1000, linspace.timeGrid(steps));
        }
    }

    @Test
    void diffusersDdimStepsToTheNextModelCallOnlyWhenTheTimestepsAreTheRatioApart() {
        // diffusers' DDIMScheduler.step updates from timestep tau to tau - N // steps; the grid here updates to the next
        // listed timestep. The Javadoc of timeGrid and conventions.md say where the two agree: this pins that
        String base = "{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"timestep_spacing\": ";
        for (String spacing : List.of("leading", "trailing", "linspace")) {
            DiffusersConfig c = DiffusersConfig.parse(base + "\"" + spacing + "\"}");
            for (int steps : new int[] {10, 30, 50}) {
                double[] ts = c.timesteps(steps);
                boolean sameTargets = true;
                for (int k = 0; k + 1 < steps; k++) {
                    sameTargets &= ts[k] - 1000 / steps == ts[k + 1];
                }
                boolean documented = spacing.equals("leading") || spacing.equals("trailing") && 1000 % steps == 0;
                assertEquals(documented, sameTargets, spacing + ", " + steps + " steps");
            }
        }
        // the examples of the Javadoc
        double[] trailing30 = DiffusersConfig.parse(base + "\"trailing\"}").timesteps(30);
        assertEquals(966, trailing30[1]);
        assertEquals(932, trailing30[2]);
        double[] linspace10 = DiffusersConfig.parse(base + "\"linspace\"}").timesteps(10);
        assertEquals(999, linspace10[0]);
        assertEquals(888, linspace10[1]);
    }

    // ---------------------------------------------------------------- DDPM

    @Test
    void ddpmDefaultsLinearBetasAndCosine() {
        DiffusersConfig c = DiffusersConfig.parse("{\"_class_name\": \"DDPMScheduler\", \"clip_sample\": false,"
                + " \"variance_type\": \"fixed_small\", \"prediction_type\": \"sample\"}");
        // diffusers' DDPM defaults: linear betas 1e-4 .. 0.02 over 1000 steps, leading spacing, offset 0
        assertAlphaBars(naiveAlphaBar(naiveBetas("linear", 1e-4, 0.02, 1000)), (DiscreteSchedule) c.schedule());
        assertEquals(PredictionType.X0, c.predictionType());
        assertArrayEquals(new double[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0}, c.timesteps(10));
        assertEquals(9, c.timeGrid(10).steps()); // the list ends at step 0: diffusers' last step goes to alpha = 1
        assertTrue(c.source().finalStepToCleanData());
        assertEquals(List.of("variance_type"), c.source().ignoredKeys());

        DiffusersConfig cos = DiffusersConfig.parse("{\"_class_name\": \"DDPMScheduler\", \"clip_sample\": false,"
                + " \"beta_schedule\": \"squaredcos_cap_v2\", \"num_train_timesteps\": 500, \"beta_start\": 0.1}");
        double[] betas = new double[500];
        for (int i = 0; i < 500; i++) { // diffusers' betas_for_alpha_bar with the cosine alpha-bar function
            double f0 = Math.pow(Math.cos((i / 500.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            double f1 = Math.pow(Math.cos(((i + 1) / 500.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            betas[i] = Math.min(1 - f1 / f0, 0.999);
        }
        assertAlphaBars(naiveAlphaBar(betas), (DiscreteSchedule) cos.schedule());
        assertEquals(List.of("beta_start"), cos.source().ignoredKeys());
    }

    @Test
    void trainedBetas() {
        double[] betas = naiveBetas("linear", 0.001, 0.05, 20);
        StringBuilder sb = new StringBuilder("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false,"
                + " \"beta_schedule\": \"scaled_linear\", \"num_train_timesteps\": 20, \"trained_betas\": [");
        for (int i = 0; i < betas.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(betas[i]);
        }
        DiffusersConfig c = DiffusersConfig.parse(sb.append("]}").toString());
        assertEquals(Schedules.betas(betas), c.schedule());
        assertAlphaBars(naiveAlphaBar(betas), (DiscreteSchedule) c.schedule());
        assertEquals(List.of("beta_schedule"), c.source().ignoredKeys());
    }

    // ---------------------------------------------------------------- Euler

    @Test
    void eulerLinspaceReproducesInterpolatedSigmas() {
        DiffusersConfig c = DiffusersConfig.parse("{\"_class_name\": \"EulerDiscreteScheduler\","
                + " \"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"interpolation_type\": \"linear\", \"use_karras_sigmas\": false, \"sigma_min\": null}");
        DiscreteSchedule s = (DiscreteSchedule) c.schedule();
        double[] ab = naiveAlphaBar(naiveBetas("scaled_linear", 0.00085, 0.012, 1000));
        int steps = 30;
        double[] ts = c.timesteps(steps);
        TimeGrid grid = c.timeGrid(steps);
        assertEquals(steps - 1, grid.steps()); // the last timestep is 0 = t 0
        for (int k = 0; k < steps; k++) {
            // diffusers: timesteps = linspace(0, N - 1, n)[::-1] (fractional), sigma = interp of sqrt((1 - ab) / ab)
            double tau = (steps - 1 - k) * (999.0 / (steps - 1));
            assertEquals(tau, ts[k], 1e-12);
            int lo = (int) Math.floor(tau);
            double w = tau - lo;
            double rhoLo = Math.sqrt((1 - ab[lo]) / ab[lo]);
            double rhoHi = lo == 999 ? rhoLo : Math.sqrt((1 - ab[lo + 1]) / ab[lo + 1]);
            double sigmaDiffusers = (1 - w) * rhoLo + w * rhoHi;
            // the grid time has exactly that noise-to-signal ratio (inverse of a piecewise-linear log-SNR: 1e-12)
            assertEquals(sigmaDiffusers, s.rho(grid.t(k)), 1e-12 * sigmaDiffusers, "sigma at k = " + k);
        }
        assertEquals(1.0, grid.t(0));
        assertTrue(c.source().finalStepToCleanData()); // final_sigmas_type defaults to zero

        DiffusersConfig leading = DiffusersConfig.parse("{\"_class_name\": \"EulerDiscreteScheduler\","
                + " \"timestep_spacing\": \"leading\", \"steps_offset\": 1, \"final_sigmas_type\": \"sigma_min\"}");
        assertArrayEquals(asDoubles(naiveLeading(1000, 25, 1)), leading.timesteps(25));
        assertGridOnSteps(naiveLeading(1000, 25, 1), 1000, leading.timeGrid(25));
        assertFalse(leading.source().finalStepToCleanData());
    }

    // ---------------------------------------------------------------- flow matching

    /** diffusers' FlowMatchEuler set_timesteps: linspace(N sigma_max, N sigma_min, n) / N, shifted, then 0. */
    static double[] naiveFlowSigmas(double shift, int n, int steps) {
        double sigmaMax = shift * 1.0 / (1 + (shift - 1) * 1.0);
        double sigmaMin = shift * (1.0 / n) / (1 + (shift - 1) * (1.0 / n)); // the shifted training sigmas' last
        double[] out = new double[steps + 1];
        for (int k = 0; k < steps; k++) {
            double ts = steps == 1 ? n * sigmaMax : n * sigmaMax + k * ((n * sigmaMin - n * sigmaMax) / (steps - 1));
            double sigma = ts / n;
            out[k] = shift * sigma / (1 + (shift - 1) * sigma);
        }
        out[steps] = 0;
        return out;
    }

    @Test
    void flowMatchSigmasWithShift() {
        for (double shift : new double[] {1.0, 3.0}) {
            DiffusersConfig c = DiffusersConfig.parse("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\","
                    + " \"_diffusers_version\": \"0.29.0\", \"num_train_timesteps\": 1000, \"shift\": " + shift
                    + ", \"use_dynamic_shifting\": false, \"base_shift\": 0.5, \"max_shift\": 1.15}");
            assertEquals(Schedules.flowMatching(shift), c.schedule());
            assertEquals(PredictionType.VELOCITY, c.predictionType());
            for (int steps : new int[] {1, 5, 28}) {
                double[] sigmas = naiveFlowSigmas(shift, 1000, steps);
                TimeGrid grid = c.timeGrid(steps);
                double[] ts = c.timesteps(steps);
                assertEquals(steps, grid.steps());
                for (int k = 0; k <= steps; k++) {
                    assertEquals(sigmas[k], c.schedule().sigma(grid.t(k)), 1e-14, "sigma " + k + " shift " + shift);
                    if (k < steps) {
                        assertEquals(1000 * sigmas[k], ts[k], 1e-11);
                    }
                }
            }
            assertEquals(List.of("_diffusers_version", "base_shift", "max_shift"), c.source().ignoredKeys());
        }
        // pinned: SD3-style shift 3, 5 steps
        DiffusersConfig sd3 = DiffusersConfig.parse("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift\": 3.0}");
        double[] expected = {1.0, 0.900359066427289, 0.7511210762331838, 0.5029850746268658, 0.008928571428571378, 0};
        TimeGrid g = sd3.timeGrid(5);
        for (int k = 0; k <= 5; k++) {
            assertEquals(expected[k], sd3.schedule().sigma(g.t(k)), 1e-14);
        }
    }

    @Test
    void aFlowMatchingFileWithOneTrainingTimestepHasAGridOfOneStepOnly() {
        // diffusers' sigmas then run from shift(1) = 1 to shift(1 / N) = 1: every step but the last has length 0
        DiffusersConfig one = DiffusersConfig.parse("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\","
                + " \"num_train_timesteps\": 1, \"shift\": 3.0}");
        assertArrayEquals(new double[] {1.0, 0.0}, one.timeGrid(1).times());
        assertArrayEquals(new double[] {1.0}, one.timesteps(1));
        for (int steps : new int[] {2, 5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.timeGrid(steps));
            assertTrue(e.getMessage().contains("steps = " + steps + " with num_train_timesteps = 1"), e.getMessage());
            assertTrue(e.getMessage().contains("allowed: steps = 1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> one.timesteps(steps));
        }
    }

    @Test
    void flowOutputIsVelocityInDiffusersSigma() {
        // diffusers' flow model outputs noise - sample = d x / d sigma; this library's VELOCITY is d x / d t
        NoiseSchedule s = Schedules.flowMatching(3.0);
        DiffusersConfig c = DiffusersConfig.parse(Schedules.toDiffusersConfig(s));
        double x0 = 0.7;
        double eps = -1.3;
        for (double t : new double[] {0.1, 0.5, 0.9}) {
            double diffusersOutput = eps - x0;
            double[] ab = c.predictionType().coefficients(s, t);
            double velocity = ab[0] * x0 + ab[1] * eps;
            assertEquals(velocity, c.outputScale(t) * diffusersOutput, 1e-14);
            double d = 1 + 2 * t;
            assertEquals(3 / (d * d), c.outputScale(t), 1e-15);
        }
        assertEquals(1.0, DiffusersConfig.parse(SD15).outputScale(0.3));
    }

    @Test
    void exportWithPredictionTypeComesBack() {
        List<NoiseSchedule> vp = List.of(Schedules.scaledLinear(0.00085, 0.012, 1000), Schedules.cosine(1000),
                Schedules.vpCosine());
        for (NoiseSchedule s : vp) {
            for (PredictionType type : List.of(PredictionType.EPSILON, PredictionType.X0, PredictionType.V_PREDICTION)) {
                DiffusersConfig c = DiffusersConfig.parse(DiffusersConfig.toJson(s, type));
                assertEquals(type, c.predictionType());
                assertEquals(Schedules.fromDiffusersConfig(Schedules.toDiffusersConfig(s)), c.schedule());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DiffusersConfig.toJson(s, PredictionType.VELOCITY));
            assertTrue(e.getMessage().contains("V_PREDICTION, not VELOCITY"), e.getMessage());
        }
        DiffusersConfig fm = DiffusersConfig.parse(DiffusersConfig.toJson(Schedules.flowMatching(2.0), PredictionType.VELOCITY));
        assertEquals(PredictionType.VELOCITY, fm.predictionType());
        assertEquals(Schedules.flowMatching(2.0), fm.schedule());
        assertThrows(IllegalArgumentException.class,
                () -> DiffusersConfig.toJson(Schedules.flowMatching(), PredictionType.EPSILON));
    }

    // ---------------------------------------------------------------- rejections

    @Test
    void vPredictionOfAScheduleThatIsNotVariancePreservingIsRefused() {
        // gamma + sigma = 1 (notebook 07's schedule): the export is the VP schedule with the same SNR, at whose steps
        // diffusers' v = sqrt(ab) eps - sqrt(1 - ab) x0 is this library's V_PREDICTION divided by sqrt(gamma^2 + sigma^2)
        NoiseSchedule cosineFlow = Schedules.of("cosine-flow", t -> 0.5 * (1 + Math.cos(Math.PI * t)),
                t -> 0.5 * (1 - Math.cos(Math.PI * t)));
        DiscreteSchedule exported = (DiscreteSchedule) Schedules.fromDiffusersConfig(Schedules.toDiffusersConfig(cosineFlow));
        double t = 500 / 999.0;
        double[] ours = PredictionType.V_PREDICTION.coefficients(cosineFlow, t);   // {-sigma, gamma}
        double ab = exported.alphaBar(500);
        double norm = Math.hypot(cosineFlow.gamma(t), cosineFlow.sigma(t));
        assertEquals(-Math.sqrt(1 - ab), ours[0] / norm, 1e-12);
        assertEquals(Math.sqrt(ab), ours[1] / norm, 1e-12);
        assertTrue(Math.abs(norm - 1) > 0.2);   // about 0.71 here: the written v_prediction would be off by that factor
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiffusersConfig.toJson(cosineFlow, PredictionType.V_PREDICTION));
        for (String part : List.of("type = V_PREDICTION", "'cosine-flow'", "sqrt(gamma^2 + sigma^2) = ",
                "allowed: EPSILON or X0")) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
        }
        // epsilon and x0 do not depend on the scale of x_t: the same targets in diffusers
        assertEquals(PredictionType.EPSILON,
                DiffusersConfig.parse(DiffusersConfig.toJson(cosineFlow, PredictionType.EPSILON)).predictionType());
        assertEquals(PredictionType.X0,
                DiffusersConfig.parse(DiffusersConfig.toJson(cosineFlow, PredictionType.X0)).predictionType());
        // variance-preserving schedules of one's own keep v_prediction (cos^2 + sin^2 = 1; a table of it within 1e-9)
        NoiseSchedule quarter = Schedules.of("quarter-circle", u -> Math.cos(u * Math.PI / 2), u -> Math.sin(u * Math.PI / 2));
        for (NoiseSchedule vp : List.of(quarter, Schedules.tabulated(quarter, 64), Schedules.vpCosine())) {
            assertEquals(PredictionType.V_PREDICTION,
                    DiffusersConfig.parse(DiffusersConfig.toJson(vp, PredictionType.V_PREDICTION)).predictionType());
        }
    }

    static void assertRejected(String json, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffusersConfig.parse(json));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
        // the schedule-only import rejects the same files
        assertThrows(IllegalArgumentException.class, () -> Schedules.fromDiffusersConfig(json));
    }

    @Test
    void mathChangingKeysAreRejectedWithTheirNameAndValue() {
        assertRejected("{\"_class_name\": \"DDIMScheduler\"}", "clip_sample = true (diffusers' default)", "allowed: false");
        assertRejected("{\"_class_name\": \"PNDMScheduler\"}", "PNDMScheduler", "DDIMScheduler");
        assertRejected("{\"beta_start\": 0.1}", "_class_name");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"foo\": 1}", "key \"foo\" = 1; allowed: the keys [");
        assertRejected("{\"_class_name\": \"DDPMScheduler\", \"clip_sample\": false, \"beta_schedule\": \"sigmoid\"}",
                "beta_schedule = \"sigmoid\"", "squaredcos_cap_v2");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"rescale_betas_zero_snr\": true}",
                "rescale_betas_zero_snr = true");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"thresholding\": true}",
                "thresholding = true");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"prediction_type\": \"flow\"}",
                "prediction_type = \"flow\"", "v_prediction");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"timestep_spacing\": \"karras\"}",
                "timestep_spacing");
        assertRejected("{\"_class_name\": \"EulerDiscreteScheduler\", \"use_karras_sigmas\": true}", "use_karras_sigmas = true");
        assertRejected("{\"_class_name\": \"EulerDiscreteScheduler\", \"interpolation_type\": \"log_linear\"}",
                "interpolation_type = \"log_linear\"");
        assertRejected("{\"_class_name\": \"EulerDiscreteScheduler\", \"timestep_type\": \"continuous\"}", "timestep_type");
        // what the library does not do is the dynamic shift, not the advice: the advice comes after what is allowed
        assertRejected("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"use_dynamic_shifting\": true}",
                "use_dynamic_shifting = true", "(mu), which this library does not do; allowed: false (set it false and"
                + " give the fixed shift you sample with in \"shift\")");
        assertRejected("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift_terminal\": 0.1}", "shift_terminal");
        assertRejected("{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"prediction_type\": \"epsilon\"}",
                "\"prediction_type\"");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"num_train_timesteps\": 3,"
                + " \"trained_betas\": [0.1, 0.2]}", "trained_betas has 2 values", "num_train_timesteps = 3");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": \"no\"}", "clip_sample", "not a boolean");
        assertRejected("[1, 2]", "not a JSON object");
    }

    @Test
    void aKeyGivenTwiceOrJsonThatPythonWouldNotWriteIsRefused() {
        // a hand-merged file: a lenient reader took the last value and trained on 10 noise levels instead of 1000
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"num_train_timesteps\": 1000,"
                + " \"beta_schedule\": \"linear\", \"num_train_timesteps\": 10}",
                "scheduler_config.json: duplicate key 'num_train_timesteps'", "each key may appear once");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false, \"beta_start\": NaN}",
                "scheduler_config.json is not valid JSON");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", // copied from a notebook\n \"clip_sample\": false}",
                "scheduler_config.json is not valid JSON");
        assertRejected("{\"_class_name\": \"DDIMScheduler\", \"clip_sample\": false} {}", "not valid JSON");
    }

    @Test
    void companionKeepsTheSourceValues() {
        DiffusersSchedulerConfig src = DiffusersConfig.parse(SD15).source();
        assertEquals("DDIMScheduler", src.className());
        assertEquals(1000, src.trainTimesteps());
        assertEquals("leading", src.timestepSpacing());
        assertEquals(1, src.stepsOffset());
    }

    /**
     * A file's configuration moved to a schedule of one's own and to another class, as a notebook prepares a file for
     * a diffusers trainer: the grid settings and the file's other keys stay, the schedule's keys are the new ones.
     */
    @Test
    void aFileMovesToAnotherScheduleAndClass() {
        DiffusersConfig sd = DiffusersConfig.parse(SD15);
        NoiseSchedule mine = Schedules.cosine(1000);
        DiffusersConfig moved = sd.withSchedule(mine);
        assertEquals(mine, moved.schedule());
        assertEquals(sd.predictionType(), moved.predictionType());
        assertEquals(sd.source().timestepSpacing(), moved.source().timestepSpacing());
        assertArrayEquals(sd.timesteps(50), moved.timesteps(50), "the same grid: the steps do not depend on the betas");
        com.google.gson.JsonObject written = com.google.gson.JsonParser.parseString(moved.toJson()).getAsJsonObject();
        assertEquals("squaredcos_cap_v2", written.get("beta_schedule").getAsString());
        assertEquals(moved, DiffusersConfig.parse(moved.toJson()), "reads back as written");
        DiffusersConfig euler = moved.withClassName("EulerDiscreteScheduler");
        assertEquals("EulerDiscreteScheduler", euler.source().className());
        assertEquals(mine, euler.schedule());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sd.withClassName("FlowMatchEulerDiscreteScheduler"));
        assertTrue(e.getMessage().contains("FlowMatchEulerDiscreteScheduler"), e.getMessage());
    }
}
