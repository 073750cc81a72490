package tpdiff4j.nn;

import ai.djl.nn.Block;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import tpdiff4j.Refusals;
import tpdiff4j.data.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small spatio-temporal transformer denoiser (DiT-style, Peebles and Xie 2023, adapted to video).
 *
 * <p>Inputs {@code NDList(x, t, pos)}: the noisy clip {@code x: [B, F, C, H, W]} float32, the diffusion time
 * {@code t: [B]} in [0, 1] and the temporal positions {@code pos: [F]} of its frames on the full-rate grid; optionally
 * followed by the time conditioning's rows for that t, shared by every clip ({@link #timeConditioning}). Output:
 * the prediction, {@code [B, F, C, H, W]}. TPDiff stage k runs at rate factor r_k, and its frame j sits at position
 * {@code j * r_k} (docs/derivation.md section 4), so one network serves every stage and any frame count.
 *
 * <pre>
 *   tokens  h = Patch(x) W_p + b_p + PE_2d(row, col) + PE_1d(pos_f)                       [B, F, S, D]
 *   cond    c = MLP(PE_1d(1000 t))                                                          [B, D]
 *   block   h += g1 * Attn_space(mod(LN h; c)),  h += g2 * Attn_time(mod(LN h; c)),  h += g3 * MLP(mod(LN h; c))
 *   out     Unpatch(mod(LN h; c) W_o + b_o)                                                 [B, F, C, H, W]
 * </pre>
 * with adaLN-Zero modulation {@code mod(u; c) = u (1 + scale(c)) + shift(c)} and gates g(c) that start at 0, or the
 * additive variant (a projection of c added to every token before each block). With full attention, the two
 * attention sub-layers become one over all F*S tokens (held as {@code [B, F*S, D]} throughout). Weights are initialised from {@code config.seed()}
 * (Xavier-uniform, zero for the modulation and the output layer), not from a global RNG.
 */
public final class SpaceTimeTransformer extends AbstractBlock implements StageNetwork {

    private final ModelConfig cfg;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final float[] spatialPe;
    private final float[] frequencies;
    private volatile ForwardConstants constants;

