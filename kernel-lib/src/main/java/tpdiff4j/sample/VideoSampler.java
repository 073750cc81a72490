package tpdiff4j.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Optional;
import tpdiff4j.Refusals;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.NetDenoiser;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.StepListener;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The entry point for sampling videos from a denoiser, vanilla (one solver run over {@code t = 1 -> 0} at full
 * rate) or with a temporal pyramid (a solver run per stage, a stage jump in between). Every sample runs through
 * {@link PyramidSampler}, the engine: vanilla sampling is its one-stage pyramid, so vanilla and a one-stage pyramid
 * give the same clips bit for bit. The initial noise comes from {@code seed} as in {@code PyramidSampler} (stream 0
 * of {@code GaussianNoise.derive}), the jump noise from streams 1 .. K-1, and the step noise of a stochastic solver
 * ({@code Solvers.ddim(eta, solverSeed)}, vanilla only) from stream K mixed with the solver's seed, so two seeds give
 * independent clips with every solver.
 *
 * <p>An immutable value with named {@code withX} copies: solver (any {@link Solver}), steps per stage (sampling
 * order), jump rule, per-step listener and progress switch.
 *
 * <pre>{@code
 * VideoSampler v = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 30);
 * VideoSampler p = VideoSampler.pyramid(TemporalPyramid.uniform(fm, 3, 16), Solvers.euler(), 10, 10, 10);
 * VideoSampler ablation = p.withJumpRule(JumpRule.NONE).withSteps(20, 5, 5);
 * NDArray clips = p.sample(trainer.denoiser(), manager, new Shape(8, 16, 1, 16, 16), 42);
 * }</pre>
 */
public final class VideoSampler {

    private final NoiseSchedule schedule;
    private final TemporalPyramid pyramid;   // null: vanilla
    private final Solver solver;
    private final int[] steps;
    private final JumpRule rule;
    private final StepListener listener;   // null: the solver's own
    private final Boolean progress;        // null: the solver's own

    private VideoSampler(NoiseSchedule schedule, TemporalPyramid pyramid, Solver solver, int[] steps, JumpRule rule,
            StepListener listener, Boolean progress) {
        this.schedule = schedule;
        this.pyramid = pyramid;
        this.listener = listener;
        this.progress = progress;
        Solver s = solver == null || listener == null ? solver : solver.withListener(listener);
        this.solver = s == null || progress == null ? s : s.withProgress(progress);
        this.steps = steps;
        this.rule = rule;
    }

    /** Vanilla sampling with {@code steps} solver steps on {@code TimeGrid.uniform(1, 0, steps)}. */
    public static VideoSampler vanilla(NoiseSchedule schedule, Solver solver, int steps) {
        Refusals.notNull(schedule, "schedule", "a NoiseSchedule, e.g. Schedules.flowMatching()");
        return new VideoSampler(schedule, null, null, new int[] {1}, JumpRule.CORRECTED, null, null).withSolver(solver)
                .withSteps(steps);
    }

    /** Pyramid sampling with the given steps per stage (sampling order), or one value for every stage. */
    public static VideoSampler pyramid(TemporalPyramid pyramid, Solver solver, int... stepsPerStage) {
        Refusals.notNull(pyramid, "pyramid",
                "a TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)");
        PyramidSampler engine = PyramidSampler.of(pyramid, solver, stepsPerStage);   // checks solver and steps
        return new VideoSampler(pyramid.schedule(), pyramid, solver, engine.steps(), engine.rule(), null, null);
    }

    /**
     * A copy with another solver (used inside every stage). A listener and progress switch set on this sampler
     * ({@link #withListener}, {@link #withProgress}) carry over to the new solver; otherwise it keeps its own.
     */
    public VideoSampler withSolver(Solver s) {
        Refusals.notNull(s, "solver", "a Solver, e.g. Solvers.euler() or Solvers.ddim()");
        if (pyramid != null) {
            PyramidSampler.of(pyramid, s, steps);   // refuses a solver the pyramid cannot use, naming it
        }
        return new VideoSampler(schedule, pyramid, s, steps, rule, listener, progress);
    }

    /**
     * A copy with other steps: for a pyramid one value per stage in sampling order or one value for every stage,
     * for vanilla one value.
     */
    public VideoSampler withSteps(int... stepsPerStage) {
        if (pyramid != null) {
            return new VideoSampler(schedule, pyramid, solver, engine(pyramid).withSteps(stepsPerStage).steps(), rule,
                    listener, progress);
        }
        if (stepsPerStage == null || stepsPerStage.length != 1 || stepsPerStage[0] < 1) {
            throw Refusals.refuse("steps", Arrays.toString(stepsPerStage), "one value >= 1 for vanilla sampling");
        }
        return new VideoSampler(schedule, null, solver, stepsPerStage.clone(), rule, listener, progress);
    }

