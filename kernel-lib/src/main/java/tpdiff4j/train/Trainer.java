package tpdiff4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import tpdiff4j.Refusals;
import tpdiff4j.data.Tensors;
import tpdiff4j.data.VideoDataset;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.FlopCount;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.NetDenoiser;
import tpdiff4j.nn.SpaceTimeTransformer;
import tpdiff4j.nn.StageNetwork;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;

/**
 * Trains a {@link SpaceTimeTransformer} (or one's own {@link StageNetwork}) under any {@link TrainConfig}: a
 * pyramid (K = 1 is vanilla) and a noise coupling. One step (commented as in DJL's EasyTrain):
 * <ol>
 *   <li>open an NDScope and a sub-manager of the trainer's manager: every array of the step dies with them;</li>
 *   <li>seed a generator from (seed, step) and draw the clean batch x0 [B, F, C, H, W] from the dataset;</li>
 *   <li>make (x_t, t, target) at the step's frame count (a stage drawn by the configuration's rule; full rate
 *       for vanilla);</li>
 *   <li>forward under a GradientCollector, loss = mean((f(x_t, t) - target)^2), backward of
 *       {@code lambda_k * loss} ({@link StageLossWeights}, 1 by default; the reported loss is unweighted);</li>
 *   <li>clip the global gradient norm, apply AdamW, zero the gradients, update the EMA.</li>
 * </ol>
 * A trainer may be used from any thread, and from several at once: each call switches PyTorch's per-thread grad mode
 * off on the thread that makes it, and steps, EMA swaps ({@link #withEmaWeights}), predictions and {@link #close}
 * take turns on the weights; two threads that call {@code train(n)} each make {@code n} steps. {@link #train}
 * checks {@link Thread#interrupted()} before every step: an interrupt ends it at a step boundary and is reported as
 * {@link TrainResult#interrupted()}, with the last checkpoint left as it was; the thread's interrupt flag is set again
 * before {@code train} returns, so that the code after the call sees the interrupt too (in a notebook, the rest of
 * the cell does not run, and a loop of {@code train} calls stops instead of going on with its next call).
 */
public final class Trainer implements AutoCloseable {

    /** Steps after a trainer is built that count as warm-up in {@link TrainResult#warmupSteps()}. */
    public static final int WARMUP_STEPS = 3;

