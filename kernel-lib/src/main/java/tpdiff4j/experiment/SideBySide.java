package tpdiff4j.experiment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import tpdiff4j.train.TrainResult;
import tpdiff4j.train.Trainer;

/**
 * Trains several runs side by side, round robin: the budget is cut into {@code evalPoints} equal slices, and slice
 * {@code e} of every lane runs before slice {@code e + 1} of any, so a change of machine load during the run hits
 * all lanes alike. Before the first slice and after each one, a lane's quality is measured (its clock stopped) and
 * added to its {@link QualityCurve}. An interrupt (thread flag, or a trainer that reports one) ends the run at
 * the next slice boundary with what has been measured; the flag is set again for the caller.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * One run.
     *
     * @param name    label of its curve
     * @param trainer the trainer (its state advances)
     * @param quality the distance to measure (lower is better), e.g. of samples from the EMA weights
     */
    public record Lane(String name, Trainer trainer, ToDoubleFunction<Trainer> quality) {
    }

    /**
     * What one lane did.
     *
     * @param name           the lane's label
     * @param curve          quality against training seconds and steps (first point: untrained)
     * @param steps          training steps done
     * @param trainSeconds   training wall-clock seconds (evaluations excluded)
     * @param secondsPerStep mean seconds of a training step after warm-up ({@link TrainResult#warmupSteps()}); NaN if none
     */
    public record Outcome(String name, QualityCurve curve, long steps, double trainSeconds, double secondsPerStep) {
    }

    /** The result: one outcome per lane, in lane order, and whether the whole budget was used. */
    public record Run(List<Outcome> outcomes, boolean complete) {
    }

    /**
     * Runs the lanes.
     *
     * @param lanes      the runs (at least one)
     * @param budget     per lane
     * @param evalPoints slices (and evaluations after the first) {@code >= 1}
     * @param log        one line per slice and lane, or null for none
     */
    public static Run run(List<Lane> lanes, Budget budget, int evalPoints, PrintStream log) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("no lanes: give at least one run");
        }
        if (evalPoints < 1) {
            throw new IllegalArgumentException("evalPoints = " + evalPoints + "; allowed: >= 1");
        }
        int n = lanes.size();
        QualityCurve[] curves = new QualityCurve[n];
        double[] seconds = new double[n], stepTime = new double[n];
        long[] timedSteps = new long[n];
        for (int i = 0; i < n; i++) {
            Lane l = lanes.get(i);
            curves[i] = QualityCurve.empty(l.name()).with(0, l.trainer().stepCount(), l.quality().applyAsDouble(l.trainer()));
            print(log, l.name(), 0, l.trainer().stepCount(), Double.NaN, curves[i].finalQuality());
        }
        boolean complete = true;
        outer:
        for (int e = 0; e < evalPoints; e++) {
            Budget slice = budget.slice(e, evalPoints);
            for (int i = 0; i < n; i++) {
                Lane l = lanes.get(i);
                if (Thread.interrupted()) {
                    complete = false;
                    break outer;
                }
                TrainResult r = l.trainer().train(slice.steps(), slice.seconds());
                seconds[i] += r.seconds();
                double[] st = r.stepSeconds();
                for (int j = r.warmupSteps(); j < st.length; j++) {
                    stepTime[i] += st[j];
                    timedSteps[i]++;
                }
                if (r.interrupted()) {
                    complete = false;
                    break outer;
                }
                double q = l.quality().applyAsDouble(l.trainer());
                curves[i] = curves[i].with(seconds[i], l.trainer().stepCount(), q);
                print(log, l.name(), seconds[i], l.trainer().stepCount(), r.lastLoss(), q);
            }
        }
        if (!complete) {
            Thread.currentThread().interrupt();
        }
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Outcome(lanes.get(i).name(), curves[i], lanes.get(i).trainer().stepCount(), seconds[i],
                    timedSteps[i] == 0 ? Double.NaN : stepTime[i] / timedSteps[i]));
        }
        return new Run(out, complete);
    }

    private static void print(PrintStream log, String name, double s, long steps, double loss, double q) {
        if (log != null) {
            String lossText = steps == 0 ? "-" : String.format(Locale.ROOT, "%.4f", loss); // no step yet: no loss
            log.printf(Locale.ROOT, "[%s] %.1f s, %d steps, loss %s, quality %.4f%n", name, s, steps, lossText, q);
        }
    }
}
