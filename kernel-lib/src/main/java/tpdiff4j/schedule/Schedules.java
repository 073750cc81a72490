package tpdiff4j.schedule;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import tpdiff4j.Refusals;

/** Factories for the built-in noise schedules, user schedules, and reading a schedule back from JSON. */
public final class Schedules {

    /** The {@code "type"} tags {@link #fromJson} accepts. */
    static final List<String> JSON_TYPES = List.of("flowMatching", "linear", "scaledLinear", "cosine", "vpCosine", "tabulated",
            TrainedBetasSchedule.TYPE);

    private Schedules() {
    }

    /** Flow matching / rectified flow: {@code gamma = 1 - t}, {@code sigma = t}. */
    public static NoiseSchedule flowMatching() {
        return new FlowMatchingSchedule(1);
    }

    /** Flow matching with the SD3 time shift {@code u = s t / (1 + (s - 1) t)}: {@code gamma = 1 - u, sigma = u}. */
    public static NoiseSchedule flowMatching(double shift) {
        return new FlowMatchingSchedule(shift);
    }

    /** DDPM linear betas {@code beta_i = linspace(b0, b1, n)_i} (AnimateDiff: 0.00085, 0.012, 1000). */
    public static DiscreteSchedule linear(double b0, double b1, int n) {
        return new BetaSchedule(BetaSchedule.Kind.LINEAR, b0, b1, n);
    }

    /** Stable Diffusion "scaled_linear" betas {@code beta_i = linspace(sqrt b0, sqrt b1, n)_i^2} (SD1.5: 0.00085, 0.012, 1000). */
    public static DiscreteSchedule scaledLinear(double b0, double b1, int n) {
        return new BetaSchedule(BetaSchedule.Kind.SCALED_LINEAR, b0, b1, n);
    }

    /** Improved-DDPM cosine betas (Nichol and Dhariwal 2021): s = 0.008, betas clipped at 0.999. */
    public static DiscreteSchedule cosine(int n) {
        return new CosineBetaSchedule(n);
    }

    /**
     * A discrete schedule from its betas {@code beta_0 .. beta_{N-1}}, each in (0, 1), {@code beta_0 < 0.5}, N >= 2
     * (diffusers' {@code trained_betas}; see {@link TrainedBetasSchedule}).
     */
    public static DiscreteSchedule betas(double... betas) {
        Refusals.notNull(betas, "betas", "at least 2 betas, each in (0, 1)");
        return new TrainedBetasSchedule(betas);
    }

    /**
     * The schedule of a diffusers {@code scheduler_config.json} ({@code DDPMScheduler}, {@code DDIMScheduler},
     * {@code EulerDiscreteScheduler}, {@code FlowMatchEulerDiscreteScheduler}); what is read, ignored and rejected is
     * listed at {@link DiffusersSchedulerConfig}. The prediction type and the time grid of the same file come from
     * {@code tpdiff4j.ode.DiffusersConfig.parse(json)}; mind that diffusers' {@code v_prediction} is
     * {@code PredictionType.V_PREDICTION}, not {@code VELOCITY}.
     */
    public static NoiseSchedule fromDiffusersConfig(String json) {
        return DiffusersSchedulerConfig.parse(json).schedule();
    }

    /**
     * This schedule as a diffusers {@code scheduler_config.json} (pretty-printed JSON, full double precision):
     * flow matching as {@code FlowMatchEulerDiscreteScheduler} with its shift, beta schedules as
     * {@code DDIMScheduler} with their {@code beta_schedule}, and every schedule without a closed diffusers form as
     * {@code trained_betas} at 1000 steps with the rule written in the key {@code _tpdiff4j_discretised}
     * (see {@link DiffusersExport}). {@link #fromDiffusersConfig} reads it back: the same schedule for the closed
     * forms, the same alpha-bar table for {@code trained_betas}. Those betas are variance preserving: for a schedule
     * with {@code gamma^2 + sigma^2 != 1} they keep the signal-to-noise ratio, and diffusers' {@code x_t} is this
     * schedule's divided by {@code sqrt(gamma^2 + sigma^2)}. The file is the noise schedule only: diffusers has no
     * scheduler for a pyramid's stages and jumps ({@code TemporalPyramid.planJson} writes those).
     *
     * <p>A schedule is not a whole diffusers file: a flow-matching schedule has no number of training timesteps
     * (1000 is written), and the prediction type, timestep spacing and class of a file are not part of any schedule.
     * To write a file that was read back with its own values and every other key it had, use
     * {@code DiffusersSchedulerConfig.parse(json).toJson()} ({@link DiffusersSchedulerConfig#toJson()}).
     */
    public static String toDiffusersConfig(NoiseSchedule schedule) {
        return DiffusersExport.toJson(schedule);
    }

    /**
     * The continuous variance-preserving cosine schedule {@code gamma = cos(phi(t)) / cos(phi(0))},
     * {@code sigma = sqrt(1 - gamma^2)}, {@code phi(t) = ((t + 0.008) / 1.008) pi / 2} (see {@link VpCosineSchedule}).
     */
    public static NoiseSchedule vpCosine() {
        return new VpCosineSchedule();
    }

