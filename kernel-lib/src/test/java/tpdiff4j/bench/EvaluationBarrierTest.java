package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The barrier between the processes of a seed's arms, exercised by threads (it only shares a directory). */
class EvaluationBarrierTest {

    @TempDir
    Path dir;

    /** No party starts round k + 1 before every party has finished round k. */
    @Test
    void noPartyRunsAheadOfTheOthers() throws Exception {
        int parties = 3, rounds = 5;
        AtomicInteger[] done = new AtomicInteger[rounds];
        for (int k = 0; k < rounds; k++) {
            done[k] = new AtomicInteger();
        }
        AtomicInteger violations = new AtomicInteger();
        CompletableFuture<?>[] f = new CompletableFuture<?>[parties];
        for (int i = 0; i < parties; i++) {
            final int id = i;
            f[i] = CompletableFuture.runAsync(() -> {
                EvaluationBarrier b = new EvaluationBarrier(dir, "arm" + id, parties, 10_000);
                for (int k = 0; k < rounds; k++) {
                    if (k > 0 && done[k - 1].get() < parties) {
                        violations.incrementAndGet(); // started round k while someone had not finished round k - 1
                    }
                    try {
                        Thread.sleep(id * 7L); // parties of different speeds
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    done[k].incrementAndGet();
                    b.arrive();
                }
                assertEquals(rounds, b.arrivals());
            });
        }
        CompletableFuture.allOf(f).get(30, TimeUnit.SECONDS);
        assertEquals(0, violations.get());
        for (int k = 0; k < rounds; k++) {
            assertEquals(parties, done[k].get());
        }
        try (var files = Files.list(dir)) {
            assertEquals(parties * rounds, files.count(), "one mark per party and round");
        }
    }

    @Test
    void aMissingPartyEndsTheWaitWithAClearError() {
        EvaluationBarrier b = new EvaluationBarrier(dir, "VANILLA", 2, 50);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::arrive);
        assertTrue(e.getMessage().contains("only 1 of 2 parties reached evaluation 0"), e.getMessage());
    }

    /** A party whose training ended early (its arm stopped on a non-finite loss) leaves: the others stop waiting for it. */
    @Test
    void aPartyThatLeftIsNotWaitedFor() throws Exception {
        EvaluationBarrier stopped = new EvaluationBarrier(dir, "TPDIFF", 2, 60_000);
        EvaluationBarrier going = new EvaluationBarrier(dir, "VANILLA", 2, 60_000);
        CompletableFuture<?> first = CompletableFuture.runAsync(stopped::arrive);
        going.arrive(); // evaluation 0: both there
        first.get(30, TimeUnit.SECONDS);
        stopped.leave();
        stopped.leave(); // idempotent
        long t0 = System.nanoTime();
        for (int k = 1; k <= 3; k++) {
            going.arrive(); // evaluations 1 to 3: the one that left counts as there, no wait for the 60 s timeout
        }
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "no waiting for a party that left");
        assertEquals(4, going.arrivals());
        // a party that left counts once, and one that never arrived still ends the wait with the clear error
        Path other = Files.createDirectory(dir.resolve("other"));
        new EvaluationBarrier(other, "A", 3, 50).leave();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EvaluationBarrier(other, "B", 3, 50).arrive());
        assertTrue(e.getMessage().contains("only 2 of 3 parties reached evaluation 0"), e.getMessage());
    }

    @Test
    void twoPartiesWithOneNameAndBadArgumentsAreRefused() {
        new EvaluationBarrier(dir, "A", 1, 1000).arrive(); // one party: passes at once
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> new EvaluationBarrier(dir, "A", 1, 1000).arrive());
        assertTrue(twice.getMessage().contains("two parties named 'A'"), twice.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new EvaluationBarrier(dir, "a/b", 2, 1000));
        assertTrue(bad.getMessage().contains("name = 'a/b'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EvaluationBarrier(dir, "A", 0, 1000));
    }
}
