package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import tpdiff4j.data.Tensors;

/**
 * The transformer's forward pass written out plainly from its definition, one array op per term, every constant
 * made on the spot and no batch-1 shortcut: the reference the optimised {@link SpaceTimeTransformer} is checked
 * against. Same weights (read from the network's parameters), same inputs {@code (x [B, F, C, H, W], t [B],
 * pos [F])}.
 */
final class ReferenceForward {

    private ReferenceForward() {
    }

    static NDArray forward(SpaceTimeTransformer net, NDArray x, NDArray t, NDArray pos) {
        ModelConfig cfg = net.config();
        NDManager m = x.getManager();
        Shape s = x.getShape();
        long b = s.get(0), f = s.get(1);
        int c = cfg.channels(), p = cfg.patch(), gh = cfg.height() / p, gw = cfg.width() / p, d = cfg.dim();
        long sp = (long) gh * gw;
        NDArray freqs = Tensors.owned(m, Embeddings.frequencies(d)).reshape(1, -1);
        NDArray patches = x.reshape(b, f, c, gh, p, gw, p).transpose(0, 1, 3, 5, 2, 4, 6).reshape(b, f, sp, cfg.patchSize());
        NDArray h = lin(patches, net, "patch");
        h = h.add(Tensors.owned(m, Embeddings.grid(gh, gw, d), new Shape(sp, d)));
        h = h.add(sinusoid(pos.reshape(-1, 1), freqs).reshape(f, 1, d));
        NDArray cond = lin(silu(lin(sinusoid(t.reshape(-1, 1).mul(1000f), freqs), net, "time.w1", "time.b1")), net,
                "time.w2", "time.b2");
        NDArray sc = silu(cond);
        boolean adaln = cfg.conditioning() == ModelConfig.Conditioning.ADALN;
        for (int i = 0; i < cfg.depth(); i++) {
            String pre = "block" + i + ".";
            NDList mod = null;
            if (adaln) {
                mod = lin(sc, net, pre + "mod.w", pre + "mod.b").reshape(b, 1, 1, 9L * d).split(9, 3);
            } else {
                h = h.add(lin(sc, net, pre + "cond.w", pre + "cond.b").reshape(b, 1, 1, d));
            }
            if (cfg.attention() == ModelConfig.Attention.FACTORIZED) {
                NDArray a = modulate(norm(h, d), mod, 0).reshape(b * f, sp, d);
                a = attention(a, net, pre + "s.", cfg.heads());
                h = h.add(gate(a.reshape(b, f, sp, d), mod, 2));
                NDArray u = modulate(norm(h, d), mod, 3).transpose(0, 2, 1, 3).reshape(b * sp, f, d);
                u = attention(u, net, pre + "t.", cfg.heads());
                h = h.add(gate(u.reshape(b, sp, f, d).transpose(0, 2, 1, 3), mod, 5));
            } else {
                NDArray a = modulate(norm(h, d), mod, 0).reshape(b, f * sp, d);
                a = attention(a, net, pre + "st.", cfg.heads());
                h = h.add(gate(a.reshape(b, f, sp, d), mod, 2));
            }
            NDArray u = modulate(norm(h, d), mod, 6);
            u = lin(Activation.gelu(lin(u, net, pre + "mlp.w1", pre + "mlp.b1")), net, pre + "mlp.w2", pre + "mlp.b2");
            h = h.add(gate(u, mod, 8));
        }
        NDArray out = norm(h, d);
        if (adaln) {
            NDList fm = lin(sc, net, "final.mod.w", "final.mod.b").reshape(b, 1, 1, 2L * d).split(2, 3);
            out = out.mul(fm.get(1).add(1f)).add(fm.get(0));
        }
        out = lin(out, net, "final.w", "final.b");
        return out.reshape(b, f, gh, gw, c, p, p).transpose(0, 1, 4, 2, 5, 3, 6).reshape(b, f, c, cfg.height(), cfg.width());
    }

    /** Multi-head attention, heads taken apart as {@code [3, N, h, L, d]}. */
    private static NDArray attention(NDArray x, SpaceTimeTransformer net, String pre, int heads) {
        long n = x.getShape().get(0), l = x.getShape().get(1), dim = x.getShape().get(2), d = dim / heads;
        NDList parts = lin(x, net, pre + "qkv.w", pre + "qkv.b").reshape(n, l, 3, heads, d).transpose(2, 0, 3, 1, 4).split(3, 0);
        NDArray q = parts.get(0).squeeze(0), k = parts.get(1).squeeze(0), v = parts.get(2).squeeze(0);
        NDArray o = q.matMul(k.transpose(0, 1, 3, 2)).mul((float) (1.0 / Math.sqrt(d))).softmax(-1).matMul(v);
        return lin(o.transpose(0, 2, 1, 3).reshape(n, l, dim), net, pre + "out.w", pre + "out.b");
    }

    private static NDArray lin(NDArray x, SpaceTimeTransformer net, String name) {
        return lin(x, net, name + ".w", name + ".b");
    }

    private static NDArray lin(NDArray x, SpaceTimeTransformer net, String w, String b) {
        return Linear.linear(x, net.namedParameters().get(w).getArray(), net.namedParameters().get(b).getArray())
                .singletonOrThrow();
    }

    private static NDArray sinusoid(NDArray u, NDArray freqs) {
        NDArray a = u.mul(freqs);
        return a.sin().concat(a.cos(), 1);
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    private static NDArray norm(NDArray h, int d) {
        NDManager m = h.getManager();
        return LayerNorm.layerNorm(h, new Shape(d), m.ones(new Shape(d)), m.zeros(new Shape(d)), 1e-6f).singletonOrThrow();
    }

    private static NDArray modulate(NDArray u, NDList mod, int k) {
        return mod == null ? u : u.mul(mod.get(k + 1).add(1f)).add(mod.get(k));
    }

    private static NDArray gate(NDArray u, NDList mod, int k) {
        return mod == null ? u : u.mul(mod.get(k));
    }
}
