package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019, Algorithm 2) with decoupled weight decay, as a DJL {@link Optimizer}:
 * <pre>
 *   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,   mhat = m / (1 - b1^n),   vhat = v / (1 - b2^n)
 *   w <- w - lr (mhat / (sqrt(vhat) + eps) + wd w)
 * </pre>
 * Same update as DJL's {@code Optimizer.adamW()}, but its moments and step counts are exposed by parameter name
 * ({@link #state}, {@link #restore}) so that a checkpoint can resume a run exactly; DJL's own AdamW keeps them
 * private. Moments are created eagerly by {@link #prepare} on the weights' manager, outside any step scope.
 */
public final class AdamW extends Optimizer {

    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
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

    public static Builder builder() {
        return new Builder();
    }

    /** Allocates zero moments for a parameter (call once per parameter, outside step scopes). */
    public void prepare(String name, NDArray weight, NDManager manager) {
        mean.put(name, manager.zeros(weight.getShape()));
        variance.put(name, manager.zeros(weight.getShape()));
        counts.put(name, 0);
    }

    @Override
    public void update(String name, NDArray weight, NDArray grad) {
        NDArray m = mean.get(name), v = variance.get(name);
        if (m == null) {
            throw new IllegalStateException("parameter " + name + ": call prepare(...) before update");
        }
        int n = counts.merge(name, 1, Integer::sum);
        m.muli(beta1).addi(grad.mul(1 - beta1));
        v.muli(beta2).addi(grad.square().muli(1 - beta2));
        double bc1 = 1 - Math.pow(beta1, n), bc2 = 1 - Math.pow(beta2, n);
        NDArray denom = v.div((float) bc2).sqrt().addi(epsilon);
        denom.attach(grad.getManager()); // temporaries live with the gradient (the step's scope), not the weights
        NDArray step = m.div((float) bc1).divi(denom);
        step.attach(grad.getManager());
        float wd = getWeightDecay();
        if (wd != 0) {
            step.addi(weight.mul(wd));
        }
        weight.subi(step.muli(lr));
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

    /** Builder; defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 (as DJL's AdamW). */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private float lr = 1e-3f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        private Builder() {
            optWeightDecays(0.01f);
        }

        /** Decoupled weight decay (default 0.01). */
        public Builder withWeightDecay(float wd) {
            return optWeightDecays(wd);
        }

        public Builder withLearningRate(float lr) {
            if (!(lr > 0)) {
                throw new IllegalArgumentException("learning rate = " + lr + ": must be positive");
            }
            this.lr = lr;
            return this;
        }

        public Builder withBetas(float b1, float b2) {
            if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException("betas = (" + b1 + ", " + b2 + "): each must be in [0, 1)");
            }
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        public Builder withEpsilon(float eps) {
            this.epsilon = eps;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
