package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.Tensors;

/**
 * The fused update (all parameters as one vector: {@link ParameterVector}, {@link AdamW#step}, the flat EMA) against
 * the per-parameter update the trainer used before, and AdamW against a plain-Java reference.
 */
class FusedUpdateTest {

    @BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /**
     * Without clipping the fused update applies, element by element, the same float32 operations in the same order
     * as the per-parameter loop (AdamW.update per tensor, then the EMA per tensor): given the same gradients, the
     * weights, the EMA and the moments agree bit for bit. The gradients are set exactly (see {@link #afterUpdates}), so that the network's
     * matrix products, whose last bits can vary from run to run with the memory layout, play no part.
     */
    @Test
    void withoutClippingTheFusedUpdateEqualsThePerParameterUpdateExactly() {
        TrainConfig c = TrainerTest.vanilla().withClipNorm(0);
        Map<String, Map<String, float[]>> fused = afterUpdates(c, true), reference = afterUpdates(c, false);
        reference.forEach((kind, arrays) -> arrays.forEach((k, v) -> assertArrayEquals(v, fused.get(kind).get(k),
                kind + " " + k)));
    }

    /**
     * With the clip active the only difference is the global norm's summation order (N float32 sums of squares
     * added in double, against one float32 sum of all P squares), which changes the clip scale by a few units of
     * 2^-24 at most, the same factor for every element. AdamW's step is nearly invariant to a common gradient
     * scale, so a weight moves by at most about lr 1e-6 more or less per update, plus one rounding of the weight
     * (|w| 2^-24 < 1e-7 for |w| < 1): 5 updates stay below 1e-7 + 5 lr 1e-6 ~ 1e-7. The moments scale with the
     * gradient (m) and its square (v): relative 1e-5 bounds them. A wrong or missing clip moves weights by ~lr.
     */
    @Test
    void withClippingTheFusedUpdateAgreesWithThePerParameterUpdateToRounding() {
        TrainConfig c = TrainerTest.vanilla().withClipNorm(0.5);
        Map<String, Map<String, float[]>> fused = afterUpdates(c, true), reference = afterUpdates(c, false);
        reference.forEach((kind, arrays) -> arrays.forEach((k, v) -> {
            float[] f = fused.get(kind).get(k);
            for (int i = 0; i < v.length; i++) {
                double tol = kind.equals("optimizer") ? 1e-5 * Math.abs(v[i]) + 1e-30 : 1e-7 + 1e-6 * Math.abs(v[i]);
                assertEquals(v[i], f[i], tol, kind + " " + k + "[" + i + "]");
            }
        }));
        Map<String, float[]> unclipped = afterUpdates(TrainerTest.vanilla().withClipNorm(0), true).get("weights");
        double moved = 0;
        for (Map.Entry<String, float[]> e : unclipped.entrySet()) {
            float[] u = e.getValue(), f = fused.get("weights").get(e.getKey());
            for (int i = 0; i < u.length; i++) {
                moved = Math.max(moved, Math.abs(u[i] - f[i]));
            }
        }
        assertTrue(moved > 1e-4, "the clip is active in this configuration: weights moved " + moved);
    }

