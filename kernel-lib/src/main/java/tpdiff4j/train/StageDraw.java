package tpdiff4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import tpdiff4j.Refusals;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;

/**
 * How a training step picks the pyramid stage it trains: a probability {@code w_k} per stage in sampling order.
 *
 * <ul>
 *   <li>{@link #uniform()}: {@code w_k = 1/K}, as in the TPDiff paper;</li>
 *   <li>{@link #byWindowLength()}: {@code w_k = (s_k - e_k) / sum_j (s_j - e_j)}, the stage's share of the time
 *       axis (for a one-stage pyramid the same as uniform);</li>
 *   <li>{@link #weights}: given non-negative weights, normalised;</li>
 *   <li>{@link #byMass(StageTimeDraw, TemporalPyramid)}: the weights that make {@code w_k} proportional to a global
 *       time density's mass over stage k's window (with {@link StageTimeDraw#globalLogitNormal} of the same
 *       parameters as the time draw, a pyramid trains on the time axis as a one-stage model with that density
 *       does, except where two windows overlap: t there can come from either stage, so its density is twice the
 *       curve's, {@code p(t) cover(t) / sum_k mass_k} in all);</li>
 *   <li>{@link #byCost(double)}: {@code w_k = (F_k / F)^q / sum_j (F_j / F)^q}, the stage's relative step cost to
 *       the power {@code q} (frames {@code F_k} of stage k, {@code F} at full rate). {@code q > 0} trains the
 *       expensive, high-rate stages more often ({@code q} equal to the cost exponent p gives each stage the share of
 *       compute it has under the uniform rule, squared); {@code q < 0} favours the cheap stages ({@code q = -p}
 *       spends equal compute on every stage); {@code q = 0} is uniform.</li>
 * </ul>
 * Only {@link #uniform()} is the paper's method; the others are options for studying sample efficiency.
 * The expected cost of a training step relative to a full-rate step follows the same rule:
 * {@link #costFactor} {@code = sum_k w_k (F_k / F)^p}.
 *
 * @param rule     "uniform", "windowLength", "weights" or "cost"
 * @param weights  the given weights for "weights" (sampling order), empty otherwise
 * @param exponent the power {@code q} of the relative frame count for "cost", 0 otherwise
 */
public record StageDraw(String rule, double[] weights, double exponent) {

    static final List<String> RULES = List.of("uniform", "windowLength", "weights", "cost");

