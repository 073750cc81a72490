package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.Tensors;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.StageEndpoints;
import tpdiff4j.pyramid.TemporalOps;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;

/**
 * TPDiff stage-wise pairs (v1 Algorithm 2, docs/derivation.md section 8), one stage per batch:
 * <ol>
 *   <li>stage k uniform in 0..K-1 (sampling order), rate factor r_k, F_k = F / r_k frames;</li>
 *   <li>eps ~ N(0, I) of shape [B, F_k, C, H, W], coupled to the stage data D_k = Down_{r_k}(x0) by the batch
 *       aligner (TPDIFF_ALIGNED, L2 cost, docs/derivation.md section 7) or left as drawn (TPDIFF_UNALIGNED);</li>
 *   <li>the stage's virtual pair (x~_k, eps_k) from {@link StageEndpoints} with that one noise (Eq. 7, 8, 11);</li>
 *   <li>per clip b a stage time t'_b ~ U(0, 1], t_b = e_k + t'_b (s_k - e_k), and
 *       {@code x_t = gamma(t_b) x~_k + sigma(t_b) eps_k} (Eq. 10);</li>
 *   <li>target eps_k (EPSILON) or {@code gammaDot(t_b) x~_k + sigmaDot(t_b) eps_k} (VELOCITY per unit global t,
 *       {@code eps_k - x~_k} for flow matching), exactly what {@code PyramidSampler} integrates.</li>
 * </ol>
 * This is {@code tpdiff4j.pyramid.TrainingPairSampler} with one change: a time per clip instead of one per batch,
 * as the vanilla pairs draw it, so that the two modes differ only in the pyramid (a test checks equality with the
 * sampler's pair for a single clip).
 */
final class PyramidPairs implements PairMaker {

    private final TemporalPyramid pyramid;
    private final NoiseSchedule schedule;
    private final PredictionType prediction;
    private final NoiseCoupling coupling;

    PyramidPairs(TemporalPyramid pyramid, PredictionType prediction, NoiseCoupling coupling) {
        this.pyramid = pyramid;
        this.schedule = pyramid.schedule();
        this.prediction = prediction;
        this.coupling = coupling;
    }

    static PyramidPairs of(TrainConfig c, int frames) {
        return new PyramidPairs(pyramid(c, frames), c.prediction(),
                c.mode() == TrainMode.TPDIFF_ALIGNED ? BatchNoiseAligner.l2() : NoiseCoupling.NONE);
    }

    /** The pyramid a config trains: uniform stages, the paper's window convention A. */
    static TemporalPyramid pyramid(TrainConfig c, int frames) {
        return TemporalPyramid.uniform(c.schedule(), c.stages(), frames);
    }

    @Override
    public TrainBatch make(NDArray x0, SplittableRandom rng, NDManager m) {
        int k = rng.nextInt(pyramid.size());
        double[] tPrime = new double[(int) x0.getShape().get(0)];
        for (int i = 0; i < tPrime.length; i++) {
            tPrime[i] = 1.0 - rng.nextDouble();
        }
        Stage st = pyramid.stage(k);
        long[] dims = x0.getShape().getShape().clone(); // getShape() exposes the internal array
        dims[1] = st.frames();
        Shape noiseShape = new Shape(dims);
        return make(x0, k, tPrime, GaussianNoise.normal(m, noiseShape, DataType.FLOAT32, rng), m);
    }

    /** The pair of stage k at stage times tPrime (one per clip) with the drawn noise {@code raw} (before coupling). */
    TrainBatch make(NDArray x0, int k, double[] tPrime, NDArray raw, NDManager m) {
        Stage st = pyramid.stage(k);
        NDArray d = TemporalOps.down(x0, st.rateFactor());
        NDArray eps = coupling.couple(d, raw);
        StageEndpoints ends = StageEndpoints.of(pyramid, k, x0, eps);
        NDArray clean = ends.cleanK(), epsK = ends.epsilonK();
        int b = tPrime.length;
        float[] t = new float[b], g = new float[b], s = new float[b], gd = new float[b], sd = new float[b];
        for (int i = 0; i < b; i++) {
            double ti = Math.min(st.start(), Math.max(st.end(), st.time(tPrime[i])));
            t[i] = (float) ti;
            g[i] = (float) schedule.gamma(ti);
            s[i] = (float) schedule.sigma(ti);
            gd[i] = (float) schedule.gammaDot(ti);
            sd[i] = (float) schedule.sigmaDot(ti);
        }
        Shape col = new Shape(b, 1, 1, 1, 1);
        NDArray xt = clean.mul(Tensors.owned(m, g, col)).add(epsK.mul(Tensors.owned(m, s, col)));
        NDArray target = prediction == PredictionType.EPSILON ? epsK
                : clean.mul(Tensors.owned(m, gd, col)).add(epsK.mul(Tensors.owned(m, sd, col)));
        return new TrainBatch(xt, Tensors.owned(m, t), target, st.frames(), k);
    }

    TemporalPyramid pyramid() {
        return pyramid;
    }
}