    private final NDManager manager;
    private final StageNetwork model;
    private final TrainConfig config;
    private final VideoDataset data;
    private final PyramidPairs pairs;
    private final ParameterVector params;
    private final AdamW optimizer;
    private final Ema ema;
    private final ParameterStore store;
    private final List<TrainListener> listeners;
    private final NDArray clipNorm; // the gradient clip as a float32 scalar on the weights' device; null: no clipping
    private final Path checkpointDir;
    private final long checkpointEvery;
    private long step;
    /**
     * Guards the weights against use from several threads: a training step, an EMA swap and a checkpoint save or
     * load write into them (write lock), a prediction of {@link #denoiser()} reads them (read lock, per call).
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock weightsLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Signalled (under the write lock) when the last {@link #withEmaWeights} call has swapped the live weights back. */
    private final java.util.concurrent.locks.Condition emaReleased = weightsLock.writeLock().newCondition();
    /** The withEmaWeights calls running now, on any thread; the network holds the EMA weights while it is above 0. */
    private int emaHolders;
    /** The threads inside withEmaWeights (a training step there is refused, elsewhere it waits for them). */
    private final java.util.Set<Thread> emaThreads = new java.util.HashSet<>();
    /**
     * DJL's PyTorch engine allows one gradient collector at a time in the whole JVM (a second one throws "A
     * PtGradientCollector is already collecting"), so the forward and backward passes of all trainers take turns;
     * the rest of a step (data, optimizer, EMA) runs in parallel. Each trainer's arithmetic is its own, so two
     * trainers training on two threads give the numbers each gives alone.
     */
    private static final java.util.concurrent.locks.ReentrantLock GRADIENT_PASS = new java.util.concurrent.locks.ReentrantLock();
    private String runId = java.util.UUID.randomUUID().toString();
    private volatile long checkpointedStep = -1;
    private final java.util.Map<Path, String> checkpointsByFolder = new java.util.concurrent.ConcurrentHashMap<>();
    private long stepsSinceBuild;
    private double smoothed = Double.NaN;
    private int lastFrames;

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    private Trainer(Builder b) {
        this.config = b.config;
        this.data = b.data;
        ModelConfig mc = b.model;
        // the data fix the clip shape; the model and the pyramid are each checked against it, so that a message
        // names the part that differs from the data
        if (mc != null && (mc.frames() != data.spec().frames() || mc.channels() != data.spec().channels()
                || mc.height() != data.spec().height() || mc.width() != data.spec().width())) {
            throw new IllegalArgumentException("model " + mc.frames() + "x" + mc.channels() + "x" + mc.height() + "x" + mc.width()
                    + " (frames x channels x height x width) does not match data spec " + data.spec()
                    + "; allowed: a model built for the data's clips, e.g. ModelConfig.tiny(data.spec())");
        }
        int frames = data.spec().frames();
        if (config.pyramid().frames() != frames) {
            throw new IllegalArgumentException("pyramid frames = " + config.pyramid().frames() + ", but the data's clips"
                    + " have " + frames + " frames (" + data.spec() + "); allowed: a pyramid built for " + frames
                    + " full-rate frames, e.g. TemporalPyramid.uniform(schedule, K, " + frames + ")");
        }
        Device device = b.device == null ? Compute.device() : b.device;
        if (mc != null && !device.isGpu()) {
            refuseBeyondMemory(mc, config, Compute.physicalMemoryBytes());
        }
        this.manager = NDManager.newBaseManager(device);
        try { // a trainer that fails to build frees what its manager took: nothing else could ever close it
            this.model = network(mc, b.network, manager, data.spec().frames());
            this.store = new ParameterStore(manager, false);
            this.optimizer = AdamW.builder().withLearningRate((float) config.learningRate())
                    .withBetas((float) config.beta1(), (float) config.beta2())
                    .withWeightDecay((float) config.weightDecay()).build();
            this.params = new ParameterVector(model.namedParameters(), manager);
            optimizer.prepare(params.arrays(), manager);
            this.ema = new Ema(params, config.emaDecay(), manager);
            this.pairs = PyramidPairs.of(config);
            this.clipNorm = config.clipNorm() > 0 ? Tensors.scalar(manager, (float) config.clipNorm()) : null;
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
        this.listeners = new ArrayList<>(b.listeners);
        if (b.progress) {
            listeners.add(new ProgressLine(b.progressOut));
            b.progressOut.println("Trainer " + config.label() + ": " + model.weightCount() + " weights on "
                    + manager.getDevice() + " (" + tpdiff4j.nn.Compute.describe() + ")"
                    + (mc == null ? "" : System.lineSeparator() + costLine(mc, config)));
        }
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
    }

    /**
     * What a step of the built-in transformer costs before it runs: the expected FLOPs of a step under the stage draw
     * ({@link FlopCount#expectedTrainingStep}) and the attention weights the largest stage keeps for its backward pass
     * ({@link ModelConfig#attentionBytes}).
     */
    static String costLine(ModelConfig mc, TrainConfig config) {
        double[] w = config.stageDraw().probabilities(config.pyramid());
        double flops = FlopCount.expectedTrainingStep(mc, config.batchSize(), config.pyramid(), w);
        return String.format(java.util.Locale.ROOT, "cost: %.3g GFLOP a step on average (%.3g GFLOP at full rate),"
                + " attention weights kept for the backward pass %s at %d frames",
                flops / 1e9, FlopCount.forward(mc, config.batchSize(), config.pyramid().frames()).trainingStep() / 1e9,
                gib(mc.attentionBytes(config.batchSize(), largestStageFrames(config))), largestStageFrames(config));
    }

    /** The most frames of a stage the stage draw can pick. */
    private static int largestStageFrames(TrainConfig config) {
        double[] w = config.stageDraw().probabilities(config.pyramid());
        int most = 1;
        for (int k = 0; k < w.length; k++) {
            if (w[k] > 0) {
                most = Math.max(most, config.pyramid().stage(k).frames());
            }
        }
        return most;
    }

    private static String gib(double bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (1L << 30));
    }

    /**
     * Refuses, before any weight is allocated, a model whose attention weights alone (a lower bound on a step's
     * memory) exceed {@code memoryBytes}: PyTorch would otherwise fail inside the first forward pass, or the operating
     * system would end the process without a word once the pages are touched.
     */
    static void refuseBeyondMemory(ModelConfig mc, TrainConfig config, double memoryBytes) {
        int frames = largestStageFrames(config);
        double need = mc.attentionBytes(config.batchSize(), frames);
        if (need > memoryBytes) {
            long n = mc.attention() == ModelConfig.Attention.FULL ? (long) frames * mc.tokensPerFrame() : mc.tokensPerFrame();
            throw new IllegalArgumentException("model too big for this machine: a training step at batch "
                    + config.batchSize() + " and " + frames + " frames keeps at least " + gib(need) + " of attention weights ("
                    + mc.depth() + " blocks x " + mc.heads() + " heads x sequences of " + n + " tokens, " + mc.attention()
                    + " attention, patch " + mc.patch() + " on " + mc.height() + "x" + mc.width() + ") but the machine has "
                    + gib(memoryBytes) + ". Shrink it: a smaller batch (TrainConfig.withBatchSize), fewer tokens (larger"
                    + " patches with ModelConfig.withPatch, fewer frames or pixels) or fewer blocks or heads (withDepth,"
                    + " withHeads)" + (mc.attention() == ModelConfig.Attention.FULL
                    ? ", or factorized attention (withAttention(ModelConfig.Attention.FACTORIZED))" : ""));
        }
    }

    private static void requireFolder(Path dir) {
        Refusals.notNull(dir, "dir", "a checkpoint folder, e.g. Path.of(\"checkpoints\")");
    }

    /** The built-in transformer or the user's network, checked against the data's frame count. */
    private static StageNetwork network(ModelConfig mc, java.util.function.Function<NDManager, StageNetwork> factory,
            NDManager manager, int frames) {
        StageNetwork n = mc != null ? new SpaceTimeTransformer(mc, manager) : factory.apply(manager);
        if (n == null) {
            throw new IllegalArgumentException("the network factory of withNetwork returned null; allowed: an initialised"
                    + " StageNetwork whose weights live on the manager it is given (e.g. StageNetwork.of(name, block,"
                    + " frames))");
        }
        if (n.frames() != frames) {
            throw new IllegalArgumentException("network " + n.describe() + " is for " + n.frames()
                    + " frames; the data has " + frames);
        }
        return n;
    }