    public StageDraw {
        if (rule == null || !RULES.contains(rule)) {
            throw Refusals.refuse("rule", rule, String.valueOf(RULES));
        }
        if (!Double.isFinite(exponent) || (!rule.equals("cost") && exponent != 0)) {
            throw new IllegalArgumentException("stage draw exponent = " + exponent + " for rule " + rule
                    + "; allowed: a finite value, and only for rule cost (0 otherwise)");
        }
        weights = weights == null ? new double[0] : weights.clone();
        if (rule.equals("weights")) {
            double sum = 0;
            for (double w : weights) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw Refusals.refuse("stage weights", Arrays.toString(weights), "finite values >= 0");
                }
                sum += w;
            }
            if (!(sum > 0)) {
                throw Refusals.refuse("stage weights", Arrays.toString(weights), "at least one weight > 0");
            }
        } else if (weights.length != 0) {
            throw new IllegalArgumentException("weights = " + Arrays.toString(weights) + " with rule " + rule
                    + "; allowed: none (only rule weights takes weights)");
        }
    }

    /** A rule without exponent ("uniform", "windowLength" or "weights"). */
    public StageDraw(String rule, double[] weights) {
        this(rule, weights, 0);
    }

    /** Every stage equally often (the paper's rule). */
    public static StageDraw uniform() {
        return new StageDraw("uniform", null);
    }

    /** Each stage in proportion to the length {@code s_k - e_k} of its time window. */
    public static StageDraw byWindowLength() {
        return new StageDraw("windowLength", null);
    }

    /**
     * The weights proportional to the mass of the global time density {@code global} over each stage's window of
     * {@code pyramid} ({@link StageTimeDraw#windowMasses}), for training with
     * {@code withTimeDraw(global)}; recorded as {@link #weights}, which do not follow a later
     * {@code TrainConfig.withPyramid}: make the draw again for another pyramid.
     *
     * @param global a global time draw ({@link StageTimeDraw#isGlobal()}), e.g.
     *               {@code StageTimeDraw.globalLogitNormal(0, 1)}
     */
    public static StageDraw byMass(StageTimeDraw global, TemporalPyramid pyramid) {
        if (global == null || !global.isGlobal()) {
            throw Refusals.refuse("global", global, "a global time draw, e.g. StageTimeDraw.globalLogitNormal(0, 1)");
        }
        return weights(global.windowMasses(pyramid));
    }

    /** Given weights in sampling order (normalised; non-negative, not all zero; one per stage). */
    public static StageDraw weights(double... w) {
        return new StageDraw("weights", w);
    }

    /**
     * Each stage in proportion to {@code (F_k / F)^q}: {@code q > 0} favours the high-rate (expensive) stages,
     * {@code q < 0} the low-rate (cheap) ones, {@code q = 0} is uniform.
     *
     * @param q the power of the stage's relative frame count; finite
     */
    public static StageDraw byCost(double q) {
        return new StageDraw("cost", null, q);
    }

    /**
     * The probabilities {@code w_k} for {@code pyramid}, in sampling order, summing to 1. They are normalised after
     * dividing by the largest weight (for "cost" in logarithms), so weights near {@code Double.MAX_VALUE} or a large
     * {@code |q|} give the limit (all draws on the largest weights) rather than an overflow to 0 or NaN.
     */
    public double[] probabilities(TemporalPyramid pyramid) {
        Refusals.notNull(pyramid, "pyramid",
                "a TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)");
        List<Stage> st = pyramid.stages();
        double[] w = new double[st.size()];
        switch (rule) {
            case "uniform" -> Arrays.fill(w, 1.0);
            case "windowLength" -> {
                for (int k = 0; k < w.length; k++) {
                    w[k] = st.get(k).start() - st.get(k).end();
                }
            }
            case "cost" -> {
                // (F_k / F)^q = exp(q ln(F_k / F)), scaled by the largest so that no term overflows or underflows to 0 alone
                double[] log = new double[w.length];
                double most = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < w.length; k++) {
                    log[k] = exponent * Math.log((double) st.get(k).frames() / pyramid.frames());
                    most = Math.max(most, log[k]);
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = log[k] == most ? 1 : Math.exp(log[k] - most);   // == also for an infinite largest term
                }
            }
            default -> {
                if (weights.length != w.length) {
                    throw new IllegalArgumentException("stage weights = " + Arrays.toString(weights) + " have "
                            + weights.length + " entries; allowed: one per stage, for the pyramid's " + w.length + " stages");
                }
                double most = Arrays.stream(weights).max().orElse(1);
                for (int k = 0; k < w.length; k++) {
                    w[k] = weights[k] / most;   // the sum of the scaled weights is at most K: no overflow
                }
            }
        }
        double sum = Arrays.stream(w).sum();
        for (int k = 0; k < w.length; k++) {
            w[k] /= sum;
        }
        return w;
    }

    /**
     * Expected cost of one training step relative to a full-rate step, with cost proportional to
     * {@code frames^exponent}: {@code sum_k w_k (F_k / F)^p}. For {@link #uniform()} this is
     * {@link TemporalPyramid#costFactor(double)} (21/48 for the uniform K = 3 pyramid and p = 2).
     */
    public double costFactor(TemporalPyramid pyramid, double exponent) {
        double[] w = probabilities(pyramid);
        double c = 0;
        for (int k = 0; k < w.length; k++) {
            int[] only = new int[w.length];
            only[k] = 1;
            c += w[k] * pyramid.costFactor(exponent, only); // (F_k / F)^p by the pyramid's own cost model
        }
        return c;
    }

    /** JSON: {@code {"rule": ..., "weights": [...], "exponent": q}} (weights only for "weights", exponent for "cost"). */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("rule", rule);
        if (rule.equals("weights")) {
            JsonArray a = new JsonArray();
            for (double w : weights) {
                a.add(w);
            }
            o.add("weights", a);
        }
        if (rule.equals("cost")) {
            o.addProperty("exponent", exponent);
        }
        return o;
    }

    /** Reads {@link #toJsonObject()}. */
    /**
     * Refuses, in the reader of stage draws ({@code timeDraw} false) or of stage time draws (true), a rule object of
     * the other kind: both are {@code {"rule": ...}}, so the rule tells them apart.
     */
    static void refuseOtherRule(JsonObject o, String what, boolean timeDraw) {
        com.google.gson.JsonElement r = o == null ? null : o.get("rule");
        if (r == null || !r.isJsonPrimitive() || !r.getAsJsonPrimitive().isString()) {
            return;   // the reader names a missing or malformed rule itself
        }
        List<String> own = timeDraw ? StageTimeDraw.RULES : RULES, other = timeDraw ? RULES : StageTimeDraw.RULES;
        String rule = r.getAsString();
        if (own.contains(rule) || !other.contains(rule)) {
            return;
        }
        String[] nouns = {"a stage draw", "a stage time draw"};
        String[] classes = {"StageDraw", "StageTimeDraw"};
        int mine = timeDraw ? 1 : 0, theirs = 1 - mine;
        throw new IllegalArgumentException(what + " = " + nouns[theirs] + " (rule \"" + rule + "\", the document "
                + classes[theirs] + ".toJsonObject writes); allowed: " + nouns[mine] + " (the document " + classes[mine]
                + ".toJsonObject writes), with a rule of " + own + ". Read " + nouns[theirs] + " with " + classes[theirs]
                + ".fromJsonObject");
    }

    public static StageDraw fromJsonObject(JsonObject o) {
        String form = "the object StageDraw.toJsonObject() writes, e.g. {\"rule\": \"weights\", \"weights\":"
                + " [1, 2, 1]}, with a rule of " + RULES;
        String allowed = "allowed: " + form;
        tpdiff4j.schedule.DocumentKind.STAGE_RULE.require(o, "stage draw JSON");
        refuseOtherRule(o, "stage draw JSON", false);
        for (String key : o == null ? java.util.Set.<String>of() : o.keySet()) {
            tpdiff4j.schedule.StrictJson.field(o, key, "stage draw JSON", form);   // a key written as null: refused as null
        }
        if (o == null || !(o.get("rule") instanceof com.google.gson.JsonPrimitive r && r.isString())) {
            throw new IllegalArgumentException("stage draw JSON = " + o + " has no rule; " + allowed);
        }
        try {   // a missing rule or a weight that is not a number was a NullPointerException or a Gson error
            double[] w = null;
            if (o.has("weights")) {
                JsonArray a = o.getAsJsonArray("weights");
                w = new double[a.size()];
                for (int i = 0; i < w.length; i++) {
                    if (a.get(i).isJsonNull()) {
                        throw new IllegalArgumentException("stage draw JSON: field 'weights[" + i + "]' = "
                                + tpdiff4j.schedule.StrictJson.excerpt("null") + "; allowed: a number, one weight per stage");
                    }
                    w[i] = a.get(i).getAsJsonPrimitive().getAsNumber().doubleValue();
                }
            }
            double q = o.has("exponent") ? o.getAsJsonPrimitive("exponent").getAsNumber().doubleValue() : 0;
            return new StageDraw(o.get("rule").getAsString(), w, q);
        } catch (ClassCastException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("stage draw JSON = " + o + " is malformed (" + e.getMessage() + "); "
                    + allowed, e);
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageDraw d && d.rule.equals(rule) && Arrays.equals(d.weights, weights)
                && Double.compare(d.exponent, exponent) == 0;
    }

    @Override
    public int hashCode() {
        return (rule.hashCode() * 31 + Arrays.hashCode(weights)) * 31 + Double.hashCode(exponent);
    }

    @Override
    public String toString() {
        return switch (rule) {
            case "weights" -> "weights" + Arrays.toString(weights);
            case "cost" -> "cost^" + exponent;
            default -> rule;
        };
    }
}
