package tpdiff4j.bench;

import java.util.Arrays;
import tpdiff4j.Refusals;

/**
 * Order statistics of repeated measurements. Benchmarks report medians (robust to the odd slow repetition on a
 * shared machine) and the spread as minimum and maximum, or as the quantiles of the sorted sample.
 *
 * <p>Quantile {@code q} of a sample {@code x_(0) <= ... <= x_(n-1)} is the linear interpolation at position
 * {@code q (n - 1)} (type 7 of Hyndman and Fan, NumPy's default), so the median of an even sample is the mean of the
 * two middle values.
 */
public final class Stats {

    private Stats() {
    }

    /** Median of a non-empty sample of finite values. */
    public static double median(double... x) {
        return quantile(0.5, x);
    }

    /** Quantile {@code q} in [0, 1] of a non-empty sample (linear interpolation, NumPy's default). */
    public static double quantile(double q, double... x) {
        if (!(q >= 0 && q <= 1)) {
            throw Refusals.refuse("q", q, "a number in [0, 1]");
        }
        double[] s = sorted(x);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** Smallest value. */
    public static double min(double... x) {
        return sorted(x)[0];
    }

    /** Largest value. */
    public static double max(double... x) {
        double[] s = sorted(x);
        return s[s.length - 1];
    }

    /** Arithmetic mean. */
    public static double mean(double... x) {
        return Arrays.stream(sorted(x)).sum() / x.length;
    }

    /** Sample standard deviation {@code sqrt(sum (x_i - mean)^2 / (n - 1))} of at least two values. */
    public static double std(double... x) {
        if (x != null && x.length < 2) {
            throw new IllegalArgumentException("sample = " + x.length + " value(s); allowed: at least 2 (for a standard deviation)");
        }
        double m = mean(x), ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    private static double[] sorted(double[] x) {
        if (x == null || x.length == 0) {
            throw Refusals.refuse("sample", x == null ? "null" : "empty", "at least one value");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw Refusals.refuse("sample[" + i + "]", x[i], "a finite number");
            }
        }
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }
}
