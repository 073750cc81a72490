package tpdiff4j.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tpdiff4j.Refusals;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.StageJump;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Ready-made figures for the DSL and the TPDiff notebooks. Each takes plain arrays or public API values and
 * returns a {@link Figure} that can still be styled ({@code .title(...)}, {@code .size(...)}, {@code .yLog()}).
 */
public final class Plots {

    /** Points on t in [0, 1] for schedule curves. */
    static final int CURVE_POINTS = 201;
    /** At most this many particle paths are drawn (the first ones), so figures stay small. */
    public static final int MAX_PATHS = 256;

    private Plots() {}

    /** The log-SNR panel of {@link #schedules} shows at most [-this, this]. */
    public static final double LOG_SNR_SHOWN = 15;

    /**
     * gamma(t), sigma(t) and log-SNR(t) = 2 log(gamma / sigma) of one or several schedules on t in [0, 1]
     * (t = 1 noisiest), three panels side by side, one colour per schedule. Infinite log-SNR at the ends
     * (sigma = 0 or gamma = 0) is left out; when a schedule's log-SNR passes {@link #LOG_SNR_SHOWN} in size (a
     * gamma of 1e-16 at t = 1 gives -74, which would squeeze every curve into a flat line), the panel shows
     * [-15, 15] and its title says so.
     */
    public static Figure schedules(NoiseSchedule... schedules) {
        return schedules(Arrays.asList(schedules));
    }

