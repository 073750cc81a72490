package tpdiff4j.align;

import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * Exact linear sum assignment (minimum-cost bipartite matching) over doubles.
 *
 * <p>Given a cost matrix {@code C} of shape {@code n x m} with {@code n <= m}, find an injective map
 * {@code col: rows -> columns} minimising {@code sum_i C[i][col[i]]}. This is the problem that
 * {@code scipy.optimize.linear_sum_assignment} solves; TPDiff's data-noise alignment (docs/derivation.md section 7,
 * v1 Algorithm 1) calls it once per batch.
 *
 * <h2>Algorithm</h2>
 * Jonker and Volgenant, "A shortest augmenting path algorithm for dense and sparse linear assignment
 * problems", Computing 38 (1987):
 * <ol>
 *   <li><b>Initialisation (square case only).</b> Column reduction {@code v_j = min_i C_ij}, then two
 *       rounds of augmenting row reduction. They keep the duals feasible ({@code u_i + v_j <= C_ij}, equality
 *       on matched pairs) and usually match most rows before any shortest-path search.</li>
 *   <li><b>Shortest augmenting paths.</b> For every row still free, a Dijkstra search on the reduced costs
 *       {@code C_ij - u_i - v_j >= 0} finds the cheapest alternating path to a free column; the duals are
 *       updated so that the path becomes tight, and the matching is flipped along it.</li>
 * </ol>
 * In the rectangular case ({@code n < m}) the initialisation is skipped: unmatched columns must keep
 * {@code v_j = 0} for optimality, which the plain shortest-path phase guarantees.
 * The costs are copied once into a flat row-major {@code double[]}; nothing is boxed.
 *
 * <h2>Inputs</h2>
 * <ul>
 *   <li>Empty matrix ({@code n = 0}): returns an empty array.</li>
 *   <li>{@code NaN} or {@code -Infinity}: rejected with an {@link IllegalArgumentException} naming the cell.</li>
 *   <li>{@code +Infinity}: a forbidden pair. Allowed as long as some assignment uses finite costs only;
 *       otherwise an {@link IllegalArgumentException} says that no finite assignment exists.</li>
 *   <li>Ties: the result is deterministic (same input, same output); among equal-cost optima the one
 *       returned depends only on the matrix.</li>
 * </ul>
 */
public final class LinearAssignment {

    private LinearAssignment() {}

