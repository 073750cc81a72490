package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.HashMap;
import java.util.Map;

/**
 * The time conditioning of a {@link SpaceTimeTransformer} for a fixed set of diffusion times, one row per time in
 * each table ({@link SpaceTimeTransformer#timeConditioning}): what a forward pass would compute from t alone, computed
 * once for a sampling run's whole time grid.
 */
public final class TimeConditioning {

    private final Map<Double, Integer> index;
    private final NDList tables;

    /**
     * @param index  the row of each time ({@link #indexOf})
     * @param tables one row per time in each table
     */
    TimeConditioning(Map<Double, Integer> index, NDList tables) {
        this.index = index;
        this.tables = tables;
    }

    /** The row of each time; checked before any table is computed. */
    static Map<Double, Integer> indexOf(double[] times) {
        Map<Double, Integer> index = new HashMap<>();
        for (int i = 0; i < times.length; i++) {
            if (index.putIfAbsent(key(times[i]), i) != null) {
                throw new IllegalArgumentException("times[" + i + "] = " + times[i] + " is listed twice; allowed: each "
                        + "time at most once");
            }
        }
        return index;
    }

    /** The times without repeats (-0.0 and 0.0 count as one), in their first order. */
    static double[] distinct(double[] times) {
        return java.util.Arrays.stream(times).map(TimeConditioning::key).distinct().toArray();
    }

    /** Whether {@code t} is one of the times (exactly). */
    public boolean covers(double t) {
        return index.containsKey(key(t));
    }

    /**
     * The rows of time {@code t} (one per table, one-dimensional), to pass to the forward pass after
     * {@code (x, t, pos)}; they are new arrays on the tables' manager (free them with the step's other arrays).
     *
     * @throws IllegalArgumentException when {@code t} is not one of the times
     */
    public NDList rows(double t) {
        Integer i = index.get(key(t));
        if (i == null) {
            throw new IllegalArgumentException("t = " + t + " is not one of the " + index.size() + " times of this "
                    + "conditioning; allowed: " + new java.util.TreeSet<>(index.keySet()));
        }
        NDList out = new NDList(tables.size());
        for (NDArray table : tables) {
            out.add(table.get(i));
        }
        return out;
    }

    /** The map key of a time: -0.0 and 0.0 are the same time. */
    private static double key(double t) {
        return t == 0 ? 0.0 : t;
    }
}