    /**
     * A copy with another stage-jump rule (default {@link JumpRule#CORRECTED}; {@link JumpRule#NONE} for the
     * no-renoise ablation). A vanilla or one-stage sampler has no jump, so there the rule changes nothing.
     */
    public VideoSampler withJumpRule(JumpRule r) {
        Refusals.notNull(r, "jump rule", Arrays.toString(JumpRule.values()));
        return new VideoSampler(schedule, pyramid, solver, steps, r, listener, progress);
    }

    /**
     * A copy whose solver reports every step to {@code listener} (trajectories for plots; null: to none); kept by
     * {@link #withSolver}.
     */
    public VideoSampler withListener(StepListener l) {
        StepListener none = (step, t, x, x0Hat) -> { };
        return new VideoSampler(schedule, pyramid, solver, steps, rule, l != null ? l : none, progress);
    }

    /** A copy with the solver's progress output on or off; kept by {@link #withSolver}. */
    public VideoSampler withProgress(boolean on) {
        return new VideoSampler(schedule, pyramid, solver, steps, rule, listener, on);
    }

    /** True for pyramid sampling. */
    public boolean isPyramid() {
        return pyramid != null;
    }

    /** The pyramid; empty for vanilla sampling. */
    public Optional<TemporalPyramid> pyramid() {
        return Optional.ofNullable(pyramid);
    }

    /** The noise schedule. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The solver. */
    public Solver solver() {
        return solver;
    }

    /** The stage-jump rule. */
    public JumpRule jumpRule() {
        return rule;
    }

    /** Steps per stage (one entry for vanilla). */
    public int[] steps() {
        return steps.clone();
    }

    /** Total solver steps. */
    public int totalSteps() {
        return Arrays.stream(steps).sum();
    }

    /**
     * The engine that samples clips of {@code frames} full-rate frames: this sampler's pyramid, or for vanilla
     * sampling the one-stage pyramid {@code TemporalPyramid.uniform(schedule, 1, frames)}.
     */
    public PyramidSampler engine(int frames) {
        return engine(stagesFor(frames));
    }

    /** The stages this sampler runs on clips of {@code frames} full-rate frames; a pyramid's own frame count only. */
    private TemporalPyramid stagesFor(int frames) {
        if (pyramid != null && frames != pyramid.frames()) {
            throw Refusals.refuse("frames", frames, pyramid.frames() + ", the pyramid's full-rate frame count");
        }
        return pyramid != null ? pyramid : TemporalPyramid.uniform(schedule, 1, frames);
    }

    private PyramidSampler engine(TemporalPyramid p) {
        return PyramidSampler.of(p, solver, steps).withJumpRule(rule);
    }

    /** Samples {@code batch} clips of {@code spec}. */
    public NDArray sample(Denoiser model, NDManager manager, int batch, VideoSpec spec, long seed) {
        Refusals.notNull(spec, "spec", "the clip shape, e.g. data.spec()");
        if (batch < 1) {   // before DJL's Shape, which refuses sizes below -1 in words of its own
            String shape = Arrays.toString(spec.batchShape(batch));
            throw new IllegalArgumentException("fullShape = (" + shape.substring(1, shape.length() - 1) + ") (batch = "
                    + batch + "); allowed: [B, F, C, H, W] with every size >= 1 (at least one clip)");
        }
        return sample(model, manager, new Shape(spec.batchShape(batch)), seed);
    }