    /**
     * A builder: {@code withData} and {@code withConfig} are required, and one of {@code withModel} (the built-in
     * transformer) or {@code withNetwork} (one's own); progress lines are on, checkpoints off, the device is
     * {@code TPDIFF4J_DEVICE}'s unless {@code withDevice} says otherwise.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One training step; returns its loss. Any thread may call it (see {@link Compute#adoptThread}); calls on several
     * threads take turns, and a step waits while {@link #withEmaWeights} runs on another thread.
     */
    public double step() {
        java.util.concurrent.locks.Lock write = weightsLock.writeLock();
        write.lock();
        try {
            awaitLiveWeights();
            requireOpen("step()"); // under the lock: close() on another thread waits for the step, never frees during it
            return stepLocked();
        } finally {
            write.unlock();
        }
    }

    /**
     * Under the write lock: returns once the network holds the live weights. Inside withEmaWeights on this thread a
     * step is refused; while withEmaWeights runs on other threads it waits for the last of them to swap back.
     */
    private void awaitLiveWeights() {
        if (emaThreads.contains(Thread.currentThread())) {
            throw new IllegalStateException("training step " + (step + 1) + " inside withEmaWeights: there the network"
                    + " holds the EMA weights, and a step would train them instead of the live weights; call train"
                    + " or step outside withEmaWeights");
        }
        while (emaHolders > 0) {
            try {
                emaReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterrupted("training step " + (step + 1) + " was"
                        + " interrupted while it waited for withEmaWeights on " + emaThreads + " to swap the live"
                        + " weights back; the step was not applied (the trainer is as after step " + step + ")");
            }
        }
    }

    /**
     * What a prediction of {@link #denoiser()} holds: the weights' read lock, taken only when the network holds the
     * weights this thread asked for. While withEmaWeights runs on other threads the network holds the EMA weights for
     * all of them, and a thread that did not ask for them (one sampling the live weights, or a pool thread the work
     * was handed to) is refused rather than handed the EMA without a word.
     */
    private final class PredictionLock implements java.util.concurrent.locks.Lock {
        private final java.util.concurrent.locks.Lock read = weightsLock.readLock();

        @Override
        public void lock() {
            read.lock();
            Thread me = Thread.currentThread();
            if (emaHolders > 0 && !emaThreads.contains(me)) { // both change under the write lock only
                String holders = emaThreads.toString();
                read.unlock();
                throw new IllegalStateException("trainer.denoiser() predicted on thread " + me.getName() + " while"
                        + " withEmaWeights runs on " + holders + ": the network holds the EMA weights there, and this"
                        + " thread did not ask for them. Sample the EMA by calling withEmaWeights on this thread too"
                        + " (calls on several threads share one swap), e.g. seeds.parallel().map(s ->"
                        + " trainer.withEmaWeights(() -> sampler.sample(trainer.denoiser(), ...))); sample the live"
                        + " weights when no withEmaWeights runs");
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            lock();
        }

        @Override
        public boolean tryLock() {
            throw new UnsupportedOperationException("a prediction waits for the weights: lock()");
        }

        @Override
        public boolean tryLock(long time, java.util.concurrent.TimeUnit unit) {
            throw new UnsupportedOperationException("a prediction waits for the weights: lock()");
        }

        @Override
        public void unlock() {
            read.unlock();
        }

        @Override
        public java.util.concurrent.locks.Condition newCondition() {
            throw new UnsupportedOperationException("a read lock has no condition");
        }
    }

    /** A step interrupted while it waited for withEmaWeights on another thread: not applied; train() stops there. */
    private static final class WaitInterrupted extends java.util.concurrent.CancellationException {
        WaitInterrupted(String message) {
            super(message);
        }
    }

    private double stepLocked() {
        Compute.adoptThread(); // autograd off outside the collector on this thread too (PyTorch keeps it per thread)
        long s = step;
        float loss;
        boolean updating = false; // past the backward pass: AdamW and the EMA change state in place
        try (tpdiff4j.ode.StepInProgress busy = tpdiff4j.ode.StepInProgress.enter(); // an interrupt waits for the step
                NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            SplittableRandom rng = new SplittableRandom(GaussianNoise.derive(config.seed(), s));
            NDArray x0 = data.batch(sub, config.batchSize(), rng.nextLong());
            TrainChecks.batch(x0, manager.getDevice(), data.spec().batchShape(config.batchSize()));
            TrainBatch pair = pairs.make(x0, rng, sub);
            NDArray lossArray;
            GRADIENT_PASS.lock();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = model.predict(store, new NDList(pair.xt(), pair.t(), model.positions(sub, pair.frames())),
                        true, () -> "training step " + (s + 1) + ", pyramid stage " + pair.stage() + " of "
                        + config.pyramid().stages().size() + " (stage 0 is the noisiest)");
                lossArray = pred.sub(pair.target()).square().mean();
                loss = lossArray.getFloat();
                if (!Float.isFinite(loss)) { // before backward: the step changes nothing
                    throw nonFiniteLoss(s + 1, loss, pair.stage(), pred, pair.target());
                }
                double lambda = config.lossWeights().factor(pair.stage()); // 1 unless stage loss weights are set
                if (lambda == 1.0) {
                    gc.backward(lossArray);
                } else {
                    try (NDArray factor = Tensors.scalar(sub, (float) lambda)) { // engine-owned: autograd keeps it
                        gc.backward(lossArray.mul(factor));
                    }
                }
            } finally {
                GRADIENT_PASS.unlock(); // after the collector has closed
            }
            updating = true;
            applyGradients(sub, s + 1);
            lastFrames = pair.frames();
        } catch (ai.djl.engine.EngineException e) {
            params.zeroGradients(); // a backward pass that failed half-way must not add to the next step's gradients
            if (Compute.outOfMemory(e)) {
                throw outOfMemory(s + 1, e, updating);
            }
            throw e;
        }
        step = s + 1;
        stepsSinceBuild++;
        smoothed = Double.isNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
        return loss;
    }

