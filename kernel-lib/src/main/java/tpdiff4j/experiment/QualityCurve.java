package tpdiff4j.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import tpdiff4j.Refusals;

/**
 * Quality of one training run against its training wall-clock time and steps, for time-to-quality comparisons
 * (the TPDiff paper's FVD-versus-GPU-hours curves, v1 Fig. 5). Quality is a distance, lower is better (here
 * the Frechet distance of sprite motion features); the time excludes the evaluations themselves.
 *
 * <p>{@link #timeToReach} is the first time the piecewise-linear curve through the points gets down to a target:
 * between consecutive points {@code (s_i, q_i)} and {@code (s_{i+1}, q_{i+1})} with {@code q_i > target >= q_{i+1}}
 * it returns {@code s_i + (q_i - target) / (q_i - q_{i+1}) (s_{i+1} - s_i)}.
 *
 * <p>A quality is finite. An evaluation whose sample diverged (NaN or infinite values) is recorded as
 * {@link MotionQuality#DIVERGED}: {@link Point#diverged()} says so, no target is reached there, and nothing is
 * interpolated from it (the crossing after it is put at the next evaluation that reaches the target).
 *
 * @param label  name of the run (arm, and seed where several)
 * @param points measurements in time order
 */
public record QualityCurve(String label, List<Point> points) {

    /**
     * One evaluation.
     *
     * @param seconds training wall-clock seconds before this evaluation
     * @param steps   training steps before this evaluation
     * @param quality the distance (lower is better)
     */
    public record Point(double seconds, long steps, double quality) {

        /** @return true if this evaluation's sample diverged: its quality is {@link MotionQuality#DIVERGED} */
        public boolean diverged() {
            return quality == MotionQuality.DIVERGED;
        }
    }

    /** Copies the points and checks that qualities are finite and time never goes backwards. */
    public QualityCurve {
        points = List.copyOf(points);
        for (int i = 0; i < points.size(); i++) {
            if (!Double.isFinite(points.get(i).quality())) {
                throw new IllegalArgumentException("point " + i + " of curve " + label + " has quality "
                        + points.get(i).quality() + "; allowed: a finite quality (record an evaluation whose sample"
                        + " diverged as MotionQuality.DIVERGED)");
            }
        }
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).seconds() < points.get(i - 1).seconds()) {
                throw new IllegalArgumentException("point " + i + " has seconds = " + points.get(i).seconds()
                        + "; allowed: at least " + points.get(i - 1).seconds() + ", the seconds of the point before"
                        + " (points in time order)");
            }
        }
    }

    /** An empty curve to which {@link #with} adds points. */
    public static QualityCurve empty(String label) {
        return new QualityCurve(label, List.of());
    }

    /** A copy with one more point at the end. */
    public QualityCurve with(double seconds, long steps, double quality) {
        List<Point> p = new ArrayList<>(points);
        p.add(new Point(seconds, steps, quality));
        return new QualityCurve(label, p);
    }

    /** Quality of the last point. */
    public double finalQuality() {
        if (points.isEmpty()) {
            throw new IllegalStateException("curve " + label + " has no points");
        }
        return points.get(points.size() - 1).quality();
    }

    /** Training seconds of the last point. */
    public double finalSeconds() {
        if (points.isEmpty()) {
            throw new IllegalStateException("curve " + label + " has no points");
        }
        return points.get(points.size() - 1).seconds();
    }

    /**
     * The first training time at which the curve reaches {@code target} (quality at or below it), linearly
     * interpolated between evaluations; empty if it never does. After a diverged evaluation the time is that of
     * the next evaluation that reaches the target.
     *
     * @throws IllegalArgumentException if {@code target} is not finite or is {@link MotionQuality#DIVERGED} (the
     *                                  quality of a diverged run is no target)
     */
    public OptionalDouble timeToReach(double target) {
        if (!Double.isFinite(target) || target >= MotionQuality.DIVERGED) {
            throw Refusals.refuse("target", target,
                    "a finite number below MotionQuality.DIVERGED = " + MotionQuality.DIVERGED
                    + " (the quality of a diverged sample is no target)");
        }
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p.quality() <= target) {
                if (i == 0 || points.get(i - 1).diverged()) {
                    return OptionalDouble.of(p.seconds());
                }
                Point a = points.get(i - 1);
                double f = (a.quality() - target) / (a.quality() - p.quality());
                return OptionalDouble.of(a.seconds() + f * (p.seconds() - a.seconds()));
            }
        }
        return OptionalDouble.empty();
    }

    /** @return how many evaluations diverged ({@link Point#diverged()}) */
    public long divergedCount() {
        return points.stream().filter(Point::diverged).count();
    }

    /** Training times of the points. */
    public double[] seconds() {
        return points.stream().mapToDouble(Point::seconds).toArray();
    }

    /** Training steps of the points. */
    public double[] steps() {
        return points.stream().mapToDouble(Point::steps).toArray();
    }

    /** Qualities of the points. */
    public double[] qualities() {
        return points.stream().mapToDouble(Point::quality).toArray();
    }
}
