package tpdiff4j.pyramid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import tpdiff4j.Refusals;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;

/**
 * Pyramid sampling (TPDiff v1 Sec. 3.5; docs/derivation.md section 11): run a solver inside each stage, jump between
 * stages.
 * <pre>
 *   x = c eps, eps ~ N(0, I), shape [N, F_0, ...]           (at the first time of stage 0's grid; c = startNoiseStd(),
 *                                                            1 unless the schedule's noise there is not at unit scale)
 *   for k = 0 .. K-1:
 *       x = solver.solve(model, schedule, x, grid_k)        grid_k from start_k down to end_k, n_k steps
 *       if k &lt; K-1:  x = jump(k).apply(x, seed_k)           x (F_k frames) -&gt; x (B_k F_k frames)
 *   return x                                                 full rate, t = 0
 * </pre>
 * With {@code K = 1} this is exactly {@code solver.solve(model, schedule, eps, grid)}: the vanilla sampler.
 * This is the engine of {@code tpdiff4j.sample.VideoSampler}, the entry point for sampling videos; use it directly
 * for other tensors (points, Gaussian videos) or to set per-stage time grids.
 *
 * <pre>
 *   PyramidSampler s = PyramidSampler.of(pyramid, Solvers.euler(), 10, 10, 10)   // steps in sampling order
 *           .withJumpRule(JumpRule.CORRECTED);
 *   NDArray x = s.sample(model, manager, new Shape(8, 16, 1, 16, 16), DataType.FLOAT32, seed);
 * </pre>
 *
 * <p><b>Denoiser contract for stage-wise models.</b> Inside stage {@code k} the model receives {@code x} with
 * {@code F_k} frames (the frame count identifies the stage) and the <em>global</em> time {@code t} in
 * {@code [end_k, start_k]}, and returns the prediction of its {@link tpdiff4j.ode.PredictionType} for the stage's
 * virtual pair {@code (x~_k, eps_k)} of {@link StageEndpoints}: {@code eps_k} for EPSILON, {@code x~_k} for X0,
 * {@code dx_t/dt = gammaDot x~_k + sigmaDot eps_k} per unit global t for VELOCITY ({@code eps_k - x~_k} for flow
 * matching, i.e. Eq. (13)'s {@code v_k} divided by {@code s_k - e_k}), {@code gamma eps_k - sigma x~_k} for
 * V_PREDICTION. These are exactly what {@link TrainingPairSampler} trains on, and since the stage path is
 * {@code x_t = gamma_t x~_k + sigma_t eps_k}, every deterministic solver consumes them like vanilla predictions (for a constant
 * {@code eps_k} DDIM lands exactly on {@code x_e} on every schedule, Euler only on flow matching, whose stage path
 * is a straight line). A stochastic solver ({@link Solver#stochastic()}, DDIM with eta &gt; 0) is refused for
 * {@code K >= 2}: the stage noise {@code eps_k} has the data-dependent mean {@code (A - D) / (rho_s - rho_e)}, so fresh
 * noise leaves the stage's distribution (docs/derivation.md section 11).
 */
public final class PyramidSampler {

    private final TemporalPyramid pyramid;
    private final Solver solver;
    private final int[] steps;
    private final JumpRule rule;
    private final BiFunction<Stage, Integer, TimeGrid> grids;

    private PyramidSampler(TemporalPyramid pyramid, Solver solver, int[] steps, JumpRule rule,
            BiFunction<Stage, Integer, TimeGrid> grids) {
        this.pyramid = pyramid;
        this.solver = solver;
        this.steps = steps;
        this.rule = rule;
        this.grids = grids;
    }

    /**
     * A sampler with the {@link JumpRule#CORRECTED} jump and grids uniform in t inside each stage window.
     *
     * @param pyramid the pyramid
     * @param solver the solver used inside every stage, e.g. {@code Solvers.euler()} or {@code Solvers.ddim()}
     * @param stepsPerStage steps per stage in sampling order ({@code K} values, each >= 1), or one value for every
     *     stage
     */
    public static PyramidSampler of(TemporalPyramid pyramid, Solver solver, int... stepsPerStage) {
        Refusals.notNull(pyramid, "pyramid",
                "a TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)");
        return new PyramidSampler(pyramid, checkSolver(pyramid, solver), checkSteps(pyramid, stepsPerStage), JumpRule.CORRECTED,
                (st, n) -> TimeGrid.uniform(st.start(), st.end(), n));
    }