    /**
     * Solves the assignment problem.
     *
     * @param cost {@code n x m} matrix, {@code n <= m}, all rows of equal length; not modified
     * @return {@code col} of length {@code n}: row {@code i} is matched to column {@code col[i]}; all distinct
     * @throws IllegalArgumentException for ragged rows, {@code n > m}, NaN or -Infinity entries, or when no
     *     assignment of finite cost exists
     */
    public static int[] solve(double[][] cost) {
        Refusals.notNull(cost, "cost", "a double[n][m] with n <= m");
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0] == null ? -1 : cost[0].length;
        double[] c = new double[Math.multiplyExact(n, Math.max(m, 0))];
        for (int i = 0; i < n; i++) {
            if (cost[i] == null || cost[i].length != m) {
                throw new IllegalArgumentException("cost[" + i + "] has " + (cost[i] == null ? "null" : cost[i].length
                        + " columns") + (i == 0 ? "" : " but cost[0] has " + m) + "; allowed: a rectangular matrix, every"
                        + " row an array of the same length");
            }
            System.arraycopy(cost[i], 0, c, i * m, m);
        }
        return solveFlat(c, n, m);
    }

    /**
     * Same as {@link #solve(double[][])} on a flat row-major matrix: {@code cost[i * m + j] = C_ij}.
     *
     * @param cost row-major costs, length {@code n * m}; not modified
     * @param n rows, {@code 0 <= n <= m}
     * @param m columns
     * @return {@code col[i]} for each row
     */
    public static int[] solve(double[] cost, int n, int m) {
        if (cost == null || n < 0 || m < 0 || (long) n * m != cost.length) {
            throw new IllegalArgumentException("cost has length " + (cost == null ? "null" : cost.length) + " for n = "
                    + n + ", m = " + m + "; allowed: n >= 0, m >= 0 and a flat row-major array of length n * m");
        }
        return solveFlat(cost.clone(), n, m);
    }

    /** Solves in place on {@code c} (a private copy). */
    private static int[] solveFlat(double[] c, int n, int m) {
        if (n == 0) {
            return new int[0];
        }
        if (n > m) {
            throw new IllegalArgumentException("cost has n = " + n + " rows and m = " + m
                    + " columns; allowed: n <= m (pass the transpose to assign columns to rows)");
        }
        for (int k = 0; k < c.length; k++) {
            double x = c[k];
            if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
                throw Refusals.refuse("cost[" + (k / m) + "][" + (k % m) + "]", x,
                        "finite entries or +Infinity (a forbidden pair)");
            }
        }
        Solver s = new Solver(c, n, m);
        if (n == m) {
            s.columnReduction();
            s.augmentingRowReduction();
            s.augmentingRowReduction();
        }
        s.shortestAugmentingPaths();
        return s.col4row;
    }

    /** Mutable state of one solve: duals, matching and scratch arrays, all flat. */
    private static final class Solver {
        final double[] c;
        final int n;
        final int m;
        final double[] u;
        final double[] v;
        final int[] col4row;
        final int[] row4col;
        /** Free rows after the initialisation, in the order they will be processed. */
        int[] free;
        int numFree;

        Solver(double[] c, int n, int m) {
            this.c = c;
            this.n = n;
            this.m = m;
            this.u = new double[n];
            this.v = new double[m];
            this.col4row = new int[n];
            this.row4col = new int[m];
            Arrays.fill(col4row, -1);
            Arrays.fill(row4col, -1);
            free = new int[n];
            for (int i = 0; i < n; i++) {
                free[i] = i;
            }
            numFree = n;
        }

        /**
         * JV column reduction: {@code v_j = min_i C_ij}; the arg-min row takes column {@code j} if it is free.
         * With {@code u = 0} the duals are feasible and every matched pair is tight. A column whose entries are
         * all +Infinity makes the problem infeasible (square case: every column must be used).
         */
        void columnReduction() {
            double[] colMin = new double[m];
            int[] argMin = new int[m];
            Arrays.fill(colMin, Double.POSITIVE_INFINITY);
            Arrays.fill(argMin, -1);
            for (int i = 0; i < n; i++) {
                int base = i * m;
                for (int j = 0; j < m; j++) {
                    double x = c[base + j];
                    if (x < colMin[j]) {
                        colMin[j] = x;
                        argMin[j] = i;
                    }
                }
            }
            for (int j = 0; j < m; j++) {
                if (argMin[j] < 0) {
                    throw infeasible("column " + j + " has only +Infinity entries");
                }
                v[j] = colMin[j];
                int i = argMin[j];
                if (col4row[i] < 0) {
                    col4row[i] = j;
                    row4col[j] = i;
                }
            }
            numFree = 0;
            for (int i = 0; i < n; i++) {
                if (col4row[i] < 0) {
                    free[numFree++] = i;
                } else {
                    u[i] = 0.0;
                }
            }
        }

        /**
         * JV augmenting row reduction. For a free row find its two smallest reduced costs {@code r1 <= r2}
         * (columns {@code j1}, {@code j2}); lowering {@code v[j1]} by {@code r2 - r1} lets the row take
         * {@code j1} tightly while staying dual feasible; a row that held {@code j1} becomes free. Rows whose
         * second minimum is infinite are left to the shortest-path phase.
         */
        void augmentingRowReduction() {
            int[] queue = Arrays.copyOf(free, numFree);
            int qLen = numFree;
            int head = 0;
            long budget = 4L * n + 16; // bounds the work; whatever is left goes to the exact phase
            while (head < qLen) {
                int i = queue[head++];
                int base = i * m;
                double r1 = Double.POSITIVE_INFINITY;
                double r2 = Double.POSITIVE_INFINITY;
                int j1 = -1;
                int j2 = -1;
                for (int j = 0; j < m; j++) {
                    double r = c[base + j] - v[j];
                    if (r < r2) {
                        if (r < r1) {
                            r2 = r1;
                            j2 = j1;
                            r1 = r;
                            j1 = j;
                        } else {
                            r2 = r;
                            j2 = j;
                        }
                    }
                }
                if (j1 < 0 || r2 == Double.POSITIVE_INFINITY || --budget < 0) {
                    continue; // left free for the shortest-path phase
                }
                int prev = row4col[j1];
                if (r1 < r2) {
                    v[j1] -= r2 - r1;
                } else if (prev >= 0) {
                    // tie: take the second column instead, it may be free
                    j1 = j2;
                    prev = row4col[j1];
                }
                u[i] = c[base + j1] - v[j1];
                if (prev >= 0) {
                    col4row[prev] = -1;
                    if (r1 < r2) {
                        queue[--head] = prev; // retry it at once, as JV do
                    } else {
                        if (qLen == queue.length) {
                            queue = Arrays.copyOf(queue, queue.length * 2);
                        }
                        queue[qLen++] = prev;
                    }
                }
                col4row[i] = j1;
                row4col[j1] = i;
            }
            // rebuild the free list from the matching, in row order (deterministic)
            numFree = 0;
            for (int i = 0; i < n; i++) {
                int j = col4row[i];
                if (j < 0) {
                    free[numFree++] = i;
                } else {
                    u[i] = c[i * m + j] - v[j]; // matched pairs tight: u_i = C_ij - v_j
                }
            }
        }

        /**
         * Dijkstra-based shortest augmenting path for every free row (the core of JV). Reduced costs
         * {@code C_ij - u_i - v_j} are non-negative; {@code shortest[j]} is the distance to column {@code j}.
         * Among columns at equal distance a free column is preferred, which ends the search early.
         */
        void shortestAugmentingPaths() {
            double[] shortest = new double[m];
            int[] path = new int[m];
            int[] remaining = new int[m];
            int[] scannedRows = new int[n];
            int[] scannedCols = new int[m];
            for (int f = 0; f < numFree; f++) {
                int curRow = free[f];
                Arrays.fill(shortest, Double.POSITIVE_INFINITY);
                for (int j = 0; j < m; j++) {
                    remaining[j] = m - 1 - j;
                }
                int numRemaining = m;
                int nsr = 0;
                int nsc = 0;
                double minVal = 0.0;
                int i = curRow;
                int sink = -1;
                while (sink < 0) {
                    scannedRows[nsr++] = i;
                    int base = i * m;
                    double ui = u[i];
                    double lowest = Double.POSITIVE_INFINITY;
                    int index = -1;
                    for (int it = 0; it < numRemaining; it++) {
                        int j = remaining[it];
                        double r = minVal + c[base + j] - ui - v[j];
                        double sj = shortest[j];
                        if (r < sj) {
                            path[j] = i;
                            shortest[j] = r;
                            sj = r;
                        }
                        if (sj < lowest || (sj == lowest && row4col[j] < 0)) {
                            lowest = sj;
                            index = it;
                        }
                    }
                    minVal = lowest;
                    if (minVal == Double.POSITIVE_INFINITY) {
                        throw infeasible("row " + curRow + " cannot be matched without an +Infinity cost");
                    }
                    int j = remaining[index];
                    if (row4col[j] < 0) {
                        sink = j;
                    } else {
                        i = row4col[j];
                    }
                    scannedCols[nsc++] = j;
                    remaining[index] = remaining[--numRemaining];
                }
                // dual update: keeps feasibility and makes the path tight
                u[curRow] += minVal;
                for (int k = 1; k < nsr; k++) {
                    int r = scannedRows[k];
                    u[r] += minVal - shortest[col4row[r]];
                }
                for (int k = 0; k < nsc; k++) {
                    int j = scannedCols[k];
                    v[j] -= minVal - shortest[j];
                }
                // flip the matching along the path
                int j = sink;
                while (true) {
                    int r = path[j];
                    row4col[j] = r;
                    int prev = col4row[r];
                    col4row[r] = j;
                    j = prev;
                    if (r == curRow) {
                        break;
                    }
                }
            }
        }

        private static IllegalArgumentException infeasible(String why) {
            return new IllegalArgumentException("no assignment with finite total cost exists: " + why);
        }
    }
}