    /**
     * After the backward pass of step {@code n}: clips the global gradient norm, applies AdamW, zeroes the gradients
     * and updates the EMA, all parameters at once as one vector ({@link ParameterVector}); temporaries on {@code sub}.
     */
    void applyGradients(NDManager sub, long n) {
        NDArray g = params.gradients(sub); // [P]
        // one reduction and one read per step: the sum is finite exactly when every entry is (short of an overflow,
        // which clipping's squared norm would not survive either); the entries are counted only for the message
        if (!Float.isFinite(g.sum().getFloat())) { // clipping cannot help, and AdamW would spread it to every weight
            long bad = nonFinite(g);
            params.zeroGradients();
            throw nonFiniteGradient(n, bad, g.size());
        }
        clipGradients(g);
        params.subtract(optimizer.step(params.weights(sub), g));
        params.zeroGradients(); // PyTorch accumulates gradients: zero them for the next step
        ema.update(n);
    }

    /**
     * Scales the gradient vector {@code g} in place to a norm of at most {@code clipNorm}:
     * {@code g <- g c / max(|g|, c)}, a factor of exactly 1 when {@code |g| <= c}. The factor is computed on the
     * weights' device: reading the norm back would make every step wait for the device a second time (after the loss).
     * Nothing happens without clipping ({@code clipNorm = 0}).
     */
    void clipGradients(NDArray g) {
        if (clipNorm == null) {
            return;
        }
        NDArray factor = clipNorm.div(g.square().sum().sqrt().maximum(clipNorm));
        factor.attach(g.getManager()); // a quotient belongs to the dividend's (the trainer's) manager: free it with g
        g.muli(factor);
    }

    /** PyTorch's allocation failure inside step {@code n}, with what it means for the run and what to shrink. */
    private IllegalStateException outOfMemory(long n, ai.djl.engine.EngineException e, boolean updating) {
        return new IllegalStateException("training step " + n + " ran out of memory (PyTorch: " + e.getMessage().strip()
                + "). " + (updating ? "It failed while updating the weights, so the optimizer and EMA may be partly"
                + " updated: continue from the last checkpoint (withResumeFrom)" : "The step was not applied (weights,"
                + " EMA and optimizer are as after step " + (n - 1) + ")") + ". Free"
                + " memory or shrink the step: a smaller batch (TrainConfig.withBatchSize, now " + config.batchSize()
                + "), fewer tokens (ModelConfig.withPatch with larger patches, fewer frames or pixels), fewer blocks or"
                + " heads; the trainer's start line gives the attention memory of a step.", e);
    }

    /**
     * The loss of step {@code n} at pyramid stage {@code stage} is NaN or infinite. Where the non-finite values come
     * from (the network's output or the target, that is the data) is counted here, on the failure path only: a
     * step that succeeds reads nothing more than the loss.
     */
    private ArithmeticException nonFiniteLoss(long n, float loss, int stage, NDArray pred, NDArray target) {
        long badOutput = nonFinite(pred);
        long badTarget = nonFinite(target);
        String source;
        if (badTarget > 0) {
            source = badTarget + " of the " + target.size() + " target entries are NaN or infinite, so the data (or"
                    + " one's own coupling) is the cause: check the data set for NaN and infinities";
        } else if (badOutput > 0) {
            source = badOutput + " of the " + pred.size() + " entries of the network's output are NaN or infinite"
                    + (n == 1 ? " at the very first step, before any update: the network's forward pass makes them at"
                    + " its initial weights (a sqrt or log of a negative number, a division by 0)" : ". Usual causes: a"
                    + " learning rate too high (" + config.learningRate() + "), no gradient clipping (clipNorm = "
                    + config.clipNorm() + "), or an operation of the network that overflows")
                    + "; the data's targets are finite";
        } else {
            source = "output and target are finite but their squared difference overflows. Usual causes: a learning"
                    + " rate too high (" + config.learningRate() + "), no gradient clipping (clipNorm = "
                    + config.clipNorm() + ")";
        }
        return new ArithmeticException("loss = " + loss + " at training step " + n + " (pyramid stage " + stage + " of "
                + config.pyramid().size() + ", stage 0 the noisiest); allowed: a finite loss. The step was not applied"
                + " (weights, EMA and optimizer are as after step " + (n - 1) + ")"
                + (checkpointDir == null ? "" : " and the last checkpoint in " + checkpointDir + " is kept")
                + ". " + source + ".");
    }

