package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import tpdiff4j.Refusals;

/**
 * AdamW (Loshchilov and Hutter 2019, Algorithm 2) with decoupled weight decay, as a DJL {@link Optimizer}:
 * <pre>
 *   m &lt;- b1 m + (1 - b1) g,   v &lt;- b2 v + (1 - b2) g^2,   mhat = m / (1 - b1^n),   vhat = v / (1 - b2^n)
 *   w &lt;- w - lr (mhat / (sqrt(vhat) + eps) + wd w)
 * </pre>
 * Same update as DJL's {@code Optimizer.adamW()}, but its moments and step counts are exposed by parameter name
 * ({@link #state}, {@link #restore}) so that a checkpoint can resume a run exactly; DJL's own AdamW keeps them
 * private. {@link #prepare} creates the moments eagerly on the weights' manager, outside any step scope, as one
 * vector per moment with each parameter's moment a view of its slice: {@link #step} updates all parameters at once
 * on the concatenated vectors ([P] for P weights), {@link #update} one parameter (DJL's {@link Optimizer} contract).
 * Both apply the same elementwise operations, so they give the same numbers.
 */
public final class AdamW extends Optimizer {

    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private NDArray meanVector;
    private NDArray varianceVector;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    private AdamW(Builder b) {
        super(b);
        this.lr = b.lr;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
    }

    /** A builder with DJL's AdamW defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Allocates zero moments for the parameters {@code weights} (name to weight; their order is the order of the
     * vectors of {@link #step}) on {@code manager}. Call once, outside step scopes.
     */
    public void prepare(Map<String, NDArray> weights, NDManager manager) {
        if (meanVector != null) {
            throw new IllegalStateException("AdamW.prepare was already called; moments exist for " + mean.keySet());
        }
        long p = weights.values().stream().mapToLong(NDArray::size).sum();
        meanVector = manager.zeros(new Shape(p));
        varianceVector = manager.zeros(new Shape(p));
        mean.putAll(ParameterVector.slices(meanVector, weights));
        variance.putAll(ParameterVector.slices(varianceVector, weights));
        weights.keySet().forEach(k -> counts.put(k, 0));
    }

    /**
     * One update of every parameter: advances the moment vectors with {@code g} and returns the step
     * {@code lr (mhat / (sqrt(vhat) + eps) + wd theta)}, a new [P] array on {@code g}'s manager that the caller
     * subtracts from the weights.
     *
     * @param theta the weights [P], concatenated in the order given to {@link #prepare}
     * @param g     their gradients [P], same order
     */
    public NDArray step(NDArray theta, NDArray g) {
        if (meanVector == null) {
            throw new IllegalStateException("call prepare(...) before step");
        }
        if (g.size() != meanVector.size() || theta.size() != meanVector.size()) {
            throw new IllegalArgumentException("theta has " + theta.size() + " and g " + g.size() + " values; the "
                    + "prepared parameters have " + meanVector.size());
        }
        int n = counts.values().iterator().next();
        if (counts.values().stream().anyMatch(c -> c != n)) {
            throw new IllegalStateException("step(...) updates all parameters at once, but their update counts differ "
                    + "(" + counts + "); use update(name, ...) per parameter");
        }
        counts.replaceAll((k, c) -> n + 1);
        return direction(meanVector, varianceVector, g, theta, n + 1);
    }

    @Override
    public void update(String name, NDArray weight, NDArray grad) {
        NDArray m = mean.get(name), v = variance.get(name);
        if (m == null) {
            throw new IllegalStateException("parameter " + name + ": call prepare(...) before update");
        }
        int n = counts.merge(name, 1, Integer::sum);
        try (NDArray step = direction(m, v, grad, weight, n)) {
            weight.subi(step);
        }
    }

    /**
     * Update n (1-based) of the moments {@code m, v} (in place) with gradient {@code g}; returns
     * {@code lr (mhat / (sqrt(vhat) + eps) + wd w)} on {@code g}'s manager (temporaries live with the gradient, in
     * the step's scope, not with the weights). The bias corrections {@code c1 = 1 - b1^n}, {@code c2 = 1 - b2^n} are
     * folded into scalars, two passes over the vectors fewer:
     * {@code mhat / (sqrt(vhat) + eps) = (lr sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2))} (times lr).
     */
    private NDArray direction(NDArray m, NDArray v, NDArray g, NDArray w, int n) {
        NDManager scope = g.getManager();
        m.muli(beta1).addi(attached(g.mul(1 - beta1), scope));
        v.muli(beta2).addi(attached(g.square(), scope).muli(1 - beta2));
        double c1 = 1 - Math.pow(beta1, n), rootC2 = Math.sqrt(1 - Math.pow(beta2, n));
        NDArray denom = attached(v.sqrt(), scope).addi((float) (epsilon * rootC2));
        NDArray step = attached(m.mul((float) (lr * rootC2 / c1)), scope).divi(denom);
        float wd = getWeightDecay();
        if (wd != 0) {
            step.addi(attached(w.mul(lr * wd), scope));
        }
        return step;
    }

