package tpdiff4j.metrics;

import java.util.Arrays;
import java.util.List;
import tpdiff4j.Refusals;

/**
 * One motion feature vector per clip, from its {@link PixelTrack}: where the sprite is, how it moves, how big it
 * is and how far its motion is from constant velocity. All entries are in pixels or pixels per frame.
 *
 * <pre>
 *   0 meanX, 1 meanY      mean centroid over the frames
 *   2 slopeX, 3 slopeY    least-squares slope of x(f), y(f) against f (net velocity; a bounce lowers it)
 *   4 speedX, 5 speedY    median over f of |x(f+1) - x(f)|, |y(f+1) - y(f)|: the per-axis speed, which a bounce
 *                         off a wall (sign flip of one component) leaves unchanged
 *   6 radius              mean equivalent radius sqrt(area / pi)
 *   7 radiusSd            standard deviation of the radius over frames (a rigid sprite has ~0)
 *   8 residual            robust constant-velocity residual: median over interior frames f of
 *                         || p(f+1) - 2 p(f) + p(f-1) ||, p = (x, y)
 * </pre>
 *
 * <p><b>Bounces.</b> A global straight-line fit of a bouncing sprite has a large residual although the physics is
 * exact. The second difference {@code p(f+1) - 2p(f) + p(f-1)} is the residual of the constant-velocity fit on the
 * three-frame window around f; it is zero for constant velocity and non-zero only in windows that contain a bounce.
 * Taking the median over windows ignores bounces as long as they touch fewer than half of the windows (one bounce
 * touches at most two of the F - 2 windows), while jitter of generated clips, which touches every window, raises it.
 */
public final class MotionFeatures {

    /** Names of the feature vector's entries, in order. */
    public static final List<String> NAMES = List.of("meanX", "meanY", "slopeX", "slopeY", "speedX", "speedY",
            "radius", "radiusSd", "residual");

    private MotionFeatures() {
    }

    /** @return the feature vector (length {@link #NAMES}.size()) of one track with at least 3 frames */
    public static double[] of(PixelTrack track) {
        int n = track.frames();
        if (n < 3) {
            throw Refusals.refuse("track frames", n, "at least 3 frames, which motion features need");
        }
        double[] x = track.x();
        double[] y = track.y();
        double[] r = new double[n];
        for (int f = 0; f < n; f++) {
            r[f] = track.radius(f);
        }
        double[] dx = new double[n - 1];
        double[] dy = new double[n - 1];
        for (int f = 0; f + 1 < n; f++) {
            dx[f] = Math.abs(x[f + 1] - x[f]);
            dy[f] = Math.abs(y[f + 1] - y[f]);
        }
        double[] second = new double[n - 2];
        for (int f = 1; f + 1 < n; f++) {
            second[f - 1] = Math.hypot(x[f + 1] - 2 * x[f] + x[f - 1], y[f + 1] - 2 * y[f] + y[f - 1]);
        }
        double meanR = mean(r);
        return new double[] {mean(x), mean(y), slope(x), slope(y), median(dx), median(dy), meanR, sd(r, meanR),
                median(second)};
    }

    /** @return one feature vector per clip, shape [B][9] */
    public static double[][] of(ClipBatch clips, SpriteEstimator estimator) {
        PixelTrack[] tracks = estimator.tracks(clips);
        double[][] out = new double[tracks.length][];
        for (int b = 0; b < tracks.length; b++) {
            out[b] = of(tracks[b]);
        }
        return out;
    }

    /** Least-squares slope of v against its index: sum (f - fbar)(v - vbar) / sum (f - fbar)^2. */
    static double slope(double[] v) {
        double fbar = (v.length - 1) / 2.0;
        double vbar = mean(v);
        double num = 0;
        double den = 0;
        for (int f = 0; f < v.length; f++) {
            num += (f - fbar) * (v[f] - vbar);
            den += (f - fbar) * (f - fbar);
        }
        return num / den;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double sd(double[] v, double mean) {
        double s = 0;
        for (double d : v) {
            s += (d - mean) * (d - mean);
        }
        return Math.sqrt(s / v.length);
    }
}