    /** The number of NaN or infinite entries of {@code a} (temporaries: the step's NDScope frees them). */
    private static long nonFinite(NDArray a) {
        return a.isNaN().logicalOr(a.isInfinite()).countNonzero().getLong();
    }

    private ArithmeticException nonFiniteGradient(long n, long bad, long size) {
        return new ArithmeticException("training step " + n + ": the loss is finite but " + bad + " of the " + size
                + " gradient entries are not (NaN or infinite). The step was not applied (weights, EMA and optimizer are"
                + " as after step " + (n - 1) + ")" + (checkpointDir == null ? "" : " and the last checkpoint in "
                + checkpointDir + " is kept") + ". The network's backward pass made them, so neither the learning rate"
                + " nor gradient clipping is the cause: look for an operation whose derivative is infinite at the values"
                + " it meets (sqrt or log at 0, a division by ~0). An engine kernel may also return a non-finite gradient"
                + " now and then for finite inputs (seen with DJL's Conv3d on the CPU, where recomputing the same step"
                + " gave a finite gradient): then train again, which repeats step " + n + ".");
    }

    /** Trains {@code steps} more steps. */
    public TrainResult train(long steps) {
        return train(steps, Double.POSITIVE_INFINITY);
    }

    /**
     * Trains until {@code steps} more steps are done or {@code maxSeconds} have passed (whichever first), or an
     * interrupt arrives. Writes a checkpoint every {@code checkpointEvery} steps and at the end (not on interrupt)
     * when a checkpoint folder is set. When the JVM is asked to end meanwhile (Ctrl-C, SIGTERM, {@code System.exit}
     * elsewhere), the call stops after its current step as on an interrupt, writes a checkpoint of its steps, and
     * the JVM ends once it has returned (waiting at most a minute), instead of ending under a running step.
     *
     * <p>A checkpoint that cannot be saved (a full disk or quota, a folder made read-only or removed) stops the
     * call rather than training on without one: it throws an {@link java.io.UncheckedIOException} that names the
     * file, the system's reason and, on a full disk, the checkpoint's size against the free space. The steps done stay
     * in the trainer ({@link #saveCheckpoint} writes them to another folder), and the folder keeps its previous
     * checkpoint with nothing of the failed save beside it. A save whose checkpoint became current but whose folder
     * could not be flushed to disk afterwards stops the call too, and says that the new checkpoint is current; an older
     * checkpoint that cannot be deleted after a save is only noted on {@code System.err} (the next save tries again).
     *
     * <p>The listeners get {@link TrainListener#onEnd} when the call returns, or {@link TrainListener#onFailure} when
     * it throws (the progress line then ends with {@code failed: } and the exception's class).
     */
    public TrainResult train(long steps, double maxSeconds) {
        if (steps < 0) {
            throw Refusals.refuse("steps", steps, ">= 0");
        }
        if (!(maxSeconds >= 0)) {
            throw Refusals.refuse("maxSeconds", maxSeconds, ">= 0, or Double.POSITIVE_INFINITY for no time limit");
        }
        ShutdownStop shutdown = ShutdownStop.register();
        try {
            return train(steps, maxSeconds, shutdown);
        } finally {
            shutdown.release();
        }
    }

