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
 *
 * <p>A call that is one part of a longer run whose own lines say where each part ends (a slice of an experiment,
 * {@link #part}) gets the same display with a label in front, and no line of its own at the end: rewritten in place,
 * the line is erased when the call ends, so that the caller's line takes its place; as whole lines, one comes only
 * every {@value tpdiff4j.ode.ProgressStreams#LINE_INTERVAL_SECONDS} seconds into a call, so that a part shorter than
 * that adds nothing to a log.
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
    /** Text in front of every line ("" for none). */
    private final String label;
    /** Whether each call is a part of a longer run (see {@link #part}): no first, last or end line of its own. */
    private final boolean part;
    /** When this call's first step was seen (a part's whole lines start one interval after it). */
    private long callStart;
    /** Characters of the line now shown in place (for erasing it), 0: none. */
    private int shown;

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
        this(out, minIntervalSeconds, inPlace, "", false);
    }

    private ProgressLine(PrintStream out, double minIntervalSeconds, boolean inPlace, String label, boolean part) {
        this.out = out;
        this.minIntervalSeconds = minIntervalSeconds;
        this.inPlace = inPlace;
        this.label = label;
        this.part = part;
    }

    /**
     * Progress of calls that are parts of a longer run whose caller prints a line at the end of each part (an
     * experiment prints one per slice and arm): every line starts with {@code label} (e.g. {@code "[vanilla] "}); on a
     * terminal or a notebook one line is rewritten in place at most four times a second and erased when the call
     * ends, so that the caller's line takes its place; elsewhere a whole line comes at most every
     * {@value tpdiff4j.ode.ProgressStreams#LINE_INTERVAL_SECONDS} seconds, the first that long into the call, and
     * nothing at its end.
     */
    public static ProgressLine part(PrintStream out, String label) {
        return part(out, label, ProgressStreams.rewritesInPlace(out) ? 0.25 : ProgressStreams.LINE_INTERVAL_SECONDS,
                ProgressStreams.rewritesInPlace(out));
    }

    /**
     * As {@link #part(PrintStream, String)}, at most every {@code minIntervalSeconds} ({@code >= 0}): one line
     * rewritten in place if {@code inPlace}, else whole lines.
     */
    public static ProgressLine part(PrintStream out, String label, double minIntervalSeconds, boolean inPlace) {
        tpdiff4j.Refusals.notNull(out, "out", "a PrintStream such as System.out");
        tpdiff4j.Refusals.notNull(label, "label", "text in front of each line, e.g. \"[vanilla] \", or \"\"");
        if (!(minIntervalSeconds >= 0) || Double.isInfinite(minIntervalSeconds)) {
            throw tpdiff4j.Refusals.refuse("minIntervalSeconds", minIntervalSeconds, "a finite number >= 0");
        }
        return new ProgressLine(out, minIntervalSeconds, inPlace, label, true);
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
                callStart = now;
                RUNNING.merge(out, 1, Integer::sum);
            }
            boolean overlap = RUNNING.get(out) > 1;
            double interval = overlap ? Math.max(minIntervalSeconds, OVERLAP_INTERVAL_SECONDS) : minIntervalSeconds;
            boolean lines = overlap || !inPlace;
            boolean due = part && lines
                    // a part's whole lines: one interval into the call, then every interval; none at its ends
                    ? (now - Math.max(callStart, lastPrint)) / 1e9 >= interval
                    : lastPrint == 0 || (now - lastPrint) / 1e9 >= interval || p.step() == p.targetStep();
            if (due) {
                if (lines) {
                    String thread = overlap ? "[" + Thread.currentThread().getName() + "] " : "";
                    out.print(endOpenLine() + thread + label + format(p) + System.lineSeparator());
                } else {
                    String text = label + format(p) + "   ";
                    out.print("\r" + text);
                    shown = text.length();
                    OPEN_LINE.add(out);
                }
                out.flush();
                lastPrint = now;
            }
        }
    }

    @Override
    public void onEnd(TrainResult r) {
        if (part) {
            endPart();
            return;
        }
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
        if (part) {
            endPart();
            return;
        }
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

    /**
     * The end of a part's call: a line shown in place is erased (blanks over it, the cursor back at its start), so
     * that what the caller prints next takes its place; the run no longer counts as printing.
     */
    private void endPart() {
        synchronized (RUNNING) {
            if (shown > 0 && OPEN_LINE.remove(out)) {
                out.print("\r" + " ".repeat(shown) + "\r");
                out.flush();
            }
            shown = 0;
            if (running) {
                running = false;
                RUNNING.computeIfPresent(out, (k, n) -> n == 1 ? null : n - 1);
            }
            targetStep = -1;
            lastPrint = 0;
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
