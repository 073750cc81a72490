package tpdiff4j.train;

import com.google.gson.JsonArray;
import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * A factor {@code lambda_k} on the loss of a step that trained stage {@code k} (sampling order, 0 = noisiest):
 * the step minimises {@code lambda_k * mean((f(x_t, t) - target)^2)}. {@link #equal()} ({@code lambda_k = 1}, stored
 * as no factors) is the paper's method. Because AdamW normalises by a running gradient scale shared by all stages,
 * unequal factors change how much each stage moves the weights relative to the others; a common factor on all
 * stages changes almost nothing. The loss the trainer reports stays the unweighted mean square, so curves of
 * different weightings compare directly.
 *
 * @param factors {@code lambda_k} per stage in sampling order (finite, {@code >= 0}, not all zero), or empty for all 1
 */
public record StageLossWeights(double[] factors) {

    public StageLossWeights {
        factors = factors == null ? new double[0] : factors.clone();
        double sum = 0;
        for (double f : factors) {
            if (!(f >= 0) || Double.isInfinite(f)) {
                throw Refusals.refuse("stage loss weights", Arrays.toString(factors), "finite values >= 0");
            }
            sum += f;
        }
        if (factors.length > 0 && !(sum > 0)) {
            throw Refusals.refuse("stage loss weights", Arrays.toString(factors), "at least one factor > 0");
        }
    }

    /** Every stage's loss counts once (the paper's method). */
    public static StageLossWeights equal() {
        return new StageLossWeights(null);
    }

    /** The given factors, one per stage in sampling order. */
    public static StageLossWeights of(double... lambda) {
        if (lambda == null || lambda.length == 0) {
            throw Refusals.refuse("stage loss weights", Arrays.toString(lambda),
                    "one factor per stage (use StageLossWeights.equal() for all 1)");
        }
        return new StageLossWeights(lambda);
    }

    /** Whether every factor is 1 (nothing to multiply). */
    public boolean isEqual() {
        return factors.length == 0;
    }

    /** {@code lambda_k} for the stage {@code k} in sampling order. */
    public double factor(int stage) {
        if (stage < 0 || (factors.length > 0 && stage >= factors.length)) {   // was an ArrayIndexOutOfBoundsException
            throw Refusals.refuse("stage", stage,
                    factors.length == 0 ? ">= 0"
                            : "0 <= stage <= " + (factors.length - 1) + " (" + factors.length + " factors)");
        }
        return factors.length == 0 ? 1.0 : factors[stage];
    }

    /** Checks that there is one factor per stage of a pyramid with {@code stages} stages. */
    void check(int stages) {
        if (factors.length != 0 && factors.length != stages) {
            throw new IllegalArgumentException("stage loss weights = " + Arrays.toString(factors) + " have "
                    + factors.length + " entries; allowed: one per stage, for the pyramid's " + stages + " stages");
        }
    }

    /** JSON: the factors as an array (empty for all 1). */
    public JsonArray toJson() {
        JsonArray a = new JsonArray();
        for (double f : factors) {
            a.add(f);
        }
        return a;
    }

    /** Reads {@link #toJson()}. */
    public static StageLossWeights fromJson(JsonArray a) {
        Refusals.notNull(a, "stage loss weights JSON",
                "the array toJson() writes, e.g. [1.0, 2.0, 1.0] ([] for equal)");
        double[] f = new double[a.size()];
        for (int i = 0; i < f.length; i++) {
            if (!(a.get(i) instanceof com.google.gson.JsonPrimitive p && p.isNumber())) {   // was a Gson error
                throw new IllegalArgumentException("stage loss weights JSON " + a + ": entry " + i + " = " + a.get(i)
                        + "; allowed: numbers, one factor per stage");
            }
            f[i] = a.get(i).getAsDouble();
        }
        return new StageLossWeights(f);
    }

    @Override
    public double[] factors() {
        return factors.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageLossWeights w && Arrays.equals(w.factors, factors);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(factors);
    }

    @Override
    public String toString() {
        return isEqual() ? "equal" : Arrays.toString(factors);
    }
}
