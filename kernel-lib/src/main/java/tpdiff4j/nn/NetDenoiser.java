package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import tpdiff4j.Refusals;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * The network as an ODE {@link Denoiser}: {@code predict(x, t)} with {@code x: [B, F, C, H, W]} runs the
 * transformer at time t for every clip, with the frames placed on the full-rate grid ({@code j * F_full / F}), so
 * the same denoiser serves every pyramid stage. x must be on the weights' device; outputs live on x's manager; the
 * intermediate arrays of each call are freed before it returns (an NDScope), so a 30-step sampling run holds only
 * its trajectory.
 */
public final class NetDenoiser implements Denoiser {

    private final StageNetwork net;
    private final PredictionType type;
    private final NoiseSchedule schedule;   // null: not known
    private final tpdiff4j.pyramid.TemporalPyramid pyramid;   // null: not known
    private final java.util.concurrent.locks.Lock weightsRead; // null: none

    /** The network as a denoiser of {@code type}, trained on a schedule this denoiser does not know. */
    public NetDenoiser(StageNetwork net, PredictionType type) {
        this(net, type, null);
    }

    /**
     * The network as a denoiser of {@code type}, trained on {@code schedule}: its time input means that schedule's
     * t, so a sampler can refuse another schedule ({@code trainer.denoiser()} gives the training configuration's).
     */
    public NetDenoiser(StageNetwork net, PredictionType type, NoiseSchedule schedule) {
        this(net, type, schedule, null);
    }

    /**
     * As {@link #NetDenoiser(StageNetwork, PredictionType, NoiseSchedule)}, with every use of the weights (each
     * prediction, the time conditioning of {@link #forTimes}) holding {@code weightsRead}: the read side of the lock
     * under which their owner (a trainer) writes into them, so a prediction never sees a training step or an EMA
     * swap half-done on another thread. Null: no lock.
     */
    public NetDenoiser(StageNetwork net, PredictionType type, NoiseSchedule schedule,
            java.util.concurrent.locks.Lock weightsRead) {
        this(net, type, schedule, null, weightsRead);
    }

    /**
     * As {@link #NetDenoiser(StageNetwork, PredictionType, NoiseSchedule, java.util.concurrent.locks.Lock)}, and
     * trained on the stages of {@code pyramid} (a one-stage pyramid for vanilla training): the network has seen only
     * those frame counts on those time windows, so a sampler can refuse another pyramid ({@code trainer.denoiser()}
     * gives the training configuration's). Null: not known.
     */
    public NetDenoiser(StageNetwork net, PredictionType type, NoiseSchedule schedule,
            tpdiff4j.pyramid.TemporalPyramid pyramid, java.util.concurrent.locks.Lock weightsRead) {
        String allowed = "a StageNetwork (e.g. trainer.model()) and the PredictionType it was trained for (EPSILON or "
                + "VELOCITY)";
        Refusals.notNull(net, "net", allowed);
        Refusals.notNull(type, "type", allowed);
        this.net = net;
        this.type = type;
        this.schedule = schedule;
        this.pyramid = pyramid;
        this.weightsRead = weightsRead;
    }

    /** The pyramid the network was trained on (one stage for vanilla training), when known. */
    public java.util.Optional<tpdiff4j.pyramid.TemporalPyramid> pyramid() {
        return java.util.Optional.ofNullable(pyramid);
    }

    /**
     * The same denoiser (same network, weights and lock) without its training pyramid, so that a sampler lets it run
     * on any pyramid of its frame count: for an ablation that samples a network on stages it was not trained on (a
     * TPDiff network at full rate all the way, a vanilla network through a pyramid), or for timing alone, where the
     * weights do not matter. The training schedule is still checked.
     */
    public NetDenoiser withAnyPyramid() {
        return new NetDenoiser(net, type, schedule, null, weightsRead);
    }

    /** The schedule the network was trained on, when known. */
    public java.util.Optional<NoiseSchedule> schedule() {
        return java.util.Optional.ofNullable(schedule);
    }

    @Override
    public NDArray predict(NDArray x, double t) {
        return run(x, t, null);
    }

    /**
     * For a {@link SpaceTimeTransformer}: a denoiser that computes the network's time conditioning for all of
     * {@code times} now, in one batched pass on {@code manager}, and hands each step its rows instead of
     * recomputing them (about 7 % of a 30-step run at batch 1); other times are computed as before. Other
     * networks: this denoiser.
     */
    @Override
    public Denoiser forTimes(double[] times, NDManager manager) {
        if (!(net instanceof SpaceTimeTransformer stt)) {
            return this;
        }
        requireWeights();
        Compute.adoptThread();
        requireModelDevice(manager.getDevice(), "the manager");
        double[] distinct = TimeConditioning.distinct(java.util.Arrays.stream(times).filter(v -> v >= 0 && v <= 1).toArray());
        if (distinct.length == 0) {
            return this;
        }
        TimeConditioning table = reading(() -> stt.timeConditioning(manager, distinct));
        return new Denoiser() {
            @Override
            public NDArray predict(NDArray x, double t) {
                return run(x, t, table.covers(t) ? table : null);
            }

            @Override
            public PredictionType type() {
                return type;
            }
        };
    }

    /** {@code work} holding the weights' read lock, when there is one. */
    private <T> T reading(java.util.function.Supplier<T> work) {
        if (weightsRead == null) {
            return work.get();
        }
        weightsRead.lock();
        try {
            return work.get();
        } finally {
            weightsRead.unlock();
        }
    }

    private NDArray run(NDArray x, double t, TimeConditioning table) {
        return reading(() -> runUnlocked(x, t, table));
    }

    private NDArray runUnlocked(NDArray x, double t, TimeConditioning table) {
        requireWeights();
        Compute.adoptThread(); // sampling on any thread records no autograd graph
        NDManager m = x.getManager();
        requireModelDevice(x.getDevice(), "x");
        int b = (int) x.getShape().get(0), f = (int) x.getShape().get(1);
        // the forward pass leaves ~100 intermediate arrays on x's manager; free them now, keep only the output.
        // The store is x's: DJL's no-argument ParameterStore would open a root manager on the engine's default device.
        try (NDScope scope = new NDScope()) {
            NDList in = new NDList(x, m.full(new Shape(b), (float) t), net.positions(m, f)); // one engine op each
            if (table != null) {
                in.addAll(table.rows(t)); // the time conditioning's rows for t, computed once for the run
            }
            NDArray out = net.predict(new ParameterStore(m, false), in, false, () -> "a prediction at t = " + t);
            NDScope.unregister(out);
            return out;
        }
    }

    /** Refuses to run a network whose weights were freed (the manager that holds them, a trainer's, was closed). */
    private void requireWeights() {
        if (net.namedParameters().values().iterator().next().getArray().isReleased()) {
            throw new IllegalStateException("the network's weights have been freed: the manager that held them was"
                    + " closed (trainer.close()); sample before closing the trainer, or load the checkpoint into a new"
                    + " one");
        }
    }

    /** Refuses a tensor or manager ({@code what}) on another device than the weights, before any tensor is mixed. */
    private void requireModelDevice(ai.djl.Device device, String what) {
        if (!device.equals(net.device())) {
            throw new IllegalArgumentException(what + " is on " + device + " but the weights are on " + net.device()
                    + "; sample in a manager on the model's device (e.g. trainer.manager().newSubManager())");
        }
    }

    @Override
    public PredictionType type() {
        return type;
    }

    /** The wrapped network. */
    public StageNetwork net() {
        return net;
    }
}
