package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.Tensors;
import tpdiff4j.ode.GaussianNoise;

/**
 * The optimised forward pass (cached constants, fused batch-1 modulation, shorter attention chain) against
 * {@link ReferenceForward}, the plain op-by-op definition, for every attention and conditioning variant, at batch 1
 * and 3 and at every frame count of a 3-stage pyramid.
 */
class ForwardEquivalenceTest {

    /**
     * Allowed difference, relative to the output's largest magnitude. The two computations apply the same
     * float32 operations to the same values except for reassociations (the two position embeddings summed before
     * being added to the tokens; LayerNorm's affine applied inside the kernel instead of as a separate multiply and
     * add), each of which changes a result by at most about one unit in the last place (2^-24 ~ 6e-8 relative).
     * About 30 such roundings along the deepest path of a depth-2 network, amplified by at most a few units by the
     * O(1)-gain random layers, stay below 1e-5 (measured: at most 8e-7 over all cases here); a wrong chunk, head
     * order or offset moves the output by O(1).
     */
    private static final double TOLERANCE = 1e-5;

    @BeforeAll
    static void oneThread() {
        Compute.useThreads(1);
    }

    /**
     * A network with random non-zero weights N(0, 0.2^2), the zero-initialised layers included, so that the output
     * depends on every input; the tests of this package share it.
     */
    static SpaceTimeTransformer randomized(ModelConfig cfg, NDManager m) {
        SpaceTimeTransformer net = new SpaceTimeTransformer(cfg, m);
        long seed = 11;
        for (var p : net.namedParameters().values()) {
            NDArray a = p.getArray();
            Tensors.copyInto(a, GaussianNoise.normal(m, a.getShape(), DataType.FLOAT32, seed++).mul(0.2f).toFloatArray());
        }
        return net;
    }

    @Test
    void optimisedForwardEqualsThePlainDefinition() {
        ModelConfig[] cfgs = {
            ModelConfig.attention(16, 1, 16, 16),
            ModelConfig.tiny(16, 1, 16, 16),
            ModelConfig.tiny(16, 1, 16, 16).withConditioning(ModelConfig.Conditioning.ADDITIVE),
            ModelConfig.tiny(16, 3, 16, 16).withAttention(ModelConfig.Attention.FULL)
                    .withConditioning(ModelConfig.Conditioning.ADDITIVE)};
        for (ModelConfig cfg : cfgs) {
            try (NDManager m = NDManager.newBaseManager()) {
                SpaceTimeTransformer net = randomized(cfg, m);
                for (int batch : new int[] {1, 3}) {
                    for (int frames : new int[] {4, 8, 16}) {
                        Shape s = new Shape(batch, frames, cfg.channels(), cfg.height(), cfg.width());
                        NDArray x = GaussianNoise.normal(m, s, DataType.FLOAT32, 7 + frames);
                        float[] ts = new float[batch];
                        for (int i = 0; i < batch; i++) {
                            ts[i] = 0.93f - 0.31f * i;
                        }
                        NDArray t = Tensors.owned(m, ts);
                        NDArray pos = net.positions(m, frames);
                        NDArray got = net.forward(new ParameterStore(m, false), new NDList(x, t, pos), false).singletonOrThrow();
                        NDArray want = ReferenceForward.forward(net, x, t, pos);
                        double scale = want.abs().max().getFloat();
                        double diff = got.sub(want).abs().max().getFloat();
                        String what = cfg.attention() + "/" + cfg.conditioning() + " batch " + batch + " frames " + frames;
                        assertTrue(scale > 0.1, what + ": output scale " + scale + " (random weights give O(1))");
                        assertTrue(diff <= TOLERANCE * scale, what + ": max |optimised - reference| = " + diff
                                + " at output scale " + scale);
                    }
                }
            }
        }
    }