    /**
     * Weights, EMA and optimizer moments of a fresh trainer after 5 updates, fused ({@code Trainer.applyGradients})
     * or per parameter (the loop the trainer had before, over {@link AdamW#update}). Update n sets each gradient
     * exactly to a seeded normal tensor c_i, the gradient of {@code sum_i sum(w_i * c_i)}, with a global norm ~ sqrt(P) ~ 60 (> the clip).
     */
    private static Map<String, Map<String, float[]>> afterUpdates(TrainConfig c, boolean fused) {
        int updates = 5;
        try (Trainer t = TrainerTest.trainer(c, null, null)) {
            StepPhases reference = new StepPhases("reference", t, false);
            Map<String, Parameter> params = t.model().namedParameters();
            SplittableRandom rng = new SplittableRandom(11);
            for (int n = 1; n <= updates; n++) {
                try (NDManager sub = t.manager().newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = null;
                        for (Parameter p : params.values()) {
                            NDArray w = p.getArray();
                            float[] ci = new float[(int) w.size()];
                            for (int i = 0; i < ci.length; i++) {
                                ci[i] = (float) rng.nextGaussian();
                            }
                            NDArray term = w.mul(Tensors.owned(sub, ci, w.getShape())).sum();
                            loss = loss == null ? term : loss.add(term);
                        }
                        gc.backward(loss);
                    }
                    if (fused) {
                        t.applyGradients(sub, n);
                    } else {
                        reference.perParameterUpdate(n, params, sub, new long[4], 0);
                    }
                }
            }
            Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
            out.put("weights", TrainerTest.weights(t));
            out.put("ema", floats(t.ema().arrays()));
            out.put("optimizer", floats(t.optimizer().state()));
            assertEquals(java.util.List.of(updates), t.optimizer().counts().values().stream().distinct().toList());
            return out;
        }
    }

    private static Map<String, float[]> floats(Map<String, NDArray> arrays) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, a.toFloatArray()));
        return m;
    }

    /**
     * AdamW.step on a vector against the textbook update in double precision, 10 steps with weight decay. Float32
     * rounds each of the ~15 operations per element to 2^-24 relative: with |w| <= 5 and lr = 1e-2 each step adds
     * at most about 5 2^-24 (rounding w) + 15 lr 2^-24 |mhat / sqrt(vhat)| (<= 1e-8), so 10 steps stay below 5e-6.
     */
    @Test
    void adamWStepMatchesAPlainJavaReference() {
        int p = 1000, steps = 10;
        float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        SplittableRandom rng = new SplittableRandom(3);
        double[] w = new double[p], m = new double[p], v = new double[p];
        float[] w0 = new float[p];
        for (int i = 0; i < p; i++) {
            w0[i] = (float) rng.nextGaussian();
            w[i] = w0[i];
        }
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray theta = Tensors.owned(nd, w0);
            AdamW opt = AdamW.builder().withLearningRate(lr).withBetas(b1, b2).withEpsilon(eps).withWeightDecay(wd)
                    .build();
            opt.prepare(Map.of("theta", theta), nd);
            for (int n = 1; n <= steps; n++) {
                float[] g = new float[p];
                for (int i = 0; i < p; i++) {
                    g[i] = (float) (rng.nextGaussian() * (1 + i % 7));
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * (double) g[i] * g[i];
                    double mhat = m[i] / (1 - Math.pow(b1, n)), vhat = v[i] / (1 - Math.pow(b2, n));
                    w[i] -= lr * (mhat / (Math.sqrt(vhat) + eps) + wd * w[i]);
                }
                try (NDManager step = nd.newSubManager()) {
                    theta.subi(opt.step(theta.duplicate(), Tensors.owned(step, g)));
                }
            }
            float[] got = theta.toFloatArray();
            for (int i = 0; i < p; i++) {
                assertEquals(w[i], got[i], 5e-6, "w[" + i + "]");
            }
            assertEquals(Map.of("theta", steps), opt.counts());
        }
    }

    /**
     * {@link AdamW#update} on each parameter and {@link AdamW#step} on their concatenation apply the same float32
     * operations element by element: the weights and the moments agree exactly.
     */
    @Test
    void perParameterUpdateEqualsTheVectorStep() {
        SplittableRandom rng = new SplittableRandom(5);
        Function<Integer, float[]> normal = n -> {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            return a;
        };
        float[] wa = normal.apply(6), wb = normal.apply(4), ga = normal.apply(6), gb = normal.apply(4);
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> one = new LinkedHashMap<>(), two = new LinkedHashMap<>();
            one.put("a", Tensors.owned(nd, wa, new Shape(2, 3)));
            one.put("b", Tensors.owned(nd, wb));
            two.put("a", Tensors.owned(nd, wa, new Shape(2, 3)));
            two.put("b", Tensors.owned(nd, wb));
            AdamW perParameter = AdamW.builder().withLearningRate(0.1f).build();
            AdamW vector = AdamW.builder().withLearningRate(0.1f).build();
            perParameter.prepare(one, nd);
            vector.prepare(two, nd);
            NDArray theta = Tensors.owned(nd, concat(wa, wb));
            for (int n = 0; n < 3; n++) {
                perParameter.update("a", one.get("a"), Tensors.owned(nd, ga, new Shape(2, 3)));
                perParameter.update("b", one.get("b"), Tensors.owned(nd, gb));
                theta.subi(vector.step(theta.duplicate(), Tensors.owned(nd, concat(ga, gb))));
            }
            assertArrayEquals(theta.toFloatArray(), concat(one.get("a").toFloatArray(), one.get("b").toFloatArray()));
            perParameter.state().forEach((k, a) -> assertArrayEquals(a.toFloatArray(),
                    vector.state().get(k).toFloatArray(), k));
            assertEquals(new Shape(2, 3), vector.state().get("m:a").getShape(), "moments keep the parameter's shape");
        }
    }

    @Test
    void vectorStepRefusesUnequalCountsAndWrongSizes() {
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> w = new LinkedHashMap<>();
            w.put("a", nd.ones(new Shape(2)));
            w.put("b", nd.ones(new Shape(3)));
            AdamW opt = AdamW.builder().build();
            opt.prepare(w, nd);
            assertThrows(IllegalArgumentException.class, () -> opt.step(nd.ones(new Shape(4)), nd.ones(new Shape(4))));
            opt.update("a", w.get("a"), nd.ones(new Shape(2)));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> opt.step(nd.ones(new Shape(5)), nd.ones(new Shape(5))));
            assertTrue(e.getMessage().contains("update counts differ"), e.getMessage());
        }
    }

    /**
     * The vector's views: slices write through to their vector, {@link ParameterVector#gradients} equals the
     * gradients read afresh over several backward passes (PyTorch accumulates into the same tensor), zeroing and
     * subtracting act on the live parameters.
     */
    @Test
    void parameterVectorReadsAndWritesTheLiveParameters() {
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("a", parameter("a", nd.arange(6f).reshape(2, 3)));
            params.put("b", parameter("b", nd.arange(2f)));
            ParameterVector pv = new ParameterVector(params, nd);
            assertEquals(8, pv.length());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1}, pv.weights(nd).toFloatArray());
            for (int pass = 1; pass <= 3; pass++) {
                try (NDManager step = nd.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray a = params.get("a").getArray(), b = params.get("b").getArray();
                        gc.backward(a.square().sum().add(b.mul(pass).sum())); // grad a = 2a, grad b = pass
                    }
                    float[] expected = concat(params.get("a").getArray().mul(2).toFloatArray(),
                            new float[] {pass, pass});
                    assertArrayEquals(expected, pv.gradients(step).toFloatArray(), "pass " + pass);
                    pv.zeroGradients();
                    assertArrayEquals(new float[8], pv.gradients(step).toFloatArray(), "zeroed after pass " + pass);
                    pv.subtract(Tensors.owned(step, new float[] {1, 1, 1, 1, 1, 1, 0.5f, 0.5f}));
                }
            }
            assertArrayEquals(new float[] {-3, -2, -1, 0, 1, 2}, params.get("a").getArray().toFloatArray());
            assertArrayEquals(new float[] {-1.5f, -0.5f}, params.get("b").getArray().toFloatArray());
            NDArray vector = nd.zeros(new Shape(8));
            Map<String, NDArray> views = ParameterVector.slices(vector, pv.arrays());
            views.get("b").addi(7);
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 7, 7}, vector.toFloatArray());
            assertEquals(new Shape(2, 3), views.get("a").getShape());
        }
    }

    private static Parameter parameter(String name, NDArray value) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(value).build();
        value.setRequiresGradient(true);
        return p;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
