package tpdiff4j.pyramid;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * A temporal pyramid (TPDiff v1 Sec. 3.2; docs/derivation.md section 4): the diffusion time axis {@code [0, 1]} cut
 * at nominal boundaries {@code 0 = t_0 < t_1 < ... < t_K = 1} into {@code K} stages; the stage over
 * {@code [t_{k-1}, t_k]} runs at {@code 1 / r_k} of the full frame rate, {@code r_1 = 1} and
 * {@code r_{k+1} = B_k r_k} with a frame-rate factor {@code B_k} per jump (2 in the paper; 4 works too).
 *
 * <p>{@link #stages()} lists the stages in <b>sampling order</b>: stage 0 is the noisiest with the lowest rate,
 * the last one runs at full rate {@code F} and ends at {@code t = 0}. The actual windows {@code [end, start]} differ
 * from the nominal ones at every jump because the renoise needs {@code rho_e = rho_s / sqrt(B)} ({@link
 * WindowConvention}); {@code start} of stage 0 is 1 and {@code end} of the last stage is 0 in both conventions.
 *
 * <p><b>One order for everything per stage or per jump: sampling order.</b> Stage {@code i} is the {@code i}-th to
 * run (noisiest first), jump {@code i} goes from stage {@code i} to stage {@code i + 1}, and every list the API
 * takes or returns follows that order: {@link #boundaries()} (jump {@code i} sits at nominal time
 * {@code boundaries()[i]}, so the list decreases), {@link #rateFactors()} (jump {@code i} multiplies the frame rate
 * by {@code rateFactors()[i]}), steps per stage in {@link #costFactor(double, int...)} and in the samplers.
 *
 * <pre>
 *   TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16); // 4 -> 8 -> 16 frames
 *   p.stages().get(0).frames();   // 4
 *   p.jump(0).scale();            // gamma_s / gamma_e at the 2/3 boundary
 *   p.costFactor(2.0);            // 21/48
 *
 *   // nominal windows [0.5, 1] at 2 frames, [0.25, 0.5] at 8 frames, [0, 0.25] at 16 frames:
 *   TemporalPyramid q = TemporalPyramid.builder(Schedules.flowMatching(), 16)
 *           .withBoundaries(0.5, 0.25)    // jump 0 at t = 0.5, jump 1 at t = 0.25
 *           .withRateFactors(4, 2)        // jump 0: 2 -> 8 frames, jump 1: 8 -> 16 frames
 *           .withConvention(WindowConvention.B).build();
 * </pre>
 * Immutable; {@link #withSchedule(NoiseSchedule)} gives the same design on another schedule; JSON round trip with
 * {@link #toJson()} / {@link #fromJson(String)}.
 */
public final class TemporalPyramid {

    /**
     * The largest {@linkplain #targetGain(int) target gain} a stage may have: {@code 2^12 = 4096}, one over the square
     * root of float32's unit roundoff {@code 2^-24}. A pyramid with a stage above it is refused when it is built.
     *
     * <p>Why this limit. Every stage after the first trains on the stage noise
     * {@code eps_k = eps + (A - D) / (rho_s - rho_e)} and the virtual clean point
     * {@code x~_k = D + rho_e (D - A) / (rho_s - rho_e)} ({@link StageEndpoints}), where {@code A - D} is the
     * difference between the repeated coarse frames and the true ones: not zero on the frames the jump fills in, zero
     * on the others. On the filled-in frames the target is therefore the data difference times the gain, on the others
     * it is the plain noise, of size 1, and the loss of one batch adds the squares of both in one float32 sum. Float32
     * keeps 24 significant bits, so a sum drops every term below {@code 2^-24} of its largest one: once the squared
     * gain passes {@code 2^24}, that is once the gain passes {@code 2^12}, the loss and its gradient of a model that
     * has not yet matched the amplified part (data differences of order 1) no longer see the noise on the
     * unamplified frames at all, and the stage cannot be trained in float32. (Its loss is then also
     * up to some {@code 10^7} times that of a vanilla stage, which swamps the other stages in a shared optimiser.) The
     * pyramids in use stay far below the limit: every uniform pyramid of up to 6 stages has a gain of at most 5 on flow
     * matching, about 2 on the DDPM schedules, about 4 on the cosine ones and 50 on flow matching with the shift 0.1.
     */
    public static final double MAX_TARGET_GAIN = 1 / Math.sqrt(Math.ulp(1.0f) / 2);

    private final NoiseSchedule schedule;
    private final int fullFrames;
    /** Nominal jump times in sampling order, strictly decreasing inside (0, 1); length K - 1. */
    private final double[] boundaries;
    private final int[] factors;
    private final WindowConvention convention;
    private final List<Stage> stages;

    private TemporalPyramid(NoiseSchedule schedule, int fullFrames, double[] boundaries, int[] factors,
            WindowConvention convention) {
        this.schedule = tpdiff4j.schedule.Schedules.requireValid(schedule);   // a class of one's own: checked here
        this.fullFrames = fullFrames;
        this.boundaries = boundaries.clone();
        this.factors = factors.clone();
        this.convention = convention;
        this.stages = Collections.unmodifiableList(buildStages());
    }

    /**
     * {@code K} stages of equal nominal length ({@code t_j = j / K}), rate factor 2 per jump, convention A.
     *
     * @param schedule the noise schedule
     * @param stages {@code K >= 1}
     * @param frames full-rate frame count, divisible by {@code 2^(K-1)} and, for {@code K >= 2}, at least {@code 2^K}:
     *     the noisiest stage has {@code frames / 2^(K-1) >= 2} frames
     * @throws IllegalArgumentException for frames the stages cannot share, or a schedule on which a window cannot be
     *     placed. The {@linkplain #targetGain target gain} of uniform stages stays far below {@link #MAX_TARGET_GAIN}
     *     on the library's schedules (at most {@code K - 1} on flow matching); only a schedule that is nearly clean
     *     over the whole last stage reaches it, e.g. flow matching with a shift below {@code (K - 1) / 4096}, where
     *     {@code rho(t) = shift t / (1 - t)}
     */
    public static TemporalPyramid uniform(NoiseSchedule schedule, int stages, int frames) {
        return builder(schedule, frames).withStages(stages).build();
    }

    /**
     * The most stages {@code K} that {@link #uniform} can give {@code frames} frames: with rate factor 2 at every jump
     * the noisiest stage has {@code frames / 2^(K-1)} frames, which must be a whole number of at least 2. For example
     * 16 frames hold {@code K <= 4} (2, 4, 8, 16 frames), 12 and 8 frames {@code K <= 3}, 6 frames {@code K <= 2}, and
     * an odd count only {@code K = 1}; every {@code K} from 1 up to this one fits. A cell that compares pyramids of
     * several {@code K} on one clip length asks this first.
     *
     * @param frames the full-rate frame count, {@code >= 1}
     * @return the largest {@code K} with {@code frames} divisible by {@code 2^(K-1)} and {@code frames >= 2^K}, or 1
     */
    public static int maxStages(int frames) {
        if (frames < 1) {
            throw Refusals.refuse("frames", frames, "a frame count >= 1");
        }
        return maxStages(frames, 2);
    }

    /** The most stages {@code frames} frames hold with the single rate factor {@code b} at every jump. */
    private static int maxStages(int frames, int b) {
        int k = 1;
        long p = b;   // the product of the rate factors for K = k + 1
        while (frames % p == 0 && frames / p >= 2) {
            k++;
            p *= b;
        }
        return k;
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
        List<Stage> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            double nominalStart = i == 0 ? 1.0 : boundaries[i - 1];
            double nominalEnd = i == k - 1 ? 0.0 : boundaries[i];
            double start = nominalStart;
            double end = nominalEnd;
            if (convention == WindowConvention.A && i < k - 1) {
                end = shiftLogSnr(nominalEnd, Math.log(factors[i]), i, i);   // cleaner: rho_e = rho_b / sqrt(B)
            } else if (convention == WindowConvention.B && i > 0) {
                start = shiftLogSnr(nominalStart, -Math.log(factors[i - 1]), i, i - 1); // noisier: rho_s = sqrt(B) rho_b
            }
            if (!(start > end)) {
                throw new IllegalArgumentException("stage " + i + " gets the empty window [" + end + ", " + start
                        + "] under convention " + convention + "; widen the nominal window [" + nominalEnd + ", "
                        + nominalStart + "] or use the other convention");
            }
            if (i > 0 && targetGain(schedule, start, end) > MAX_TARGET_GAIN) {
                throw new IllegalArgumentException(tooLargeGain(i, start, end));
            }
            out.add(new Stage(i, start, end, fullFrames / rate[i], rate[i]));
        }
        return out;
    }

    /**
     * Why stage {@code i >= 1} is refused: its target gain exceeds {@link #MAX_TARGET_GAIN}. The boundary named is
     * {@code boundaries[i - 1]}, which places the stage's start; with the stage's end where it is, the smallest value
     * that brings the gain within the limit is computed from the schedule, checked, and printed rounded up.
     */
    private String tooLargeGain(int i, double start, double end) {
        int jump = i - 1;
        double t = boundaries[jump];
        double rhoS = schedule.rho(start);
        double rhoE = schedule.rho(end);
        double gain = targetGain(schedule, start, end);
        double smallest = smallestBoundary(jump, end);
        String endText = i == factors.length ? "t = 0, where the last stage ends"
                : "t = " + String.format(Locale.ROOT, "%.6g", end) + ", which boundaries[" + i + "] = " + boundaries[i]
                        + " fixes";
        String allowed = Double.isNaN(smallest)
                ? "no value of boundaries[" + jump + "] below the one before it works on this schedule with stage " + i
                        + " ending at " + endText + "; move that end or use fewer stages"
                : "boundaries[" + jump + "] >= " + atLeast(smallest) + " on schedule "
                        + schedule.name() + " under convention " + convention + ", with stage " + i + " ending at "
                        + endText + "; or fewer stages";
        return "boundaries[" + jump + "] = " + t + ": stage " + i + " would have the window [" + end + ", " + start
                + "] (convention " + convention + "), where rho = sigma / gamma only goes from "
                + String.format(Locale.ROOT, "%.6g", rhoS) + " down to " + String.format(Locale.ROOT, "%.6g", rhoE)
                + ", so its training targets carry the difference between the repeated and the true frames"
                + " multiplied by the target gain max(1, rho_e) / (rho_s - rho_e) = "
                + String.format(Locale.ROOT, "%.4g", gain) + " (about 1 / rho(start) for a last stage)."
                + " That is beyond " + (long) MAX_TARGET_GAIN + ", the largest gain float32 training can use: past it"
                + " the squared targets span more than float32's 24 significant bits and the loss no longer sees the"
                + " unamplified frames. Allowed: " + allowed;
    }

    /** {@code x} in 6 significant digits when they do not fall below it (as for smallestBoundary), else in full. */
    private static String atLeast(double x) {
        String six = String.format(Locale.ROOT, "%.6g", x);
        return Double.parseDouble(six) >= x ? six : Double.toString(x);
    }

    /**
     * The smallest nominal time of jump {@code jump} whose stage {@code jump + 1}, ending at {@code end}, has a target
     * gain within {@link #MAX_TARGET_GAIN}, rounded up to 6 significant digits; NaN if no time below the previous
     * boundary (or 1) works. The gain only falls as the stage's start moves toward noise, so the value solves
     * {@code rho_s = rho_e + max(1, rho_e) / MAX_TARGET_GAIN} for the start and maps it back through the convention.
     */
    private double smallestBoundary(int jump, double end) {
        double upper = jump == 0 ? 1.0 : boundaries[jump - 1];
        double rhoE = schedule.rho(end);
        double rhoStart = rhoE + Math.max(1.0, rhoE) / MAX_TARGET_GAIN;
        // convention B starts the stage sqrt(B) times noisier than its boundary
        double rhoBoundary = convention == WindowConvention.A ? rhoStart : rhoStart / Math.sqrt(factors[jump]);
        double u = timeAtLogSnrOrNaN(-2 * Math.log(rhoBoundary));
        if (Double.isNaN(u)) {
            return Double.NaN;
        }
        for (double step = Math.ulp(u); !gainWithinLimit(jump, u, end); step *= 2) {   // rounding in timeAtLogSnr
            u += step;
            if (!(u < upper)) {
                return Double.NaN;
            }
        }
        double rounded = new java.math.BigDecimal(u).round(new java.math.MathContext(6, java.math.RoundingMode.UP))
                .doubleValue();
        return rounded < upper && gainWithinLimit(jump, rounded, end) ? rounded
                : u < upper ? u : Double.NaN;
    }

    /** Whether stage {@code jump + 1}, its start placed from the nominal time {@code t}, has a gain in the limit. */
    private boolean gainWithinLimit(int jump, double t, double end) {
        double start = t;
        if (convention == WindowConvention.B) {
            double u = timeAtLogSnrOrNaN(schedule.logSnr(t) - Math.log(factors[jump]));
            if (Double.isNaN(u) || u > 1) {
                return false;
            }
            start = u;
        }
        return start > end && targetGain(schedule, start, end) <= MAX_TARGET_GAIN;
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

    /**
     * The time whose log-SNR is {@code logSnr(t) + delta} ({@code delta = +ln B}: rho divided by sqrt B), for stage
     * {@code stage} around the nominal boundary {@code t = boundaries[jump]}. A schedule whose log-SNR is finite at
     * {@code t = 0} or {@code t = 1} (a discrete DDPM schedule) cannot shift a boundary too close to that end; the
     * message then says how far the boundary may go and that the other convention shifts the other way.
     */
    private double shiftLogSnr(double t, double delta, int stage, int jump) {
        double target = schedule.logSnr(t) + delta;
        double u = timeAtLogSnrOrNaN(target);
        if (Double.isNaN(u) || u < 0 || u > 1) {
            boolean cleaner = delta > 0;
            double bound = timeAtLogSnrOrNaN(schedule.logSnr(cleaner ? 0.0 : 1.0) - delta);
            String ratio = String.format(Locale.ROOT, "%.6g", Math.exp(Math.abs(delta) / 2));
            String limit = Double.isNaN(bound) || bound < 0 || bound > 1
                    ? "no boundary works for this jump on this schedule"
                    : "a boundary " + (cleaner ? ">= " : "<= ") + String.format(Locale.ROOT, "%.6g", bound) + " for this jump";
            throw new IllegalArgumentException("boundaries[" + jump + "] = " + t + ": under convention "
                    + convention + " stage " + stage + " would " + (cleaner
                            ? "end where rho = rho(" + t + ") / " + ratio + ", cleaner than t = 0"
                            : "start where rho = " + ratio + " rho(" + t + "), noisier than t = 1")
                    + " of schedule " + schedule.name() + " (log-SNR " + String.format(Locale.ROOT, "%.6g", target)
                    + " is beyond its range [" + String.format(Locale.ROOT, "%.6g", schedule.logSnr(1.0)) + ", "
                    + String.format(Locale.ROOT, "%.6g", schedule.logSnr(0.0)) + "]). Allowed: " + limit + ", or convention "
                    + (convention == WindowConvention.A ? "B" : "A") + ", which shifts the "
                    + (cleaner ? "next stage's start toward noise instead" : "previous stage's end toward data instead"));
        }
        return u;
    }

    private double timeAtLogSnrOrNaN(double logSnr) {
        try {
            return schedule.timeAtLogSnr(logSnr);
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /**
     * The target gain of stage {@code i}: the largest factor by which the difference {@code A - D} between the
     * repeated coarse frames and the true frames enters the stage's training targets,
     * {@code max(1, rho_e) / (rho_s - rho_e)} with {@code rho = sigma / gamma} at the window's start {@code s} and end
     * {@code e} ({@code 1 / (rho_s - rho_e)} in the stage noise {@code eps_k}, {@code rho_e / (rho_s - rho_e)} in the
     * virtual clean point; see {@link StageEndpoints}). Stage 0 starts from its own data ({@code A = D}) and has the
     * gain 0. It grows as the window closes in on itself in {@code rho}: a last stage that starts at {@code s} near
     * {@code t = 0} has about {@code 1 / rho(s)}, 2 for the uniform 3-stage pyramid on flow matching (start 1/3)
     * and {@code 10^12} for a last boundary at {@code 10^-12}. Every stage of a pyramid has a gain of at most
     * {@link #MAX_TARGET_GAIN}; the builder refuses the others.
     *
     * @param i stage index in sampling order
     * @return the gain, {@code >= 0}
     */
    public double targetGain(int i) {
        checkIndex(i, stages.size(), "stage index");
        Stage s = stages.get(i);
        return i == 0 ? 0.0 : targetGain(schedule, s.start(), s.end());
    }

    /** {@code max(1, rho_e) / (rho_s - rho_e)}; 0 where {@code rho_s} is infinite ({@code gamma_s = 0}). */
    private static double targetGain(NoiseSchedule schedule, double start, double end) {
        double rhoS = schedule.rho(start);
        double rhoE = schedule.rho(end);
        return Double.isInfinite(rhoS) ? 0.0 : Math.max(1.0, rhoE) / (rhoS - rhoE);
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
        throw new IllegalArgumentException("frames = " + frames + " matches no stage; allowed: "
                + stages.stream().map(s -> String.valueOf(s.frames())).toList() + " (the stages' frame counts)");
    }

    /**
     * Nominal time of each jump in sampling order (a copy; length {@code K - 1}, decreasing): stage {@code i} has
     * the nominal window {@code [boundaries()[i], boundaries()[i - 1]]}, read as 1 before the first entry and 0
     * after the last. The same list {@link Builder#withBoundaries} takes.
     */
    public double[] boundaries() {
        return boundaries.clone();
    }

    /**
     * The same design (frames, boundaries, rate factors, convention) on another schedule. The nominal boundaries
     * stay; the actual windows follow the new schedule, since the window convention matches log-SNR values.
     *
     * @param other the new schedule
     * @return a new pyramid
     * @throws IllegalArgumentException if {@code other} is null, has no time for a shifted window end, or gives a
     *                                  stage a target gain above {@link #MAX_TARGET_GAIN} (see {@link #targetGain})
     */
    public TemporalPyramid withSchedule(NoiseSchedule other) {
        Refusals.notNull(other, "schedule", "any NoiseSchedule, e.g. Schedules.flowMatching()");
        return new TemporalPyramid(other, fullFrames, boundaries, factors, convention);
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
        Refusals.notNull(rule, "jump rule", Arrays.toString(JumpRule.values()));
        return new StageJump(schedule, stages.get(i), stages.get(i + 1), factors[i], rule);
    }

    /**
     * Average per-step cost relative to full rate, with equal steps per stage (the paper's "1-1-1"):
     * {@code (1/K) sum_k (F_k / F)^p}. {@code p = 2} (attention) gives 21/48 for uniform {@code K = 3}, {@code p = 1}
     * (linear layers) 7/12 (docs/derivation.md section 12). Training with uniformly drawn stages has the same factor.
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
     * @param exponent cost ~ frames^exponent, finite (2 attention, 1 linear layers)
     * @param stepsPerStage {@code n_k >= 0} in sampling order, not all zero
     */
    public double costFactor(double exponent, int... stepsPerStage) {
        if (!Double.isFinite(exponent)) {
            throw Refusals.refuse("exponent", exponent,
                    "a finite p in cost ~ frames^p (2 for attention over all tokens, 1 for linear layers)");
        }
        checkStepsPerStage(stepsPerStage);
        double num = 0;
        long den = 0;
        for (int i = 0; i < stages.size(); i++) {
            num += stepsPerStage[i] * Math.pow((double) stages.get(i).frames() / fullFrames, exponent);
            den += stepsPerStage[i];
        }
        return num / den;
    }

    /**
     * Checks a step allocation for this pyramid: one count {@code n_k >= 0} per stage in sampling order, not all zero.
     *
     * @throws IllegalArgumentException naming the allocation and what is allowed
     */
    public void checkStepsPerStage(int... stepsPerStage) {
        if (stepsPerStage == null || stepsPerStage.length != stages.size()) {
            throw new IllegalArgumentException("stepsPerStage = " + Arrays.toString(stepsPerStage) + " has "
                    + (stepsPerStage == null ? 0 : stepsPerStage.length) + " entries; allowed: one per stage in "
                    + "sampling order, " + stages.size() + " here");
        }
        long total = 0;
        for (int i = 0; i < stepsPerStage.length; i++) {
            if (stepsPerStage[i] < 0) {
                throw Refusals.refuse("stepsPerStage[" + i + "]", stepsPerStage[i], ">= 0");
            }
            total += stepsPerStage[i];
        }
        if (total == 0) {
            throw Refusals.refuse("stepsPerStage", Arrays.toString(stepsPerStage), "at least one stage with a step");
        }
    }

    /**
     * The plan of sampling this pyramid with {@code stepsPerStage} steps per stage (sampling order; one value for
     * every stage), as JSON for a training or sampling script in another framework: stage windows, frame counts, the
     * sampler's time grid of each stage, jump coefficients, the block-noise rule and the stage-wise targets, every
     * number in full double precision. See {@link PyramidPlan} and {@code docs/plan-format.md}.
     */
    public String planJson(int... stepsPerStage) {
        return PyramidPlan.json(this, stepsPerStage);
    }

    /**
     * JSON: {@code {"type": "TemporalPyramid", "version": 1, "schedule": {...}, "frames", "boundaries",
     * "rateFactors", "convention"}}. The file lists all {@code K + 1} nominal boundaries in increasing t,
     * {@code [0, ..., 1]}, and the rate factors in sampling order.
     *
     * @throws UnsupportedOperationException for a schedule of Java functions or a schedule class of one's own, which
     *                                       has no JSON form that {@link #fromJson} reads back (its own
     *                                       {@code toJson()} is not called): write
     *                                       {@code withSchedule(Tabulation.of(schedule).schedule())} instead, as a
     *                                       training configuration does
     */
    public String toJson() {
        if (!tpdiff4j.schedule.Tabulation.hasJson(schedule)) {
            throw new UnsupportedOperationException("pyramid on schedule '" + schedule.name() + "' ("
                    + schedule.getClass().getName() + "): the schedule is " + (schedule instanceof
                    tpdiff4j.schedule.FunctionSchedule ? "made of Java functions (Schedules.of)" : "a class of one's own")
                    + ", which has no JSON form that TemporalPyramid.fromJson reads back; write"
                    + " pyramid.withSchedule(Tabulation.of(schedule).schedule()).toJson() (a table within "
                    + tpdiff4j.schedule.Tabulation.DEFAULT_TOLERANCE + "; a training configuration, an experiment and"
                    + " a plan do this themselves) or use a built-in schedule");
        }
        JsonObject o = new JsonObject();
        o.addProperty("type", "TemporalPyramid");
        o.addProperty("version", 1);
        o.add("schedule", JsonParser.parseString(schedule.toJson()));
        o.addProperty("frames", fullFrames);
        JsonArray b = new JsonArray();
        b.add(0.0);
        for (int i = boundaries.length - 1; i >= 0; i--) {
            b.add(boundaries[i]);
        }
        b.add(1.0);
        o.add("boundaries", b);
        JsonArray f = new JsonArray();
        for (int x : factors) {
            f.add(x);
        }
        o.add("rateFactors", f);
        o.addProperty("convention", convention.name());
        return o.toString();
    }

    /**
     * Rebuilds a pyramid from {@link #toJson()}; the schedule through {@code Schedules.fromJson}. The pyramid is built
     * by the {@link Builder}, so a file passes the same checks as a call (among them the limit on the
     * {@linkplain #targetGain target gain}); a refusal of the builder names the boundary by its index in sampling order,
     * the order of {@link #boundaries()}, not by its place in the file's increasing list. The file's own shape is
     * checked first and refused in the file's terms: boundaries strictly increasing from 0 to 1, and exactly one rate
     * factor per jump, as {@link #toJson()} writes them (the builder's "one factor for every jump" is not read from a
     * file, so {@code "rateFactors":[4]} for three stages is refused rather than read as {@code [4, 4]}).
     */
    public static TemporalPyramid fromJson(String json) {
        PyramidJson p = PyramidJson.parse(json);
        double[] b = p.boundaries();   // the file: all K + 1 nominal boundaries in increasing t, [0, ..., 1]
        if (b.length < 2 || b[0] != 0.0 || b[b.length - 1] != 1.0) {
            throw new IllegalArgumentException("pyramid JSON: boundaries = " + Arrays.toString(b)
                    + "; allowed: all K + 1 nominal boundaries in increasing t, starting at 0 and ending at 1");
        }
        for (int i = 1; i < b.length; i++) {
            if (!(b[i] > b[i - 1])) {
                throw new IllegalArgumentException("pyramid JSON: boundaries[" + i + "] = " + b[i]
                        + " is not above boundaries[" + (i - 1) + "] = " + b[i - 1] + " in " + Arrays.toString(b)
                        + "; allowed: all K + 1 nominal boundaries in strictly increasing t, starting at 0 and ending"
                        + " at 1 (the file's order; withBoundaries takes the K - 1 inner ones in sampling order,"
                        + " decreasing)");
            }
        }
        int k = b.length - 1;
        if (p.rateFactors().length != k - 1) {
            int n = p.rateFactors().length;
            throw new IllegalArgumentException("pyramid JSON: rateFactors = " + Arrays.toString(p.rateFactors())
                    + " has " + n + (n == 1 ? " value" : " values") + ", but boundaries = " + Arrays.toString(b)
                    + " make K = " + k + (k == 1 ? " stage" : " stages") + "; allowed: K - 1 = " + (k - 1)
                    + " integers >= 2, one per jump in sampling order ([] for one stage)");
        }
        double[] inner = new double[b.length - 2];   // the builder's form: interior boundaries, sampling order
        for (int i = 0; i < inner.length; i++) {
            inner[i] = b[b.length - 2 - i];
        }
        return builder(p.schedule(), p.frames()).withBoundaries(inner).withRateFactors(p.rateFactors())
                .withConvention(p.convention()).build();
    }

    /**
     * Equal when the schedules are equal ({@code NoiseSchedule.equals}: by value for the built-in and tabulated
     * schedules, by identity for one made of Java functions) and frames, nominal boundaries, rate factors and
     * convention agree. Works for every schedule, including those that have no JSON form.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TemporalPyramid p && fullFrames == p.fullFrames && convention == p.convention
                && Arrays.equals(boundaries, p.boundaries) && Arrays.equals(factors, p.factors)
                && schedule.equals(p.schedule);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * schedule.hashCode() + fullFrames) + convention.hashCode())
                + 17 * Arrays.hashCode(boundaries) + Arrays.hashCode(factors);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TemporalPyramid(" + schedule.name() + ", F = " + fullFrames + ", "
                + convention + ")");
        for (Stage s : stages) {
            sb.append(String.format(Locale.ROOT, "%n  stage %d: t in [%.6f, %.6f], %d frames (1/%d rate)", s.index(), s.end(),
                    s.start(), s.frames(), s.rateFactor()));
        }
        return sb.toString();
    }

    private static void checkIndex(int i, int n, String what) {
        if (i < 0 || i >= n) {
            throw Refusals.refuse(what, i, n == 0 ? "none, a one-stage pyramid has no jump" : "0 .. " + (n - 1));
        }
    }

    /**
     * Builder with named {@code withX} steps; {@link #build()} checks the combination and names what is wrong and
     * what is allowed. Every per-stage or per-jump argument is in sampling order (see the class comment). Defaults:
     * 3 stages (or as many as the boundaries or rate factors imply), uniform nominal boundaries, rate factor 2 per
     * jump, convention A.
     * <pre>
     *   builder(fm, 32).withStages(4).build();                                    // 4 -> 8 -> 16 -> 32 frames
     *   builder(fm, 16).withBoundaries(0.5, 0.25).withRateFactors(4, 2).build();  // 2 -> 8 -> 16 frames
     *   builder(fm, 16).withStages(2).withRateFactors(4).build();                 // 4 -> 16 frames, jump at t = 1/2
     * </pre>
     * Every stage needs a whole number of frames and at least 2 of them: {@code frames} must be divisible by the
     * product of the rate factors and, for {@code K >= 2}, at least twice that product (16 frames: up to 4 stages with
     * factor 2; 12 frames: up to 3, as 3 -> 6 -> 12).
     *
     * <p>The boundaries must leave every stage a window the schedule can place and train:
     * <ul>
     *   <li>strictly decreasing inside {@code (0, 1)} ({@link #withBoundaries});</li>
     *   <li>the shifted window end (convention A) or start (convention B) must exist on the schedule: a discrete DDPM
     *       schedule has finite log-SNR at both ends, so a boundary very close to {@code t = 0} (A) or {@code t = 1}
     *       (B) is refused with the limit and the other convention;</li>
     *   <li>every stage after the first must have a {@linkplain TemporalPyramid#targetGain target gain} of at most
     *       {@link TemporalPyramid#MAX_TARGET_GAIN}: a stage whose window is too narrow in {@code rho = sigma / gamma},
     *       above all a last stage that starts too close to {@code t = 0}, is refused with the smallest boundary that
     *       works.</li>
     * </ul>
     * The same checks run wherever a pyramid is made: {@link TemporalPyramid#uniform},
     * {@link TemporalPyramid#withSchedule} and {@link TemporalPyramid#fromJson}.
     */
    public static final class Builder {
        private static final String ORDER_EXAMPLE = "e.g. withBoundaries(0.5, 0.25) for the nominal windows "
                + "[0.5, 1], [0.25, 0.5], [0, 0.25] of stages 0, 1, 2";
        private final NoiseSchedule schedule;
        private final int frames;
        private int stages;              // 0: not given
        private double[] boundaries;     // null: not given; interior, sampling order
        private int[] factors;           // null: not given; sampling order or one for all
        private WindowConvention convention = WindowConvention.A;

        private Builder(NoiseSchedule schedule, int frames) {
            Refusals.notNull(schedule, "schedule", "any NoiseSchedule, e.g. Schedules.flowMatching()");
            if (frames < 1) {
                throw Refusals.refuse("frames", frames, ">= 1 (full-rate frame count)");
            }
            this.schedule = schedule;
            this.frames = frames;
        }

        /** Number of stages {@code K >= 1} (1 is vanilla); uniform nominal boundaries unless given. */
        public Builder withStages(int k) {
            if (k < 1) {
                throw Refusals.refuse("stages K", k, "K >= 1 (1 is vanilla)");
            }
            this.stages = k;
            return this;
        }

        /**
         * The nominal time of each jump, in sampling order: {@code K - 1} values, strictly decreasing inside
         * {@code (0, 1)}. {@code withBoundaries(0.5, 0.25)} makes 3 stages with nominal windows {@code [0.5, 1]},
         * {@code [0.25, 0.5]} and {@code [0, 0.25]}; no values make one stage.
         *
         * <p>{@link #build()} refuses a boundary so close to the next one, or to {@code t = 0}, that the stage it
         * starts would amplify its training targets beyond what float32 training can use
         * ({@link TemporalPyramid#targetGain} above {@link TemporalPyramid#MAX_TARGET_GAIN}); the message gives the
         * smallest value that works on the schedule. On flow matching with convention A the last boundary must be at
         * least {@code 1/4097 = 0.000244081035...} (the refusal gives it rounded up, {@code 0.000244082}: the value
         * rounded down, {@code 0.000244081}, is itself refused), so {@code withBoundaries(0.5, 1e-12)} is refused.
         */
        public Builder withBoundaries(double... t) {
            Refusals.notNull(t, "boundaries", "K - 1 nominal jump times, " + ORDER_EXAMPLE);
            for (int i = 0; i < t.length; i++) {
                if (!(t[i] > 0 && t[i] < 1)) {
                    throw new IllegalArgumentException("boundaries[" + i + "] = " + t[i] + " in withBoundaries("
                            + args(Arrays.toString(t)) + "); allowed: nominal jump times strictly inside (0, 1) "
                            + "(the ends 1 and 0 are implied), " + ORDER_EXAMPLE);
                }
                if (i > 0 && !(t[i] < t[i - 1])) {
                    throw new IllegalArgumentException("boundaries[" + i + "] = " + t[i] + " is not below boundaries["
                            + (i - 1) + "] = " + t[i - 1] + " in withBoundaries(" + args(Arrays.toString(t))
                            + "); allowed: strictly decreasing values, since boundaries are given in sampling order "
                            + "(the noisiest jump first), " + ORDER_EXAMPLE);
                }
            }
            this.boundaries = t.clone();
            return this;
        }

        /**
         * The frame-rate factor of each jump in sampling order ({@code K - 1} values, each >= 2; jump 0 goes from
         * stage 0 to stage 1), or one value for every jump.
         */
        public Builder withRateFactors(int... b) {
            Refusals.notNull(b, "rateFactors",
                    "one value >= 2 per jump in sampling order, or one value for every jump");
            for (int i = 0; i < b.length; i++) {
                if (b[i] < 2) {
                    throw new IllegalArgumentException("rateFactors[" + i + "] = " + b[i] + " in withRateFactors("
                            + args(Arrays.toString(b)) + "); allowed: integers >= 2 (2 halves the frame rate)");
                }
            }
            this.factors = b.clone();
            return this;
        }

        /** The window convention (default A). */
        public Builder withConvention(WindowConvention c) {
            Refusals.notNull(c, "convention", "WindowConvention.A or B");
            this.convention = c;
            return this;
        }

        /**
         * Checks the combination (see the class comment for the rules) and builds.
         *
         * @throws IllegalArgumentException naming the parameter, its value and what is allowed
         */
        public TemporalPyramid build() {
            int k = stageCount();
            double[] b = boundaries;
            if (b == null) {
                b = new double[k - 1];
                for (int i = 0; i < k - 1; i++) {
                    b[i] = (double) (k - 1 - i) / k;
                }
            }
            int[] f = rates(k);
            checkFrames(k, f);
            return new TemporalPyramid(schedule, frames, b, f, convention);
        }

        /** K from withStages, withBoundaries or withRateFactors, which must agree; 3 if none says. */
        private int stageCount() {
            int fromBoundaries = boundaries == null ? 0 : boundaries.length + 1;
            if (stages != 0 && fromBoundaries != 0 && stages != fromBoundaries) {
                throw new IllegalArgumentException("withBoundaries(" + args(Arrays.toString(boundaries)) + ") gives "
                        + boundaries.length + " jumps, so K = " + fromBoundaries + " stages; withStages(" + stages
                        + ") contradicts it. Allowed: K - 1 boundaries for K stages (" + (stages - 1) + " for "
                        + stages + " stages), or only one of withStages and withBoundaries");
            }
            if (stages != 0) {
                return stages;
            }
            if (fromBoundaries != 0) {
                return fromBoundaries;
            }
            return factors != null && factors.length != 1 ? factors.length + 1 : 3;
        }

        private int[] rates(int k) {
            if (factors == null) {
                int[] f = new int[k - 1];
                Arrays.fill(f, 2);
                return f;
            }
            if (factors.length == 1 && k > 1) {
                int[] f = new int[k - 1];
                Arrays.fill(f, factors[0]);
                return f;
            }
            if (factors.length != k - 1) {
                throw new IllegalArgumentException("withRateFactors(" + args(Arrays.toString(factors)) + ") gives "
                        + factors.length + " jumps; K = " + k + " stages have " + (k - 1) + " jump"
                        + (k == 2 ? "" : "s") + ". Allowed: " + (k == 1 ? "no rate factors for one stage"
                        : (k - 1) + " values in sampling order (jump 0 first), or one value for every jump"));
            }
            return factors.clone();
        }

        /** Every stage gets a whole number of frames, at least 2 when there is a pyramid. */
        private void checkFrames(int k, int[] f) {
            long product = 1;
            for (int x : f) {
                product = Math.min(product * x, 2L * frames + 1);   // capped: only "more than 2 frames" matters
            }
            String problem;
            if (product > frames) {
                problem = "have a product above " + frames + ", so stage 0 would have less than one frame";
            } else if (frames % product != 0) {
                problem = "have the product " + product + ", which " + frames + " is not divisible by: stage 0 would "
                        + "have " + frames + " / " + product + " frames";
            } else if (k > 1 && frames / product < 2) {
                problem = "give stage 0 only 1 frame (" + frames + " / " + product + "); every stage of a pyramid "
                        + "needs at least 2 frames";
            } else {
                return;
            }
            int given = factors != null && factors.length == 1 ? factors[0] : 2;   // one factor for every jump
            List<int[]> fit = fittingFactors(k);
            throw new IllegalArgumentException("frames = " + frames + " with K = " + k + " stages"
                    + (stages == 0 && boundaries == null && (factors == null || factors.length == 1)
                            ? " (the default K; withStages(k) sets it)" : "")
                    + ": the rate factors " + Arrays.toString(f) + " (sampling order) " + problem
                    + (fit.isEmpty() ? ", and no rate factors split " + frames + (frames == 1 ? " frame" : " frames")
                            + " into " + k + " stages of at least 2 frames" : "")
                    + ". Allowed: frames divisible by the product of the rate factors and at least twice that product"
                    + (fit.isEmpty() ? "" : "; for " + frames + " frames and K = " + k + " the rate factors that fit"
                            + " (sampling order, smallest product first): " + calls(fit))
                    + (given != 2 && !stagesFor(given).equals(stagesFor(2)) ? "; or " + stagesFor(given) : "")
                    + "; or " + stagesFor(2));
        }

        /** At most this many fitting rate factors are written out in a refusal. */
        private static final int LISTED = 6;

        /** The calls that give the fitting rate factors, the first {@link #LISTED} of them and how many more. */
        private static String calls(List<int[]> fit) {
            List<String> shown = new ArrayList<>();
            for (int[] f : fit.subList(0, Math.min(LISTED, fit.size()))) {
                shown.add("withRateFactors(" + args(Arrays.toString(f)) + ")");
            }
            return String.join(", ", shown) + (fit.size() > LISTED ? " and " + (fit.size() - LISTED) + " more" : "");
        }

        /** "K {@literal <=} n stages with rate factor b", or the one stage that is left when no pyramid fits. */
        private String stagesFor(int b) {
            int most = maxStages(frames, b);
            return most == 1 ? "K = 1 (one stage at full rate, no pyramid)"
                    : "K <= " + most + " stages with rate factor " + b;
        }

        /** "[a, b]" as "a, b", for messages that quote a call. */
        private static String args(String list) {
            return list.substring(1, list.length() - 1);
        }

        /**
         * The rate factors of {@code k} stages (one per jump, sampling order, each at least 2) that give every stage a
         * whole number of frames, at least 2: those whose product divides {@code frames} and is at most half of it,
         * ordered by product and then element by element.
         */
        private List<int[]> fittingFactors(int k) {
            List<int[]> out = new ArrayList<>();
            if (k - 1 > 30) {   // 2^(k-1) > frames / 2 for every int frame count: nothing fits
                return out;
            }
            collectFactors(new int[k - 1], 0, 1, out);
            out.sort(java.util.Comparator.<int[]>comparingLong(TemporalPyramid.Builder::product).thenComparing(Arrays::compare));
            return out;
        }

        /** Fills {@code f[i..]} in every way that keeps the product a divisor of {@code frames}, at most half of it. */
        private void collectFactors(int[] f, int i, long p, List<int[]> out) {
            if (i == f.length) {
                out.add(f.clone());
                return;
            }
            // the jumps after this one need a factor of at least 2 each
            long rest = 1L << (f.length - i - 1);
            for (int b = 2; p * b * rest <= frames / 2 && out.size() < 10_000; b++) {
                if (frames % (p * b) == 0) {
                    f[i] = b;
                    collectFactors(f, i + 1, p * b, out);
                }
            }
        }

        private static long product(int[] f) {
            long p = 1;
            for (int x : f) {
                p *= x;
            }
            return p;
        }
    }
}
