package tpdiff4j.pyramid;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * A temporal pyramid (TPDiff v1 Sec. 3.2; spec 2): the diffusion time axis {@code [0, 1]} cut at nominal
 * boundaries {@code 0 = t_0 < t_1 < ... < t_K = 1} into {@code K} stages; the stage over {@code [t_{k-1}, t_k]}
 * runs at {@code 1 / r_k} of the full frame rate, {@code r_1 = 1} and {@code r_{k+1} = B_k r_k} with a frame-rate
 * factor {@code B_k} per jump (2 in the paper; 4 works too).
 *
 * <p>{@link #stages()} lists the stages in <b>sampling order</b>: stage 0 is the noisiest with the lowest rate,
 * the last one runs at full rate {@code F} and ends at {@code t = 0}. The actual windows {@code [end, start]} differ
 * from the nominal ones at every jump because the renoise needs {@code rho_e = rho_s / sqrt(B)} ({@link
 * WindowConvention}); {@code start} of stage 0 is 1 and {@code end} of the last stage is 0 in both conventions.
 *
 * <pre>
 *   TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16); // 4 -> 8 -> 16 frames
 *   p.stages().get(0).frames();   // 4
 *   p.jump(0).scale();            // gamma_s / gamma_e at the 2/3 boundary
 *   p.costFactor(2.0);            // 21/48
 * </pre>
 * Immutable; JSON round trip with {@link #toJson()} / {@link #fromJson(String)}.
 */
public final class TemporalPyramid {

    private final NoiseSchedule schedule;
    private final int fullFrames;
    private final double[] boundaries;
    private final int[] factors;
    private final WindowConvention convention;
    private final List<Stage> stages;

    private TemporalPyramid(NoiseSchedule schedule, int fullFrames, double[] boundaries, int[] factors,
            WindowConvention convention) {
        this.schedule = schedule;
        this.fullFrames = fullFrames;
        this.boundaries = boundaries;
        this.factors = factors;
        this.convention = convention;
        this.stages = Collections.unmodifiableList(buildStages());
    }

    /**
     * {@code K} stages of equal nominal length ({@code t_j = j / K}), rate factor 2 per jump, convention A.
     *
     * @param schedule the noise schedule
     * @param stages {@code K >= 1}
     * @param frames full-rate frame count, divisible by {@code 2^(K-1)}
     */
    public static TemporalPyramid uniform(NoiseSchedule schedule, int stages, int frames) {
        return builder(schedule, frames).stages(stages).build();
    }

    /** A builder; see {@link Builder}. */
    public static Builder builder(NoiseSchedule schedule, int frames) {
        return new Builder(schedule, frames);
    }

    private List<Stage> buildStages() {
        int k = factors.length + 1;
        int[] rate = new int[k];
        rate[k - 1] = 1;
        for (int i = k - 2; i >= 0; i--) {
            long r = (long) rate[i + 1] * factors[i];
            if (r > fullFrames) {
                throw new IllegalArgumentException(tooManyStages(k));
            }
            rate[i] = (int) r;
        }
        if (fullFrames % rate[0] != 0) {
            throw new IllegalArgumentException("frames = " + fullFrames + " is not divisible by the total rate factor "
                    + rate[0] + " (product of the jump factors " + Arrays.toString(factors) + ")");
        }
        List<Stage> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            double nominalStart = boundaries[k - i];
            double nominalEnd = boundaries[k - 1 - i];
            double start = nominalStart;
            double end = nominalEnd;
            if (convention == WindowConvention.A && i < k - 1) {
                end = shiftLogSnr(nominalEnd, Math.log(factors[i]), i);   // cleaner: rho_e = rho_b / sqrt(B)
            } else if (convention == WindowConvention.B && i > 0) {
                start = shiftLogSnr(nominalStart, -Math.log(factors[i - 1]), i); // noisier: rho_s = sqrt(B) rho_b
            }
            if (!(start > end)) {
                throw new IllegalArgumentException("stage " + i + " gets the empty window [" + end + ", " + start
                        + "] under convention " + convention + "; widen the nominal window [" + nominalEnd + ", "
                        + nominalStart + "] or use the other convention");
            }
            out.add(new Stage(i, start, end, fullFrames / rate[i], rate[i]));
        }
        return out;
    }

    /** Why K stages do not fit: the coarsest stage would need less than one frame. */
    private String tooManyStages(int k) {
        int f = factors[0];
        boolean uniform = Arrays.stream(factors).allMatch(x -> x == f);
        int allowed = 1;
        for (long r = f; uniform && fullFrames % r == 0; r *= f) {
            allowed++;
        }
        return "stages K = " + k + " do not fit frames = " + fullFrames + ": the product of the rate factors of the "
                + (k - 1) + " jumps exceeds the frame count, so the first stage would have less than one frame"
                + (uniform ? "; with factor " + f + " per jump, frames = " + fullFrames + " allows K <= " + allowed
                        : "; frames must be divisible by the product of the rate factors");
    }

    /** The time whose log-SNR is {@code logSnr(t) + delta} ({@code delta = +ln B}: rho divided by sqrt B). */
    private double shiftLogSnr(double t, double delta, int stage) {
        double target = schedule.logSnr(t) + delta;
        double u;
        try {
            u = schedule.timeAtLogSnr(target);
        } catch (IllegalArgumentException e) {
            u = Double.NaN;
        }
        if (Double.isNaN(u) || u < 0 || u > 1) {
            throw new IllegalArgumentException("stage " + stage + ": no time in [0, 1] has log-SNR " + target
                    + " (boundary t = " + t + " shifted by " + delta + ") under schedule " + schedule.name());
        }
        return u;
    }

    /** The noise schedule. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Full-rate frame count {@code F}. */
    public int frames() {
        return fullFrames;
    }

    /** Number of stages {@code K}. */
    public int size() {
        return stages.size();
    }

    /** The stages in sampling order. */
    public List<Stage> stages() {
        return stages;
    }

    /** Stage {@code i} in sampling order. */
    public Stage stage(int i) {
        checkIndex(i, stages.size(), "stage index");
        return stages.get(i);
    }

    /** The stage whose frame count is {@code frames}; each stage has a distinct one. */
    public Stage stageWithFrames(long frames) {
        for (Stage s : stages) {
            if (s.frames() == frames) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage has " + frames + " frames; the stages have "
                + stages.stream().map(s -> String.valueOf(s.frames())).toList());
    }

    /** Nominal boundaries {@code t_0 = 0 < ... < t_K = 1} (a copy). */
    public double[] boundaries() {
        return boundaries.clone();
    }

    /** Frame-rate factor of each jump in sampling order (a copy; length {@code K - 1}). */
    public int[] rateFactors() {
        return factors.clone();
    }

    /** The window convention. */
    public WindowConvention convention() {
        return convention;
    }

    /** Jump {@code i}, from stage {@code i} to stage {@code i + 1}, with the {@link JumpRule#CORRECTED} rule. */
    public StageJump jump(int i) {
        return jump(i, JumpRule.CORRECTED);
    }

    /** Jump {@code i} with the given rule. */
    public StageJump jump(int i, JumpRule rule) {
        checkIndex(i, factors.length, "jump index");
        return new StageJump(schedule, stages.get(i), stages.get(i + 1), factors[i], rule);
    }

    /**
     * Average per-step cost relative to full rate, with equal steps per stage (the paper's "1-1-1"):
     * {@code (1/K) sum_k (F_k / F)^p}. {@code p = 2} (attention) gives 21/48 for uniform {@code K = 3}, {@code p = 1}
     * (linear layers) 7/12 (spec 2.3). Training with uniformly drawn stages has the same factor.
     */
    public double costFactor(double exponent) {
        int[] ones = new int[stages.size()];
        Arrays.fill(ones, 1);
        return costFactor(exponent, ones);
    }

    /**
     * Average per-step cost relative to full rate for a step allocation: {@code sum_k n_k (F_k/F)^p / sum_k n_k}.
     * E.g. steps 10/10/10 or 20/5/5 in sampling order.
     *
     * @param exponent cost ~ frames^exponent
     * @param stepsPerStage {@code n_k >= 0} in sampling order, not all zero
     */
    public double costFactor(double exponent, int... stepsPerStage) {
        if (stepsPerStage.length != stages.size()) {
            throw new IllegalArgumentException("stepsPerStage has " + stepsPerStage.length + " entries; the pyramid has "
                    + stages.size() + " stages");
        }
        double num = 0;
        long den = 0;
        for (int i = 0; i < stages.size(); i++) {
            if (stepsPerStage[i] < 0) {
                throw new IllegalArgumentException("stepsPerStage[" + i + "] = " + stepsPerStage[i] + "; must be >= 0");
            }
            num += stepsPerStage[i] * Math.pow((double) stages.get(i).frames() / fullFrames, exponent);
            den += stepsPerStage[i];
        }
        if (den == 0) {
            throw new IllegalArgumentException("stepsPerStage are all zero; give at least one step");
        }
        return num / den;
    }

    /** JSON: {@code {"type": "TemporalPyramid", "version": 1, "schedule": {...}, "frames", "boundaries", ...}}. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("type", "TemporalPyramid");
        o.addProperty("version", 1);
        o.add("schedule", JsonParser.parseString(schedule.toJson()));
        o.addProperty("frames", fullFrames);
        JsonArray b = new JsonArray();
        for (double t : boundaries) {
            b.add(t);
        }
        o.add("boundaries", b);
        JsonArray f = new JsonArray();
        for (int x : factors) {
            f.add(x);
        }
        o.add("rateFactors", f);
        o.addProperty("convention", convention.name());
        return o.toString();
    }

    /** Rebuilds a pyramid from {@link #toJson()}; the schedule through {@code Schedules.fromJson}. */
    public static TemporalPyramid fromJson(String json) {
        PyramidJson p = PyramidJson.parse(json);
        return builder(p.schedule(), p.frames()).boundaries(p.boundaries()).rateFactors(p.rateFactors())
                .convention(p.convention()).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TemporalPyramid p && p.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TemporalPyramid(" + schedule.name() + ", F = " + fullFrames + ", "
                + convention + ")");
        for (Stage s : stages) {
            sb.append(String.format("%n  stage %d: t in [%.6f, %.6f], %d frames (1/%d rate)", s.index(), s.end(),
                    s.start(), s.frames(), s.rateFactor()));
        }
        return sb.toString();
    }

    private static void checkIndex(int i, int n, String what) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException(what + " = " + i + "; allowed: 0 .. " + (n - 1));
        }
    }

    /**
     * Builder: {@code setX} grammar of DJL. Defaults: uniform boundaries for the given number of stages (3),
     * factor 2 per jump, convention A.
     */
    public static final class Builder {
        private final NoiseSchedule schedule;
        private final int frames;
        private int k = 3;
        private double[] boundaries;
        private int[] factors;
        private WindowConvention convention = WindowConvention.A;

        private Builder(NoiseSchedule schedule, int frames) {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule must not be null");
            }
            if (frames < 1) {
                throw new IllegalArgumentException("frames = " + frames + "; must be >= 1");
            }
            this.schedule = schedule;
            this.frames = frames;
        }

        /** Number of stages {@code K >= 1}, uniform nominal boundaries unless {@link #boundaries} is set. */
        public Builder stages(int stages) {
            if (stages < 1) {
                throw new IllegalArgumentException("stages K = " + stages + "; allowed: K >= 1");
            }
            this.k = stages;
            return this;
        }

        /**
         * Nominal boundaries, increasing: either all {@code K + 1} of them ({@code 0, t_1, ..., 1}) or only the
         * {@code K - 1} interior ones. Sets {@code K}.
         */
        public Builder boundaries(double... t) {
            double[] b = t.length > 0 && t[0] == 0.0 && t[t.length - 1] == 1.0 && t.length >= 2 ? t.clone() : null;
            if (b == null) {
                b = new double[t.length + 2];
                System.arraycopy(t, 0, b, 1, t.length);
                b[t.length + 1] = 1.0;
            }
            for (int i = 1; i < b.length; i++) {
                if (!(b[i] > b[i - 1])) {
                    throw new IllegalArgumentException("boundaries " + Arrays.toString(b)
                            + " must increase strictly from 0 to 1");
                }
            }
            this.boundaries = b;
            this.k = b.length - 1;
            return this;
        }

        /** Frame-rate factor of each jump in sampling order ({@code K - 1} values, each >= 2), or one for all. */
        public Builder rateFactors(int... b) {
            for (int x : b) {
                if (x < 2) {
                    throw new IllegalArgumentException("rate factor " + x + " in " + Arrays.toString(b)
                            + "; each must be >= 2");
                }
            }
            this.factors = b.clone();
            return this;
        }

        /** The window convention (default A). */
        public Builder convention(WindowConvention c) {
            if (c == null) {
                throw new IllegalArgumentException("convention must not be null; pass A or B");
            }
            this.convention = c;
            return this;
        }

        /** Validates and builds. */
        public TemporalPyramid build() {
            double[] b = boundaries;
            if (b == null) {
                b = new double[k + 1];
                for (int j = 0; j <= k; j++) {
                    b[j] = (double) j / k;
                }
            }
            int[] f = factors;
            if (f == null) {
                f = new int[k - 1];
                Arrays.fill(f, 2);
            } else if (f.length == 1 && k - 1 != 1) {
                int x = f[0];
                f = new int[k - 1];
                Arrays.fill(f, x);
            }
            if (f.length != k - 1) {
                throw new IllegalArgumentException("rateFactors has " + f.length + " entries; " + k
                        + " stages need " + (k - 1));
            }
            return new TemporalPyramid(schedule, frames, b, f, convention);
        }
    }
}
