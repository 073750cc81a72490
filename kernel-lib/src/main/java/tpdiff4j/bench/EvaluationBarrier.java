package tpdiff4j.bench;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A barrier across processes at every evaluation of a training race whose arms train in JVMs of their own
 * ({@link Preset#armsInParallel()}): after its k-th evaluation each party leaves a file {@code k.NAME} in a directory
 * they share and waits until all parties' files for k are there. So slice k + 1 of every arm starts together: two arms
 * train at the same time and evaluate at the same time, and the one that evaluates faster waits, instead of training
 * beside the other's evaluation (sampling a batch of clips contends for the caches and the memory bus differently from
 * a training step, and made the other arm's slices up to 25 % slower than its neighbours without it).
 */
final class EvaluationBarrier {

    /** A party that has not arrived after this long is taken for dead. */
    static final long TIMEOUT_MILLIS = 20 * 60 * 1000L;

    private final Path dir;
    private final String name;
    private final int parties;
    private final long timeoutMillis;
    private int arrivals;

    /**
     * @param dir     the shared directory (created by whoever starts the parties)
     * @param name    this party's name, distinct among the parties (a file name part)
     * @param parties how many parties wait for each other, at least 1
     */
    EvaluationBarrier(Path dir, String name, int parties, long timeoutMillis) {
        if (parties < 1 || name == null || name.isBlank() || name.contains("/") || timeoutMillis <= 0) {
            throw new IllegalArgumentException("parties = " + parties + ", name = '" + name + "', timeout = " + timeoutMillis
                    + " ms; allowed: at least 1 party, a non-blank name without '/', a positive timeout");
        }
        this.dir = dir;
        this.name = name;
        this.parties = parties;
        this.timeoutMillis = timeoutMillis;
    }

    /** How many times this party has arrived. */
    int arrivals() {
        return arrivals;
    }

    /**
     * Marks this party's next arrival and waits until every party has arrived as often.
     *
     * @throws IllegalStateException when the others have not all arrived within the timeout, or on interrupt
     */
    void arrive() {
        int k = arrivals++;
        try {
            Files.createFile(dir.resolve(k + "." + name));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("two parties named '" + name + "' at barrier " + dir, e);
        } catch (IOException e) {
            throw new IllegalStateException("barrier " + dir + ": cannot mark arrival " + k + " of " + name + ": " + e.getMessage(), e);
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (arrived(k) < parties) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("barrier " + dir + ": only " + arrived(k) + " of " + parties
                        + " parties reached evaluation " + k + " within " + timeoutMillis / 1000 + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at barrier " + dir + ", evaluation " + k, e);
            }
        }
    }

    /**
     * Marks that this party arrives no more (its training ended: done, or its only arm stopped on a non-finite loss),
     * so that the others stop waiting for it instead of running into the timeout at their next evaluation. Idempotent.
     */
    void leave() {
        try {
            Files.createFile(dir.resolve(LEFT + name));
        } catch (FileAlreadyExistsException e) {
            // left before
        } catch (IOException e) {
            throw new IllegalStateException("barrier " + dir + ": cannot mark that " + name + " left: " + e.getMessage(), e);
        }
    }

    /** The prefix of the file that says a party left ({@link #leave}); arrival files start with a number. */
    private static final String LEFT = "left.";

    /** @return how many parties arrived at evaluation k or left the barrier (each counted once) */
    private int arrived(int k) {
        String prefix = k + ".";
        try (var files = Files.list(dir)) {
            return (int) files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) || f.startsWith(LEFT))
                    .map(f -> f.substring(f.indexOf('.') + 1))
                    .distinct().count();
        } catch (IOException e) {
            throw new IllegalStateException("barrier " + dir + ": cannot list arrivals: " + e.getMessage(), e);
        }
    }
}
