package tpdiff4j.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The bookkeeping every solver shares: argument checks, the interrupt check before each step, the one-line
 * progress display (rewritten in place with a carriage return at most four times a second, finished with a newline,
 * on a terminal or in a notebook; whole lines elsewhere, see {@link ProgressStreams}),
 * and the x0 estimate handed to listeners.
 */
final class SolverRun {

    private final String solver;
    private final TimeGrid grid;
    private final boolean progress;
    private final long startNanos = System.nanoTime();
    /** When the progress line was last written (0: not yet); it is rewritten at most every {@link #PRINT_NANOS}. */
    private long lastPrint;
    /**
     * Whether {@code System.out} shows the progress as one line rewritten in place (a terminal, a notebook); else
     * it gets a whole line at most every {@link ProgressStreams#LINE_INTERVAL_SECONDS} ({@link ProgressStreams}).
     */
    private final boolean inPlace;
    /** Whether the progress line was written in place and not yet ended with a newline. */
    private boolean lineOpen;

    /**
     * A quarter of a second between rewrites of the progress line, as the trainer's line: a run of thousands of cheap
     * steps would otherwise send one rewrite per step into the notebook's output (hundreds of kilobytes).
     */
    static final long PRINT_NANOS = 250_000_000L;

    SolverRun(String solver, Denoiser model, NoiseSchedule schedule, NDArray x, TimeGrid grid, boolean progress) {
        String[] names = {"model", "schedule", "x", "grid"};
        Object[] given = {model, schedule, x, grid};
        String[] allowed = {"a Denoiser, e.g. Denoiser.of(PredictionType.VELOCITY, (x, t) -> prediction)",
            "a NoiseSchedule, e.g. Schedules.flowMatching()", "the state at the grid's first time, an NDArray",
            "a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)"};
        for (int i = 0; i < names.length; i++) {
            Refusals.notNull(given[i], names[i], allowed[i]);
        }
        if (model.type() == null) {   // the allowed text is built only on refusal: a run is made for every sample
            throw Refusals.refuse("model.type()", null, "one of " + java.util.Arrays.toString(PredictionType.values()));
        }
        this.solver = solver;
        this.grid = grid;
        this.progress = progress;
        this.inPlace = progress && ProgressStreams.rewritesInPlace(System.out);
    }

    /**
     * Called before step {@code step}: throws {@link CancellationException} when the thread was interrupted (the
     * interrupt flag is consumed, so that the thread, e.g. a notebook cell thread, can go on), and updates progress.
     */
    void beforeStep(int step) {
        if (Thread.interrupted()) {
            if (progress) {
                printStep(step); // the line ends where the run stopped
                endLine();
            }
            // t as the progress line writes it (a grid's times are rarely short decimals: 0.6666666666666666)
            throw new CancellationException(String.format(Locale.ROOT,
                    "solver %s was interrupted before step %d of %d (t = %.4f); no result", solver, step, grid.steps(),
                    grid.t(step)));
        }
        long now = System.nanoTime();
        long interval = inPlace ? PRINT_NANOS : (long) (ProgressStreams.LINE_INTERVAL_SECONDS * 1e9);
        if (progress && (lastPrint == 0 || now - lastPrint >= interval)) {
            printStep(step);
            lastPrint = now;
        }
    }

    private void printStep(int step) {
        String text = String.format(Locale.ROOT, "%s: step %d/%d  t = %.4f  %.1f s", solver, step, grid.steps(),
                grid.t(step), (System.nanoTime() - startNanos) * 1e-9);
        System.out.print(inPlace ? "\r" + text + "   " : text + System.lineSeparator());
        System.out.flush();
        lineOpen = inPlace;
    }

    /** Ends a progress line left open in place, so that what is printed next starts on a line of its own. */
    private void endLine() {
        if (lineOpen) {
            System.out.println();
            lineOpen = false;
        }
    }

    /** Ends the progress line. */
    void done() {
        if (progress) {
            String text = String.format(Locale.ROOT, "%s: %d steps done  t = %.4f  %.1f s", solver, grid.steps(),
                    grid.t(grid.steps()), (System.nanoTime() - startNanos) * 1e-9);
            System.out.print((inPlace ? "\r" + text + "   " : text) + System.lineSeparator());
            System.out.flush();
            lineOpen = false;
        }
    }

    /** One step of a solver: from the state at grid time {@code step} to the next, as a new array. */
    @FunctionalInterface
    interface Step {
        NDArray apply(int step, NDArray current);
    }

    /**
     * Runs {@code step} over the grid, starting from a copy of x. Memory stays bounded: each step runs in a
     * sub-manager of x's manager to which the current state is temporarily attached, so every intermediate the
     * step creates from it is closed when the step ends; only the new state is moved to x's manager.
     */
    NDArray loop(NDArray x, Step step) {
        NDManager base = x.getManager();
        NDArray current = x.duplicate();
        try {
            for (int n = 0; n < grid.steps(); n++) {
                beforeStep(n);
                NDArray next;
                try (StepInProgress busy = StepInProgress.enter(); NDManager stepManager = base.newSubManager()) {
                    current.tempAttach(stepManager);
                    next = step.apply(n, current);
                    if (next == current) {
                        next = current.duplicate();
                    }
                    next.attach(base);
                }
                current.close();
                current = next;
            }
            done();
            return current;
        } catch (RuntimeException e) {
            current.close();
            endLine(); // a step that failed (the model threw) leaves no line open for the next output to overwrite
            throw e;
        }
    }

    /** x0 from a prediction for listeners, or null where the prediction does not determine it. */
    static NDArray x0OrNull(NoiseSchedule s, double t, NDArray x, NDArray pred, PredictionType type) {
        try {
            return Predictions.convert(s, t, x, pred, type, PredictionType.X0);
        } catch (IllegalArgumentException singular) {
            return null;
        }
    }
}
