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

    public ProgressLine(PrintStream out) {
        this(out, 0.25);
    }

    public ProgressLine(PrintStream out, double minIntervalSeconds) {
        this.out = out;
        this.minIntervalSeconds = minIntervalSeconds;
    }

    /** The text of one progress line. */
    public static String format(TrainProgress p) {
        String eta = Double.isNaN(p.etaSeconds()) ? "?" : String.format(Locale.ROOT, "%.0fs", p.etaSeconds());
        String target = p.targetStep() < 0 ? "" : "/" + p.targetStep();
        return String.format(Locale.ROOT, "step %d%s  loss %.4f  (avg %.4f)  F=%d  %.1f steps/s  ETA %s",
                p.step(), target, p.loss(), p.smoothedLoss(), p.frames(), p.stepsPerSecond(), eta);
    }

    @Override
    public void onStep(TrainProgress p) {
        long now = System.nanoTime();
        if (lastPrint == 0 || (now - lastPrint) / 1e9 >= minIntervalSeconds || p.step() == p.targetStep()) {
            out.print("\r" + format(p) + "   ");
            out.flush();
            lastPrint = now;
        }
    }

    @Override
    public void onEnd(TrainResult r) {
        out.printf(Locale.ROOT, "%n%s after %d steps, %.3f s/step, mean loss %.4f%n",
                r.interrupted() ? "interrupted" : "done", r.totalSteps(), r.secondsPerStep(), r.meanLoss());
        out.flush();
    }
}