    private static NDArray attached(NDArray a, NDManager m) {
        a.attach(m);
        return a;
    }

    /** Number of updates applied to {@code name}. */
    public int count(String name) {
        return counts.getOrDefault(name, 0);
    }

    /** The first and second moments by name ("m:" + name, "v:" + name), for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        mean.forEach((k, a) -> s.put("m:" + k, a));
        variance.forEach((k, a) -> s.put("v:" + k, a));
        return s;
    }

    /** Overwrites moments and counts from a checkpoint. */
    public void restore(Map<String, float[]> state, Map<String, Integer> updateCounts) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] v = state.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new IllegalArgumentException("optimizer state " + e.getKey() + ": missing or wrong size in checkpoint");
            }
            tpdiff4j.data.Tensors.copyInto(e.getValue(), v);
        }
        counts.putAll(updateCounts);
    }

    /** Update counts by parameter name. */
    public Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    /**
     * Builder; defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 (as DJL's AdamW). It takes the
     * project's {@code withX} steps; of the setters it inherits from DJL's {@code OptimizerBuilder},
     * {@code optWeightDecays} is {@link #withWeightDecay}, and the per-element gradient clip, the gradient rescale and
     * the start of the update count, which this optimizer does not apply, are refused instead of ignored (the trainer
     * clips the global gradient norm: {@code TrainConfig.withClipNorm}).
     */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private float lr = 1e-3f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        private Builder() {
            optWeightDecays(0.01f);
        }

        /** Decoupled weight decay, finite and {@code >= 0} (default 0.01; 0 = off). */
        public Builder withWeightDecay(float wd) {
            return optWeightDecays(wd);
        }

        /** The same as {@link #withWeightDecay}, DJL's name for it. */
        @Override
        public Builder optWeightDecays(float wd) {
            if (!(wd >= 0 && Float.isFinite(wd))) {
                throw Refusals.refuse("weight decay", wd, "a finite value >= 0 (0 = off)");
            }
            return super.optWeightDecays(wd);
        }

        /** Learning rate, finite and {@code > 0} (default 1e-3). */
        public Builder withLearningRate(float lr) {
            if (!(lr > 0 && Float.isFinite(lr))) {
                throw Refusals.refuse("learning rate", lr, "a finite value > 0");
            }
            this.lr = lr;
            return this;
        }

        /** Decay rates of the first and second moments, each in [0, 1) (default 0.9 and 0.999). */
        public Builder withBetas(float b1, float b2) {
            if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException("betas = (" + b1 + ", " + b2 + "); allowed: each in [0, 1)");
            }
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        /** The {@code eps} added to {@code sqrt(vhat)}, finite and {@code > 0} (default 1e-8). */
        public Builder withEpsilon(float eps) {
            if (!(eps > 0 && Float.isFinite(eps))) {
                throw Refusals.refuse("epsilon", eps, "a finite value > 0 (default 1e-8)");
            }
            this.epsilon = eps;
            return this;
        }

        /** Refused: this optimizer applies no per-element gradient clip (it would be ignored). */
        @Override
        public Builder optClipGrad(float clipGrad) {
            throw new IllegalArgumentException("clipGrad = " + clipGrad + ": this AdamW applies no per-element gradient"
                    + " clip and would ignore it; allowed: leave it unset (the trainer clips the global gradient norm,"
                    + " TrainConfig.withClipNorm, or clip the gradients before update)");
        }

        /** Refused: this optimizer applies no gradient rescale (it would be ignored). */
        @Override
        public Builder setRescaleGrad(float rescaleGrad) {
            throw new IllegalArgumentException("rescaleGrad = " + rescaleGrad + ": this AdamW applies no gradient rescale"
                    + " and would ignore it; allowed: leave it unset (scale the loss or the gradients instead)");
        }

        /** Refused: this optimizer keeps its own update counts (restored from a checkpoint by {@link AdamW#restore}). */
        @Override
        public Builder optBeginNumUpdate(int beginNumUpdate) {
            throw new IllegalArgumentException("beginNumUpdate = " + beginNumUpdate + ": this AdamW counts updates per"
                    + " parameter and would ignore it; allowed: leave it unset (AdamW.restore sets the counts of a"
                    + " resumed run)");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The optimizer; call {@link AdamW#prepare} before its first step. */
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
