package tpdiff4j.train;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.SplittableRandom;
import tpdiff4j.Refusals;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;

/**
 * How a training step draws the stage-local time {@code t'} in (0, 1] of each clip once its stage is picked; the
 * global time is then {@code t = e_k + t' (s_k - e_k)}, so {@code t' = 1} is the stage's noisy start {@code s_k} and
 * {@code t' -> 0} its clean end {@code e_k}. The density {@link #density} on (0, 1):
 *
 * <ul>
 *   <li>{@link #uniform()}: {@code p(t') = 1}, the TPDiff paper's rule (the default), drawn as
 *       {@code t' = 1 - u} with one uniform {@code u} in [0, 1);</li>
 *   <li>{@link #power(double)}: {@code p(t') = a t'^(a - 1)}, {@code a > 0}, drawn as {@code t' = (1 - u)^(1/a)};
 *       {@code a > 1} puts more steps towards the noisy start, {@code a < 1} towards the clean end, {@code a = 1}
 *       is uniform (but recorded as its own rule);</li>
 *   <li>{@link #logitNormal(double, double)}: {@code logit(t') ~ N(m, s^2)}, i.e.
 *       {@code p(t') = exp(-(logit(t') - m)^2 / (2 s^2)) / (s sqrt(2 pi) t' (1 - t'))}, drawn by Box-Muller from two
 *       uniforms; {@code m = 0, s = 1} concentrates steps in the middle of the window (as in rectified-flow training
 *       of large image models), {@code m > 0} shifts them towards the noisy start.</li>
 *   <li>{@link #globalLogitNormal(double, double)}: the <em>global</em> time follows {@code logit(t) ~ N(m, s^2)}
 *       restricted to the stage's window {@code [e_k, s_k]} (a normal restricted to the matching interval of the
 *       logit, drawn by inverting its distribution function with one uniform), so the density of t inside every
 *       window is the same curve. Together with {@link StageDraw#byMass} of the same rule, which draws each stage in
 *       proportion to the curve's mass over its window, a pyramid trains on the time axis as a one-stage model with
 *       this draw does, except where windows overlap: there t is drawn from either stage, so its density is the
 *       curve's times the number of windows that cover t, {@code p(t) cover(t) / sum_k mass_k} (the overlaps of the
 *       uniform 3-stage pyramid on flow matching under convention A, [0.261, 0.333] and [0.586, 0.667], are 15% of
 *       the axis). On a one-stage pyramid, window [0, 1],
 *       it is {@link #logitNormal} with the same parameters. {@link #density} and {@link #draw(SplittableRandom)}
 *       refer to the whole axis, window [0, 1].</li>
 * </ul>
 * Only {@link #uniform()} is the paper's method; the others are options for studying sample efficiency. With uniform
 * times, the draw by window length ({@link StageDraw#byWindowLength()}) is the one that trains a pyramid on the time
 * axis as a one-stage model with uniform times does, up to the same factor {@code cover(t)} where windows overlap.
 *
 * @param rule  "uniform", "power", "logitNormal" or "globalLogitNormal"
 * @param shape the power {@code a} for "power", the mean {@code m} of the logit for the logit-normal rules, 0 for
 *              "uniform"
 * @param scale the standard deviation {@code s} of the logit for the logit-normal rules, 0 otherwise
 */
public record StageTimeDraw(String rule, double shape, double scale) {

    static final List<String> RULES = List.of("uniform", "power", "logitNormal", "globalLogitNormal");

