package tpdiff4j.ode;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Arrays;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.DiffusersSchedulerConfig;
import tpdiff4j.schedule.DiscreteSchedule;
import tpdiff4j.schedule.FlowMatchingSchedule;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * A diffusers {@code scheduler_config.json} as this library's three objects: the {@link #schedule()}, the
 * {@link #predictionType()} of a model trained with it, and the {@link #timeGrid(int) time grid} diffusers samples
 * on. {@link Schedules#fromDiffusersConfig(String)} is {@code parse(json).schedule()}.
 *
 * <pre>
 *   DiffusersConfig sd = DiffusersConfig.parse(Files.readString(Path.of("scheduler_config.json")));
 *   sd.schedule();          // scaledLinear(8.5E-4, 0.012, 1000)
 *   sd.predictionType();    // EPSILON
 *   sd.timeGrid(50);        // t of steps 981, 961, ..., 1 (leading spacing, steps_offset 1), then 0
 * </pre>
 *
 * <p><b>Prediction types: the trap.</b> diffusers' {@code "v_prediction"} is {@link PredictionType#V_PREDICTION}
 * ({@code gamma eps - sigma x0}), <em>not</em> {@link PredictionType#VELOCITY}. This library's VELOCITY is the
 * time derivative of the path, {@code gammaDot x0 + sigmaDot eps}; it is what diffusers' flow-matching models
 * output ({@code noise - sample}, the derivative in diffusers' sigma), and only that. The mapping:
 * <table>
 *   <caption>prediction types</caption>
 *   <tr><th>diffusers</th><th>here</th></tr>
 *   <tr><td>{@code epsilon}</td><td>{@link PredictionType#EPSILON}</td></tr>
 *   <tr><td>{@code sample}</td><td>{@link PredictionType#X0}</td></tr>
 *   <tr><td>{@code v_prediction}</td><td>{@link PredictionType#V_PREDICTION}</td></tr>
 *   <tr><td>{@code FlowMatchEulerDiscreteScheduler} ({@code noise - sample})</td>
 *       <td>{@link PredictionType#VELOCITY} times {@link #outputScale(double)}</td></tr>
 * </table>
 * With a shift {@code s != 1} this library's time t is diffusers' unshifted sigma: the schedule's noise level is
 * {@code sigma(t) = s t / (1 + (s - 1) t)} (diffusers' shifted sigma), and VELOCITY is the derivative in t, which is
 * diffusers' output times {@code dsigma/dt} ({@link #outputScale}). A diffusers model is called with the timestep
 * {@code N sigma(t)} there, N the file's {@code num_train_timesteps} (1000 in this library's export)
 * ({@link #timesteps(int)}).
 *
 * @param source the checked diffusers values
 */
public record DiffusersConfig(DiffusersSchedulerConfig source) {

    /** Requires a source. */
    public DiffusersConfig {
        Refusals.notNull(source, "source", "DiffusersSchedulerConfig.parse(json)");
    }

    /** Reads a diffusers {@code scheduler_config.json}; see {@link DiffusersSchedulerConfig} for what is accepted. */
    public static DiffusersConfig parse(String json) {
        return new DiffusersConfig(DiffusersSchedulerConfig.parse(json));
    }

    /**
     * The diffusers config of a model of {@code type} trained on {@code schedule}: {@code
     * Schedules.toDiffusersConfig(schedule)} plus {@code prediction_type} (EPSILON: {@code "epsilon"}, X0:
     * {@code "sample"}, V_PREDICTION: {@code "v_prediction"}). Flow-matching schedules go out as
     * {@code FlowMatchEulerDiscreteScheduler}, whose models predict VELOCITY (there is no key for it; with a shift,
     * diffusers' output is VELOCITY divided by {@link #outputScale}); {@link #parse} reads either back with the same
     * schedule and type. A schedule holds no file's other values (a flow-matching file's {@code num_train_timesteps},
     * written as 1000 here; a file's spacing): {@link #toJson()} of a parsed config keeps them.
     *
     * @throws IllegalArgumentException for VELOCITY on a discrete schedule or any other type on flow matching: diffusers
     *                                  has no such pairing; for V_PREDICTION on a schedule that is not variance
     *                                  preserving ({@code sqrt(gamma^2 + sigma^2)} more than 1e-6 from 1 at one of the
     *                                  1000 export steps): diffusers' {@code v} there is this library's divided by
     *                                  {@code sqrt(gamma^2 + sigma^2)}
     */
    public static String toJson(NoiseSchedule schedule, PredictionType type) {
        Refusals.notNull(type, "type", "one of " + Arrays.toString(PredictionType.values()));
        String json = Schedules.toDiffusersConfig(schedule);
        boolean flow = schedule instanceof FlowMatchingSchedule;
        if (flow != (type == PredictionType.VELOCITY)) {
            throw new IllegalArgumentException("type = " + type + " with schedule '" + schedule.name() + "' has no"
                    + " diffusers form; allowed: VELOCITY with flow matching (FlowMatchEulerDiscreteScheduler), EPSILON,"
                    + " X0 or V_PREDICTION with other schedules (diffusers' \"v_prediction\" is V_PREDICTION, not VELOCITY)");
        }
        if (flow) {
            return json;
        }
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        if (type == PredictionType.V_PREDICTION) {
            requireVariancePreserving(schedule, o.get("num_train_timesteps").getAsInt());
        }
        o.addProperty("prediction_type", switch (type) {
            case EPSILON -> "epsilon";
            case X0 -> "sample";
            case V_PREDICTION -> "v_prediction";
            case VELOCITY -> throw new AssertionError(type);
        });
        return new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create()
                .toJson(o);
    }

    /** How far {@code sqrt(gamma^2 + sigma^2)} may be from 1 for V_PREDICTION to go out as {@code v_prediction}. */
    private static final double VP_TOLERANCE = 1e-6;

    /**
     * Refuses V_PREDICTION for a schedule that is not variance preserving. Such a schedule goes out as the
     * variance-preserving betas with the same signal-to-noise ratio, whose {@code x_t} is this schedule's divided by
     * {@code n = sqrt(gamma^2 + sigma^2)}; epsilon and x0 are the same targets there, but diffusers' {@code v} is
     * {@code (gamma eps - sigma x0) / n}, this library's V_PREDICTION divided by n. Checked at the exported file's
     * {@code steps} training timesteps.
     */
    private static void requireVariancePreserving(NoiseSchedule schedule, int steps) {
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            double n = Math.hypot(schedule.gamma(t), schedule.sigma(t));
            if (!(Math.abs(n - 1) <= VP_TOLERANCE)) {
                throw new IllegalArgumentException("type = V_PREDICTION with schedule '" + schedule.name() + "', which is"
                        + " not variance preserving: at t = " + t + " sqrt(gamma^2 + sigma^2) = " + n + ". Its diffusers"
                        + " config is the variance-preserving schedule with the same signal-to-noise ratio, where"
                        + " diffusers' v_prediction is (gamma eps - sigma x0) / sqrt(gamma^2 + sigma^2), not this"
                        + " library's V_PREDICTION; allowed: EPSILON or X0 (the same targets there), or V_PREDICTION with a"
                        + " schedule whose sqrt(gamma^2 + sigma^2) is within " + VP_TOLERANCE + " of 1");
            }
        }
    }

    /**
     * This config as a diffusers {@code scheduler_config.json} with its own values ({@link
     * DiffusersSchedulerConfig#toJson()}): {@code parse(c.toJson())} equals {@code c}, with the same schedule,
     * prediction type and time grids, and the file's other keys ({@code source().keptKeys()}, such as
     * {@code _diffusers_version} or DDPM's {@code variance_type}) are written back verbatim. Unlike
     * {@link #toJson(NoiseSchedule, PredictionType)} it keeps what a schedule does not hold, such as a flow-matching
     * file's {@code num_train_timesteps} or a file's timestep spacing.
     */
    public String toJson() {
        return source.toJson();
    }

    /**
     * This file's configuration with another schedule of the same kind, such as one designed in a notebook, to write
     * for a diffusers trainer ({@link DiffusersSchedulerConfig#withSchedule}): prediction type, timestep spacing and
     * the file's other keys stay, the keys that described the old schedule go.
     *
     * @throws IllegalArgumentException naming the schedule, for null or one that does not fit the file's class
     */
    public DiffusersConfig withSchedule(NoiseSchedule schedule) {
        return new DiffusersConfig(source.withSchedule(schedule));
    }

    /**
     * This file's configuration for another diffusers class of the same kind ({@link
     * DiffusersSchedulerConfig#withClassName}); the kept keys that do not belong to the new class go.
     *
     * @throws IllegalArgumentException naming the class, for one not accepted or of the other kind
     */
    public DiffusersConfig withClassName(String className) {
        return new DiffusersConfig(source.withClassName(className));
    }

    /** The noise schedule. */
    public NoiseSchedule schedule() {
        return source.schedule();
    }

    /** What a model trained with this config predicts, in this library's terms (see the class comment). */
    public PredictionType predictionType() {
        return switch (source.predictionType()) {
            case "epsilon" -> PredictionType.EPSILON;
            case "sample" -> PredictionType.X0;
            case "v_prediction" -> PredictionType.V_PREDICTION;
            case DiffusersSchedulerConfig.FLOW -> PredictionType.VELOCITY;
            default -> throw new IllegalStateException("prediction_type = " + source.predictionType());
        };
    }

    /**
     * The factor from a diffusers model's output at time t to this library's {@link #predictionType()}:
     * {@code dsigma/dt = s / (1 + (s - 1) t)^2} for flow matching with shift s (1 without a shift), 1 otherwise.
     */
    public double outputScale(double t) {
        return schedule() instanceof FlowMatchingSchedule fm ? fm.sigmaDot(t) : 1.0;
    }

    /**
     * The time grid diffusers samples on with {@code steps} model calls, in this library's t, from the noisiest time
     * down to t = 0.
     * <ul>
     *   <li>DDPM, DDIM, Euler with leading or trailing spacing: the integer timesteps of {@link TimeGrid#leading}
     *       (with {@code steps_offset}) or {@link TimeGrid#trailing}, step i at {@code t = i / (N - 1)}, then 0.</li>
     *   <li>DDPM and DDIM with linspace spacing: {@link TimeGrid#linspace} (rounded timesteps, ending at step 0:
     *       {@code steps - 1} intervals).</li>
     *   <li>Euler with linspace spacing: diffusers keeps the fractional timesteps {@code tau_k = k (N - 1) / (steps - 1)}
     *       and interpolates its sigma {@code sqrt((1 - alphaBar) / alphaBar)} linearly between training steps; each
     *       grid time is the t with that same noise level ({@code logSnr = -2 ln sigma}); the last timestep is 0, so the
     *       grid has {@code steps - 1} intervals and ends there. (diffusers builds these timesteps in float32: its
     *       values differ from these float64 ones by up to about 3e-5, a few 1e-8 in t.)</li>
     *   <li>Flow matching: {@code t_k = 1 + (m - 1) k / (steps - 1)}, {@code m = shift(1 / N)}, then 0: the schedule's
     *       sigma at {@code t_k} is diffusers' shifted sigma.</li>
     * </ul>
     * See {@link DiffusersSchedulerConfig#finalStepToCleanData()} for diffusers' last update.
     *
     * <p>These are the times at which diffusers calls the model, and a solver of this library on this grid steps from
     * each to the next. diffusers' {@code DDIMScheduler.step} does not: it updates from timestep {@code tau} to
     * {@code tau - N / steps} (integer division), whatever the next listed timestep is. With leading spacing, and with
     * trailing spacing where {@code steps} divides N, the two agree; with trailing spacing otherwise (N = 1000, 30
     * steps: the update from 966 lands at 933, the next model call is at 932) and with linspace spacing (10 steps:
     * from 999 to 899, next call at 888) diffusers' DDIM sampler lands between the grid times, so its samples are not
     * this library's DDIM on this grid. DDPM and Euler step to the next listed timestep, as here.
     */
    public TimeGrid timeGrid(int steps) {
        if (steps < 1) {
            throw Refusals.refuse("steps", steps, "steps >= 1");
        }
        NoiseSchedule s = schedule();
        if (s instanceof FlowMatchingSchedule fm) {
            double[] t = flowTimes(fm, steps);
            return TimeGrid.of(Arrays.copyOf(t, steps + 1));
        }
        DiscreteSchedule d = (DiscreteSchedule) s;
        String spacing = source.timestepSpacing();
        if (spacing.equals("leading")) {
            return TimeGrid.leading(d, steps, source.stepsOffset());
        }
        if (spacing.equals("trailing")) {
            return TimeGrid.trailing(d, steps);
        }
        if (!source.className().equals("EulerDiscreteScheduler")) {
            return TimeGrid.linspace(d, steps);
        }
        double[] tau = eulerLinspace(d, steps);
        double[] t = new double[steps];
        for (int k = 0; k < steps; k++) {
            t[k] = tau[k] == Math.rint(tau[k]) ? d.timeOfStep((int) tau[k])
                    : d.timeAtLogSnr(-2 * Math.log(karrasSigma(d, tau[k])));
        }
        return TimeGrid.of(t);
    }

    /**
     * diffusers' {@code timesteps} for {@code steps} model calls: the values a diffusers model is called with, in
     * order (integer training steps for DDPM and DDIM, possibly fractional for Euler's linspace spacing,
     * {@code N sigma} for flow matching). With leading spacing and {@code steps_offset = 0} the last one is 0, which
     * {@link #timeGrid} has as its end point.
     */
    public double[] timesteps(int steps) {
        if (schedule() instanceof FlowMatchingSchedule fm) {
            double[] t = flowTimes(fm, steps);
            double[] out = new double[steps];
            for (int k = 0; k < steps; k++) {
                out[k] = source.trainTimesteps() * fm.sigma(t[k]);
            }
            return out;
        }
        DiscreteSchedule d = (DiscreteSchedule) schedule();
        if (source.className().equals("EulerDiscreteScheduler") && source.timestepSpacing().equals("linspace")) {
            return eulerLinspace(d, steps);
        }
        int[] idx = timeGrid(steps).stepIndices();
        return Arrays.stream(idx, 0, steps).asDoubleStream().toArray();
    }

    private double[] flowTimes(FlowMatchingSchedule fm, int steps) {
        if (steps < 1) {
            throw Refusals.refuse("steps", steps, "steps >= 1");
        }
        if (source.trainTimesteps() == 1 && steps > 1) {
            throw new IllegalArgumentException("steps = " + steps + " with num_train_timesteps = 1 in "
                    + source.className() + ": diffusers' sigmas run from shift(1) = 1 to shift(1 / 1) = 1, so every"
                    + " step but the last would have length 0; allowed: steps = 1, or a file with num_train_timesteps"
                    + " >= 2");
        }
        double m = fm.shifted(1.0 / source.trainTimesteps());
        double[] t = new double[steps + 1];
        for (int k = 0; k < steps; k++) {
            t[k] = steps == 1 ? 1.0 : 1 + (m - 1) * k / (steps - 1);
        }
        t[steps] = 0;
        return t;
    }

    private static double[] eulerLinspace(DiscreteSchedule d, int steps) {
        int n = d.steps();
        if (steps < 2 || steps > n) {
            throw new IllegalArgumentException("steps = " + steps + " for linspace spacing; allowed: 2 <= steps <= " + n);
        }
        double[] tau = new double[steps];
        for (int k = 0; k < steps; k++) {
            int j = steps - 1 - k;
            tau[k] = j == steps - 1 ? n - 1 : j * ((n - 1) / (double) (steps - 1)); // numpy's linspace: k * step
        }
        return tau;
    }

    /** diffusers' Euler sigma at a fractional timestep: linear interpolation of {@code sqrt((1 - a) / a)}. */
    private static double karrasSigma(DiscreteSchedule d, double tau) {
        int lo = (int) Math.floor(tau);
        int hi = Math.min(lo + 1, d.steps() - 1);
        double w = tau - lo;
        return (1 - w) * rho(d, lo) + w * rho(d, hi);
    }

    private static double rho(DiscreteSchedule d, int i) {
        double a = d.alphaBar(i);
        return Math.sqrt((1 - a) / a);
    }
}
