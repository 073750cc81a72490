package tpdiff4j.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import tpdiff4j.Refusals;

/**
 * Wall-clock seconds of several pieces of work that are compared with each other, such as two samplers whose times
 * give a speed-up. One call's time is at the mercy of the machine's load, so each piece is called several times,
 * in turn (first, second, ..., first, second, ...), so that a change of load during the measurement hits every piece
 * alike, and the median of each piece's calls is kept:
 *
 * <pre>{@code
 * TimedInTurn t = TimedInTurn.time(3,
 *         call -> vanillaSampler.sample(...),
 *         call -> pyramidSampler.sample(...));
 * double speedUp = t.median(0) / t.median(1);
 * }</pre>
 *
 * <p>For samplers, {@link #sampling} does the same with what timing them needs besides: each call's arrays in a
 * manager of their own, freed after it, the first call's clips handed over, and on a GPU a call that ends when the
 * device has finished.
 *
 * <p>Each call is given its number (0 for the first round), so that a piece can do something on one round only,
 * such as keep the clips of the last call. An {@link AfterCall} runs after each call, outside the clock: work on a
 * call's result that is not to be timed (scoring the clips of the first round, freeing its arrays) goes there.
 *
 * <p>An interrupt ends the timing early: the thread's interrupt flag seen before a call, or a call that throws
 * {@link CancellationException} (as the samplers do when interrupted; that call is not counted). The result then
 * holds the calls that finished, fewer for some pieces than for others, says {@link #interrupted()}, and the flag is
 * set again for the caller (so that a notebook cell ends as interrupted).
 *
 * @param seconds     per piece of work, the seconds of its finished calls in call order
 * @param interrupted whether an interrupt ended the timing before every call ran
 */
public record TimedInTurn(List<double[]> seconds, boolean interrupted) {

    /** Work outside the clock after each call of piece {@code work} (0 for the first piece), round {@code call}. */
    @FunctionalInterface
    public interface AfterCall {
        /** After call number {@code call} (0 first) of piece number {@code work} (0 first). */
        void done(int work, int call);
    }

    public TimedInTurn {
        Refusals.notNull(seconds, "seconds", "one array of call times per piece of work");
        seconds = seconds.stream().map(s -> Refusals.notNull(s, "seconds of a piece of work",
                "an array of call times, empty when none finished").clone()).toList();
    }

    /**
     * Calls each of {@code works} {@code calls} times, in turn, each call on the clock (see the class comment).
     *
     * @param calls rounds, {@code >= 1}; each piece is called once per round
     * @param works the pieces of work, at least one; each gets the round's number, 0 first
     */
    public static TimedInTurn time(int calls, IntConsumer... works) {
        return time(calls, works == null ? null : Arrays.asList(works), (w, c) -> { });
    }