    /** @see #schedules(NoiseSchedule...) */
    public static Figure schedules(List<? extends NoiseSchedule> schedules) {
        Refusals.notNull(schedules, "schedules", "a list of NoiseSchedules");
        if (schedules.isEmpty()) throw Refusals.refuse("schedules", "[]", "at least one NoiseSchedule");
        double[] t = new double[CURVE_POINTS];
        for (int i = 0; i < t.length; i++) t[i] = i / (t.length - 1.0);
        Figure gamma = Figure.of().title("gamma(t)").xTitle("t").yTitle("gamma (signal scale)");
        Figure sigma = Figure.of().title("sigma(t)").xTitle("t").yTitle("sigma (noise scale)");
        Figure snr = Figure.of().title("log-SNR(t)").xTitle("t").yTitle("2 log(gamma / sigma)");
        boolean cut = false;
        for (int k = 0; k < schedules.size(); k++) {
            NoiseSchedule s = Refusals.notNull(schedules.get(k), "schedules.get(" + k + ")", "a NoiseSchedule");
            double[] g = new double[t.length], sg = new double[t.length], l = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                g[i] = s.gamma(t[i]);
                sg[i] = s.sigma(t[i]);
                l[i] = s.logSnr(t[i]);
            }
            String color = Colors.PALETTE[k % Colors.PALETTE.length];
            gamma = gamma.add(Trace.line(t, g).name(s.name()).color(color).group(s.name()));
            sigma = sigma.add(Trace.line(t, sg).name(s.name()).color(color).group(s.name()).hideLegend());
            snr = snr.add(Trace.line(t, l).name(s.name()).color(color).group(s.name()).hideLegend());
            for (double v : l) cut |= Double.isFinite(v) && Math.abs(v) > LOG_SNR_SHOWN;
        }
        if (cut) snr = snr.yRange(-LOG_SNR_SHOWN, LOG_SNR_SHOWN).title("log-SNR(t), axis cut at \u00b115");
        return Figure.grid(3, gamma, sigma, snr).size(960, 380);
    }

    /**
     * Particle paths of a 2-D solver run: {@code steps.get(s)[i]} is particle i at recorded step s. Draws each
     * path (at most {@link #MAX_PATHS}), the start points (noise) and the end points, with equal axis scales.
     */
    public static Figure trajectories(List<double[][]> steps) {
        Refusals.notNull(steps, "steps", "a list of recorded steps");
        if (steps.isEmpty()) throw new IllegalArgumentException("trajectories: steps = []; allowed: at least one recorded step");
        int n = steps.get(0).length;
        for (int s = 0; s < steps.size(); s++) {
            double[][] p = steps.get(s);
            if (p == null || p.length != n) {
                throw new IllegalArgumentException("trajectories: step " + s + " has " + (p == null ? "no" : p.length)
                        + " points but step 0 has " + n);
            }
            for (double[] q : p) {
                if (q == null || q.length != 2) throw new IllegalArgumentException("trajectories: a point of step " + s
                        + " = " + (q == null ? "null" : q.length + " coordinates") + "; allowed: a 2-D point");
            }
        }
        int shown = Math.min(n, MAX_PATHS), len = steps.size();
        double[] px = new double[shown * (len + 1)], py = new double[px.length];
        int j = 0;
        for (int i = 0; i < shown; i++) {
            for (double[][] step : steps) { px[j] = step[i][0]; py[j++] = step[i][1]; }
            px[j] = Double.NaN; py[j++] = Double.NaN;
        }
        double[][] first = steps.get(0), last = steps.get(len - 1);
        Figure f = Figure.of(Trace.line(px, py).name("paths").color("#7f7f7f").width(1).opacity(0.6),
                Trace.scatter(column(first, 0, shown), column(first, 1, shown)).name("start (noise)").markerSize(4).color(Colors.PALETTE[0]),
                Trace.scatter(column(last, 0, shown), column(last, 1, shown)).name("end").markerSize(4).color(Colors.PALETTE[1]));
        String title = String.format(Locale.ROOT, "%s particles, %d steps, straightness %.3f",
                n > shown ? shown + " of " + n : Integer.toString(n), len - 1, straightness(steps));
        return f.title(title).xTitle("x1").yTitle("x2").equalAspect();
    }

    /**
     * Mean straightness of particle paths: per particle |x_last - x_first| / sum_s |x_{s+1} - x_s| (1 for a
     * straight path walked in one direction, smaller when it bends), averaged over the particles that move.
     * {@code steps.get(s)[i]} is particle i at step s, any dimension.
     */
    public static double straightness(List<double[][]> steps) {
        Refusals.notNull(steps, "steps", "an array (not null)");
        if (steps.size() < 2) throw new IllegalArgumentException("straightness: need at least two steps, got " + steps.size());
        int n = steps.get(0).length;
        double sum = 0;
        int moving = 0;
        for (int i = 0; i < n; i++) {
            double length = 0;
            for (int s = 1; s < steps.size(); s++) length += distance(steps.get(s - 1)[i], steps.get(s)[i]);
            if (length > 0) {
                sum += distance(steps.get(0)[i], steps.get(steps.size() - 1)[i]) / length;
                moving++;
            }
        }
        return moving == 0 ? 1 : sum / moving;
    }

    private static double distance(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("points of different dimension: " + a.length + " and " + b.length);
        double d = 0;
        for (int k = 0; k < a.length; k++) d += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.sqrt(d);
    }

    /** Particle paths recorded by a {@link TrajectoryRecorder}. */
    public static Figure trajectories(TrajectoryRecorder recorder) {
        return trajectories(recorder.points());
    }

    /**
     * Data-noise matching in 2-D: two panels with a line from each data point to its noise partner, first the
     * independent pairing (data i with noise i), then the aligned one (data i with noise {@code assignment[i]},
     * a permutation, e.g. the minimum-cost assignment of |x0_i - eps_j|^2). Each panel's title gives the mean
     * squared pair distance, the cost that alignment lowers.
     */
    public static Figure matching(double[][] data, double[][] noise, int[] assignment) {
        check2d("data", data);
        check2d("noise", noise);
        if (data.length != noise.length) {
            throw new IllegalArgumentException("matching: noise = " + noise.length + " points; allowed: " + data.length
                    + ", the points of data");
        }
        Refusals.notNull(assignment, "assignment", "an array (not null)");
        if (assignment.length != data.length) {
            throw new IllegalArgumentException("matching: assignment.length = " + assignment.length + "; allowed: "
                    + data.length + ", one entry per point");
        }
        boolean[] seen = new boolean[data.length];
        for (int i = 0; i < assignment.length; i++) {
            int a = assignment[i];
            if (a < 0 || a >= data.length || seen[a]) {
                throw new IllegalArgumentException("matching: assignment[" + i + "] = " + a + "; allowed: a permutation of 0.."
                        + (data.length - 1));
            }
            seen[a] = true;
        }
        int[] identity = new int[data.length];
        Arrays.setAll(identity, i -> i);
        return Figure.grid(2, pairs(data, noise, identity, "independent pairs"), pairs(data, noise, assignment, "aligned"))
                .size(960, 480);
    }

    /**
     * Renoise moments: per method (e.g. corrected, printed, none) the error of the mean and of the variance of
     * the renoised latent against the target, as grouped bars.
     */
    public static Figure renoiseMoments(String[] methods, double[] meanError, double[] varianceError) {
        Refusals.notNull(methods, "methods", "an array (not null)");
        return Figure.of(Trace.bar(methods, meanError).name("mean error"), Trace.bar(methods, varianceError).name("variance error"))
                .title("stage jump: moment errors").yTitle("error");
    }

    /** {@link #renoiseMoments(String[], double[], double[])} for the methods corrected, printed, none. */
    public static Figure renoiseMoments(double[] meanError, double[] varianceError) {
        return renoiseMoments(new String[] {"corrected", "printed", "none"}, meanError, varianceError);
    }

    /**
     * The cost model: one bar per configuration (e.g. a pyramid), its average cost relative to full-rate
     * training or sampling (1 = vanilla), labelled on the x axis.
     */
    public static Figure costModel(String[] labels, double[] costFactors) {
        Figure f = Figure.of(Trace.bar(labels, costFactors).name("cost / full-rate cost"));
        return f.title("cost relative to full rate").xTitle("configuration").yTitle("cost factor").legend(false);
    }

    /**
     * Stage windows of a temporal pyramid on the t axis: stage k occupies [ends[k], starts[k]] (t = 1 noisiest),
     * drawn as a thick bar at height k with its frame count in the legend; stages in sampling order.
     */
    public static Figure stageWindows(double[] starts, double[] ends, int[] frames) {
        Refusals.notNull(starts, "starts", "an array (not null)");
        Refusals.notNull(ends, "ends", "an array (not null)");
        Refusals.notNull(frames, "frames", "an array (not null)");
        if (starts.length != ends.length || ends.length != frames.length || starts.length == 0) {
            throw new IllegalArgumentException("stageWindows: starts, ends and frames need the same length > 0, got "
                    + starts.length + ", " + ends.length + ", " + frames.length);
        }
        List<Trace> traces = new ArrayList<>();
        double[] heights = new double[starts.length];
        String[] labels = new String[starts.length];
        for (int k = 0; k < starts.length; k++) {
            String name = String.format(Locale.ROOT, "stage %d: %d frames, t in [%.2f, %.2f]", k, frames[k], ends[k], starts[k]);
            // solid: the bar's height and the axis name the stage, and a dashed window would read as gaps in it
            traces.add(Trace.line(new double[] {ends[k], starts[k]}, new double[] {k, k}).name(name).width(14).dash("solid"));
            heights[k] = k;
            labels[k] = String.valueOf(k);
        }
        return Figure.of(traces.toArray(new Trace[0])).title("pyramid stages on the time axis").xTitle("t (1 = noise)")
                .yTitle("stage (sampling order)").xRange(0, 1).yRange(-0.6, starts.length - 0.4).yTicks(heights, labels)
                .size(800, 300 + 30 * starts.length);
    }

    /**
     * The stage windows of {@code pyramid}: stage k drawn over its actual window [end, start] at height k with
     * its frame count, and the nominal boundaries t_1..t_{K-1} as dotted vertical lines (the windows deviate from
     * them by the window convention, so that rho_e = rho_s / sqrt(B) at each jump).
     */
    public static Figure stageWindows(TemporalPyramid pyramid) {
        Refusals.notNull(pyramid, "pyramid", "a TemporalPyramid");
        List<Stage> stages = pyramid.stages();
        int k = stages.size();
        double[] starts = new double[k], ends = new double[k];
        int[] frames = new int[k];
        for (int i = 0; i < k; i++) {
            starts[i] = stages.get(i).start();
            ends[i] = stages.get(i).end();
            frames[i] = stages.get(i).frames();
        }
        Figure f = stageWindows(starts, ends, frames);
        double[] b = pyramid.boundaries();   // nominal jump times
        if (b.length > 0) {
            double[] bx = new double[3 * b.length], by = new double[bx.length];
            for (int i = 0; i < b.length; i++) {
                int j = 3 * i;
                bx[j] = b[i]; bx[j + 1] = b[i]; bx[j + 2] = Double.NaN;
                by[j] = -0.5; by[j + 1] = k - 0.5; by[j + 2] = Double.NaN;
            }
            f = f.add(Trace.line(bx, by).name("nominal boundaries").color("black").width(1).dash("dot"));
        }
        return f.title(String.format(Locale.ROOT, "%s: %d %s, %d frames, convention %s", pyramid.schedule().name(), k,
                k == 1 ? "stage" : "stages", pyramid.frames(), pyramid.convention()));
    }

    /**
     * The cost model: bars of {@link TemporalPyramid#costFactor(double)} (average cost per step relative to full
     * rate, cost ~ frames^exponent, equal steps per stage) for each pyramid, next to vanilla = 1.
     */
    public static Figure costModel(double exponent, TemporalPyramid... pyramids) {
        if (pyramids.length == 0) throw new IllegalArgumentException("costModel: need at least one pyramid");
        String[] labels = new String[pyramids.length + 1];
        double[] factors = new double[pyramids.length + 1];
        labels[0] = "vanilla";
        factors[0] = 1;
        for (int i = 0; i < pyramids.length; i++) {
            TemporalPyramid p = Refusals.notNull(pyramids[i], "pyramids[" + i + "]", "a TemporalPyramid");
            StringBuilder frames = new StringBuilder();
            for (Stage s : p.stages()) frames.append(frames.length() == 0 ? "" : "-").append(s.frames());
            labels[i + 1] = "K=" + p.size() + " (" + frames + ")";
            factors[i + 1] = p.costFactor(exponent);
        }
        return costModel(labels, factors).title(String.format(Locale.ROOT, "cost relative to full rate, cost ~ frames^%s",
                exponent == Math.rint(exponent) ? Long.toString((long) exponent) : Double.toString(exponent)))
                .xTitle("pyramid (frames per stage)");
    }

    /**
     * The renoise coefficients of every jump of {@code pyramid}, x_s = scale Up(x_e) + noiseWeight n', for the
     * rules corrected, paper-printed and none: two panels of grouped bars (scale, noise weight) per jump.
     */
    public static Figure jumps(TemporalPyramid pyramid) {
        Refusals.notNull(pyramid, "pyramid", "a TemporalPyramid");
        int n = pyramid.size() - 1;
        if (n < 1) {
            throw Refusals.refuse("pyramid", "a pyramid of 1 stage (no jump)", "a TemporalPyramid of at least 2 stages");
        }
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = "jump " + i + " (" + pyramid.stage(i).frames() + "->" + pyramid.stage(i + 1).frames() + ")";
        }
        Figure scale = Figure.of().title("scale").yTitle("coefficient");
        Figure noise = Figure.of().title("noise weight").yTitle("coefficient");
        JumpRule[] rules = JumpRule.values();
        for (int r = 0; r < rules.length; r++) {
            double[] a = new double[n], w = new double[n];
            for (int i = 0; i < n; i++) {
                StageJump j = pyramid.jump(i, rules[r]);
                a[i] = j.scale();
                w[i] = j.noiseWeight();
            }
            String name = rules[r].name().toLowerCase(Locale.ROOT).replace('_', '-');
            String color = Colors.PALETTE[r % Colors.PALETTE.length];
            scale = scale.add(Trace.bar(labels, a).name(name).color(color).group(name));
            noise = noise.add(Trace.bar(labels, w).name(name).color(color).group(name).hideLegend());
        }
        return Figure.grid(2, scale, noise).size(900, 400);
    }

    private static Figure pairs(double[][] data, double[][] noise, int[] partner, String title) {
        int n = data.length;
        double[] lx = new double[3 * n], ly = new double[3 * n];
        double cost = 0;
        for (int i = 0; i < n; i++) {
            double[] e = noise[partner[i]];
            lx[3 * i] = e[0]; ly[3 * i] = e[1];
            lx[3 * i + 1] = data[i][0]; ly[3 * i + 1] = data[i][1];
            lx[3 * i + 2] = Double.NaN; ly[3 * i + 2] = Double.NaN;
            cost += (e[0] - data[i][0]) * (e[0] - data[i][0]) + (e[1] - data[i][1]) * (e[1] - data[i][1]);
        }
        boolean first = title.startsWith("independent");
        Trace lines = Trace.line(lx, ly).name("pairs").color("#7f7f7f").width(1).opacity(0.7).group("pairs");
        Trace dataPts = Trace.scatter(column(data, 0, n), column(data, 1, n)).name("data").color(Colors.PALETTE[1]).markerSize(5).group("data");
        Trace noisePts = Trace.scatter(column(noise, 0, n), column(noise, 1, n)).name("noise").color(Colors.PALETTE[0]).markerSize(5).group("noise");
        if (!first) { lines = lines.hideLegend(); dataPts = dataPts.hideLegend(); noisePts = noisePts.hideLegend(); }
        String t = String.format(Locale.ROOT, "%s: mean |x0 - eps|^2 = %.3f", title, cost / n);
        return Figure.of(lines, noisePts, dataPts).title(t).xTitle("x1").yTitle("x2").equalAspect();
    }

    private static void check2d(String what, double[][] p) {
        Refusals.notNull(p, what, "[N][2] points");
        if (p.length == 0) throw new IllegalArgumentException(what + " = []; allowed: [N][2] points, N >= 1");
        for (int i = 0; i < p.length; i++) {
            if (p[i] == null || p[i].length != 2) {
                throw new IllegalArgumentException(what + "[" + i + "] = "
                        + (p[i] == null ? "null" : p[i].length + " coordinates") + "; allowed: [N][2] points");
            }
        }
    }

    private static double[] column(double[][] p, int c, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = p[i][c];
        return r;
    }
}
