package tpdiff4j.nn;

/**
 * Fixed sinusoidal embeddings (Vaswani et al. 2017, "Attention is all you need", Sec. 3.5), as plain float arrays:
 * for a position u and width D, {@code e[2i] = sin(u w_i)}, {@code e[2i+1] = cos(u w_i)}, {@code w_i = 10000^(-2i/D)}.
 */
final class Embeddings {

    private Embeddings() {
    }

    /** Frequencies {@code w_i = 10000^(-2i/D)}, i = 0..D/2-1. */
    static float[] frequencies(int dim) {
        float[] w = new float[dim / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.pow(10000.0, -2.0 * i / dim);
        }
        return w;
    }

    /** Sinusoidal embedding of each position, row-major {@code [positions.length, dim]}. */
    static float[] sinusoidal(double[] positions, int dim) {
        float[] w = frequencies(dim);
        float[] out = new float[positions.length * dim];
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < w.length; i++) {
                out[p * dim + 2 * i] = (float) Math.sin(positions[p] * w[i]);
                out[p * dim + 2 * i + 1] = (float) Math.cos(positions[p] * w[i]);
            }
        }
        return out;
    }

    /**
     * 2D embedding of a gh x gw patch grid, {@code [gh * gw, dim]}: the first D/2 values embed the row, the last D/2
     * the column.
     */
    static float[] grid(int gh, int gw, int dim) {
        int half = dim / 2;
        double[] rows = new double[gh], cols = new double[gw];
        for (int i = 0; i < gh; i++) {
            rows[i] = i;
        }
        for (int j = 0; j < gw; j++) {
            cols[j] = j;
        }
        float[] er = sinusoidal(rows, half), ec = sinusoidal(cols, half);
        float[] out = new float[gh * gw * dim];
        for (int i = 0; i < gh; i++) {
            for (int j = 0; j < gw; j++) {
                int t = i * gw + j;
                System.arraycopy(er, i * half, out, t * dim, half);
                System.arraycopy(ec, j * half, out, t * dim + half, half);
            }
        }
        return out;
    }
}
