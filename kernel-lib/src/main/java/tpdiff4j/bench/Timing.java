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

    static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("benchmark interrupted");
        }
    }
}
