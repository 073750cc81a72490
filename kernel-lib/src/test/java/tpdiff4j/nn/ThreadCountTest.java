package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
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

    /**
     * A plain Java program that sets {@code TPDIFF4J_THREADS} and never calls {@code configureFromEnvironment}: its
     * first computation applies the variable (it used to keep PyTorch's default, 2 on a 2-core machine for a setting
     * of 1). A fresh JVM, since this one has configured its count already; 3 differs from PyTorch's default on a
     * machine of up to 2 cores and from 1, what the test command sets.
     */
    @Test
    void aProgramThatSetsTheVariableComputesWithThatCountWithoutACall() throws Exception {
        assertEquals("threads=3", child().lines().reduce((a, b) -> b).orElse(""));
    }

    /**
     * A program's start line ({@code Trainer}'s first line, an {@code Experiment}'s header) is {@code Compute.describe()},
     * written before the first computation: it said "CPU threads 2" under {@code TPDIFF4J_THREADS=1} on a 2-core
     * machine while the training then ran with 1. It names the count the work uses, here 3, and so does PyTorch then.
     */
    @Test
    void aProgramsStartLineNamesTheCountOfTheVariable() throws Exception {
        String out = child("describe");
        assertTrue(out.contains("CPU threads 3;"), out);
        assertEquals("threads=3", out.lines().reduce((a, b) -> b).orElse(""));
    }

    /** A fresh JVM running {@link #main} with {@code TPDIFF4J_THREADS=3}; its standard output. */
    private static String child(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                tpdiff4j.kernel.KernelJvmOptions.LOG_PROVIDER, tpdiff4j.kernel.KernelJvmOptions.LOG_QUIET,
                ThreadCountTest.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(Compute.THREADS, "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /**
     * The child of the tests above: computes once, as a training step or a prediction does, and says its count; with
     * {@code describe}, first writes {@code Compute.describe()}, as a trainer's start line does.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("describe")) {
            System.out.println(Compute.describe());
        }
        Compute.adoptThread();
        System.out.println("threads=" + Compute.threads());
    }
}
