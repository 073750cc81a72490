package tpdiff4j.pyramid;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.schedule.BetaSchedule;
import tpdiff4j.schedule.CosineBetaSchedule;
import tpdiff4j.schedule.FlowMatchingSchedule;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.schedule.TabulatedSchedule;
import tpdiff4j.schedule.Tabulation;
import tpdiff4j.schedule.TrainedBetasSchedule;
import tpdiff4j.schedule.VpCosineSchedule;

/**
 * The plan of a {@link PyramidSampler} as a JSON document that a script in another framework (PyTorch) can follow
 * to train and sample the same temporal pyramid: stage windows, frame counts, the exact time grid of every stage
 * with gamma and sigma on it, the jump coefficients, the block-noise rule and the stage-wise target rule. The format
 * is described field by field in {@code docs/plan-format.md}; {@code environment/py/plan_check.py} reads it with
 * numpy alone.
 *
 * <p>Every number is a JSON number in full double precision: Gson writes {@code Double.toString}, which has as many
 * digits as needed to give back the same double, so a reader's {@code float(text)} is the value used here, bit for
 * bit. Non-finite values are never written (the plan refuses to be built with one).
 *
 * <p>A script needs the schedule at every training time, not only on the grids, so the plan always carries one it
 * can evaluate: the schedule's own JSON, or for a schedule of Java functions ({@code Schedules.of}) the table a
 * training configuration saves ({@link Tabulation#of(NoiseSchedule)}, with its error under {@code "table"}). A
 * schedule that no table follows within the tolerance is refused with the reason.
 */
public final class PyramidPlan {

    /** The {@code "schema"} value. */
    public static final String SCHEMA = "tpdiff4j.pyramid-plan";
    /** The {@code "version"} written: 2 since {@code sampling.initStd} (the scale of the starting noise) was added. */
    public static final int VERSION = 2;

    private PyramidPlan() {
    }

    /**
     * The plan of the default sampler of {@code pyramid} with these steps per stage: the sampler's own time grids
     * and the {@link JumpRule#CORRECTED} jumps ({@link TemporalPyramid#planJson}).
     */
    public static String json(TemporalPyramid pyramid, int... stepsPerStage) {
        return json(PyramidSampler.of(pyramid, Solvers.ddim(), stepsPerStage));
    }

    /** All K + 1 nominal boundaries in increasing t, {@code [0, ..., 1]} (the pyramid lists the K - 1 inner ones in
     * sampling order, that is decreasing t). */
    private static double[] increasingBoundaries(TemporalPyramid p) {
        double[] inner = p.boundaries();
        double[] b = new double[inner.length + 2];
        b[b.length - 1] = 1.0;
        for (int i = 0; i < inner.length; i++) {
            b[inner.length - i] = inner[i];
        }
        return b;
    }

    /** The plan of {@code sampler}: its pyramid, steps per stage, time grids and jump rule (the solver is not part of it). */
    public static String json(PyramidSampler sampler) {
        TemporalPyramid p = sampler.pyramid();
        JsonObject o = new JsonObject();
        o.addProperty("schema", SCHEMA);
        o.addProperty("version", VERSION);
        o.addProperty("time", "t in [0, 1], t = 1 the noisiest end; x_t = gamma(t) x0 + sigma(t) eps");
        o.addProperty("layout", "[batch, frames, channels, height, width]; frames on axis 1");
        o.add("schedule", schedule(p.schedule()));
        o.addProperty("frames", p.frames());
        o.addProperty("K", p.size());
        o.addProperty("convention", p.convention().name());
        o.add("boundaries", numbers(increasingBoundaries(p)));
        o.addProperty("jumpRule", sampler.rule().name());
        JsonArray stages = new JsonArray();
        int[] steps = sampler.steps();
        for (int k = 0; k < p.size(); k++) {
            stages.add(stage(p, p.stage(k), steps[k], sampler.grid(k)));
        }
        o.add("stages", stages);
        JsonArray jumps = new JsonArray();
        for (int k = 0; k + 1 < p.size(); k++) {
            jumps.add(jump(p.schedule(), p.jump(k, sampler.rule())));
        }
        o.add("jumps", jumps);
        o.add("blockNoise", blockNoise());
        o.add("sampling", sampling(sampler.startNoiseStd()));
        o.add("training", training());
        return new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(o);
    }

