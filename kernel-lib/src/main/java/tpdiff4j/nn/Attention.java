package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/**
 * Multi-head self-attention written with DJL array ops (Vaswani et al. 2017, Eq. 1):
 * <pre>
 *   [Q K V] = x W_qkv^T + b_qkv,   head_h = softmax(Q_h K_h^T / sqrt(d)) V_h,   out = concat_h(head_h) W_o^T + b_o
 * </pre>
 * on a batch of independent sequences {@code x: [N, L, D]}, with d = D / heads. The caller decides what a
 * sequence is: the S patches of one frame (spatial), the F frames at one patch position (temporal), or all
 * F * S tokens of a clip (full space-time).
 */
final class Attention {

    private Attention() {
    }

    /**
     * @param x    tokens {@code [N, L, D]}
     * @param wqkv {@code [3D, D]}, bqkv {@code [3D]}
     * @param wo   {@code [D, D]}, bo {@code [D]}
     * @param scale {@code 1 / sqrt(d)} as a scalar array on the weights' device, owned by the network (it must
     *     outlive the backward pass, which reads it)
     * @return {@code [N, L, D]}
     */
    static NDArray selfAttention(NDArray x, NDArray wqkv, NDArray bqkv, NDArray wo, NDArray bo, int heads, NDArray scale) {
        long n = x.getShape().get(0), l = x.getShape().get(1), dim = x.getShape().get(2);
        long d = dim / heads;
        // column (j h + i) d + e of x W_qkv^T is entry e of head i of part j (Q, K, V), so one split of the
        // head-major layout [N, 3h, L, d] gives Q, K and V as [N, h, L, d] without squeezing
        NDList parts = Linear.linear(x, wqkv, bqkv).singletonOrThrow()
                .reshape(n, l, 3 * heads, d).transpose(0, 2, 1, 3).split(3, 1);
        // the scale goes on Q [N, h, L, d]: L / d times fewer numbers than on the scores [N, h, L, L]
        NDArray q = parts.get(0).mul(scale);
        NDArray k = parts.get(1);
        NDArray v = parts.get(2);
        NDArray o = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v);                    // [N, h, L, d]
        o = o.transpose(0, 2, 1, 3).reshape(n, l, dim);
        return Linear.linear(o, wo, bo).singletonOrThrow();
    }
}
