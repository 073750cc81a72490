package tpdiff4j.kernel;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import tpdiff4j.Refusals;

/**
 * Warms the JIT up while the kernel is idle after its start, so that the user's cells do not pay for it.
 *
 * <p>A trivial cell is almost all JShell and javac code (two compilations per snippet); the JVM compiles that code
 * to machine code only after it has run many times. Measured with {@code 1 + 1} cells on a busy 2-core machine
 * (load 3-6): the median round trip of cells 0-50 was 46-47 ms, of cells 150-200 18-19 ms, also when the kernel had
 * been idle for 20 s before the first cell (so it is the number of executions, not time, that counts). With this
 * warm-up after 25 s of idle time, 100 cells took 24 ms (median) against 40 ms without it in the same run.
 *
 * <p>Cost: the CPU time of the slices (about 10 s on that machine, only while idle) and the memory JShell keeps for
 * every snippet it has seen, about 22 KiB per slice, so at most a few MiB in all.
 *
 * <p>While the kernel is idle this class runs throwaway expressions on the cell thread, each exactly as a cell's
 * value is evaluated ({@link CellEvaluator#run}: JShell compiles and runs it, its temporary variable is dropped),
 * so no variable, import or output reaches the session. Nothing runs before the first cell has ended ({@link #arm}),
 * so the first cell never waits for a slice; after that a slice starts only after {@link #IDLE_MILLIS} without a
 * request ({@link #touch}), and a request that arrives during a slice waits for that one slice. The number of slices is
 * the knob {@value #KNOB} (default {@value #DEFAULT_SLICES}; 0 turns the warm-up off).
 */
final class IdleWarmUp {

    /** Knob: how many throwaway expressions the kernel evaluates while idle (0: none). */
    static final String KNOB = "TPDIFF4J_KERNEL_WARMUP";
    /** Default slices: where the round trip stopped falling in the measurement above. */
    static final int DEFAULT_SLICES = 150;
    /** Quiet time before a slice starts. */
    static final long IDLE_MILLIS = 150;
    /** Fully qualified: a user's class named Math or List is not called, and no import makes a name ambiguous. */
    private static final List<String> EXPRESSIONS = List.of("1 + 1", "java.lang.Math.max(3, 4)",
            "java.util.List.of(1, 2).size()", "\"tpdiff4j\".length() * 2");

    private final CellThread cells;
    private final java.io.PrintStream log;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stopped;
    private volatile boolean armed;
    private volatile int slicesRun;

    /**
     * @param cells the kernel's cell thread, on which the slices run
     * @param log   where a warm-up that stops on an unexpected failure says so (the kernel's console)
     */
    IdleWarmUp(CellThread cells, java.io.PrintStream log) {
        this.cells = cells;
        this.log = log;
    }

    /** @return the slices of {@value #KNOB} (system property first, then environment); a bad value is an error */
    static int slicesSetting() {
        int n = Knobs.intValue(KNOB, DEFAULT_SLICES);
        if (n < 0) {
            throw Refusals.refuse(KNOB, n, "at least 0 (0 turns the warm-up off)");
        }
        return n;
    }

    /** Marks kernel activity now: no slice starts for {@link #IDLE_MILLIS}. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Allows slices from now on (the kernel calls it when its first cell has ended); marks activity too. */
    void arm() {
        touch();
        armed = true;
    }

    /** @return how many slices ran */
    int slicesRun() {
        return slicesRun;
    }

    /** Stops after the slice in progress. */
    void stop() {
        stopped = true;
    }

    /**
     * Starts a daemon thread that waits for {@code ready}, then runs up to {@code slices} slices while idle.
     *
     * @return the thread
     */
    Thread start(Future<CellEvaluator> ready, int slices) {
        if (slices < 0) {
            throw Refusals.refuse("slices", slices, "at least 0");
        }
        Thread t = new Thread(() -> drive(ready, slices), "tpdiff4j-idle-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private void drive(Future<CellEvaluator> ready, int slices) {
        try {
            CellEvaluator ev = ready.get();
            for (int i = 0; i < slices && awaitIdle(); i++) {
                String code = EXPRESSIONS.get(i % EXPRESSIONS.size());
                try {
                    cells.call(() -> ev.warmUp(code));
                } catch (CellInterrupted e) {
                    // an interrupt request while the kernel looked idle: this slice ends, the next one may run
                }
                slicesRun++;
            }
            // no line when it went well: the kernel's console is the user's terminal under jupyter console, where
            // a line written while the prompt waits lands in the middle of what the user types
        } catch (InterruptedException | ExecutionException | CancellationException e) {
            // no JShell, or the kernel shuts down: nothing to warm up
        } catch (Exception e) {
            log.println("tpdiff4j kernel: idle warm-up stopped: " + e);
        }
    }

    /** @return true once armed and idle for {@link #IDLE_MILLIS}; false when stopped */
    private boolean awaitIdle() throws InterruptedException {
        while (!stopped) {
            long quiet = (System.nanoTime() - lastActivity) / 1_000_000;
            if (armed && quiet >= IDLE_MILLIS && !cells.busy()) {
                return true;
            }
            Thread.sleep(Math.max(5, IDLE_MILLIS - quiet));
        }
        return false;
    }
}
