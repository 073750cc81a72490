package tpdiff4j.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import tpdiff4j.Refusals;
import tpdiff4j.pyramid.NoiseCoupling;

/**
 * Batch data-noise alignment (Immiscible Diffusion, Li et al. 2024, arXiv 2406.12303; TPDiff v1 Algorithm 1):
 * reorder a batch of Gaussian noises so that the total distance between each video and its noise is minimal.
 *
 * <p>With {@code x_i} the flattened data items and {@code e_j} the flattened noises ({@code i, j < B}), the cost is
 * {@code C_ij = ||x_i - e_j||} ({@link Cost#L2}, Immiscible Diffusion's choice, the default) or
 * {@code ||x_i - e_j||^2} ({@link Cost#SQUARED_L2}, OT-CFM's; equivalent to maximising
 * {@code sum_i <x_i, e_pi(i)>}). The two can give different pairings. The squared distances come from one matrix
 * product in float64: {@code ||x_i||^2 + ||e_j||^2 - 2 x_i . e_j}, clamped at 0.
 * {@link LinearAssignment} then finds {@code col} minimising {@code sum_i C[i][col[i]]}.
 *
 * <p><b>Direction.</b> Rows are data items, columns are noises. The result is {@code out[j] = noise[col[j]]}:
 * item {@code j} of the output is the noise that goes with video {@code j}. The output has the shape of the noise
 * (and its data type); only the order along axis 0 changes. Alignment is for training only.
 */
public final class BatchNoiseAligner implements NoiseCoupling {

    /** The distance between a data item and a noise item. */
    public enum Cost {
        /** Euclidean norm {@code ||x - e||} (Immiscible Diffusion). */
        L2,
        /** Squared Euclidean norm {@code ||x - e||^2} (OT-CFM). */
        SQUARED_L2
    }

    private final Cost cost;

    private BatchNoiseAligner(Cost cost) {
        this.cost = cost;
    }

    /** The default aligner: L2 cost. */
    public static BatchNoiseAligner l2() {
        return new BatchNoiseAligner(Cost.L2);
    }

    /** Aligner with squared-L2 cost. */
    public static BatchNoiseAligner squaredL2() {
        return new BatchNoiseAligner(Cost.SQUARED_L2);
    }

    /** Aligner with the given cost. */
    public static BatchNoiseAligner of(Cost cost) {
        Refusals.notNull(cost, "cost", "Cost.L2 or Cost.SQUARED_L2");
        return new BatchNoiseAligner(cost);
    }

    /** The cost in use. */
    public Cost cost() {
        return cost;
    }

    /**
     * The cost matrix {@code C[i][j] = dist(data_i, noise_j)} in float64.
     *
     * @param data {@code [B, ...]}
     * @param noise {@code [B, ...]}, same shape as {@code data}
     * @return {@code B x B} matrix, rows are data items, columns noise items
     */
    public double[][] costMatrix(NDArray data, NDArray noise) {
        String allowed = "two arrays [B, ...] of the same shape, the batch on axis 0";
        Refusals.notNull(data, "data", allowed);
        Refusals.notNull(noise, "noise", allowed);
        if (!data.getShape().equals(noise.getShape()) || data.getShape().dimension() < 1) {
            throw new IllegalArgumentException("data has shape " + data.getShape() + " and noise has shape "
                    + noise.getShape() + "; allowed: equal shapes [B, ...] with the batch on axis 0");
        }
        int b = Math.toIntExact(data.getShape().get(0));
        if (b == 0) {
            return new double[0][0];
        }
        try (NDManager sub = data.getManager().newSubManager()) {
            NDArray x = data.toType(DataType.FLOAT64, true).reshape(b, -1);
            NDArray e = noise.toType(DataType.FLOAT64, true).reshape(b, -1);
            x.attach(sub);
            e.attach(sub);
            NDArray xx = x.square().sum(new int[] {1}).reshape(b, 1);
            NDArray ee = e.square().sum(new int[] {1}).reshape(1, b);
            NDArray d2 = xx.add(ee).sub(x.matMul(e.transpose()).mul(2.0)).maximum(0.0);
            double[] flat = (cost == Cost.L2 ? d2.sqrt() : d2).toDoubleArray();
            double[][] c = new double[b][b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(flat, i * b, c[i], 0, b);
                for (int j = 0; j < b; j++) {
                    if (!Double.isFinite(c[i][j])) {   // else refused later as a cost matrix the caller never wrote
                        throw new IllegalArgumentException("data item " + i + " and noise item " + j + " are at distance "
                                + c[i][j] + " (" + cost + "); allowed: finite values in data and noise (a NaN or infinity"
                                + " in the batch, e.g. from a diverged step, has no distance)");
                    }
                }
            }
            return c;
        }
    }

    /**
     * The optimal pairing: data item {@code i} goes with noise item {@code col[i]}.
     *
     * @param data {@code [B, ...]}
     * @param noise {@code [B, ...]}
     * @return a permutation of {@code 0 .. B-1}
     */
    public int[] assignment(NDArray data, NDArray noise) {
        return LinearAssignment.solve(costMatrix(data, noise));
    }

    /**
     * Returns the noise reordered so that item {@code j} is the noise paired with data item {@code j}:
     * {@code out[j] = noise[col[j]]}. Same shape and data type as {@code noise}.
     */
    @Override
    public NDArray couple(NDArray data, NDArray noise) {
        int[] col = assignment(data, noise);
        long[] idx = new long[col.length];
        for (int i = 0; i < col.length; i++) {
            idx[i] = col[i];
        }
        if (col.length == 0) {
            return noise.duplicate();
        }
        try (NDManager sub = noise.getManager().newSubManager()) {
            NDArray index = sub.create(idx);
            NDArray out = noise.get(new NDIndex("{}", index));
            out.attach(noise.getManager());
            return out;
        }
    }

    /** Equal when the costs are: the aligner has no other state. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BatchNoiseAligner a && a.cost == cost;
    }

    @Override
    public int hashCode() {
        return cost.hashCode();
    }

    @Override
    public String toString() {
        return "BatchNoiseAligner(" + cost + ")";
    }
}