    /** A sampler with {@code Solvers.ddim()} and equal steps per stage; convenience for notebooks. */
    public static PyramidSampler ddim(TemporalPyramid pyramid, int stepsPerStage) {
        return of(pyramid, Solvers.ddim(), stepsPerStage);
    }

    /** A copy with another solver for every stage. */
    public PyramidSampler withSolver(Solver s) {
        return new PyramidSampler(pyramid, checkSolver(pyramid, s), steps, rule, grids);
    }

    /** A copy with other steps per stage (sampling order, {@code K} values >= 1, or one value for every stage). */
    public PyramidSampler withSteps(int... stepsPerStage) {
        return new PyramidSampler(pyramid, solver, checkSteps(pyramid, stepsPerStage), rule, grids);
    }

    /** A copy with another jump rule (default {@link JumpRule#CORRECTED}). */
    public PyramidSampler withJumpRule(JumpRule r) {
        Refusals.notNull(r, "jump rule", Arrays.toString(JumpRule.values()));
        return new PyramidSampler(pyramid, solver, steps, r, grids);
    }

    /**
     * A copy with other time grids: {@code grids.apply(stage, n)} gives the grid of a stage from
     * {@code stage.start()} down to {@code stage.end()}, usually of {@code n} steps (default
     * {@code TimeGrid.uniform(start, end, n)}). Every grid must end at its stage's end, where the jump to the next
     * stage (or the result at t = 0) takes over, and start at its stage's start, where the previous jump left x; only
     * stage 0, which starts from fresh noise, may start later (a smaller t, as diffusers' leading spacing starts at step
     * 958 of 999). Both within {@value #GRID_END_TOLERANCE} of the stage's times; {@link #grid(int)} and
     * {@code sample} refuse another grid, naming the stage and its times.
     */
    public PyramidSampler withGrids(BiFunction<Stage, Integer, TimeGrid> g) {
        Refusals.notNull(g, "grids",
                "a function (stage, steps) -> TimeGrid, e.g. (st, n) -> TimeGrid.uniform(st.start(), st.end(), n)");
        return new PyramidSampler(pyramid, solver, steps, rule, g);
    }

    /** The pyramid. */
    public TemporalPyramid pyramid() {
        return pyramid;
    }

    /** The solver used inside every stage. */
    public Solver solver() {
        return solver;
    }

    /** Steps per stage in sampling order (a copy). */
    public int[] steps() {
        return steps.clone();
    }

    /** The jump rule. */
    public JumpRule rule() {
        return rule;
    }

    /** How far a grid's first and last times may lie from its stage's start and end (see {@link #withGrids}). */
    public static final double GRID_END_TOLERANCE = 1e-9;

    /**
     * The time grid of stage {@code i}.
     *
     * @throws IllegalArgumentException if the grid function of {@link #withGrids} gave no grid, or one that does not
     *                                  run from the stage's start down to its end
     */
    public TimeGrid grid(int i) {
        Stage st = pyramid.stage(i);
        TimeGrid g = grids.apply(st, steps[i]);
        if (g == null) {
            throw new IllegalArgumentException("time grid of stage " + i + " = null (from the grid function of"
                    + " withGrids); allowed: a TimeGrid from the stage's start " + st.start() + " down to its end "
                    + st.end());
        }
        double first = g.t(0);
        double last = g.t(g.steps());
        boolean endOk = Math.abs(last - st.end()) <= GRID_END_TOLERANCE;
        boolean startOk = i == 0 ? first <= st.start() + GRID_END_TOLERANCE && first > st.end()
                : Math.abs(first - st.start()) <= GRID_END_TOLERANCE;
        if (!endOk || !startOk) {
            throw new IllegalArgumentException("time grid of stage " + i + " of " + pyramid.size() + " runs from t = "
                    + first + " to t = " + last + " (from the grid function of withGrids), but the stage's window runs"
                    + " from its start " + st.start() + " down to its end " + st.end() + "; allowed: a grid that ends at"
                    + " the stage's end and starts at its start" + (i == 0 ? " or later (a smaller t above the end)" : "")
                    + ", each within " + GRID_END_TOLERANCE + ", e.g. TimeGrid.uniform(stage.start(), stage.end(), n)"
                    + " (the jumps between stages start and end there)");
        }
        return g;
    }