    private TrainResult train(long steps, double maxSeconds, ShutdownStop shutdown) {
        long start = System.nanoTime();
        long target = steps == Long.MAX_VALUE ? -1 : step + steps;
        double sum = 0;
        boolean interrupted = false;
        long warmLeft = Math.max(0, WARMUP_STEPS - stepsSinceBuild);
        List<Double> losses = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        try {
            while (losses.size() < steps) { // this call's own steps: another thread may train the trainer too
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed >= maxSeconds) {
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    break;
                }
                long t0 = System.nanoTime();
                double l;
                try {
                    l = step();
                } catch (WaitInterrupted e) {
                    Thread.interrupted(); // set again below, as for an interrupt seen between steps
                    interrupted = true;
                    break;
                }
                times.add((System.nanoTime() - t0) / 1e9);
                losses.add(l);
                sum += l;
                double sec = (System.nanoTime() - start) / 1e9;
                double rate = losses.size() / sec;
                double eta = target < 0 ? maxSeconds - sec : Math.min((steps - losses.size()) / rate, maxSeconds - sec);
                TrainProgress p = new TrainProgress(step, target, l, smoothed, lastFrames, rate,
                        Double.isInfinite(eta) ? Double.NaN : Math.max(0, eta));
                for (TrainListener listener : listeners) {
                    listener.onStep(p);
                }
                if (checkpointDir != null && checkpointEvery > 0 && step % checkpointEvery == 0) {
                    saveWhileTraining(losses.size());
                }
            }
            // at the end, and when the JVM is ending (the process will not save the steps since the last checkpoint)
            if ((!interrupted || shutdown.requested()) && checkpointDir != null && !losses.isEmpty()
                    && (checkpointEvery <= 0 || step % checkpointEvery != 0)) {
                saveWhileTraining(losses.size());
            }
        } catch (RuntimeException | Error e) {
            // the listeners learn that the call ends here, so that a progress line does not stay open (it would count
            // as a run still printing, and every later trainer on its stream would print as if runs overlapped)
            for (TrainListener listener : listeners) {
                try {
                    listener.onFailure(e);
                } catch (RuntimeException | Error x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
        long done = losses.size();
        TrainResult r = new TrainResult(done, step, (System.nanoTime() - start) / 1e9,
                done == 0 ? Double.NaN : sum / done, smoothed, interrupted,
                losses.stream().mapToDouble(Double::doubleValue).toArray(),
                times.stream().mapToDouble(Double::doubleValue).toArray(), (int) Math.min(warmLeft, done));
        for (TrainListener listener : listeners) {
            listener.onEnd(r);
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // the caller stops too; the steps done stay in the trainer
        }
        return r;
    }

    /**
     * A save of {@link #train} into the checkpoint folder; a failed one (a full disk, a folder removed meanwhile) ends
     * the call with a message that says the steps done are still in the trainer and how to keep them.
     */
    private void saveWhileTraining(long doneInCall) {
        try {
            saveCheckpoint(checkpointDir);
        } catch (java.io.UncheckedIOException e) {
            boolean current = e.getCause() instanceof CheckpointStore.NotFlushed;
            throw new java.io.UncheckedIOException("training stopped after step " + step + " because its checkpoint"
                    + (current ? " could not be made safe on disk" : " could not be saved") + "; the trainer keeps the "
                    + doneInCall + " steps of this call, so save them elsewhere with saveCheckpoint(dir) before closing"
                    + " it. " + e.getMessage(), e.getCause());
        }
    }

    /**
     * Writes a checkpoint into {@code dir} (see {@link Checkpoint}); returns the step folder. Inside
     * {@link #withEmaWeights} too it saves the live weights as weights and the EMA as EMA.
     *
     * @throws java.io.UncheckedIOException when the checkpoint cannot be written (the folder's previous checkpoint
     *                                      stays current, and the message says so), or when it was written and made
     *                                      current but the folder could not be flushed to disk (the message says that)
     */
    public Path saveCheckpoint(Path dir) {
        requireFolder(dir);
        return withLiveWeights("saveCheckpoint", () -> {
            try {
                return Checkpoint.save(this, dir);
            } catch (CheckpointStore.NotFlushed e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write checkpoint to " + dir + ": " + reason(e, dir)
                        + "; the previous checkpoint there, if any, stays current", e);
            }
        });
    }

    /**
     * Loads the latest checkpoint of {@code dir}, refusing one from another configuration, and continues its run.
     * All or nothing: every file is read and checked first, so a damaged checkpoint leaves the trainer unchanged.
     * Inside {@link #withEmaWeights} the network then holds the loaded EMA weights until that call ends.
     */
    public void loadCheckpoint(Path dir) {
        requireFolder(dir);
        withLiveWeights("loadCheckpoint", () -> {
            try {
                Checkpoint.load(this, dir);
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read checkpoint from " + dir + ": " + reason(e, dir)
                        + "; the trainer is unchanged", e);
            }
        });
    }

    /**
     * What went wrong with a checkpoint folder's file, in words ({@link tpdiff4j.schedule.AtomicFiles#reason}): the
     * file exceptions of java.nio name only the file when the system gives no reason ("optimizer.bin" for a missing
     * file), and a file where the folder {@code dir} or one of its parents belongs is named as such.
     */
    static String reason(IOException e, Path dir) {
        return tpdiff4j.schedule.AtomicFiles.reason(e, dir == null ? null : dir.resolve(CheckpointStore.POINTER));
    }

    /**
     * Runs {@code work} with the live weights in the network and the EMA in its place, as outside withEmaWeights;
     * {@code call} names it for the refusal on a closed trainer.
     */
    private <T> T withLiveWeights(String call, Supplier<T> work) {
        java.util.concurrent.locks.Lock write = weightsLock.writeLock();
        write.lock(); // no step, swap or prediction on another thread meanwhile
        try {
            requireOpen(call); // under the lock, as for a step: a closed trainer's weights are freed
            if (emaHolders == 0) {
                return work.get();
            }
            Compute.adoptThread();
            ema.swap();
            try {
                return work.get();
            } finally {
                ema.swap();
            }
        } finally {
            write.unlock();
        }
    }

    /**
     * The denoiser of the network's weights: the live ones, or the EMA inside {@link #withEmaWeights}. Each prediction
     * waits for a training step, EMA swap or checkpoint load running on another thread, so it never sees weights
     * half-written; a sample taken while another thread trains still mixes the weights of several steps. While
     * withEmaWeights runs on another thread, a prediction on a thread outside withEmaWeights is refused. The denoiser
     * states the training schedule and pyramid, so a {@code VideoSampler} refuses another schedule or stages the
     * network was not trained on; {@code denoiser().withAnyPyramid()} lifts the second check, for an ablation.
     */
    public NetDenoiser denoiser() {
        requireOpen("denoiser()");
        return new NetDenoiser(model, config.prediction(), config.schedule(), config.pyramid(), new PredictionLock());
    }