    /**
     * As {@link #time(int, IntConsumer...)}, with {@code after} run after each call, outside the clock (and after a
     * call that throws nothing only).
     */
    public static TimedInTurn time(int calls, List<? extends IntConsumer> works, AfterCall after) {
        if (calls < 1) {
            throw Refusals.refuse("calls", calls, ">= 1 (each piece of work is called once per round)");
        }
        boolean nulls = works != null && works.stream().anyMatch(java.util.Objects::isNull);
        if (works == null || works.isEmpty() || nulls) {
            throw Refusals.refuse("works", works == null ? "null" : nulls ? "a list holding null" : "none",
                    "at least one piece of work, none of them null");
        }
        Refusals.notNull(after, "after", "work to run after each call, e.g. (work, call) -> { }");
        int n = works.size();
        double[][] s = new double[n][calls];
        int[] done = new int[n];
        boolean interrupted = false;
        rounds:
        for (int c = 0; c < calls; c++) {
            for (int w = 0; w < n; w++) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    break rounds;
                }
                long t0 = System.nanoTime();
                try {
                    works.get(w).accept(c);
                } catch (CancellationException e) { // an interrupted sampler: this call does not count
                    Thread.interrupted();
                    interrupted = true;
                    break rounds;
                }
                s[w][c] = (System.nanoTime() - t0) / 1e9;
                done[w]++;
                after.done(w, c);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<double[]> out = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            out.add(Arrays.copyOf(s[w], done[w]));
        }
        return new TimedInTurn(out, interrupted);
    }

    /** One sampler of {@link #sampling}: clips made in {@code arrays} on call number {@code call} (0 first). */
    @FunctionalInterface
    public interface Sampling {
        /** The clips of call {@code call}, made in {@code arrays}, which is closed after the call. */
        ai.djl.ndarray.NDArray sample(ai.djl.ndarray.NDManager arrays, int call);
    }

    /**
     * Samplers timed in turn, as {@link #time(int, List, AfterCall)} times any work: each call makes its clips in a
     * sub-manager of {@code m} of its own and ends with one value of them read back, so that on a GPU, where the
     * operations only queue work, the call ends on the clock when the device has finished (on the CPU the read costs
     * one reduction). Every call draws the same clips when the samplers use a fixed seed; those of the first call
     * go to {@code firstClips} (with the sampler's number), outside the clock, to score or keep: they are freed with
     * the call's arrays unless {@code firstClips} attaches them (or a copy) to a manager of its own. The arrays of a
     * call that an interrupt stopped are freed too.
     *
     * @param calls      rounds, {@code >= 1}
     * @param m          the manager whose sub-managers hold each call's arrays
     * @param samplers   the samplers, at least one
     * @param firstClips what to do with each sampler's clips of the first call
     */
    public static TimedInTurn sampling(int calls, ai.djl.ndarray.NDManager m, List<? extends Sampling> samplers,
            java.util.function.BiConsumer<Integer, ai.djl.ndarray.NDArray> firstClips) {
        Refusals.notNull(m, "m", "the manager of the sampling calls' arrays");
        Refusals.notNull(firstClips, "firstClips", "what to do with the first call's clips, e.g. (i, clips) -> { }");
        if (samplers == null || samplers.isEmpty() || samplers.stream().anyMatch(java.util.Objects::isNull)) {
            throw Refusals.refuse("samplers", samplers == null ? "null" : samplers.isEmpty() ? "none"
                    : "a list holding null", "at least one sampler, none of them null");
        }
        int n = samplers.size();
        ai.djl.ndarray.NDManager[] arrays = new ai.djl.ndarray.NDManager[n];
        ai.djl.ndarray.NDArray[] clips = new ai.djl.ndarray.NDArray[n];
        List<IntConsumer> works = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            works.add(call -> {
                arrays[k] = m.newSubManager();
                clips[k] = samplers.get(k).sample(arrays[k], call);
                clips[k].max().getFloat(); // the call ends when the device has finished
            });
        }
        try {
            return time(calls, works, (k, call) -> {
                try (ai.djl.ndarray.NDManager done = arrays[k]) {
                    if (call == 0) {
                        firstClips.accept(k, clips[k]);
                    }
                } finally {
                    arrays[k] = null;
                    clips[k] = null;
                }
            });
        } finally {
            for (ai.djl.ndarray.NDManager left : arrays) { // a call stopped by an interrupt
                if (left != null) {
                    left.close();
                }
            }
        }
    }

    /** The seconds of piece {@code work}'s finished calls, in call order. */
    public double[] seconds(int work) {
        return seconds.get(checked(work)).clone();
    }

    @Override
    public List<double[]> seconds() {
        return seconds.stream().map(double[]::clone).toList();
    }

    /** How many calls of piece {@code work} finished (all of them unless {@link #interrupted()}). */
    public int calls(int work) {
        return seconds.get(checked(work)).length;
    }

    /**
     * The median seconds of piece {@code work}'s finished calls: the middle one of an odd count, the mean of the two
     * middle ones of an even count; NaN when none finished.
     */
    public double median(int work) {
        double[] s = seconds(work);
        if (s.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private int checked(int work) {
        if (work < 0 || work >= seconds.size()) {
            throw Refusals.refuse("work", work, "0 to " + (seconds.size() - 1) + ", the number of a piece of work in"
                    + " the order given");
        }
        return work;
    }

    /** Equal call times (by value: a record compares arrays by identity) and the same interrupt state. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TimedInTurn t) || t.interrupted != interrupted || t.seconds.size() != seconds.size()) {
            return false;
        }
        for (int w = 0; w < seconds.size(); w++) {
            if (!Arrays.equals(seconds.get(w), t.seconds.get(w))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Boolean.hashCode(interrupted);
        for (double[] s : seconds) {
            h = 31 * h + Arrays.hashCode(s);
        }
        return h;
    }

    /** Each piece's median and its number of calls, e.g. {@code "TimedInTurn[0.512 s (median of 3 calls), ...]"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TimedInTurn[");
        for (int w = 0; w < seconds.size(); w++) {
            sb.append(w == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.3g s (median of %d call%s)",
                    median(w), calls(w), calls(w) == 1 ? "" : "s"));
        }
        return sb.append(interrupted ? ", interrupted]" : "]").toString();
    }
}