    private static JsonObject schedule(NoiseSchedule s) {
        JsonObject o = new JsonObject();
        o.addProperty("name", s.name());
        boolean exact = s instanceof FlowMatchingSchedule || s instanceof BetaSchedule || s instanceof CosineBetaSchedule
                || s instanceof TrainedBetasSchedule;
        o.add("diffusers", JsonParser.parseString(Schedules.toDiffusersConfig(s)));
        o.addProperty("diffusersExact", exact);
        String own = Tabulation.hasJson(s) ? s.toJson() : null;   // never the toJson() of a class of one's own
        Tabulation table = null;
        if (own != null) {
            o.add("json", JsonParser.parseString(own));
        } else {
            // Java functions (or a class of one's own) have no JSON form the library can read back, but a script
            // needs gamma and sigma at every training time: the plan
            // carries the table a training configuration saves (refused, with the reason, where none is close enough)
            try {
                table = Tabulation.of(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schedule '" + s.name() + "' has no JSON form and cannot be written"
                        + " to a plan: " + e.getMessage(), e);
            }
            o.add("json", JsonParser.parseString(table.schedule().toJson()));
            o.add("table", table.reportJson());
        }
        o.addProperty("evaluation", s instanceof FlowMatchingSchedule
                ? "gamma = (1 - t) / d, sigma = shift t / d with d = shift t + (1 - t) (u = shift t / (1 + (shift - 1) t),"
                + " gamma = 1 - u, sigma = u, written so that gamma(1) = 0 and sigma(1) = 1 exactly)"
                : exact ? "alphaBar_i from the diffusers betas (float64 cumulative product; 1 - alphaBar_i as"
                        + " -expm1(sum_(j <= i) log1p(-beta_j)), which keeps its digits near t = 0);"
                        + " step i at t = i / (N - 1);"
                        + " l_i = ln(alphaBar_i / (1 - alphaBar_i)) linear in t between steps; gamma = sqrt(sigmoid(l)),"
                        + " sigma = sqrt(sigmoid(-l))"
                : s instanceof VpCosineSchedule ? "no closed diffusers form: from json (vpCosine): phi = (t + 0.008) pi"
                        + " / (2 * 1.008), phi0 = phi(0); gamma = cos(phi) / cos(phi0), sigma = sqrt(sin(d)"
                        + " sin(d + 2 phi0)) / cos(phi0) with d = t pi / (2 * 1.008) (= phi - phi0, taken from t"
                        + " directly); at t = 1 set gamma = 0 and sigma = 1 (cos(phi(1)) is about"
                        + " 6e-17 in floating point, not 0); gammaDot = -sin(phi) pi / (2 * 1.008) / cos(phi0),"
                        + " sigmaDot = -gamma gammaDot / sigma"
                : s instanceof TabulatedSchedule || table != null ? "no closed diffusers form: from json (tabulated):"
                        + " cubic Hermite interpolation of gamma, sigma with their derivatives gammaDot, sigmaDot at the"
                        + " nodes t_j = j / n" + (table == null ? "" : "; a table of Java functions within"
                        + " table.maxError of them (the numbers in the stages are the functions' own)")
                : "no closed diffusers form: the diffusers config is a 1000-step discretisation; use the gamma and"
                        + " sigma written in the stages, or the schedule's own JSON");
        return o;
    }

