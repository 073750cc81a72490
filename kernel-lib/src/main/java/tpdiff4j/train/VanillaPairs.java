package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import tpdiff4j.data.Tensors;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * Vanilla diffusion pairs at full frame rate (docs/derivation.md section 1): {@code t = 1 - u}, u ~ U[0, 1) per clip
 * (so t in (0, 1]),
 * eps ~ N(0, I), {@code x_t = gamma(t) x0 + sigma(t) eps}; target eps (EPSILON, DDIM loss v1 Eq. 2) or
 * {@code gammaDot(t) x0 + sigmaDot(t) eps} (VELOCITY, the {@code PredictionType} the samplers integrate; {@code eps - x0}
 * for flow matching, the flow-matching loss of v1 Eq. 5).
 */
final class VanillaPairs implements PairMaker {

    private final NoiseSchedule schedule;
    private final PredictionType prediction;

    VanillaPairs(NoiseSchedule schedule, PredictionType prediction) {
        this.schedule = schedule;
        this.prediction = prediction;
    }

    @Override
    public TrainBatch make(NDArray x0, SplittableRandom rng, NDManager m) {
        Shape s = x0.getShape();
        int b = (int) s.get(0);
        float[] t = new float[b], g = new float[b], sg = new float[b], gd = new float[b], sd = new float[b];
        for (int i = 0; i < b; i++) {
            double ti = 1.0 - rng.nextDouble();
            t[i] = (float) ti;
            g[i] = (float) schedule.gamma(ti);
            sg[i] = (float) schedule.sigma(ti);
            gd[i] = (float) schedule.gammaDot(ti);
            sd[i] = (float) schedule.sigmaDot(ti);
        }
        NDArray eps = GaussianNoise.normal(m, s, DataType.FLOAT32, rng);
        Shape col = new Shape(b, 1, 1, 1, 1);
        NDArray xt = x0.mul(Tensors.owned(m, g, col)).add(eps.mul(Tensors.owned(m, sg, col)));
        // VELOCITY = dx_t/dt = gammaDot x0 + sigmaDot eps (PredictionType), which is eps - x0 for flow matching
        NDArray target = prediction == PredictionType.EPSILON ? eps
                : x0.mul(Tensors.owned(m, gd, col)).add(eps.mul(Tensors.owned(m, sd, col)));
        return new TrainBatch(xt, Tensors.owned(m, t), target, (int) s.get(1), 0);
    }
}
