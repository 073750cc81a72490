package tpdiff4j.bench;

/** Wall-clock timing of repeated work: warm-up calls, then the median of timed calls. */
final class Timing {

    private Timing() {
    }

    /** Work that may throw nothing checked. */
    interface Work {
        void run();
    }

    /**
     * Runs {@code work} {@code warmup} times untimed, then {@code reps} times timed; returns the per-call
     * milliseconds (in call order). Stops with an exception if the thread is interrupted.
     */
    static double[] millis(Work work, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            checkInterrupt();
            work.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            checkInterrupt();
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    /**
     * Times {@code a} and {@code b} in alternation: {@code warmup} untimed rounds of each, then {@code reps} timed
     * rounds of {@code a} then {@code b}. Returns {@code {ms of a, ms of b}} per call, in call order. Two quantities
     * that are compared (a ratio, or a difference such as the part of a step outside the network) are measured this
     * way, so that a change of the machine's speed during the measurement hits both alike; timed one after the
     * other, a slowdown between the two loops shows up as a difference of the work.
     */
    static double[][] interleaved(Work a, Work b, int warmup, int reps) {
        return roundRobin(warmup, reps, a, b);
    }

    /**
     * {@link #interleaved} for any number of works: {@code warmup} untimed rounds, then {@code reps} timed rounds, each
     * round running every work once in the given order. Returns the milliseconds of work {@code i}'s calls in row
     * {@code i}, in call order.
     */
    static double[][] roundRobin(int warmup, int reps, Work... works) {
        for (int i = 0; i < warmup; i++) {
            for (Work w : works) {
                checkInterrupt();
                w.run();
            }
        }
        double[][] ms = new double[works.length][reps];
        for (int i = 0; i < reps; i++) {
            for (int k = 0; k < works.length; k++) {
                ms[k][i] = millis(works[k], 0, 1)[0];
            }
        }
        return ms;
    }

    static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("benchmark interrupted");
        }
    }
}
