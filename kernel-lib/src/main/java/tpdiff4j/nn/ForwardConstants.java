package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tpdiff4j.data.Tensors;

/**
 * The arrays a {@link SpaceTimeTransformer} forward pass needs that do not depend on its inputs' values, built once
 * on the weights' device instead of on every call (at batch 1 a forward pass costs about as much per array op as
 * per FLOP, so each op saved counts):
 * <ul>
 *   <li>{@code freqs [1, D/2]}, the w_i of the sinusoids;</li>
 *   <li>{@code ones, zeros [D]}: the identity affine of a LayerNorm without weights;</li>
 *   <li>{@code attentionScale}, the scalar {@code 1 / sqrt(d)} of attention with head width d;</li>
 *   <li>the adaLN offsets {@code [9D]} and {@code [2D]}: 1 on every scale chunk, 0 elsewhere, so that
 *       {@code modulation output + offset} holds {@code 1 + scale} directly;</li>
 *   <li>the token position embedding {@code PE_2d(row, col) + PE_1d(pos_f)}, {@code [F, S, D]}, per distinct
 *       position vector (a pyramid has one per stage).</li>
 * </ul>
 * The arrays belong to a sub-manager of the weights' manager, so they live exactly as long as the weights, and are
 * kept out of any {@link NDScope} that is open while they are built.
 */
final class ForwardConstants {

    /** Bound on the cached position embeddings (a pyramid needs K of them; anything beyond is a caller's sweep). */
    private static final int MAX_POSITION_SETS = 32;

    /** Bound on the position arrays remembered by identity (one per live forward pass is enough). */
    static final int MAX_MADE = 64;

    private final NDManager manager;
    private final int dim;
    private final boolean flatTokens;
    private final NDArray spatialPe;
    final NDArray freqs;
    final NDArray ones;
    final NDArray zeros;
    final NDArray blockOffset;
    final NDArray finalOffset;
    final NDArray attentionScale;
    private final Map<Key, NDArray> tokenPe = new ConcurrentHashMap<>();
    private final ArrayDeque<Made> made = new ArrayDeque<>();

    /**
     * @param weights   the manager of the network's weights (its device is the constants' device)
     * @param spatialPe row-major {@code [S, D]} grid embedding
     * @param frequencies {@code w_i}, {@code D/2} values
     * @param headDim   the width d of one attention head
     * @param flatTokens whether the tokens of a clip form one sequence {@code [F*S, D]} (full attention) rather
     *     than {@code [F, S, D]}; the position embeddings take that shape
     */
    ForwardConstants(NDManager weights, float[] spatialPe, float[] frequencies, int dim, int headDim, boolean flatTokens) {
        this.manager = weights.newSubManager();
        this.dim = dim;
        this.flatTokens = flatTokens;
        this.spatialPe = keep(Tensors.owned(manager, spatialPe, new Shape(spatialPe.length / dim, dim)));
        this.freqs = keep(Tensors.owned(manager, frequencies, new Shape(1, frequencies.length)));
        this.ones = keep(manager.ones(new Shape(dim)));
        this.zeros = keep(manager.zeros(new Shape(dim)));
        this.blockOffset = keep(Tensors.owned(manager, scaleOffsets(9, new int[] {1, 4, 7}, dim), new Shape(9L * dim)));
        this.finalOffset = keep(Tensors.owned(manager, scaleOffsets(2, new int[] {1}, dim), new Shape(2L * dim)));
        this.attentionScale = keep(Tensors.scalar(manager, (float) (1.0 / Math.sqrt(headDim))));
    }

    /** Whether these constants can still be used (their manager, a child of the weights' one, is open). */
    boolean isOpen() {
        return manager.isOpen();
    }

    /**
     * {@code PE_2d + PE_1d(pos)} as {@code [F, S, D]} (or {@code [F*S, D]} for flat tokens) for the positions
     * {@code pos: [F]}: built with the same
     * sinusoid as before ({@code [sin(pos w), cos(pos w)]}) the first time a position vector is seen.
     */
    NDArray tokenEmbedding(NDArray pos) {
        float[] p = hostValues(pos);
        Key key = new Key(p);
        NDArray cached = tokenPe.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            if (tokenPe.size() >= MAX_POSITION_SETS && !tokenPe.containsKey(key)) {
                return tokenEmbedding(pos.getManager(), p); // not cached: belongs to the caller, like any output
            }
            return tokenPe.computeIfAbsent(key, k -> {
                try (NDManager tmp = manager.newSubManager()) {
                    NDArray pe = tokenEmbedding(tmp, p);
                    pe.attach(manager);
                    return keep(pe);
                }
            });
        }
    }

    /**
     * Records the values of a position vector the network made ({@link SpaceTimeTransformer#positions}), so that a
     * forward pass given that very array finds its cached embedding without reading it back from the device (on a
     * GPU such a read waits for all queued work, once per forward pass). Only the {@value #MAX_MADE} most recent
     * arrays are remembered, weakly: an array that is gone frees its entry.
     */
    void remember(NDArray pos, float[] values) {
        synchronized (made) {
            made.removeIf(m -> m.array().get() == null);
            if (made.size() >= MAX_MADE) {
                made.removeFirst();
            }
            made.addLast(new Made(new WeakReference<>(pos), values.clone()));
        }
    }

    /** The values of {@code pos}: remembered by identity when the network made it, else read from the device. */
    private float[] hostValues(NDArray pos) {
        synchronized (made) {
            for (Made m : made) {
                if (m.array().get() == pos) { // identity: NDArray.equals compares contents on the device
                    return m.values();
                }
            }
        }
        return pos.toFloatArray(); // positions built by the caller: one read per forward pass
    }

    /** {@code [F, 1, D] + [S, D] -> [F, S, D]} on {@code m}, flattened to {@code [F*S, D]} for flat tokens. */
    private NDArray tokenEmbedding(NDManager m, float[] p) {
        NDArray a = Tensors.owned(m, p, new Shape(p.length, 1)).mul(freqs);
        NDArray pe = a.sin().concat(a.cos(), 1).reshape(p.length, 1, dim).add(spatialPe);
        return flatTokens ? pe.reshape(-1, dim) : pe;
    }

    private static NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    private static float[] scaleOffsets(int chunks, int[] scaleChunks, int dim) {
        float[] v = new float[chunks * dim];
        for (int c : scaleChunks) {
            Arrays.fill(v, c * dim, (c + 1) * dim, 1f);
        }
        return v;
    }

    /** A position array the network made, held weakly, and its values. */
    private record Made(WeakReference<NDArray> array, float[] values) {
    }

    /** A position vector by value. */
    private record Key(float[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }
}