    /**
     * The standard deviation of the fresh noise {@link #sample(Denoiser, NDManager, Shape, DataType, long)} starts
     * from: {@code c = sqrt(gamma(s)^2 + sigma(s)^2)} at the first time {@code s = grid(0).t(0)} of stage 0's grid,
     * the standard deviation of {@code x_s = gamma(s) x0 + sigma(s) eps} for zero-mean, unit-variance data. That time
     * is stage 0's start ({@code t = 1}) unless {@link #withGrids} starts stage 0 later (a smaller t, as diffusers'
     * leading spacing does). It is 1 for flow matching and every variance-preserving schedule (returned as exactly 1
     * when {@code c} is within {@code 1e-12} of it, so those samples keep their bits); a schedule whose noise does not
     * end at unit scale, such as the variance-exploding {@code Schedules.of("ve", t -> 1, t -> 10 * t)}, starts from
     * {@code N(0, c^2 I)} instead of a latent a hundred times too quiet ({@code c = sqrt(101)} from t = 1,
     * {@code sqrt(26)} from a grid that starts at t = 0.5). The term {@code gamma(s) E[x0]} is not known without data
     * and is left out, as in every sampler that starts from noise.
     *
     * @throws IllegalArgumentException if the grid function of {@link #withGrids} gives stage 0 no valid grid
     */
    public double startNoiseStd() {
        double s = grid(0).t(0);
        double g = pyramid.schedule().gamma(s);
        double sg = pyramid.schedule().sigma(s);
        double c = Math.sqrt(g * g + sg * sg);
        return Math.abs(c - 1) <= 1e-12 ? 1.0 : c;
    }

    /**
     * Samples from fresh noise: stage 0's start is {@code GaussianNoise.normal(manager, [N, F_0, ...], type,
     * derive(seed, 0))} times {@link #startNoiseStd()} (1 for flow matching and variance-preserving schedules).
     *
     * @param model stage-wise model (see the class comment)
     * @param manager owner of the result
     * @param fullShape the full-rate output shape {@code [N, F, ...]}
     * @param type FLOAT32 or FLOAT64
     * @param seed seed of the initial noise (stream 0), of the jumps (streams 1..K-1) and of a stochastic solver's step
     *     noise (stream K, mixed with the solver's own seed)
     * @return {@code [N, F, ...]}
     */
    public NDArray sample(Denoiser model, NDManager manager, Shape fullShape, DataType type, long seed) {
        if (fullShape == null || java.util.Arrays.stream(fullShape.getShape()).anyMatch(n -> n < 1)) {
            throw Refusals.refuse("fullShape", fullShape,
                    "[N, " + pyramid.frames() + ", ...] with every size >= 1 (at least one clip)");
        }
        if (fullShape.dimension() < 2 || fullShape.get(1) != pyramid.frames()) {
            throw Refusals.refuse("fullShape", fullShape,
                    "[N, " + pyramid.frames() + ", ...] (frames at axis 1 equal to the pyramid's " + pyramid.frames()
                    + ")");
        }
        Shape first = TemporalOps.withFrames(fullShape, pyramid.stage(0).frames());
        NDArray start = GaussianNoise.normal(manager, first, type, GaussianNoise.derive(seed, 0));
        double c = startNoiseStd();
        if (c != 1.0) {
            NDArray scaled = start.mul(c);
            start.close();
            start = scaled;
        }
        NDArray out = sample(model, start, seed);
        if (out != start) {
            start.close();
        }
        return out;
    }