    /** Builds the network with its weights allocated on {@code manager} (float32). */
    public SpaceTimeTransformer(ModelConfig cfg, NDManager manager) {
        super((byte) 1);
        String allowed = "a ModelConfig (e.g. ModelConfig.tiny(data.spec())) and an open NDManager (e.g. "
                + "Compute.newManager())";
        Refusals.notNull(cfg, "cfg", allowed);
        Refusals.notNull(manager, "manager", allowed);
        this.cfg = cfg;
        int d = cfg.dim(), p = cfg.patchSize(), m = cfg.mlpRatio() * d;
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        add(manager, rng, "patch.w", d, p, false);
        add(manager, rng, "patch.b", d);
        add(manager, rng, "time.w1", d, d, false);
        add(manager, rng, "time.b1", d);
        add(manager, rng, "time.w2", d, d, false);
        add(manager, rng, "time.b2", d);
        boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "block" + i + ".";
            if (adaln) {
                add(manager, rng, b + "mod.w", 9 * d, d, true);
                add(manager, rng, b + "mod.b", 9 * d);
            } else {
                add(manager, rng, b + "cond.w", d, d, false);
                add(manager, rng, b + "cond.b", d);
            }
            for (String a : cfg.attention() == ModelConfig.Attention.FACTORIZED ? new String[] {"s.", "t."} : new String[] {"st."}) {
                add(manager, rng, b + a + "qkv.w", 3 * d, d, false);
                add(manager, rng, b + a + "qkv.b", 3 * d);
                add(manager, rng, b + a + "out.w", d, d, false);
                add(manager, rng, b + a + "out.b", d);
            }
            add(manager, rng, b + "mlp.w1", m, d, false);
            add(manager, rng, b + "mlp.b1", m);
            add(manager, rng, b + "mlp.w2", d, m, false);
            add(manager, rng, b + "mlp.b2", d);
        }
        if (adaln) {
            add(manager, rng, "final.mod.w", 2 * d, d, true);
            add(manager, rng, "final.mod.b", 2 * d);
        }
        add(manager, rng, "final.w", p, d, true);
        add(manager, rng, "final.b", p);
        this.spatialPe = Embeddings.grid(cfg.height() / cfg.patch(), cfg.width() / cfg.patch(), d);
        this.frequencies = Embeddings.frequencies(d);
    }

    /** The configuration. */
    public ModelConfig config() {
        return cfg;
    }

    /** Parameters by name, in a fixed order (used by the optimizer, EMA and checkpoints). */
    @Override
    public Map<String, Parameter> namedParameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public int frames() {
        return cfg.frames();
    }

    /**
     * The stage's positions as {@link StageNetwork#positions} makes them; the forward pass then knows their values
     * without reading the array back from the device (see {@link ForwardConstants#tokenEmbedding}). Treat the array
     * as read-only: its values are remembered as made.
     */
    @Override
    public NDArray positions(NDManager manager, int frames) {
        NDArray pos = StageNetwork.super.positions(manager, frames);
        int r = frames() / frames;
        float[] values = new float[frames];
        for (int j = 0; j < frames; j++) {
            values[j] = j * r; // the values of arange(0, F, r): small integers, exact in float32
        }
        constants().remember(pos, values);
        return pos;
    }

    /** The configuration as JSON. */
    @Override
    public JsonObject describe() {
        return cfg.toJsonObject();
    }

    private void add(NDManager manager, SplittableRandom rng, String name, int rows, int cols, boolean zero) {
        float[] w = new float[rows * cols];
        if (!zero) {
            double a = Math.sqrt(6.0 / (rows + cols));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (a * (2 * rng.nextDouble() - 1));
            }
        }
        register(manager, name, w, new Shape(rows, cols));
    }

    private void add(NDManager manager, SplittableRandom rng, String name, int n) {
        register(manager, name, new float[n], new Shape(n));
    }

    private void register(NDManager manager, String name, float[] values, Shape shape) {
        // engine-owned memory, not a wrapped Java buffer (see Tensors)
        NDArray arr = Tensors.owned(manager, values, shape);
        arr.setName(name);
        arr.setRequiresGradient(true);
        Parameter param = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(arr).build());
        params.put(name, param);
    }

    private NDArray w(String name) {
        return params.get(name).getArray();
    }

    /** The input-independent arrays of a forward pass on the weights' device (built on first use). */
    private ForwardConstants constants() {
        ForwardConstants k = constants;
        if (k == null || !k.isOpen()) {
            synchronized (this) {
                k = constants;
                if (k == null || !k.isOpen()) {
                    k = new ForwardConstants(w("patch.w").getManager(), spatialPe, frequencies, cfg.dim(),
                            cfg.dim() / cfg.heads(), cfg.attention() == ModelConfig.Attention.FULL);
                    constants = k;
                }
            }
        }
        return k;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> extra) {
        NDArray x = inputs.get(0), t = inputs.get(1), pos = inputs.get(2);
        Shape s = x.getShape();
        if (s.dimension() != 5 || s.get(2) != cfg.channels() || s.get(3) != cfg.height() || s.get(4) != cfg.width()) {
            throw new IllegalArgumentException("x has shape " + s + "; allowed: [B, F, " + cfg.channels() + ", "
                    + cfg.height() + ", " + cfg.width() + "]");
        }
        ForwardConstants k = constants();
        long b = s.get(0), f = s.get(1);
        int c = cfg.channels(), p = cfg.patch(), gh = cfg.height() / p, gw = cfg.width() / p, d = cfg.dim();
        long sp = (long) gh * gw;

        // tokens: [B, F*S, D] for full attention (one sequence per clip, no reshapes around it), else [B, F, S, D]
        boolean full = cfg.attention() == ModelConfig.Attention.FULL;
        Shape tokens = full ? new Shape(b, f * sp, cfg.patchSize()) : new Shape(b, f, sp, cfg.patchSize());
        NDArray patches = x.reshape(b, f, c, gh, p, gw, p).transpose(0, 1, 3, 5, 2, 4, 6).reshape(tokens);
        NDArray h = Linear.linear(patches, w("patch.w"), w("patch.b")).singletonOrThrow();
        h = h.add(k.tokenEmbedding(pos));

        // the time conditioning: computed here, or rows of a TimeConditioning table passed after (x, t, pos)
        NDList rows = inputs.size() > 3 ? checkedRows(inputs.subNDList(3)) : null;
        NDArray sc = rows == null ? conditioningInput(t, k) : null;
        boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
        for (int i = 0; i < cfg.depth(); i++) {
            String pre = "block" + i + ".";
            NDList mod;
            if (adaln) {
                mod = rows != null ? rows.get(i).split(9, 0)
                        : modulation(sc, w(pre + "mod.w"), w(pre + "mod.b"), k.blockOffset, 9, tokens.dimension());
            } else {
                h = h.add(rows != null ? rows.get(i)
                        : Linear.linear(sc, w(pre + "cond.w"), w(pre + "cond.b")).singletonOrThrow().reshape(perClip(b, d, tokens.dimension())));
                mod = null;
            }
            if (!full) {
                NDArray a = modulatedNorm(h, mod, 0, k).reshape(b * f, sp, d);
                a = Attention.selfAttention(a, w(pre + "s.qkv.w"), w(pre + "s.qkv.b"), w(pre + "s.out.w"), w(pre + "s.out.b"), cfg.heads(), k.attentionScale);
                h = h.add(gate(a.reshape(b, f, sp, d), mod, 2));
                NDArray u = modulatedNorm(h, mod, 3, k).transpose(0, 2, 1, 3).reshape(b * sp, f, d);
                u = Attention.selfAttention(u, w(pre + "t.qkv.w"), w(pre + "t.qkv.b"), w(pre + "t.out.w"), w(pre + "t.out.b"), cfg.heads(), k.attentionScale);
                h = h.add(gate(u.reshape(b, sp, f, d).transpose(0, 2, 1, 3), mod, 5));
            } else {
                NDArray a = modulatedNorm(h, mod, 0, k);
                a = Attention.selfAttention(a, w(pre + "st.qkv.w"), w(pre + "st.qkv.b"), w(pre + "st.out.w"), w(pre + "st.out.b"), cfg.heads(), k.attentionScale);
                h = h.add(gate(a, mod, 2));
            }
            NDArray u = modulatedNorm(h, mod, 6, k);
            u = Activation.gelu(Linear.linear(u, w(pre + "mlp.w1"), w(pre + "mlp.b1")).singletonOrThrow());
            u = Linear.linear(u, w(pre + "mlp.w2"), w(pre + "mlp.b2")).singletonOrThrow();
            h = h.add(gate(u, mod, 8));
        }
        NDList fm = !adaln ? null : rows != null ? rows.get(cfg.depth()).split(2, 0)
                : modulation(sc, w("final.mod.w"), w("final.mod.b"), k.finalOffset, 2, tokens.dimension());
        NDArray out = modulatedNorm(h, fm, 0, k);
        out = Linear.linear(out, w("final.w"), w("final.b")).singletonOrThrow();
        out = out.reshape(b, f, gh, gw, c, p, p).transpose(0, 1, 4, 2, 5, 3, 6).reshape(b, f, c, cfg.height(), cfg.width());
        return new NDList(out);
    }

    /** {@code silu(MLP(PE_1d(1000 t)))}, {@code [N, D]} for the times {@code t: [N]}: what every conditioning layer reads. */
    private NDArray conditioningInput(NDArray t, ForwardConstants k) {
        NDArray temb = sinusoid(t.reshape(-1, 1).mul(1000f), k.freqs);
        NDArray cond = Linear.linear(silu(Linear.linear(temb, w("time.w1"), w("time.b1")).singletonOrThrow()),
                w("time.w2"), w("time.b2")).singletonOrThrow();
        return silu(cond);
    }

    /**
     * The part of a forward pass that depends on the time alone, for each of {@code times}, computed in one batched
     * pass with the current weights: per block the adaLN chunks {@code (shift, 1 + scale, gate, ...)}, {@code [T, 9D]}
     * (the additive variant's projection, {@code [T, D]}), then the final layer's {@code [T, 2D]}. A sampler that
     * knows its time grid computes them once per run instead of once per step and passes a time's rows to the
     * forward pass after {@code (x, t, pos)} ({@link TimeConditioning#rows}); that saves about twenty small array
     * operations of every step (0.13 to 0.16 ms on one CPU thread: 7 % of a 30-step run at batch 1). The tables
     * belong to {@code manager} and hold the weights of the moment they were computed: use them only while the
     * weights stay as they are (one sampling run).
     *
     * @param times diffusion times in [0, 1], each at most once
     */
    public TimeConditioning timeConditioning(NDManager manager, double[] times) {
        if (times == null || times.length == 0) {
            throw Refusals.refuse("times", java.util.Arrays.toString(times), "at least one diffusion time in [0, 1]");
        }
        float[] ts = new float[times.length];
        for (int i = 0; i < ts.length; i++) {
            if (!(times[i] >= 0 && times[i] <= 1)) {
                throw new IllegalArgumentException("times[" + i + "] = " + times[i] + "; allowed: a diffusion time in [0, 1]");
            }
            ts[i] = (float) times[i];
        }
        java.util.Map<Double, Integer> index = TimeConditioning.indexOf(times);
        ForwardConstants k = constants();
        NDList tables = new NDList();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray sc = conditioningInput(Tensors.owned(scratch, ts, new Shape(ts.length)), k);
            boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
            for (int i = 0; i < cfg.depth(); i++) {
                String pre = "block" + i + ".";
                tables.add(adaln ? Linear.linear(sc, w(pre + "mod.w"), w(pre + "mod.b")).singletonOrThrow().add(k.blockOffset)
                        : Linear.linear(sc, w(pre + "cond.w"), w(pre + "cond.b")).singletonOrThrow());
            }
            if (adaln) {
                tables.add(Linear.linear(sc, w("final.mod.w"), w("final.mod.b")).singletonOrThrow().add(k.finalOffset));
            }
            tables.attach(manager);
        }
        return new TimeConditioning(index, tables);
    }

    /** The rows passed after {@code (x, t, pos)}: one per block and, with adaLN, the final layer's, each one-dimensional. */
    private NDList checkedRows(NDList rows) {
        boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
        int n = cfg.depth() + (adaln ? 1 : 0);
        boolean ok = rows.size() == n;
        for (int i = 0; ok && i < n; i++) {
            long width = !adaln ? cfg.dim() : i < cfg.depth() ? 9L * cfg.dim() : 2L * cfg.dim();
            ok = rows.get(i).getShape().equals(new Shape(width));
        }
        if (!ok) {
            throw new IllegalArgumentException("inputs after (x, t, pos): " + rows.getShapes().length + " arrays "
                    + java.util.Arrays.toString(rows.getShapes()) + "; allowed: none, or the " + n
                    + " rows of one time from timeConditioning(...).rows(t)");
        }
        return rows;
    }

    /** {@code [sin(u w), cos(u w)]} along the last axis: u {@code [N, 1]}, w {@code [1, D/2]} -> {@code [N, D]}. */
    private static NDArray sinusoid(NDArray u, NDArray freqs) {
        NDArray a = u.mul(freqs);
        return a.sin().concat(a.cos(), 1);
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * The adaLN chunks {@code (shift, 1 + scale, gate, ...)} of {@code silu(c) W^T + b + offset}, where the offset
     * holds 1 on every scale chunk: {@code n} arrays of shape {@code [D]} at batch 1 (they broadcast over tokens and
     * serve as a LayerNorm's affine), {@code [B, 1, .., 1, D]} of the tokens' rank otherwise.
     */
    private NDList modulation(NDArray sc, NDArray wt, NDArray bias, NDArray offset, int n, int rank) {
        NDArray m = Linear.linear(sc, wt, bias).singletonOrThrow().add(offset);
        long b = sc.getShape().get(0);
        return b == 1 ? m.reshape((long) n * cfg.dim()).split(n, 0) : m.reshape(perClip(b, (long) n * cfg.dim(), rank)).split(n, rank - 1);
    }

    /** {@code [B, 1, .., 1, width]} of the given rank: one row per clip, broadcast over its tokens. */
    private static Shape perClip(long b, long width, int rank) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1L);
        dims[0] = b;
        dims[rank - 1] = width;
        return new Shape(dims);
    }

    /**
     * {@code LN(h) (1 + scale) + shift} with shift = mod[k], 1 + scale = mod[k+1] (LayerNorm over the last axis
     * without weights of its own, eps 1e-6); plain {@code LN(h)} for additive conditioning. At batch 1 the modulation
     * is the LayerNorm's affine, one op instead of three.
     */
    private static NDArray modulatedNorm(NDArray h, NDList mod, int k, ForwardConstants c) {
        Shape last = new Shape(h.getShape().get(h.getShape().dimension() - 1));
        if (mod != null && mod.get(k).getShape().dimension() == 1) {
            return LayerNorm.layerNorm(h, last, mod.get(k + 1), mod.get(k), 1e-6f).singletonOrThrow();
        }
        NDArray u = LayerNorm.layerNorm(h, last, c.ones, c.zeros, 1e-6f).singletonOrThrow();
        return mod == null ? u : u.mul(mod.get(k + 1)).add(mod.get(k));
    }

    private static NDArray gate(NDArray u, NDList mod, int k) {
        return mod == null ? u : u.mul(mod.get(k));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }
}
