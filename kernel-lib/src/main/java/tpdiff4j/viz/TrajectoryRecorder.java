package tpdiff4j.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tpdiff4j.ode.StepListener;

/**
 * Records the 2-D particles of a solver run for {@link Plots#trajectories}: a {@link StepListener} that copies
 * the state x (and the clean-data estimate x0Hat) of every step as points.
 *
 * <p>The state is read as points of two coordinates: its last axis must have length 2 (for example [N, 2] or
 * [B, F, C, H, 2]); everything before it counts points. The solver calls the listener before each step, so
 * the final state is not seen by the listener: pass the solver's result to {@link #end(double, NDArray)}.
 * <pre>{@code
 * var rec = new TrajectoryRecorder();
 * NDArray x0 = Solvers.heun().withListener(rec).solve(model, schedule, noise, grid);
 * rec.end(grid.t(grid.steps()), x0);
 * Plots.trajectories(rec)
 * }</pre>
 */
public final class TrajectoryRecorder implements StepListener {

    private final List<Double> times = new ArrayList<>();
    private final List<double[][]> points = new ArrayList<>();
    private final List<double[][]> estimates = new ArrayList<>();

    @Override
    public void onStep(int step, double t, NDArray x, NDArray x0Hat) {
        add(t, x, x0Hat);
    }

    /** Records the final state {@code x} at the grid's end time {@code t} (usually 0). @return this */
    public TrajectoryRecorder end(double t, NDArray x) {
        add(t, x, null);
        return this;
    }

    /** @return the recorded times, one per recorded state */
    public double[] times() { return times.stream().mapToDouble(Double::doubleValue).toArray(); }

    /** @return the recorded states: element s is [N][2], the N points at recorded step s */
    public List<double[][]> points() { return Collections.unmodifiableList(points); }

    /** @return the clean-data estimates x0Hat per step, null where the solver gave none (and for the end) */
    public List<double[][]> estimates() { return Collections.unmodifiableList(estimates); }

    /** @return the number of recorded states */
    public int size() { return points.size(); }

    private void add(double t, NDArray x, NDArray x0Hat) {
        double[][] p = toPoints(x, "x");
        if (!points.isEmpty() && points.get(0).length != p.length) {
            throw new IllegalArgumentException("x has " + p.length + " points but earlier steps had " + points.get(0).length);
        }
        times.add(t);
        points.add(p);
        estimates.add(x0Hat == null ? null : toPoints(x0Hat, "x0Hat"));
    }

    /** @return the array as N points of 2 coordinates; its last axis must have length 2 */
    static double[][] toPoints(NDArray a, String what) {
        long last = a.getShape().dimension() == 0 ? 0 : a.getShape().get(a.getShape().dimension() - 1);
        if (last != 2) {
            throw new IllegalArgumentException(what + " = an array of shape " + a.getShape()
                    + "; allowed: 2-D points (last axis of length 2)");
        }
        double[] flat;
        if (a.getDataType() == DataType.FLOAT64) {
            flat = a.toDoubleArray();
        } else {
            try (NDArray d = a.toType(DataType.FLOAT64, true)) {
                flat = d.toDoubleArray();
            }
        }
        double[][] p = new double[flat.length / 2][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = flat[2 * i];
            p[i][1] = flat[2 * i + 1];
        }
        return p;
    }
}
