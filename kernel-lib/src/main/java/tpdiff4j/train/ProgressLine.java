package tpdiff4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as one line rewritten in place with a carriage return ("\r"): step, loss, steps/s and ETA. At most
 * {@code 1 / minIntervalSeconds} updates per second; a newline at the end of the run.
 */
public final class ProgressLine implements TrainListener {

    private final PrintStream out;
    private final double minIntervalSeconds;
    private long lastPrint;
    /** The step the current call aims at, from its last progress (-1: none seen, or a time budget only). */
    private long targetStep = -1;

    public ProgressLine(PrintStream out) {
        this(out, 0.25);
    }

    public ProgressLine(PrintStream out, double minIntervalSeconds) {
        this.out = out;
        this.minIntervalSeconds = minIntervalSeconds;
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
        return String.format(Locale.ROOT, "step %d%s  loss %.4f  (avg %.4f)  F=%d  %s  ETA %s",
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
        if (lastPrint == 0 || (now - lastPrint) / 1e9 >= minIntervalSeconds || p.step() == p.targetStep()) {
            out.print("\r" + format(p) + "   ");
            out.flush();
            lastPrint = now;
        }
    }

    @Override
    public void onEnd(TrainResult r) {
        out.print(System.lineSeparator() + summary(r, targetStep) + System.lineSeparator());
        out.flush();
        targetStep = -1;
    }

    /**
     * The line printed at the end of a {@code train} call: what this call did (its steps, seconds per step and mean
     * loss) and the trainer's step count, e.g. {@code "done: 2 steps, 0.019 s/step, mean loss 1.8723 (trainer at step
     * 5)"} for a second call of 2 steps.
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
        return String.format(Locale.ROOT, "%s: %s, %.3f s/step, mean loss %.4f (trainer at step %d)",
                r.interrupted() ? "interrupted" : "done", count, r.secondsPerStep(), r.meanLoss(), r.totalSteps());
    }
}
