package tpdiff4j.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.StepListener;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Samples videos from a denoiser, either vanilla (one solver run over {@code t = 1 -> 0} at full rate) or with the
 * temporal pyramid ({@link PyramidSampler}: a solver run per stage, the corrected stage jump in between, spec 5.4).
 * Any {@link Solver}; steps per stage; the initial noise comes from {@code seed} exactly as in
 * {@code PyramidSampler} (stream 0 of {@link GaussianNoise#derive}), so a one-stage pyramid reproduces the
 * vanilla sampler bit for bit. The per-step listener and the progress switch are the solver's.
 *
 * <pre>{@code
 * VideoSampler v = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 30);
 * VideoSampler p = VideoSampler.pyramid(TemporalPyramid.uniform(fm, 3, 16), Solvers.euler(), 10, 10, 10);
 * NDArray clips = p.sample(trainer.denoiser(), manager, new Shape(8, 16, 1, 16, 16), 42);
 * }</pre>
 */
public final class VideoSampler {

    private final NoiseSchedule schedule;
    private final TemporalPyramid pyramid;
    private final Solver solver;
    private final int[] steps;

    private VideoSampler(NoiseSchedule schedule, TemporalPyramid pyramid, Solver solver, int[] steps) {
        if (solver == null) {
            throw new IllegalArgumentException("solver must not be null (e.g. Solvers.euler() or Solvers.ddim())");
        }
        this.schedule = schedule;
        this.pyramid = pyramid;
        this.solver = solver;
        this.steps = steps;
    }

    /** Vanilla sampling with {@code steps} solver steps on {@code TimeGrid.uniform(1, 0, steps)}. */
    public static VideoSampler vanilla(NoiseSchedule schedule, Solver solver, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + ": must be at least 1");
        }
        return new VideoSampler(schedule, null, solver, new int[] {steps});
    }

    /** Pyramid sampling with the given steps per stage (sampling order), or one value for every stage. */
    public static VideoSampler pyramid(TemporalPyramid pyramid, Solver solver, int... stepsPerStage) {
        // validate through the pyramid sampler's builder (it names the allowed values)
        int[] n = PyramidSampler.builder(pyramid).setSolver(solver).setSteps(stepsPerStage).build().steps();
        return new VideoSampler(pyramid.schedule(), pyramid, solver, n);
    }

    /** A copy whose solver reports every step to {@code listener} (trajectories for plots). */
    public VideoSampler withListener(StepListener listener) {
        return new VideoSampler(schedule, pyramid, solver.withListener(listener), steps);
    }

    /** A copy with the solver's progress output on or off. */
    public VideoSampler withProgress(boolean on) {
        return new VideoSampler(schedule, pyramid, solver.withProgress(on), steps);
    }

    /** True for pyramid sampling. */
    public boolean isPyramid() {
        return pyramid != null;
    }

    /** Steps per stage (one entry for vanilla). */
    public int[] steps() {
        return steps.clone();
    }

    /** Total solver steps. */
    public int totalSteps() {
        return Arrays.stream(steps).sum();
    }

    /** Samples {@code batch} clips of {@code spec}. */
    public NDArray sample(Denoiser model, NDManager manager, int batch, VideoSpec spec, long seed) {
        return sample(model, manager, new Shape(spec.batchShape(batch)), seed);
    }

    /**
     * Samples clips of the full-rate shape {@code [B, F, C, H, W]} (float32) from noise seeded by {@code seed};
     * the result belongs to {@code manager}, all intermediate arrays are freed.
     */
    public NDArray sample(Denoiser model, NDManager manager, Shape fullShape, long seed) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray out;
            long[] dims = fullShape.getShape().clone();
            if (pyramid != null) {
                dims[1] = pyramid.stage(0).frames();
            }
            // the same values as PyramidSampler's own start noise, copied into engine-owned memory (see Tensors)
            NDArray drawn = GaussianNoise.normal(sub, new Shape(dims), DataType.FLOAT32, GaussianNoise.derive(seed, 0));
            NDArray x = drawn.duplicate();
            drawn.close();
            if (pyramid != null) {
                out = PyramidSampler.builder(pyramid).setSolver(solver).setSteps(steps).build().sample(model, x, seed);
            } else {
                out = solver.solve(model, schedule, x, TimeGrid.uniform(1.0, 0.0, steps[0]));
            }
            out.attach(manager);
            return out;
        }
    }
}
