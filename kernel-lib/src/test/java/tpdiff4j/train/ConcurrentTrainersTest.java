package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.Solvers;
import tpdiff4j.sample.VideoSampler;

/**
 * Trainers used from two threads at once, as a notebook does with an executor: each result must be the one the same
 * calls give on one thread, bit for bit (each trainer's arithmetic is its own and every random draw is seeded, so
 * nothing but a race can change a bit). Two worker threads, one PyTorch thread each.
 */
class ConcurrentTrainersTest {

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(4).withSize(16).build();
    static ExecutorService pool;

    @BeforeAll
    static void start() {
        tpdiff4j.nn.Compute.useThreads(1);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static Trainer trainer(long seed) {
        return Trainer.builder().withModel(ModelConfig.tiny(4, 1, 16, 16))
                .withConfig(TrainConfig.flowMatching(1, 4, seed).withBatchSize(2)).withData(DATA).withProgress(false)
                .build();
    }

    static float[] sample(Trainer t, long seed) {
        VideoSampler s = VideoSampler.vanilla(t.config().schedule(), Solvers.euler(), 4);
        try (NDManager m = t.manager().newSubManager()) {
            return s.sample(t.denoiser(), m, 1, DATA.spec(), seed).toFloatArray();
        }
    }

    static List<float[]> weights(Trainer t) {
        List<float[]> w = new ArrayList<>();
        t.model().namedParameters().values().forEach(p -> w.add(p.getArray().toFloatArray()));
        return w;
    }

    static void assertSameWeights(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ", parameter " + i);
        }
    }

    /**
     * DJL's PyTorch engine allows one gradient collector in the whole JVM: a second trainer's step while the first
     * one's backward pass ran failed with "A PtGradientCollector is already collecting". Six steps on each of two
     * threads, three times, overlap on every run (before the fix, five of the six futures failed).
     */
    @Test
    void twoTrainersOnTwoThreadsGiveTheirOneThreadLossesAndWeights() throws Exception {
        double[] lossesA, lossesB;
        List<float[]> weightsA, weightsB;
        try (Trainer a = trainer(1); Trainer b = trainer(2)) {
            lossesA = a.train(6).losses();
            lossesB = b.train(6).losses();
            weightsA = weights(a);
            weightsB = weights(b);
        }
        for (int rep = 0; rep < 3; rep++) {
            try (Trainer a = trainer(1); Trainer b = trainer(2)) {
                Future<double[]> fa = pool.submit(() -> a.train(6).losses());
                Future<double[]> fb = pool.submit(() -> b.train(6).losses());
                assertArrayEquals(lossesA, fa.get(), "trainer A's losses, repetition " + rep);
                assertArrayEquals(lossesB, fb.get(), "trainer B's losses, repetition " + rep);
                assertSameWeights(weightsA, weights(a), "trainer A");
                assertSameWeights(weightsB, weights(b), "trainer B");
            }
        }
    }

    /**
     * Two threads sampling the EMA weights of one trainer at once. The swap exchanges the weights and the EMA array
     * by array; two swaps at once read each other's half-written arrays, so before the fix 16 of 20 samples differed
     * from the one-thread sample and the trainer ended with neither its live weights nor its EMA. Ten rounds of two
     * concurrent samples; afterwards both kinds of weights must be exactly as before.
     */
    @Test
    void emaSamplesOnTwoThreadsAreTheOneThreadSampleAndKeepBothWeights() throws Exception {
        try (Trainer t = trainer(3)) {
            t.train(4);
            float[] live = sample(t, 7);
            float[] ema = t.withEmaWeights(() -> sample(t, 7));
            assertFalse(java.util.Arrays.equals(live, ema), "the test needs EMA weights that differ from the live ones");
            List<float[]> liveWeights = weights(t);
            for (int rep = 0; rep < 10; rep++) {
                Future<float[]> f1 = pool.submit(() -> t.withEmaWeights(() -> sample(t, 7)));
                Future<float[]> f2 = pool.submit(() -> t.withEmaWeights(() -> sample(t, 7)));
                assertArrayEquals(ema, f1.get(), "first thread's EMA sample, round " + rep);
                assertArrayEquals(ema, f2.get(), "second thread's EMA sample, round " + rep);
            }
            assertSameWeights(liveWeights, weights(t), "live weights after the concurrent EMA samples");
            assertArrayEquals(ema, t.withEmaWeights(() -> sample(t, 7)), "EMA after the concurrent EMA samples");
        }
    }

    /**
     * A training step on another thread while withEmaWeights runs would train the EMA weights (or, as before the fix,
     * fail at random with "inside withEmaWeights" when that thread happened to see the flag). It waits instead: the
     * sample taken inside is the EMA of the step count at which it began, and the step then trains the live weights,
     * so both equal their one-thread values. The sampling thread holds the swap until the training thread is seen
     * waiting, so the two always overlap.
     */
    @Test
    void aStepOnAnotherThreadWaitsForAnEmaSample() throws Exception {
        double[] losses;
        float[] emaAt2;
        List<float[]> after;
        try (Trainer t = trainer(4)) {
            t.train(2);
            emaAt2 = t.withEmaWeights(() -> sample(t, 9));
            losses = t.train(3).losses();
            after = weights(t);
        }
        try (Trainer t = trainer(4)) {
            t.train(2);
            CountDownLatch swapped = new CountDownLatch(1);
            Thread[] trainerThread = new Thread[1];
            Future<float[]> sampled = pool.submit(() -> t.withEmaWeights(() -> {
                swapped.countDown();
                long end = System.nanoTime() + 10_000_000_000L;
                while ((trainerThread[0] == null || trainerThread[0].getState() == Thread.State.RUNNABLE)
                        && System.nanoTime() < end) {
                    Thread.onSpinWait(); // until the training thread blocks on the swap
                }
                return sample(t, 9);
            }));
            assertTrue(swapped.await(30, TimeUnit.SECONDS));
            Future<double[]> trained = pool.submit(() -> {
                trainerThread[0] = Thread.currentThread();
                return t.train(3).losses();
            });
            assertArrayEquals(emaAt2, sampled.get(), "EMA sample taken while another thread trains");
            assertArrayEquals(losses, trained.get(), "losses of the steps that waited for the EMA sample");
            assertSameWeights(after, weights(t), "weights after training");
        }
    }

    /**
     * Closing a trainer from one thread while another trains it freed the weights under a running PyTorch operation:
     * the JVM died with a segmentation fault (in c10::TensorImpl::autograd_meta), and with it the notebook's kernel
     * and every variable. close() now waits for the step in progress; the training then ends with the closed-trainer
     * message. Three rounds, each closing at a random point of a step (nearly all of a training thread's time is
     * spent inside one).
     */
    @Test
    void closingATrainerThatTrainsOnAnotherThreadWaitsForItsStep() throws Exception {
        for (int rep = 0; rep < 3; rep++) {
            Trainer t = trainer(5);
            Future<TrainResult> trained = pool.submit(() -> t.train(1_000_000));
            long end = System.nanoTime() + 30_000_000_000L;
            while (t.stepCount() < 2 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            t.close();
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, trained::get);
            assertTrue(e.getCause() instanceof IllegalStateException
                    && e.getCause().getMessage().startsWith("step() on a closed trainer"), String.valueOf(e.getCause()));
        }
    }

    /**
     * Training on one thread while another samples the EMA: the step waits, and an interrupt of the training thread
     * meanwhile (Kernel → Interrupt on the cell that trains) ends train() as an interrupt between steps does, with its
     * result marked interrupted and the thread's flag set, not with an exception.
     */
    @Test
    void anInterruptWhileAStepWaitsForAnEmaSampleEndsTrainAsInterrupted() throws Exception {
        try (Trainer t = trainer(6)) {
            t.train(1);
            CountDownLatch swapped = new CountDownLatch(1), release = new CountDownLatch(1);
            Future<Object> holder = pool.submit(() -> t.withEmaWeights(() -> {
                swapped.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertTrue(swapped.await(30, TimeUnit.SECONDS));
            TrainResult[] result = new TrainResult[1];
            boolean[] flag = new boolean[1];
            Thread trainer = new Thread(() -> {
                result[0] = t.train(5);
                flag[0] = Thread.currentThread().isInterrupted();
            }, "cell");
            trainer.start();
            long end = System.nanoTime() + 10_000_000_000L;
            while (trainer.getState() == Thread.State.RUNNABLE && System.nanoTime() < end) {
                Thread.onSpinWait(); // until it waits for the swap
            }
            trainer.interrupt();
            trainer.join(30_000);
            release.countDown();
            holder.get();
            assertTrue(result[0] != null && result[0].interrupted(), "train returned an interrupted result");
            assertEquals(0, result[0].steps());
            assertTrue(flag[0], "the thread stays interrupted");
            assertEquals(1, t.stepCount());
        }
    }

    /**
     * While withEmaWeights runs on one thread the network holds the EMA weights, and a live sample on another thread
     * took them without a word (10 of 10 such samples differed from the live sample). Such a prediction is refused
     * now; the sampling thread holds the swap until the refusal is seen, so the two always overlap.
     */
    @Test
    void aLiveSampleOnAnotherThreadDuringAnEmaSampleIsRefused() throws Exception {
        try (Trainer t = trainer(7)) {
            t.train(3);
            float[] live = sample(t, 7);
            CountDownLatch swapped = new CountDownLatch(1), release = new CountDownLatch(1);
            Future<Object> holder = pool.submit(() -> t.withEmaWeights(() -> {
                swapped.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            try {
                assertTrue(swapped.await(30, TimeUnit.SECONDS));
                IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> sample(t, 7));
                assertTrue(e.getMessage().contains("while withEmaWeights runs on")
                        && e.getMessage().contains("withEmaWeights on this thread too"), e.getMessage());
            } finally {
                release.countDown();
                holder.get();
            }
            assertArrayEquals(live, sample(t, 7), "the live sample once the EMA sample has ended");
        }
    }

    /**
     * The way the refusal points to: a parallel stream over seeds, each element calling withEmaWeights on its own
     * thread (the calls share one swap), gives the one-thread EMA samples of those seeds.
     */
    @Test
    void aParallelStreamOfEmaSamplesGivesTheOneThreadSamples() throws Exception {
        try (Trainer t = trainer(8)) {
            t.train(3);
            List<float[]> one = new ArrayList<>();
            for (long s = 0; s < 8; s++) {
                long seed = s;
                one.add(t.withEmaWeights(() -> sample(t, seed)));
            }
            java.util.concurrent.ForkJoinPool two = new java.util.concurrent.ForkJoinPool(2);
            try {
                for (int rep = 0; rep < 2; rep++) {
                    List<float[]> many = two.submit(() -> java.util.stream.LongStream.range(0, 8).parallel()
                            .mapToObj(s -> t.withEmaWeights(() -> sample(t, s))).toList()).get();
                    for (int s = 0; s < 8; s++) {
                        assertArrayEquals(one.get(s), many.get(s), "seed " + s + ", repetition " + rep);
                    }
                }
            } finally {
                two.shutdownNow();
            }
        }
    }

    /**
     * Two threads training one trainer take turns step by step. Step n draws everything from (seed, n), so the six
     * steps are the six steps of one thread's train(6), whichever thread makes each: same weights, and the two
     * calls' losses are those of train(6) between them.
     */
    @Test
    void twoThreadsTrainingOneTrainerMakeTheStepsOfOneThread() throws Exception {
        double[] losses;
        List<float[]> after;
        try (Trainer t = trainer(9)) {
            losses = t.train(6).losses();
            after = weights(t);
        }
        for (int rep = 0; rep < 3; rep++) {
            try (Trainer t = trainer(9)) {
                Future<double[]> f1 = pool.submit(() -> t.train(3).losses());
                Future<double[]> f2 = pool.submit(() -> t.train(3).losses());
                double[] both = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(f1.get()),
                        java.util.Arrays.stream(f2.get())).sorted().toArray();
                assertEquals(6, t.stepCount());
                assertArrayEquals(java.util.Arrays.stream(losses).sorted().toArray(), both, "repetition " + rep);
                assertSameWeights(after, weights(t), "weights, repetition " + rep);
            }
        }
    }
}
