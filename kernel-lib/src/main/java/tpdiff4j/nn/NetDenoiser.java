package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.PredictionType;

/**
 * The network as an ODE {@link Denoiser}: {@code predict(x, t)} with {@code x: [B, F, C, H, W]} runs the
 * transformer at time t for every clip, with the frames placed on the full-rate grid ({@code j * F_full / F}), so
 * the same denoiser serves every pyramid stage. Outputs live on x's manager; the intermediate arrays of each call
 * are freed before it returns (an NDScope), so a 30-step sampling run holds only its trajectory.
 */
public final class NetDenoiser implements Denoiser {

    private final StageNetwork net;
    private final PredictionType type;
    private final ParameterStore store;

    public NetDenoiser(StageNetwork net, PredictionType type) {
        this.net = net;
        this.type = type;
        this.store = new ParameterStore();
    }

    @Override
    public NDArray predict(NDArray x, double t) {
        NDManager m = x.getManager();
        int b = (int) x.getShape().get(0), f = (int) x.getShape().get(1);
        float[] ts = new float[b];
        java.util.Arrays.fill(ts, (float) t);
        // the forward pass leaves ~100 intermediate arrays on x's manager; free them now, keep only the output
        try (NDScope scope = new NDScope()) {
            NDArray out = net.block().forward(store, new NDList(x, tpdiff4j.data.Tensors.owned(m, ts), net.positions(m, f)), false).singletonOrThrow();
            NDScope.unregister(out);
            return out;
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
