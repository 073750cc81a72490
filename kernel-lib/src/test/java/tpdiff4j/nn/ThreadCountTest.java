package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * PyTorch keeps its intra-op thread count per thread: {@code Compute.useThreads(2)} on the cell's thread left a
 * background thread that had already computed at its old count (measured: 1 there, 2 on the cell's thread), so a
 * training on an executor ran with another thread count than {@code %env TPDIFF4J_THREADS} and
 * {@code Compute.describe()} said. The library's work applies the last count on its own thread.
 */
class ThreadCountTest {

    @AfterAll
    static void oneThread() {
        Compute.useThreads(1);
    }

    @Test
    void aThreadThatComputedBeforeTakesTheLaterCountWhenItComputesAgain() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Compute.useThreads(1);
            assertEquals(1, worker.submit(() -> {
                Compute.adoptThread();
                return Compute.threads();
            }).get(), "the worker computes with one thread");
            Compute.useThreads(2); // on this thread, as a cell does
            assertEquals(2, worker.submit(() -> {
                Compute.adoptThread(); // what a training step or a prediction does first
                return Compute.threads();
            }).get(), "the worker, which computed before, follows the later count");
            Compute.useThreads(1);
            assertEquals(1, worker.submit(() -> {
                Compute.adoptThread();
                return Compute.threads();
            }).get(), "and back");
        } finally {
            worker.shutdownNow();
        }
    }
}