    /**
     * Runs {@code work} with the EMA weights swapped in, and swaps back afterwards. A nested call finds them in place
     * already and just runs its work; a training step inside is refused (it would train the EMA weights), and a
     * checkpoint saved inside holds the live weights and the EMA as outside.
     *
     * <p>Threads: the swap waits for a training step running on another thread to end, and a training step on
     * another thread waits until the last withEmaWeights call has swapped back, so a sample taken inside sees the EMA
     * of one step count. Calls on several threads at once share one swap: all of them see the EMA weights, and the
     * live weights come back when the last one ends. While any call runs, the network holds the EMA weights for
     * every thread that called withEmaWeights; a prediction of {@link #denoiser()} on a thread that did not (a
     * thread sampling the live weights, or a pool thread that work inside was handed to) is refused with an
     * {@link IllegalStateException} saying to call withEmaWeights on that thread too.
     */
    public <T> T withEmaWeights(Supplier<T> work) {
        Thread me = Thread.currentThread();
        java.util.concurrent.locks.Lock write = weightsLock.writeLock();
        boolean outermost;
        write.lock(); // waits for a training step on another thread to end
        try {
            requireOpen("withEmaWeights");
            outermost = emaThreads.add(me);
            if (emaHolders++ == 0) {
                Compute.adoptThread(); // the swap writes into weights in place: autograd must be off on this thread
                ema.swap();
            }
        } finally {
            write.unlock();
        }
        try {
            return work.get();
        } finally {
            write.lock();
            try {
                if (outermost) {
                    emaThreads.remove(me);
                }
                if (--emaHolders == 0) {
                    if (manager.isOpen()) { // closed inside the work on this thread: nothing left to swap back
                        Compute.adoptThread();
                        ema.swap();
                    }
                    emaReleased.signalAll();
                }
            } finally {
                write.unlock();
            }
        }
    }

    /** The pyramid trained (one stage for vanilla), as given in the configuration. */
    public tpdiff4j.pyramid.TemporalPyramid pyramid() {
        return pairs.pyramid();
    }

    /** The network being trained (live weights). */
    public StageNetwork model() {
        return model;
    }

    /** The training configuration. */
    public TrainConfig config() {
        return config;
    }

    /** The data set the clips come from. */
    public VideoDataset data() {
        return data;
    }

    /** Steps done so far (also the RNG state: step n draws from a generator seeded by (seed, n)). */
    public long stepCount() {
        return step;
    }

    /** The trainer's manager (holds weights, EMA and optimizer state). */
    public NDManager manager() {
        return manager;
    }

    AdamW optimizer() {
        return optimizer;
    }

    Ema ema() {
        return ema;
    }

    /**
     * The bytes of a checkpoint of this trainer, at least: the weights, the EMA and the optimizer's two moments as
     * 4-byte floats (the names and the configuration add a few kilobytes).
     */
    long checkpointBytes() {
        return 4L * 4L * params.length();
    }

    /** The id of the run this trainer continues (checkpoints of other runs are never replaced). */
    String runId() {
        return runId;
    }

    /** Continues the run {@code id} (after loading one of its checkpoints). */
    void continueRun(String id) {
        this.runId = id;
    }

    /**
     * The step of the checkpoint this trainer last loaded or saved, in any folder (-1: none yet). A checkpoint of its
     * run at a later step was saved by another trainer that continues the same run (see {@link Checkpoint}).
     */
    long checkpointedStep() {
        return checkpointedStep;
    }

    /**
     * What identifies the checkpoint this trainer last loaded from or saved into the folder {@code dir} (absolute,
     * normalised), or null when it did neither: another checkpoint of its run there was saved by another trainer.
     */
    String checkpointIn(Path dir) {
        return checkpointsByFolder.get(dir);
    }

    /** Records that this trainer loaded or saved the checkpoint {@code identity}, of step {@code s}, in {@code dir}. */
    void checkpointed(Path dir, long s, String identity) {
        this.checkpointedStep = s;
        checkpointsByFolder.put(dir, identity);
    }

    void restoreStep(long s) {
        this.step = s;
        this.smoothed = Double.NaN;
    }

    /** Refuses {@code call} on a closed trainer, whose weights, EMA and optimizer state are freed. */
    private void requireOpen(String call) {
        if (!manager.isOpen()) {
            throw new IllegalStateException(call + " on a closed trainer: trainer.close() freed its weights, EMA and"
                    + " optimizer state; call it before close(), or build a new trainer (withResumeFrom(dir) continues"
                    + " a checkpoint)");
        }
    }

    /**
     * Closes the trainer's manager: weights, EMA and optimizer state, and every sub-manager of it. From another
     * thread than the one that trains or samples it, it waits for the step, the prediction or the withEmaWeights
     * calls in progress to end (freeing the weights under a running PyTorch operation ends the whole JVM with a
     * segmentation fault); the next step, withEmaWeights or prediction is then refused as on any closed trainer.
     */
    @Override
    public void close() {
        java.util.concurrent.locks.Lock write = weightsLock.writeLock();
        write.lock();
        try {
            while (emaHolders > 0 && !emaThreads.contains(Thread.currentThread())) {
                emaReleased.awaitUninterruptibly(); // a sample on another thread still reads the weights
            }
            manager.close();
        } finally {
            write.unlock();
        }
    }

    /** Builder: {@code withModel}, {@code withConfig} and {@code withData} required, the other {@code withX} optional. */
    public static final class Builder {
        private ModelConfig model;
        private java.util.function.Function<NDManager, StageNetwork> network;
        private TrainConfig config;
        private VideoDataset data;
        private Device device; // null: tpdiff4j.nn.Compute.device(), the TPDIFF4J_DEVICE knob
        private final List<TrainListener> listeners = new ArrayList<>();
        private boolean progress = true;
        private PrintStream progressOut = System.out;
        private Path checkpointDir;
        private long checkpointEvery;
        private Path resumeFrom;

