package tpdiff4j.train;

import java.util.concurrent.CountDownLatch;

/**
 * For tests outside this package: a thread that holds a {@code Trainer.train} call's shutdown hook as a training call
 * does, trains until interrupted, then takes {@code checkpointMillis} to "write its checkpoint" and prints
 * {@code checkpoint written} before its call returns.
 */
public final class TrainingStopFixture {

    private TrainingStopFixture() {
    }

    /** Starts the thread and returns once its shutdown hook is registered. */
    public static Thread start(long checkpointMillis) throws InterruptedException {
        CountDownLatch registered = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            ShutdownStop stop = ShutdownStop.register();
            registered.countDown();
            try {
                while (true) {
                    Thread.sleep(50); // the steps
                }
            } catch (InterruptedException e) {
                try {
                    Thread.sleep(checkpointMillis);
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                    return;
                }
                System.out.println("checkpoint written");
                System.out.flush();
            } finally {
                stop.release();
            }
        }, "training");
        t.start();
        registered.await();
        return t;
    }
}