    /**
     * The backward pass of the optimised forward gives every weight the gradient of the plain definition: the loss
     * {@code sum(out * r)} with a fixed random {@code r}, differentiated through either forward pass, for the full and
     * the factorized network at batch 1 (the LayerNorm-affine path) and 2. Tolerance: the two backward passes apply
     * the same float32 operations up to the reassociations of the forward pass (see {@link #TOLERANCE}) plus where
     * constant factors enter (the attention scale multiplies Q instead of the scores), each again about one unit in
     * the last place; summed over the clip's tokens into each weight's gradient they stay below 1e-5 of the largest
     * gradient of that weight (measured: at most 2.7e-6), while a scale applied twice or a lost path changes
     * gradients by O(1).
     */
    @Test
    void optimisedBackwardGivesThePlainDefinitionsGradients() {
        ModelConfig[] cfgs = {ModelConfig.attention(8, 1, 16, 16), ModelConfig.tiny(8, 1, 16, 16)};
        for (ModelConfig cfg : cfgs) {
            for (int batch : new int[] {1, 2}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    SpaceTimeTransformer net = randomized(cfg, m);
                    Shape s = new Shape(batch, 8, cfg.channels(), cfg.height(), cfg.width());
                    NDArray x = GaussianNoise.normal(m, s, DataType.FLOAT32, 5);
                    NDArray r = GaussianNoise.normal(m, s, DataType.FLOAT32, 6);
                    NDArray t = Tensors.owned(m, batch == 1 ? new float[] {0.7f} : new float[] {0.7f, 0.2f});
                    NDArray pos = net.positions(m, 8);
                    java.util.Map<String, float[]> got = gradients(net, r, () -> net.forward(
                            new ParameterStore(m, false), new NDList(x, t, pos), true).singletonOrThrow());
                    java.util.Map<String, float[]> want = gradients(net, r, () -> ReferenceForward.forward(net, x, t, pos));
                    for (String name : want.keySet()) {
                        double[] sd = scaleAndDiff(want.get(name), got.get(name));
                        double scale = sd[0], diff = sd[1];
                        String what = cfg.attention() + " batch " + batch + ", gradient of " + name;
                        assertTrue(scale > 1e-3, what + ": scale " + scale + " (every weight reaches the output)");
                        assertTrue(diff <= TOLERANCE * scale, what + ": max |optimised - reference| = " + diff
                                + " at scale " + scale);
                    }
                }
            }
        }
    }

    /** Every weight's gradient of {@code sum(forward() * r)}, by name; the gradients are reset afterwards. */
    private static java.util.Map<String, float[]> gradients(SpaceTimeTransformer net, NDArray r,
            java.util.function.Supplier<NDArray> forward) {
        for (var p : net.namedParameters().values()) {
            p.getArray().setRequiresGradient(true);
        }
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            gc.backward(forward.get().mul(r).sum());
        }
        java.util.Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (var e : net.namedParameters().entrySet()) {
            NDArray g = e.getValue().getArray().getGradient();
            out.put(e.getKey(), g.toFloatArray());
            g.subi(g);
        }
        return out;
    }

    /**
     * The cached constants survive a scope that closes everything else made during a call (the denoiser runs each
     * forward pass in one), and the same positions reuse one embedding array.
     */
    @Test
    void cachedConstantsOutliveTheCallScopeAndAreShared() {
        ModelConfig cfg = ModelConfig.attention(16, 1, 16, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer net = randomized(cfg, m);
            NDArray x = GaussianNoise.normal(m, new Shape(1, 4, 1, 16, 16), DataType.FLOAT32, 3);
            float[] first = null;
            NDArray pe = null;
            for (int call = 0; call < 3; call++) {
                try (NDManager sub = m.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray pos = net.positions(sub, 4);
                    NDArray y = net.forward(new ParameterStore(sub, false),
                            new NDList(x, sub.full(new Shape(1), 0.4f), pos), false).singletonOrThrow();
                    float[] v = y.toFloatArray();
                    if (first == null) {
                        first = v;
                        pe = netConstants(net).tokenEmbedding(pos);
                    } else {
                        assertEquals(0, java.util.Arrays.compare(first, v), "call " + call + " equals call 0");
                        assertSame(pe, netConstants(net).tokenEmbedding(pos), "one embedding per position vector");
                    }
                }
            }
            assertTrue(Float.isFinite(pe.sum().getFloat()), "the cached embedding is still open after the scopes");
        }
    }

    /**
     * The forward pass does not read back the positions the network made ({@code net.positions}): on a GPU that read
     * would wait for the device once per forward pass. Proof on the CPU: the pass runs with that array closed (any
     * read of a closed array fails) and gives exactly the output of positions the caller built with the same values
     * (which are read, and map to the same cached embedding); other positions give another output.
     */
    @Test
    void theNetworksOwnPositionsAreNotReadBack() {
        try (NDManager m = Compute.newManager()) {
            SpaceTimeTransformer net = randomized(ModelConfig.tiny(8, 1, 16, 16), m);
            NDArray x = GaussianNoise.normal(m, new Shape(2, 4, 1, 16, 16), DataType.FLOAT32, 5);
            NDArray t = m.full(new Shape(2), 0.3f);
            NDArray own = net.positions(m, 4);
            own.close();
            float[] viaOwn = forward(net, m, x, t, own);
            float[] viaBuilt = forward(net, m, x, t, Tensors.owned(m, new float[] {0, 2, 4, 6}));
            assertEquals(0, java.util.Arrays.compare(viaBuilt, viaOwn), "the same positions, the same output");
            float[] viaOther = forward(net, m, x, t, Tensors.owned(m, new float[] {0, 1, 2, 3}));
            double diff = 0;
            for (int i = 0; i < viaOther.length; i++) {
                diff = Math.max(diff, Math.abs(viaOther[i] - viaOwn[i]));
            }
            assertTrue(diff > 1e-3, "other positions must change the output: max difference " + diff);
        }
    }

    private static float[] forward(SpaceTimeTransformer net, NDManager m, NDArray x, NDArray t, NDArray pos) {
        return net.forward(new ParameterStore(m, false), new NDList(x, t, pos), false).singletonOrThrow().toFloatArray();
    }

    /**
     * A whole pyramid sampling run (10/10/10 Euler steps, two stage jumps) through {@link NetDenoiser} against the
     * same run through the plain reference forward, at batch 1 (the fused path) and 2; and the same seed gives
     * the same clips bit for bit, also after the first run's managers are closed (the cached constants outlive
     * them). Tolerance: the per-call difference (at most 1e-5 of the output scale, see {@link #TOLERANCE}) enters
     * each Euler update scaled by the step |h| = 1/30, and 30 steps add it up at most 30 times, amplified by the
     * random network's O(1) Lipschitz constant; 1e-4 of the clip's scale bounds that with margin, while a wrong
     * stage position, time or modulation moves the clip by O(1).
     */
    @Test
    void samplingThroughTheDenoiserMatchesTheReferenceAndRepeatsExactly() {
        ModelConfig cfg = ModelConfig.attention(16, 1, 16, 16);
        tpdiff4j.pyramid.TemporalPyramid pyr = tpdiff4j.pyramid.TemporalPyramid.uniform(
                tpdiff4j.schedule.Schedules.flowMatching(), 3, 16);
        tpdiff4j.pyramid.PyramidSampler sampler = tpdiff4j.pyramid.PyramidSampler.of(pyr,
                tpdiff4j.ode.Solvers.euler().withProgress(false), 10, 10, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            SpaceTimeTransformer net = randomized(cfg, m);
            NetDenoiser fast = new NetDenoiser(net, tpdiff4j.ode.PredictionType.VELOCITY);
            tpdiff4j.ode.Denoiser plain = new tpdiff4j.ode.Denoiser() {
                @Override
                public NDArray predict(NDArray x, double t) {
                    NDManager xm = x.getManager();
                    NDArray ts = xm.full(new Shape(x.getShape().get(0)), (float) t);
                    return ReferenceForward.forward(net, x, ts, net.positions(xm, (int) x.getShape().get(1)));
                }

                @Override
                public tpdiff4j.ode.PredictionType type() {
                    return tpdiff4j.ode.PredictionType.VELOCITY;
                }
            };
            for (int batch : new int[] {1, 2}) {
                Shape s = new Shape(batch, 16, 1, 16, 16);
                float[] first;
                try (NDManager sub = m.newSubManager()) {
                    first = sampler.sample(fast, sub, s, DataType.FLOAT32, 41).toFloatArray();
                }
                float[] again;
                float[] reference;
                try (NDManager sub = m.newSubManager()) {
                    again = sampler.sample(fast, sub, s, DataType.FLOAT32, 41).toFloatArray();
                    reference = sampler.sample(plain, sub, s, DataType.FLOAT32, 41).toFloatArray();
                }
                assertEquals(0, java.util.Arrays.compare(first, again), "batch " + batch + ": same seed, same clips");
                double[] sd = scaleAndDiff(reference, first);
                double scale = sd[0], diff = sd[1];
                assertTrue(scale > 0.1, "batch " + batch + ": clip scale " + scale);
                assertTrue(diff <= 1e-4 * scale, "batch " + batch + ": max |denoiser - reference| = " + diff
                        + " at clip scale " + scale);
            }
        }
    }

    /** {@code {max |want|, max |got - want|}} over the entries of two arrays of the same length. */
    private static double[] scaleAndDiff(float[] want, float[] got) {
        assertEquals(want.length, got.length, "array lengths");
        double scale = 0, diff = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            diff = Math.max(diff, Math.abs(got[i] - want[i]));
        }
        return new double[] {scale, diff};
    }

    private static ForwardConstants netConstants(SpaceTimeTransformer net) {
        try {
            var f = SpaceTimeTransformer.class.getDeclaredField("constants");
            f.setAccessible(true);
            return (ForwardConstants) f.get(net);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
