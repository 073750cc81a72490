package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/** The vanilla velocity target is the schedule's dx_t/dt, as PredictionType.VELOCITY (and the samplers) define it. */
class VanillaPairsTest {

    @Test
    void velocityTargetIsGammaDotX0PlusSigmaDotEps() {
        NoiseSchedule vp = Schedules.vpCosine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = GaussianNoise.normal(m, new Shape(4, 2, 1, 3, 3), DataType.FLOAT32, 5L);
            TrainBatch p = new VanillaPairs(vp, PredictionType.VELOCITY).make(x0, new SplittableRandom(9), m);
            float[] t = p.t().toFloatArray();
            float[] xt = p.xt().toFloatArray(), target = p.target().toFloatArray(), x = x0.toFloatArray();
            int per = 2 * 9;
            for (int b = 0; b < 4; b++) {
                // reconstruct eps from x_t = gamma x0 + sigma eps, then check the target element by element
                double ti = t[b], g = vp.gamma(ti), s = vp.sigma(ti);
                for (int j = b * per; j < (b + 1) * per; j++) {
                    double eps = (xt[j] - g * x[j]) / s;
                    double want = vp.gammaDot(ti) * x[j] + vp.sigmaDot(ti) * eps;
                    // float32 rounding of x_t amplified by sigmaDot / sigma, plus that of the target
                    double tol = 1e-5 * (1 + Math.abs(vp.sigmaDot(ti) / s) * (Math.abs(xt[j]) + Math.abs(g * x[j])) + Math.abs(want));
                    assertEquals(want, target[j], tol, "clip " + b + " element " + j + " at t = " + ti);
                }
            }
        }
    }

    @Test
    void flowMatchingVelocityIsExactlyEpsMinusX0() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = GaussianNoise.normal(m, new Shape(3, 4, 1, 2, 2), DataType.FLOAT32, 1L);
            TrainBatch p = new VanillaPairs(Schedules.flowMatching(), PredictionType.VELOCITY).make(x0, new SplittableRandom(3), m);
            TrainBatch e = new VanillaPairs(Schedules.flowMatching(), PredictionType.EPSILON).make(x0, new SplittableRandom(3), m);
            assertArrayEquals(e.target().sub(x0).toFloatArray(), p.target().toFloatArray(), 0f);
        }
    }
}
