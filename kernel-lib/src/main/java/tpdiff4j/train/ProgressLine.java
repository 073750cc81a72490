package tpdiff4j.train;

import java.io.PrintStream;
import java.util.Locale;
import tpdiff4j.ode.ProgressStreams;

/**
 * Progress as one line rewritten in place with a carriage return ("\r"): step, loss, steps/s and ETA. At most
 * {@code 1 / minIntervalSeconds} updates per second; a newline at the end of the run.
 *
 * <p>That is for a terminal or a notebook. On any other stream (standard output sent to a log file or a pipe, a
 * {@code PrintStream} of a file) the rewrites would pile up on one line that grows all run long and that
 * {@code tail -f} shows only at the end, so there each update is a whole line, by default at most one every
 * {@value tpdiff4j.ode.ProgressStreams#LINE_INTERVAL_SECONDS} seconds: the first step, then every ten seconds, the
 * last step and the summary. {@link ProgressStreams#rewritesInPlace(PrintStream)} decides which.
 *
 * <p>Runs that overlap on one stream (two trainers training on two threads, both printing to {@code System.out})
 * cannot share one line: each would overwrite the other's numbers. While more than one run prints to a stream,
 * every run prints whole lines instead, each starting with the name of the thread that trains, e.g.
 * {@code [pool-1-thread-2] step 40/100 ...}, at most one every {@value #OVERLAP_INTERVAL_SECONDS} seconds per run,
 * and its end line carries the name too.
 */
public final class ProgressLine implements TrainListener {

    /** Shortest time between two whole progress lines of one run while runs overlap on a stream. */
    static final double OVERLAP_INTERVAL_SECONDS = 2.0;
    /** The runs printing to each stream now (between their first step and their end), guarded by itself. */
    private static final java.util.Map<PrintStream, Integer> RUNNING = new java.util.IdentityHashMap<>();
    /** Streams whose last progress output is a line rewritten in place, not yet ended by a newline. */
    private static final java.util.Set<PrintStream> OPEN_LINE =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private final PrintStream out;
    private final double minIntervalSeconds;
    /** Whether a lone run rewrites one line in place; false: whole lines. */
    private final boolean inPlace;
    private long lastPrint;
    /** Whether this run counts in {@link #RUNNING}. */
    private boolean running;
    /** The step the current call aims at, from its last progress (-1: none seen, or a time budget only). */
    private long targetStep = -1;

    /**
     * Progress on {@code out}: rewritten in place at most four times a second on a terminal or a notebook, else a
     * whole line at most every {@value tpdiff4j.ode.ProgressStreams#LINE_INTERVAL_SECONDS} seconds.
     */
    public ProgressLine(PrintStream out) {
        this(out, ProgressStreams.rewritesInPlace(out) ? 0.25 : ProgressStreams.LINE_INTERVAL_SECONDS);
    }

    /** Progress on {@code out} at most every {@code minIntervalSeconds}, in place where the stream allows it. */
    public ProgressLine(PrintStream out, double minIntervalSeconds) {
        this(out, minIntervalSeconds, ProgressStreams.rewritesInPlace(out));
    }

    /**
     * Progress on {@code out} at most every {@code minIntervalSeconds}: one line rewritten in place if
     * {@code inPlace}, else whole lines.
     */
    public ProgressLine(PrintStream out, double minIntervalSeconds, boolean inPlace) {
        this.out = out;
        this.minIntervalSeconds = minIntervalSeconds;
        this.inPlace = inPlace;
    }

    /**
     * The text of one progress line. The rate is in steps per second from 1 step/s up and in seconds per step below
     * (a big model's 0.04 steps/s would read "0.0 steps/s"); the time left is in seconds, then minutes and hours.
     */
    public static String format(TrainProgress p) {
        String eta = Double.isNaN(p.etaSeconds()) ? "?" : duration(p.etaSeconds());
        String target = p.targetStep() < 0 ? "" : "/" + p.targetStep();
        double r = p.stepsPerSecond();
        String rate = r >= 1 || !(r > 0) ? String.format(Locale.ROOT, "%.1f steps/s", r)
                : String.format(Locale.ROOT, "%.3g s/step", 1 / r);
        return String.format(Locale.ROOT, "step %d%s  loss %.4f  (smoothed %.4f)  F=%d  %s  ETA %s",
                p.step(), target, p.loss(), p.smoothedLoss(), p.frames(), rate, eta);
    }