    public StageTimeDraw {
        if (rule == null || !RULES.contains(rule)) {
            throw Refusals.refuse("stage time draw rule", rule, String.valueOf(RULES));
        }
        switch (rule) {
            case "uniform" -> require(shape == 0 && scale == 0, "shape = " + shape + ", scale = " + scale
                    + " for rule uniform; allowed: 0 and 0 (uniform takes no parameters)");
            case "power" -> require(shape > 0 && Double.isFinite(shape) && scale == 0, "power a = " + shape
                    + " (scale = " + scale + "); allowed: a finite a > 0 and scale 0");
            default -> require(Double.isFinite(shape) && scale > 0 && Double.isFinite(scale), rule + " m = "
                    + shape + ", s = " + scale + "; allowed: a finite m and a finite s > 0");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code t'} uniform in (0, 1]: the paper's rule. */
    public static StageTimeDraw uniform() {
        return new StageTimeDraw("uniform", 0, 0);
    }

    /** Density {@code a t'^(a - 1)}; {@code a > 1} favours the stage's noisy start. */
    public static StageTimeDraw power(double a) {
        return new StageTimeDraw("power", a, 0);
    }

    /** {@code logit(t') ~ N(m, s^2)}. */
    public static StageTimeDraw logitNormal(double m, double s) {
        return new StageTimeDraw("logitNormal", m, s);
    }

    /**
     * The global time {@code t} with {@code logit(t) ~ N(m, s^2)}, restricted to each stage's window (see the class
     * comment); pair it with the stage draw {@code StageDraw.byMass(StageTimeDraw.globalLogitNormal(m, s), pyramid)}.
     */
    public static StageTimeDraw globalLogitNormal(double m, double s) {
        return new StageTimeDraw("globalLogitNormal", m, s);
    }

    /** Whether the rule is a density of the global time, restricted to each stage's window. */
    public boolean isGlobal() {
        return rule.equals("globalLogitNormal");
    }

    /**
     * The probability mass of the global density over each stage's window {@code [e_k, s_k]}, in sampling order
     * (not normalised: overlapping windows count their overlap twice). Only for a global rule.
     */
    public double[] windowMasses(TemporalPyramid pyramid) {
        if (!isGlobal()) {
            throw new IllegalArgumentException("time draw " + this + " is stage-local; window masses are defined for"
                    + " a global rule, e.g. StageTimeDraw.globalLogitNormal(0, 1)");
        }
        Refusals.notNull(pyramid, "pyramid",
                "a TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)");
        List<Stage> st = pyramid.stages();
        double[] w = new double[st.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = StandardNormal.cdf(logitBound(st.get(k).start())) - StandardNormal.cdf(logitBound(st.get(k).end()));
        }
        return w;
    }

    /** {@code (logit(t) - m) / s}, infinite at t = 0 and t = 1. */
    private double logitBound(double t) {
        if (t <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (t >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return (Math.log(t / (1 - t)) - shape) / scale;
    }

    /** Whether this is the paper's rule. */
    public boolean isUniform() {
        return rule.equals("uniform");
    }

    /**
     * One stage-local time in (0, 1] from {@code rng}: uniform, power and globalLogitNormal use one
     * {@code nextDouble()}, logitNormal two. (A draw that rounds to 0 in double precision, such as a power draw
     * {@code u^(1/a)} with a small {@code a}, is returned as {@link Double#MIN_VALUE}; the global time
     * {@code e + t' (s - e)} then rounds to the stage's end {@code e}.) For a global rule: the stage-local time on
     * the whole axis, window [0, 1].
     */
    public double draw(SplittableRandom rng) {
        return draw(rng, 1, 0);
    }

    /**
     * One stage-local time in (0, 1] for the stage whose window runs from {@code start} (noisy) down to {@code end}
     * (clean), {@code 0 <= end < start <= 1}: a stage-local rule ignores the window, a global one draws the global
     * time t inside it and returns {@code (t - end) / (start - end)}.
     */
    public double draw(SplittableRandom rng, double start, double end) {
        // was a NullPointerException
        Refusals.notNull(rng, "rng", "a SplittableRandom, e.g. new SplittableRandom(seed)");
        if (!(end >= 0 && end < start && start <= 1)) {
            throw new IllegalArgumentException("stage window start = " + start + ", end = " + end
                    + "; allowed: 0 <= end < start <= 1");
        }
        double u = 1.0 - rng.nextDouble(); // (0, 1]
        return switch (rule) {
            case "uniform" -> u;
            case "power" -> Math.max(Double.MIN_VALUE, Math.pow(u, 1.0 / shape)); // underflows to 0 for a below 0.05
            case "globalLogitNormal" -> {
                double z = StandardNormal.truncated(logitBound(end), logitBound(start), u);
                double t = 1.0 / (1.0 + Math.exp(-(shape + scale * z)));
                yield Math.min(1.0, Math.max(Double.MIN_VALUE, (t - end) / (start - end)));
            }
            default -> {
                double z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
                yield Math.max(Double.MIN_VALUE, 1.0 / (1.0 + Math.exp(-(shape + scale * z))));
            }
        };
    }

    /** The density {@code p(t')} at {@code t'} in (0, 1) (see the class comment; a global rule on window [0, 1]). */
    public double density(double tPrime) {
        if (!(tPrime > 0 && tPrime < 1)) {
            throw Refusals.refuse("tPrime", tPrime, "0 < tPrime < 1");
        }
        return switch (rule) {
            case "uniform" -> 1.0;
            case "power" -> shape * Math.pow(tPrime, shape - 1);
            default -> {
                double l = Math.log(tPrime / (1 - tPrime)) - shape;
                yield Math.exp(-l * l / (2 * scale * scale)) / (scale * Math.sqrt(2 * Math.PI) * tPrime * (1 - tPrime));
            }
        };
    }

    /**
     * How to draw the global time {@code t} of one clip in a stage's window {@code [end, start]} by this rule, as a
     * formula for a script in another framework ({@link TrainConfig#planJson}); {@code u ~ U[0, 1)} as in
     * {@link #draw(SplittableRandom, double, double)}, numbers in full double precision.
     */
    public String formula() {
        String local = "t = end + t' (start - end) with ";
        return switch (rule) {
            case "uniform" -> local + "t' = 1 - u, u ~ U[0, 1)";
            case "power" -> local + "t' = (1 - u)^(1 / a), u ~ U[0, 1), a = " + shape;
            case "logitNormal" -> local + "t' = sigmoid(m + s z), z ~ N(0, 1), m = " + shape + ", s = " + scale;
            default -> "t = sigmoid(m + s z) with z ~ N(0, 1) restricted to [(logit(end) - m) / s, (logit(start) - m)"
                    + " / s] (drawn by inverting its distribution function), m = " + shape + ", s = " + scale;
        };
    }

    /** JSON: {@code {"rule": ..., "shape": ..., "scale": ...}} (parameters only where the rule has them). */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("rule", rule);
        if (!isUniform()) {
            o.addProperty("shape", shape);
        }
        if (rule.equals("logitNormal") || isGlobal()) {
            o.addProperty("scale", scale);
        }
        return o;
    }

    /** Reads {@link #toJsonObject()}. */
    public static StageTimeDraw fromJsonObject(JsonObject o) {
        String form = "the object StageTimeDraw.toJsonObject() writes, e.g. {\"rule\": \"logitNormal\","
                + " \"shape\": 0.0, \"scale\": 1.0}, with a rule of " + RULES;
        String allowed = "allowed: " + form;
        tpdiff4j.schedule.DocumentKind.STAGE_RULE.require(o, "stage time draw JSON");
        StageDraw.refuseOtherRule(o, "stage time draw JSON", true);
        for (String key : o == null ? java.util.Set.<String>of() : o.keySet()) {
            tpdiff4j.schedule.StrictJson.field(o, key, "stage time draw JSON", form);   // a key written as null: refused as null
        }
        if (o == null || !(o.get("rule") instanceof com.google.gson.JsonPrimitive r && r.isString())) {
            throw new IllegalArgumentException("stage time draw JSON = " + o + " has no rule; " + allowed);
        }
        try {   // a missing rule or a parameter that is not a number was a NullPointerException or a Gson error
            return new StageTimeDraw(o.get("rule").getAsString(),
                    o.has("shape") ? o.getAsJsonPrimitive("shape").getAsNumber().doubleValue() : 0,
                    o.has("scale") ? o.getAsJsonPrimitive("scale").getAsNumber().doubleValue() : 0);
        } catch (ClassCastException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("stage time draw JSON = " + o + " is malformed (" + e.getMessage()
                    + "); " + allowed, e);
        }
    }

    @Override
    public String toString() {
        return switch (rule) {
            case "uniform" -> "uniform";
            case "power" -> "power(" + shape + ")";
            default -> rule + "(" + shape + ", " + scale + ")";
        };
    }
}