    /**
     * Refuses a network's denoiser that this sampler cannot drive: a schedule other than its training schedule (when
     * known), or clips whose full-rate frame count is not the one the network was built for. The network places the F'
     * frames it is given on its own full-rate grid at {@code j * F / F'}, which is how it tells a pyramid stage's
     * lower frame rate: clips of 8 frames from a 16-frame network would run as a half-rate stage at every time
     * (vanilla) or as a pyramid whose stages it never saw, and come out without an error.
     */
    private void requireModelFits(Denoiser model, Shape fullShape) {
        if (!(model instanceof NetDenoiser net)) {
            return; // a denoiser of one's own (an oracle, a function) states no frame count
        }
        net.schedule().ifPresent(this::requireSameSchedule);
        int built = net.net().frames();
        long asked = fullShape.get(1);
        if (asked != built) {
            throw new IllegalArgumentException("fullShape = " + fullShape + " asks for " + asked + " frames"
                    + (pyramid != null ? " (the sampler's pyramid has " + pyramid.frames() + ")" : "")
                    + ", but the model's network was built for " + built + " frames; allowed: [B, " + built
                    + ", C, H, W] (the spec the model was trained on, e.g. data.spec())"
                    + (pyramid != null ? " and a pyramid of " + built + " frames (e.g. trainer.pyramid())" : ""));
        }
        net.pyramid().ifPresent(trained -> requireTrainedStages(trained, stagesFor(built)));
    }

    /**
     * Refuses stages the network was not trained on: another number of stages, or a stage whose frame count or time
     * window differs from the training pyramid's (by more than 1e-6, the schedule check's tolerance, so that the same
     * pyramid on a table of its schedule passes). The network learned each stage's frame count on that
     * stage's window only; a TPDiff network sampled at full rate from pure noise, or a vanilla network through a
     * pyramid, runs on inputs it never saw and gives clips without an error. Steps per stage, solver, time grids and
     * jump rule are free.
     */
    private static void requireTrainedStages(TemporalPyramid trained, TemporalPyramid used) {
        boolean same = trained.size() == used.size();
        for (int k = 0; same && k < used.size(); k++) {
            tpdiff4j.pyramid.Stage a = trained.stage(k), b = used.stage(k);
            same = a.frames() == b.frames() && Math.abs(a.start() - b.start()) <= 1e-6 && Math.abs(a.end() - b.end()) <= 1e-6;
        }
        if (!same) {
            throw new IllegalArgumentException("sampler stages = " + stagesText(used) + ", but the model was trained on "
                    + stagesText(trained) + "; allowed: the training pyramid (VideoSampler.pyramid(trainer.pyramid(), ...)"
                    + " with any steps per stage, or VideoSampler.vanilla(...) for a vanilla-trained model). To sample"
                    + " the network on other stages on purpose (an ablation), pass trainer.denoiser().withAnyPyramid()");
        }
    }

    /** 0.4142, 0.5, 1, 0: four significant digits, no trailing zeros. */
    private static String fourDigits(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** "[16 frames on t in [0, 1]]": each stage's frame count and time window, in sampling order. */
    private static String stagesText(TemporalPyramid p) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ", "[", "]");
        for (tpdiff4j.pyramid.Stage s : p.stages()) {
            j.add(s.frames() + " frames on t in [" + fourDigits(s.end()) + ", " + fourDigits(s.start()) + "]");
        }
        return j.toString();
    }