    /**
     * Checks a {@link NoiseSchedule} class of one's own by the rules of {@link #of} (values, directions, the ends'
     * log-SNR, its derivatives against finite differences of gamma and sigma; see {@link FunctionSchedule}) and that
     * its {@code timeAtLogSnr} inverts its log-SNR within {@code 1e-6} in t on the grid {@code t = j / 1000};
     * {@code TemporalPyramid} runs it when it is built, so a pyramid, a training configuration and a sampler never
     * hold an unchecked schedule. The library's own schedules pass at once.
     *
     * @return {@code schedule}
     * @throws IllegalArgumentException naming the schedule, the time, the value and the rule it breaks
     */
    public static NoiseSchedule requireValid(NoiseSchedule schedule) {
        Refusals.notNull(schedule, "schedule", "a NoiseSchedule, e.g. Schedules.flowMatching()");
        if (Tabulation.hasJson(schedule) || schedule instanceof FunctionSchedule) {
            return schedule;   // checked when made
        }
        String name = schedule.name();
        new FunctionSchedule(name, schedule::gamma, schedule::sigma, schedule::gammaDot, schedule::sigmaDot);
        for (int j = 0; j <= FunctionSchedule.CHECK_GRID; j++) {
            double t = (double) j / FunctionSchedule.CHECK_GRID;
            double l = schedule.logSnr(t);
            if (!Double.isFinite(l)) {
                continue;   // the ends of flow matching: gamma or sigma 0
            }
            double back = schedule.timeAtLogSnr(l);
            if (!(Math.abs(back - t) <= 1e-6)) {
                throw new IllegalArgumentException("timeAtLogSnr(" + l + ") = " + back + " in schedule '" + name + "' ("
                        + schedule.getClass().getName() + "), but logSnr(" + t + ") = " + l + "; allowed: timeAtLogSnr"
                        + " the inverse of logSnr, within 1e-6 in t (the pyramid places its stage windows with it)");
            }
        }
        return schedule;
    }

    /** A user schedule; derivatives by fourth-order finite differences (see {@link FunctionSchedule}). */
    public static NoiseSchedule of(String name, DoubleUnaryOperator gamma, DoubleUnaryOperator sigma) {
        return new FunctionSchedule(name, gamma, sigma, null, null);
    }

    /**
     * A user schedule with its exact derivatives, checked against finite differences of {@code gamma} and
     * {@code sigma} on the validation grid (see {@link FunctionSchedule}).
     */
    public static NoiseSchedule of(String name, DoubleUnaryOperator gamma, DoubleUnaryOperator sigma,
                                   DoubleUnaryOperator gammaDot, DoubleUnaryOperator sigmaDot) {
        String allowed = "a function of t (or of(name, gamma, sigma) for numerical derivatives)";
        Refusals.notNull(gammaDot, "gammaDot", allowed);
        Refusals.notNull(sigmaDot, "sigmaDot", allowed);
        return new FunctionSchedule(name, gamma, sigma, gammaDot, sigmaDot);
    }

    /**
     * A copy of {@code schedule} stored as gamma, sigma, gammaDot and sigmaDot at {@code t = j / intervals} with
     * cubic Hermite interpolation in between ({@link TabulatedSchedule}: error {@code <= h^4 max|f^(4)| / 384},
     * h = 1/intervals, 1 &lt;= intervals &lt;= 1000000); unlike a schedule of Java functions it has a JSON form, so it can
     * go into a {@code TrainConfig} or a checkpoint. Keeps the name.
     */
    public static NoiseSchedule tabulated(NoiseSchedule schedule, int intervals) {
        return TabulatedSchedule.of(schedule, intervals);
    }

    /**
     * Rebuilds a schedule written by {@link NoiseSchedule#toJson()}: an object with {@code "type"} (one of
     * flowMatching, linear, scaledLinear, cosine, vpCosine, tabulated, betas), {@code "version": 1} and exactly the parameters of
     * that type (flowMatching: shift; linear and scaledLinear: betaStart, betaEnd, steps; cosine: steps;
     * vpCosine: none; tabulated: name, gamma, sigma, gammaDot, sigmaDot; betas: betas). Unknown or missing keys are errors. User
     * schedules ({@link #of}) have no JSON form; {@link #tabulated} gives them one.
     */
    public static NoiseSchedule fromJson(String json) {
        JsonObject o = ScheduleJson.parse(json);
        String type = ScheduleJson.type(o);
        switch (type) {
            case FlowMatchingSchedule.TYPE:
                ScheduleJson.onlyKeys(o, type, "shift");
                return new FlowMatchingSchedule(ScheduleJson.number(o, "shift", type));
            case "linear":
                ScheduleJson.onlyKeys(o, type, "betaStart", "betaEnd", "steps");
                return linear(ScheduleJson.number(o, "betaStart", type), ScheduleJson.number(o, "betaEnd", type),
                        ScheduleJson.integer(o, "steps", type));
            case "scaledLinear":
                ScheduleJson.onlyKeys(o, type, "betaStart", "betaEnd", "steps");
                return scaledLinear(ScheduleJson.number(o, "betaStart", type), ScheduleJson.number(o, "betaEnd", type),
                        ScheduleJson.integer(o, "steps", type));
            case CosineBetaSchedule.TYPE:
                ScheduleJson.onlyKeys(o, type, "steps");
                return cosine(ScheduleJson.integer(o, "steps", type));
            case VpCosineSchedule.TYPE:
                ScheduleJson.onlyKeys(o, type);
                return vpCosine();
            case TrainedBetasSchedule.TYPE:
                ScheduleJson.onlyKeys(o, type, "betas");
                return betas(ScheduleJson.numbers(o, "betas", type));
            case TabulatedSchedule.TYPE:
                ScheduleJson.onlyKeys(o, type, "name", "gamma", "sigma", "gammaDot", "sigmaDot");
                return new TabulatedSchedule(ScheduleJson.string(o, "name", type), ScheduleJson.numbers(o, "gamma", type),
                        ScheduleJson.numbers(o, "sigma", type), ScheduleJson.numbers(o, "gammaDot", type),
                        ScheduleJson.numbers(o, "sigmaDot", type));
            default:
                throw new IllegalArgumentException("type = \"" + type + "\" is not a known schedule type; allowed: " + JSON_TYPES);
        }
    }
}