    private static JsonObject stage(TemporalPyramid p, Stage st, int steps, TimeGrid grid) {
        NoiseSchedule s = p.schedule();
        JsonObject o = new JsonObject();
        o.addProperty("index", st.index());
        o.addProperty("start", st.start());
        o.addProperty("end", st.end());
        o.addProperty("frames", st.frames());
        o.addProperty("rateFactor", st.rateFactor());
        o.addProperty("gammaStart", finite(s.gamma(st.start()), "gamma(start)"));
        o.addProperty("sigmaStart", finite(s.sigma(st.start()), "sigma(start)"));
        o.addProperty("gammaEnd", finite(s.gamma(st.end()), "gamma(end)"));
        o.addProperty("sigmaEnd", finite(s.sigma(st.end()), "sigma(end)"));
        o.addProperty("steps", steps);
        double[] t = grid.times();
        double[] g = new double[t.length];
        double[] sg = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            g[i] = finite(s.gamma(t[i]), "gamma on the grid");
            sg[i] = finite(s.sigma(t[i]), "sigma on the grid");
        }
        o.add("grid", numbers(t));
        o.add("gridGamma", numbers(g));
        o.add("gridSigma", numbers(sg));
        return o;
    }

    private static JsonObject jump(NoiseSchedule s, StageJump j) {
        JsonObject o = new JsonObject();
        o.addProperty("from", j.from().index());
        o.addProperty("to", j.to().index());
        o.addProperty("factor", j.factor());
        o.addProperty("rule", j.rule().name());
        o.addProperty("end", j.from().end());
        o.addProperty("start", j.to().start());
        o.addProperty("scale", finite(j.scale(), "jump scale"));
        o.addProperty("noiseWeight", finite(j.noiseWeight(), "jump noise weight"));
        o.addProperty("formula", "x_start = scale * Up_factor(x_end) + noiseWeight * blockNoise");
        return o;
    }

    private static JsonObject blockNoise() {
        JsonObject o = new JsonObject();
        o.addProperty("up", "nearest: Up_B(y)[:, i] = y[:, floor(i / B)]");
        o.addProperty("pairs", "B = 2: for each frame pair (2j, 2j+1) draw m ~ N(0, I) of one frame's shape and use"
                + " (m, -m)");
        o.addProperty("general", "any B: for each block of B repeated frames draw z ~ N(0, I_B) independently per"
                + " element and use sqrt(B / (B - 1)) * (z - mean over the block of z)");
        o.addProperty("moments", "unit variance per element, correlation -1/(B-1) inside a block, independent across"
                + " blocks; with the CORRECTED rule x_start ~ N(gamma_start Up_B(D), sigma_start^2 I)");
        return o;
    }

    private static JsonObject sampling(double initStd) {
        JsonObject o = new JsonObject();
        o.addProperty("init", "x = initStd * eps, eps ~ N(0, I) with stages[0].frames frames, at t = stages[0].grid[0]"
                + " (stages[0].start unless the grid starts later); initStd = sqrt(gridGamma[0]^2 + gridSigma[0]^2) of"
                + " stages[0] (1 for flow matching and variance-preserving schedules)");
        o.addProperty("initStd", initStd);
        o.addProperty("loop", "for each stage: one solver step per consecutive pair of its grid times (the model gets"
                + " x at the stage's frame count and the global t); then, except after the last stage, the jump to the"
                + " next stage");
        return o;
    }

    private static JsonObject training() {
        JsonObject o = new JsonObject();
        o.addProperty("down", "D = x0[:, ::rateFactor] (keep every r-th frame)");
        o.addProperty("startData", "A = D in stage 0; otherwise A = Up_B(D[:, ::B]) with B = jumps[index - 1].factor");
        o.addProperty("time", "t = end + u (start - end), u ~ U(0, 1]");
        o.addProperty("noise", "eps ~ N(0, I) of D's shape, one draw shared by both endpoints (optionally permuted"
                + " by a batch coupling)");
        o.addProperty("virtualPair", "rho = sigma / gamma; c = 1 / (rho(start) - rho(end)), c = 0 where gamma(start) = 0;"
                + " eps_k = eps + c (A - D); x0_k = D + rho(end) c (D - A)");
        o.addProperty("xt", "x_t = gamma(t) x0_k + sigma(t) eps_k");
        o.addProperty("targets", "EPSILON: eps_k; X0: x0_k; VELOCITY: gammaDot(t) x0_k + sigmaDot(t) eps_k (d x_t / d t);"
                + " V_PREDICTION: gamma(t) eps_k - sigma(t) x0_k");
        return o;
    }

    private static JsonArray numbers(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(finite(x, "value"));
        }
        return a;
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalStateException(what + " = " + v + " cannot be written to a plan; allowed: finite numbers");
        }
        return v;
    }
}