    /**
     * Samples from the given start of stage 0.
     *
     * @param model stage-wise model
     * @param start latent at {@code t = stage(0).start()}, {@code [N, F_0, ...]}; not modified
     * @param seed seed of the jump noises (streams 1..K-1) and of a stochastic solver's step noise (stream K)
     * @return {@code [N, F, ...]} at {@code t = 0}, in {@code start}'s manager
     */
    public NDArray sample(Denoiser model, NDArray start, long seed) {
        Refusals.notNull(model, "model",
                "a Denoiser, e.g. trainer.denoiser() or Denoiser.of(type, (x, t) -> prediction)");
        if (start.getShape().dimension() < 2 || start.getShape().get(1) != pyramid.stage(0).frames()) {
            throw new IllegalArgumentException("start has shape " + start.getShape() + "; allowed: [N, "
                    + pyramid.stage(0).frames() + ", ...] (stage 0's frames at axis 1)");
        }
        TimeGrid[] grids = new TimeGrid[pyramid.size()];
        for (int k = 0; k < grids.length; k++) {
            grids[k] = grid(k);
        }
        // what the model computes from t alone, once for every time of the run (Denoiser.forTimes)
        // every array of the run (stage states, the jumps' upsampled and noise arrays) lives in this sub-manager, so
        // that it is freed when the run ends, also when an interrupt ends it; only the result leaves it
        try (NDManager run = start.getManager().newSubManager()) {
            Denoiser d = model.forTimes(Arrays.stream(grids).flatMapToDouble(g -> Arrays.stream(g.times())).toArray(), run);
            if (d == null) {
                throw new IllegalStateException("denoiser " + model + " returned null from forTimes(times, manager);"
                        + " allowed: a Denoiser for this run (the denoiser itself, the default, when it precomputes"
                        + " nothing)");
            }
            NDArray x = start.duplicate();
            x.attach(run);
            Solver stageSolver = runSolver(seed);
            for (int k = 0; k < pyramid.size(); k++) {
                if (Thread.interrupted()) { // consumed, as a solver does: the exception says what stopped
                    throw new CancellationException(String.format(java.util.Locale.ROOT, "pyramid sampling was"
                            + " interrupted before stage %d of stages 0-%d (t = %.4f); no result", k, pyramid.size() - 1,
                            grids[k].t(0)));
                }
                if (solver.progress()) { // which stage the solver's progress line belongs to
                    System.out.println(String.format(java.util.Locale.ROOT, "stage %d/%d: %d frames, %d steps, t %.4f -> %.4f",
                            k + 1, pyramid.size(), pyramid.stage(k).frames(), grids[k].steps(), grids[k].t(0),
                            grids[k].t(grids[k].steps())));
                }
                NDArray next = stageSolver.solve(d, pyramid.schedule(), x, grids[k]);
                requireSolverResult(k, x, next);
                if (k < pyramid.size() - 1) {
                    NDArray jumped = pyramid.jump(k, rule).apply(next, GaussianNoise.derive(seed, k + 1));
                    next.close();
                    next = jumped;
                }
                x.close();
                x = next;
            }
            x.attach(start.getManager());
            return x;
        }
    }

    /** Refuses a stage result that breaks the {@link Solver} contract (x's shape and type), naming the solver. */
    private void requireSolverResult(int k, NDArray x, NDArray next) {
        if (next == null || !next.getShape().equals(x.getShape()) || next.getDataType() != x.getDataType()) {
            throw new IllegalStateException("solver " + solver + " returned " + (next == null ? "null" : "an array of shape "
                    + next.getShape() + " and type " + next.getDataType()) + " for x of shape " + x.getShape() + " and type "
                    + x.getDataType() + " in stage " + k + " of " + pyramid.size() + "; allowed: a Solver returns an array"
                    + " of x's shape and data type (its state at the grid's last time)");
        }
    }

    /**
     * The solver of stage {@code k} for the run seeded by {@code seed}: a stochastic solver (vanilla only) draws its
     * step noise from stream K of the seed, after the initial noise (stream 0) and the jumps (1 .. K-1), so runs with
     * different seeds get independent step noise as well.
     */
    private Solver runSolver(long seed) {
        return solver.forRun(GaussianNoise.derive(seed, pyramid.size()));
    }

    private static Solver checkSolver(TemporalPyramid pyramid, Solver s) {
        Refusals.notNull(s, "solver", "a Solver, e.g. Solvers.euler() or Solvers.ddim()");
        if (s.stochastic() && pyramid.size() > 1) {
            throw new IllegalArgumentException("solver = " + s + " adds fresh noise in every step, which keeps the"
                    + " distribution only of a vanilla path; inside the " + pyramid.size() + " stages of this pyramid"
                    + " the stage noise eps_k has a data-dependent mean, so stochastic steps leave the stage's"
                    + " distribution (an exact model then misses the data covariance many times over). Allowed: a"
                    + " deterministic solver (Solvers.ddim(), euler(), heun(), rk4(), rungeKutta(tableau)) for a pyramid,"
                    + " or a stochastic one with a one-stage pyramid (vanilla sampling)");
        }
        return s;
    }

    private static int[] checkSteps(TemporalPyramid pyramid, int[] n) {
        int k = pyramid.size();
        int[] out = n != null && n.length == 1 ? filled(k, n[0]) : n;
        if (out == null || out.length != k || Arrays.stream(out).anyMatch(v -> v < 1)) {
            throw Refusals.refuse("steps per stage", Arrays.toString(n),
                    k + " values >= 1 (one per stage, in sampling order) or a single value >= 1 for every stage");
        }
        return out.clone();
    }

    private static int[] filled(int k, int v) {
        int[] a = new int[k];
        Arrays.fill(a, v);
        return a;
    }
}
