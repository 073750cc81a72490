package tpdiff4j.schedule;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import tpdiff4j.Refusals;

/**
 * Writes a schedule as a diffusers {@code scheduler_config.json} ({@link Schedules#toDiffusersConfig}).
 *
 * <ul>
 *   <li>{@link FlowMatchingSchedule}: {@code FlowMatchEulerDiscreteScheduler} with its {@code shift}, 1000 training
 *       timesteps (the schedule has no number of training timesteps; {@link DiffusersSchedulerConfig#toJson()}
 *       writes a read file's own), no dynamic shifting.</li>
 *   <li>{@link BetaSchedule}, {@link CosineBetaSchedule}, {@link TrainedBetasSchedule}: {@code DDIMScheduler} with
 *       {@code beta_schedule} linear, scaled_linear, squaredcos_cap_v2 or {@code trained_betas};
 *       {@code clip_sample = false} and {@code set_alpha_to_one = false}, so diffusers' last DDIM step ends at
 *       step 0 as this library's grids do.</li>
 *   <li>Any other schedule (continuous, user, tabulated): {@code DDIMScheduler} with {@code trained_betas}
 *       discretised at {@link #STEPS} steps by the rule in {@link #discretise}, described in the key
 *       {@code "_tpdiff4j_discretised"} (diffusers ignores keys that start with {@code _}).</li>
 * </ul>
 * Prediction type and timestep spacing are not part of a schedule and are not written (diffusers' defaults apply:
 * epsilon, leading). Numbers are written in full double precision.
 */
final class DiffusersExport {

    /** Training timesteps of a discretised schedule. */
    static final int STEPS = 1000;
    /** Bounds of the betas of a discretised schedule: diffusers' cosine cap above, a floor that keeps beta > 0. */
    static final double MIN_BETA = 1e-12;
    static final double MAX_BETA = CosineBetaSchedule.MAX_BETA;

    private DiffusersExport() {
    }

    static String toJson(NoiseSchedule s) {
        return write(object(s));
    }

    /** The object {@link #toJson} writes. */
    static JsonObject object(NoiseSchedule s) {
        Refusals.notNull(s, "schedule", "any NoiseSchedule");
        JsonObject o = new JsonObject();
        if (s instanceof FlowMatchingSchedule fm) {
            o.addProperty("_class_name", "FlowMatchEulerDiscreteScheduler");
            o.addProperty("num_train_timesteps", STEPS);
            o.addProperty("shift", fm.shift());
            o.addProperty("use_dynamic_shifting", false);
            return o;
        }
        o.addProperty("_class_name", "DDIMScheduler");
        if (s instanceof BetaSchedule b) {
            o.addProperty("num_train_timesteps", b.steps());
            o.addProperty("beta_start", b.betaStart());
            o.addProperty("beta_end", b.betaEnd());
            o.addProperty("beta_schedule", b.kind() == BetaSchedule.Kind.LINEAR ? "linear" : "scaled_linear");
            o.add("trained_betas", JsonNull.INSTANCE);
        } else if (s instanceof CosineBetaSchedule c) {
            o.addProperty("num_train_timesteps", c.steps());
            o.addProperty("beta_schedule", "squaredcos_cap_v2");
            o.add("trained_betas", JsonNull.INSTANCE);
        } else if (s instanceof TrainedBetasSchedule t) {
            o.addProperty("num_train_timesteps", t.steps());
            o.add("trained_betas", array(t.betas()));
        } else {
            int[] clamped = new int[1];
            double[] betas = discretise(s, clamped);
            o.addProperty("num_train_timesteps", STEPS);
            o.add("trained_betas", array(betas));
            JsonObject note = new JsonObject();
            note.addProperty("schedule", s.name());
            note.addProperty("steps", STEPS);
            note.addProperty("rule", "alpha_bar_i = sigmoid(logSnr(i / " + (STEPS - 1) + ")), the variance-preserving"
                    + " schedule with the same signal-to-noise ratio; beta_i = 1 - alpha_bar_i / alpha_bar_(i-1),"
                    + " clamped to [" + MIN_BETA + ", " + MAX_BETA + "]");
            note.addProperty("clampedBetas", clamped[0]);
            o.add("_tpdiff4j_discretised", note);
        }
        o.addProperty("clip_sample", false);
        o.addProperty("set_alpha_to_one", false);
        return o;
    }

    /**
     * Betas of the variance-preserving schedule with the same log-SNR at the steps {@code t_i = i / (N - 1)}:
     * {@code alphaBar_i = sigmoid(logSnr(t_i))} (equal to {@code gamma^2} for a variance-preserving schedule),
     * {@code beta_i = 1 - alphaBar_i / alphaBar_{i-1}} with {@code alphaBar_{-1} = 1}, clamped to
     * [{@link #MIN_BETA}, {@link #MAX_BETA}] (needed where the log-SNR is infinite: t = 0 and t = 1 of flow-like
     * schedules); {@code clamped[0]} receives the number of clamped betas. Where none is clamped the imported
     * schedule has exactly these alpha-bars (up to rounding of the product, about 1e-13).
     */
    static double[] discretise(NoiseSchedule s, int[] clamped) {
        double[] betas = new double[STEPS];
        double previous = 1;
        for (int i = 0; i < STEPS; i++) {
            double alphaBar = DiscreteVpSchedule.sigmoid(s.logSnr((double) i / (STEPS - 1)));
            double beta = 1 - alphaBar / previous;
            if (!(beta >= MIN_BETA && beta <= MAX_BETA)) {
                beta = Double.isNaN(beta) || beta < MIN_BETA ? MIN_BETA : MAX_BETA;
                clamped[0]++;
            }
            betas[i] = beta;
            previous *= 1 - beta;
        }
        return betas;
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    static String write(JsonObject o) {
        return new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create().toJson(o);
    }
}