    /**
     * Refuses, before any noise is drawn, a batch whose attention weights in one attention layer of the built-in
     * transformer exceed {@code memoryBytes}: {@code 4 * heads * B * F * S * n} bytes with {@code n = F S} for full
     * attention and the larger of {@code S} and {@code F} for factorized attention (sampling keeps no layer's weights
     * for a backward pass, so one layer's are the least it needs at once). PyTorch would otherwise fail inside the
     * first network call with an allocation error, or, where the request fits the machine's address space but not its
     * memory, the operating system would end the process once the pages are touched (in a notebook: a kernel that
     * dies without a message).
     */
    static void refuseBeyondMemory(tpdiff4j.nn.ModelConfig mc, Shape fullShape, double memoryBytes) {
        long batch = fullShape.get(0), frames = fullShape.get(1), s = mc.tokensPerFrame();
        // factorized: the spatial and the temporal layer run one after the other, so the longer sequence counts
        long n = mc.attention() == tpdiff4j.nn.ModelConfig.Attention.FULL ? frames * s : Math.max(s, frames);
        double need = 4.0 * mc.heads() * batch * frames * s * n;
        if (need > memoryBytes) {
            long fits = (long) Math.floor(memoryBytes / (need / batch)); // clips whose attention fits
            String allowed = fits >= 1 ? "at most about " + fits + " clips a call for this model (sample in several"
                    + " calls with different seeds and NDArrays.concat the results)" : "not even one clip of this model fits";
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "batch = %d clips of %d frames is"
                    + " too big to sample on this machine: one attention layer's weights alone take %.2f GiB (%d heads x"
                    + " sequences of %d tokens, %s attention, patch %d on %dx%d) but the machine has %.2f GiB. Allowed:"
                    + " %s, or a model with fewer tokens (ModelConfig.withPatch, factorized attention)", batch, frames,
                    need / (1L << 30), mc.heads(), n, mc.attention(), mc.patch(), mc.height(), mc.width(),
                    memoryBytes / (1L << 30), allowed));
        }
    }

    /**
     * Refuses a sampler schedule other than the one the network was trained on, compared by value at t = j / 64 (within
     * 1e-6, so a schedule of Java functions matches its saved table): the network's time input means its training
     * schedule's t, and under another schedule every step would give it latents of another noise level. A time shift
     * at sampling is a time grid on the same schedule ({@code PyramidSampler.withGrids}).
     */
    private void requireSameSchedule(NoiseSchedule trained) {
        for (int j = 0; j <= 64; j++) {
            double t = j / 64.0;
            double dg = Math.abs(schedule.gamma(t) - trained.gamma(t)), ds = Math.abs(schedule.sigma(t) - trained.sigma(t));
            if (!(dg <= 1e-6 * (1 + Math.abs(trained.gamma(t))) && ds <= 1e-6 * (1 + Math.abs(trained.sigma(t))))) {
                throw new IllegalArgumentException("schedule = " + schedule + ", but the model was trained on " + trained
                        + " (at t = " + t + ": gamma " + schedule.gamma(t) + " vs " + trained.gamma(t) + ", sigma "
                        + schedule.sigma(t) + " vs " + trained.sigma(t) + "); allowed: the training schedule, e.g."
                        + " VideoSampler.vanilla(trainer.config().schedule(), ...) or VideoSampler.pyramid(trainer.pyramid(),"
                        + " ...)");
            }
        }
    }

    /**
     * Samples clips of the full-rate shape {@code [B, F, C, H, W]} (float32) from noise seeded by {@code seed};
     * the result belongs to {@code manager}, all intermediate arrays are freed. A network's denoiser
     * ({@code trainer.denoiser()}) must be given its own full-rate frame count F: other frame counts are refused, since
     * the network would take them for a pyramid stage's lower frame rate; and its training schedule and stages, where
     * it knows them (see {@code NetDenoiser}): another schedule, or stages other than the training pyramid's, are
     * refused ({@code NetDenoiser.withAnyPyramid()} lifts the second check for an ablation). On the CPU a batch whose attention weights in one
     * attention layer of the built-in transformer exceed the machine's memory is refused before anything is allocated.
     */
    public NDArray sample(Denoiser model, NDManager manager, Shape fullShape, long seed) {
        String allowed = "a Denoiser (e.g. trainer.denoiser()) and an open NDManager (e.g. Compute.newManager())";
        Refusals.notNull(model, "model", allowed);
        Refusals.notNull(manager, "manager", allowed);
        if (!manager.isOpen()) {
            throw new IllegalArgumentException("manager = " + manager + " is closed; allowed: an open NDManager (e.g."
                    + " Compute.newManager()), which the sampled clips then belong to");
        }
        if (fullShape == null || fullShape.dimension() < 2 || java.util.Arrays.stream(fullShape.getShape()).anyMatch(n -> n < 1)) {
            throw Refusals.refuse("fullShape", fullShape, "[B, F, C, H, W] with every size >= 1 (at least one clip)");
        }
        requireModelFits(model, fullShape);
        if (model instanceof NetDenoiser net && net.net() instanceof tpdiff4j.nn.SpaceTimeTransformer stt
                && !manager.getDevice().isGpu()) {
            refuseBeyondMemory(stt.config(), fullShape, tpdiff4j.nn.Compute.physicalMemoryBytes());
        }
        PyramidSampler engine = engine(Math.toIntExact(fullShape.get(1)));
        try (NDManager sub = manager.newSubManager()) {
            NDArray out = engine.sample(model, sub, fullShape, DataType.FLOAT32, seed);
            out.attach(manager);
            return out;
        } catch (ai.djl.engine.EngineException e) {
            if (tpdiff4j.nn.Compute.outOfMemory(e)) { // the sub-manager is closed: nothing of this call stays
                throw new IllegalStateException("sampling " + fullShape.get(0) + " clips of shape " + fullShape
                        + " ran out of memory (PyTorch: " + e.getMessage().strip() + "). Nothing of this call was"
                        + " kept. Free memory or sample fewer clips a call (batch = " + fullShape.get(0) + " now; several"
                        + " calls with different seeds, joined with NDArrays.concat, give the same number of clips)", e);
            }
            throw e;
        }
    }
}