        /** The built-in transformer with this configuration (or {@link #withNetwork}). */
        public Builder withModel(ModelConfig m) {
            this.model = m;
            this.network = null;
            return this;
        }

        /**
         * One's own network instead of the built-in transformer: {@code factory} gets the trainer's manager and
         * returns an initialised {@link StageNetwork} whose weights live on it (e.g. {@code StageNetwork.of(name,
         * block, frames)} after {@code block.initialize(manager, DataType.FLOAT32, shapes)}).
         */
        public Builder withNetwork(java.util.function.Function<NDManager, StageNetwork> factory) {
            this.network = factory;
            this.model = null;
            return this;
        }

        /** The training configuration (required); its pyramid must be built for the data's frame count. */
        public Builder withConfig(TrainConfig c) {
            this.config = c;
            return this;
        }

        /** The clips (required); they fix the clip shape the model and the pyramid are checked against. */
        public Builder withData(VideoDataset d) {
            this.data = d;
            return this;
        }

        /**
         * Device of the weights and of every tensor of a step (default {@code Compute.device()}, the
         * {@code TPDIFF4J_DEVICE} knob). A GPU that DJL does not see fails here, with one readable sentence.
         */
        public Builder withDevice(Device d) {
            this.device = tpdiff4j.nn.Compute.require(d);
            return this;
        }

        /** Adds a listener that gets every step's progress (several may be added). */
        public Builder withListener(TrainListener l) {
            Refusals.notNull(l, "listener", "a TrainListener, e.g. p -> losses.add(p.loss())");
            listeners.add(l);
            return this;
        }

        /** The progress line (default on, on {@code System.out} unless {@link #withProgressStream}); false = quiet. */
        public Builder withProgress(boolean on) {
            this.progress = on;
            return this;
        }

        /** Where the progress line goes (default {@code System.out}). */
        public Builder withProgressStream(PrintStream out) {
            Refusals.notNull(out, "progress stream",
                    "a PrintStream such as System.err (withProgress(false) turns the progress line off)");
            this.progressOut = out;
            return this;
        }

        /**
         * Checkpoint folder and interval in steps (0: only at the end of each train call). The folder must be empty
         * of checkpoints or hold this run's (the trainer resumed from it): {@link #build} refuses a folder holding
         * another run's checkpoint rather than replace it (see {@link Checkpoint}). {@link #build} also creates the
         * folder and refuses one it cannot write, or one on a disk without room for a checkpoint (the weights, the
         * EMA and the optimizer's moments, 16 bytes a parameter), so that a run does not fail at its first save.
         */
        public Builder withCheckpoints(Path dir, long every) {
            if (dir == null || every < 0) {
                throw new IllegalArgumentException("withCheckpoints(" + dir + ", " + every + "); allowed: a folder and"
                        + " every >= 0 steps (0: only at the end of each train call)");
            }
            this.checkpointDir = dir;
            this.checkpointEvery = every;
            return this;
        }

        /** Resume from the latest checkpoint in {@code dir} (must have been written with equal configs). */
        public Builder withResumeFrom(Path dir) {
            // null was taken as "do not resume": a run meant to continue started afresh
            Refusals.notNull(dir, "resume folder",
                    "the checkpoint folder to resume from (leave withResumeFrom out to start afresh)");
            this.resumeFrom = dir;
            return this;
        }

        /** Creates the checkpoint folder if needed and checks that files can be written there. */
        private static void writable(Path dir) {
            try {
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.delete(java.nio.file.Files.createTempFile(dir, ".tmp-probe-", ""));
            } catch (IOException e) {
                throw new IllegalArgumentException("withCheckpoints(" + dir + ", ...): cannot write there (" + reason(e, dir)
                        + "); allowed: a folder this process may create and write, so that training can save", e);
            }
        }

        /**
         * Checks the parts against each other and builds the trainer (resuming and claiming the checkpoint folder
         * when asked).
         *
         * @throws IllegalArgumentException naming a missing or mismatched part
         */
        public Trainer build() {
            if ((model == null && network == null) || config == null || data == null) {
                String missing = model == null && network == null ? "model" : config == null ? "config" : "data";
                throw new IllegalArgumentException(missing + " = null; allowed: withModel (or withNetwork), withConfig"
                        + " and withData are all required (missing: " + (model == null && network == null ? "model " : "")
                        + (config == null ? "config " : "") + (data == null ? "data" : "") + ")");
            }
            config.requireSamplable(); // an EPSILON network on flow matching trains, but could never be sampled
            config.requireTargets(); // a VELOCITY target whose derivative fails near some t would stop the run there
            Trainer t = new Trainer(this);
            try {
                if (resumeFrom != null) {
                    t.loadCheckpoint(resumeFrom);
                }
                if (checkpointDir != null) {
                    Checkpoint.claim(t, checkpointDir); // never write over another run's checkpoints
                    writable(checkpointDir); // before training, not at the first save after many steps
                    String room = Checkpoint.room(checkpointDir, t.checkpointBytes());
                    if (room != null) {
                        throw new IllegalArgumentException("withCheckpoints(" + checkpointDir + ", ...): no room for a"
                                + " checkpoint: " + room);
                    }
                }
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
            return t;
        }
    }
}