    /** {@code 42s}, {@code 7m05s} or {@code 2h03m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    @Override
    public void onStep(TrainProgress p) {
        targetStep = p.targetStep();
        long now = System.nanoTime();
        synchronized (RUNNING) {
            if (!running) {
                running = true;
                RUNNING.merge(out, 1, Integer::sum);
            }
            boolean overlap = RUNNING.get(out) > 1;
            double interval = overlap ? Math.max(minIntervalSeconds, OVERLAP_INTERVAL_SECONDS) : minIntervalSeconds;
            if (lastPrint == 0 || (now - lastPrint) / 1e9 >= interval || p.step() == p.targetStep()) {
                if (overlap || !inPlace) {
                    String label = overlap ? "[" + Thread.currentThread().getName() + "] " : "";
                    out.print(endOpenLine() + label + format(p) + System.lineSeparator());
                } else {
                    out.print("\r" + format(p) + "   ");
                    OPEN_LINE.add(out);
                }
                out.flush();
                lastPrint = now;
            }
        }
    }

    @Override
    public void onEnd(TrainResult r) {
        synchronized (RUNNING) {
            boolean overlap = RUNNING.getOrDefault(out, 0) > (running ? 1 : 0);
            String label = overlap ? "[" + Thread.currentThread().getName() + "] " : "";
            out.print((overlap || !inPlace ? endOpenLine() : System.lineSeparator()) + label + summary(r, targetStep)
                    + System.lineSeparator());
            out.flush();
            OPEN_LINE.remove(out);
            if (running) {
                running = false;
                RUNNING.computeIfPresent(out, (k, n) -> n == 1 ? null : n - 1);
            }
            targetStep = -1;
        }
    }

    /**
     * The call failed: the line ends with what stopped it ({@code failed: ArithmeticException (see the exception)})
     * and the run no longer counts as printing, so that runs after it print as before. Nothing is printed
     * when the call failed before its first step was shown.
     */
    @Override
    public void onFailure(Throwable failure) {
        synchronized (RUNNING) {
            if (running) {
                boolean overlap = RUNNING.getOrDefault(out, 0) > 1;
                String label = overlap ? "[" + Thread.currentThread().getName() + "] " : "";
                out.print((overlap || !inPlace ? endOpenLine() : System.lineSeparator()) + label + "failed: "
                        + failure.getClass().getSimpleName() + " (see the exception)" + System.lineSeparator());
                out.flush();
                running = false;
                RUNNING.computeIfPresent(out, (k, n) -> n == 1 ? null : n - 1);
            }
            OPEN_LINE.remove(out);
            targetStep = -1;
        }
    }

    /** A newline when the stream's last progress output is a line rewritten in place (under the RUNNING lock). */
    private String endOpenLine() {
        return OPEN_LINE.remove(out) ? System.lineSeparator() : "";
    }

    /**
     * The line printed at the end of a {@code train} call: what this call did (its steps, seconds per step and mean
     * loss) and the trainer's step count, e.g. {@code "done: 2 steps, 0.019 s/step, mean loss 1.8723 (trainer at step
     * 5)"} for a second call of 2 steps; a call that made no step (a resumed job with nothing left, a budget of 0 s)
     * says {@code "done: 0 steps (trainer at step 5)"}.
     */
    public static String summary(TrainResult r) {
        return summary(r, -1);
    }

    /**
     * As {@link #summary(TrainResult)}; an interrupted call that aimed at {@code targetStep} (from its progress; -1:
     * unknown) also says how many steps it was asked for, e.g. {@code "interrupted: 62 of 100000 steps, ..."}, so
     * that a partial run does not read as a whole one.
     */
    static String summary(TrainResult r, long targetStep) {
        long asked = targetStep - (r.totalSteps() - r.steps());
        String count = r.interrupted() && targetStep >= 0 && asked > r.steps()
                ? r.steps() + " of " + asked + " steps" : r.steps() + " step" + (r.steps() == 1 ? "" : "s");
        if (r.steps() == 0) {   // no step: no time per step and no loss to average (both would print NaN)
            return String.format(Locale.ROOT, "%s: %s (trainer at step %d)",
                    r.interrupted() ? "interrupted" : "done", asked > 0 ? "0 of " + asked + " steps" : "0 steps",
                    r.totalSteps());
        }
        return String.format(Locale.ROOT, "%s: %s, %.3f s/step, mean loss %.4f (trainer at step %d)",
                r.interrupted() ? "interrupted" : "done", count, r.secondsPerStep(), r.meanLoss(), r.totalSteps());
    }
}
