package tpdiff4j.experiment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.function.ToDoubleFunction;
import tpdiff4j.Refusals;
import tpdiff4j.train.TrainResult;
import tpdiff4j.train.Trainer;

/**
 * Trains several runs side by side, round robin: the budget is cut into {@code evalPoints} equal slices, and slice
 * {@code e} of every lane runs before slice {@code e + 1} of any, so a change of machine load during the run hits
 * all lanes alike. A slice trains up to the budget's share at its end ({@code (e + 1) / evalPoints} of the steps and
 * of the seconds), counted from what the lane has used, so a slice that ends early on one limit (slow first steps)
 * or runs past its time (its last step) is made up or taken back by the next, and the lane ends at the budget. Before the first slice and after each one, a lane's quality is measured (its clock stopped) and
 * added to its {@link QualityCurve}, and the log gets a line for it that says which slice of how many has just
 * ended ({@code [TPDiff] slice 2 of 6: 60.1 s, 812 steps, loss 0.4121, quality 3.2170}), so that a long run shows
 * how far it has come. An interrupt (thread flag, or a trainer that reports one) ends the run at
 * the next slice boundary with what has been measured; an interrupt that cancels an evaluation (its sampler throws
 * {@link CancellationException}) ends it at once, without that evaluation's point. Either way the flag is set again
 * for the caller. A lane whose training loss turns NaN or infinite (its trainer throws {@link ArithmeticException})
 * stops training there, and the others go on: its curve ends at its last evaluation and its outcome says why
 * ({@link Outcome#stopped()}).
 */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * One run.
     *
     * @param name    label of its curve
     * @param trainer the trainer (its state advances)
     * @param quality the distance to measure (lower is better), e.g. of samples from the EMA weights; NaN or
     *                infinite for a diverged sample, recorded as {@link MotionQuality#DIVERGED}
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
     * @param stopped        null, or why the lane stopped before its budget: the trainer's message for a training
     *                       step whose loss was not finite (that step was not applied, so {@code steps} are the
     *                       steps before it)
     */
    public record Outcome(String name, QualityCurve curve, long steps, double trainSeconds, double secondsPerStep,
            String stopped) {

        /** An outcome of a lane that used its budget. */
        public Outcome(String name, QualityCurve curve, long steps, double trainSeconds, double secondsPerStep) {
            this(name, curve, steps, trainSeconds, secondsPerStep, null);
        }
    }

    /**
     * The result: one outcome per lane, in lane order, and whether the whole budget was used.
     *
     * @param outcomes one outcome per lane, in the order the lanes were given
     * @param complete whether every lane used its whole budget (false after an interrupt)
     */
    public record Run(List<Outcome> outcomes, boolean complete) {
    }

    /**
     * Runs the lanes.
     *
     * @param lanes      the runs (at least one)
     * @param budget     per lane
     * @param evalPoints slices (and evaluations after the first) {@code >= 1}, at most the budget's steps
     * @param log        one line per slice and lane, or null for none
     */
    public static Run run(List<Lane> lanes, Budget budget, int evalPoints, PrintStream log) {
        if (lanes == null || lanes.isEmpty()) {
            throw Refusals.refuse("lanes", lanes, "at least one run");
        }
        if (evalPoints < 1) {
            throw Refusals.refuse("evalPoints", evalPoints, ">= 1");
        }
        budget.checkSlices(evalPoints);
        int n = lanes.size();
        QualityCurve[] curves = new QualityCurve[n];
        double[] seconds = new double[n], stepTime = new double[n];
        long[] timedSteps = new long[n], startSteps = new long[n];
        String[] stopped = new String[n];
        boolean complete = true;
        for (int i = 0; i < n; i++) {
            curves[i] = QualityCurve.empty(lanes.get(i).name());
            startSteps[i] = lanes.get(i).trainer().stepCount();
        }
        for (int i = 0; i < n && complete; i++) {
            Lane l = lanes.get(i);
            OptionalDouble q = measure(l);
            if (q.isEmpty()) {
                complete = false;
                break;
            }
            curves[i] = curves[i].with(0, l.trainer().stepCount(), q.getAsDouble());
            print(log, l.name(), null, 0, l.trainer().stepCount(), Double.NaN, curves[i].finalQuality());
        }
        outer:
        for (int e = 0; e < evalPoints && complete; e++) {
            for (int i = 0; i < n; i++) {
                Lane l = lanes.get(i);
                if (Thread.interrupted()) {
                    complete = false;
                    break outer;
                }
                if (stopped[i] != null) {
                    continue;
                }
                Budget slice = budget.upTo(e, evalPoints, l.trainer().stepCount() - startSteps[i], seconds[i]);
                // null: an earlier slice's last step ran past this one's end, so nothing is left to train; the lane is
                // measured all the same, so that every lane has a point after every slice (the benchmark's processes
                // meet at each evaluation)
                double lastLoss = Double.NaN;
                if (slice != null) {
                    TrainResult r;
                    long start = System.nanoTime();
                    try {
                        r = l.trainer().train(slice.steps(), slice.seconds());
                    } catch (ArithmeticException diverged) { // a non-finite loss: this lane is done, the others go on
                        seconds[i] += (System.nanoTime() - start) / 1e9; // the steps before it trained
                        stopped[i] = diverged.getMessage();
                        if (log != null) {
                            log.println("[" + l.name() + "] stopped: " + stopped[i]);
                        }
                        continue;
                    }
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
                    lastLoss = r.lastLoss();
                }
                OptionalDouble q = measure(l);
                if (q.isEmpty()) {
                    complete = false;
                    break outer;
                }
                curves[i] = curves[i].with(seconds[i], l.trainer().stepCount(), q.getAsDouble());
                print(log, l.name(), "slice " + (e + 1) + " of " + evalPoints, seconds[i], l.trainer().stepCount(),
                        lastLoss, q.getAsDouble());
            }
        }
        if (!complete) {
            Thread.currentThread().interrupt();
            if (log != null) {
                StringBuilder line = new StringBuilder("interrupted: partial results, the curves end at each lane's last"
                        + " evaluation;");
                for (Lane l : lanes) {
                    line.append(' ').append(l.name()).append(' ').append(l.trainer().stepCount()).append(" steps,");
                }
                line.setLength(line.length() - 1);
                log.println(line);
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Outcome(lanes.get(i).name(), curves[i], lanes.get(i).trainer().stepCount(), seconds[i],
                    timedSteps[i] == 0 ? Double.NaN : stepTime[i] / timedSteps[i], stopped[i]));
        }
        return new Run(out, complete);
    }

    /**
     * The lane's quality now, or empty when an interrupt cancelled the evaluation (a sampler throws
     * {@link CancellationException}): the run then ends with the points measured before it. A quality that is NaN or
     * infinite (a diverged sample) is recorded as {@link MotionQuality#DIVERGED}.
     */
    private static OptionalDouble measure(Lane l) {
        try {
            double q = l.quality().applyAsDouble(l.trainer());
            return OptionalDouble.of(Double.isFinite(q) ? q : MotionQuality.DIVERGED);
        } catch (CancellationException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * One line of the log: the lane, the slice just trained ({@code slice 2 of 6: }; null before the first, for the
     * untrained network), its training seconds and steps so far, the loss at the end of the slice and the quality.
     */
    private static void print(PrintStream log, String name, String slice, double s, long steps, double loss,
            double q) {
        if (log != null) {
            // no step in this run yet (a trainer may come with steps done before it): no loss, rather than "NaN",
            // which reads as a diverged run
            String lossText = steps == 0 || Double.isNaN(loss) ? "-" : String.format(Locale.ROOT, "%.4f", loss);
            String qualityText = q == MotionQuality.DIVERGED ? "diverged (sample not finite)"
                    : String.format(Locale.ROOT, "%.4f", q);
            log.printf(Locale.ROOT, "[%s] %s%.1f s, %d steps, loss %s, quality %s%n", name,
                    slice == null ? "" : slice + ": ", s, steps, lossText, qualityText);
        }
    }
}
