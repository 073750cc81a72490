package tpdiff4j.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;

/** Invariants of the batch aligner (docs/derivation.md section 7). */
class BatchNoiseAlignerTest extends WithNDManager {

    static NDArray gaussian(Random rnd, Shape shape) {
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        return manager.create(v, shape);
    }

    static double dist(double[] a, int i, double[] b, int j, int n, boolean squared) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double d = a[i * n + k] - b[j * n + k];
            s += d * d;
        }
        return squared ? s : Math.sqrt(s);
    }

    @Test
    void costMatrixEqualsDirectDistancesInFloat64() {
        Random rnd = new Random(2);
        Shape shape = new Shape(5, 4, 1, 3, 2);
        NDArray x = gaussian(rnd, shape).toType(DataType.FLOAT32, false); // float32 data: cost still float64
        NDArray e = gaussian(rnd, shape);
        double[] xv = x.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] ev = e.toDoubleArray();
        for (boolean sq : new boolean[] {false, true}) {
            double[][] c = (sq ? BatchNoiseAligner.squaredL2() : BatchNoiseAligner.l2()).costMatrix(x, e);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(dist(xv, i, ev, j, 24, sq), c[i][j], 1e-10);
                }
            }
        }
    }

    @Test
    void outputIsAPermutationOfTheNoiseKeepsShapeAndIsOptimal() {
        Random rnd = new Random(4);
        for (int b = 1; b <= 7; b++) {
            Shape shape = new Shape(b, 4, 2, 2, 2);
            NDArray x = gaussian(rnd, shape);
            NDArray e = gaussian(rnd, shape);
            for (BatchNoiseAligner a : new BatchNoiseAligner[] {BatchNoiseAligner.l2(), BatchNoiseAligner.squaredL2()}) {
                NDArray out = a.couple(x, e);
                assertEquals(shape, out.getShape());
                assertEquals(e.getDataType(), out.getDataType());
                int[] col = a.assignment(x, e);
                int[] sorted = col.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < b; i++) {
                    assertEquals(i, sorted[i], "a permutation");
                }
                // out[j] = noise[col[j]], values unchanged
                double[] ev = e.toDoubleArray();
                double[] ov = out.toDoubleArray();
                int n = 32;
                for (int j = 0; j < b; j++) {
                    assertArrayEquals(Arrays.copyOfRange(ev, col[j] * n, col[j] * n + n),
                            Arrays.copyOfRange(ov, j * n, j * n + n));
                }
                double[][] c = a.costMatrix(x, e);
                double total = 0;
                double identity = 0;
                for (int i = 0; i < b; i++) {
                    total += c[i][col[i]];
                    identity += c[i][i];
                }
                assertTrue(total <= identity + 1e-12, "never worse than the identity pairing");
                assertEquals(LinearAssignmentTest.bruteForce(c, 0, new boolean[b]), total, 1e-9);
                assertArrayEquals(col, a.assignment(x, e), "deterministic");
            }
        }
    }

    @Test
    void pairsInTheDocumentedDirection() {
        // noise j is a slightly perturbed copy of video perm[j]; aligned noise j must then sit next to video j
        Random rnd = new Random(9);
        int b = 6;
        Shape shape = new Shape(b, 2, 1, 2, 2);
        NDArray x = gaussian(rnd, shape).mul(10);
        int[] perm = {3, 0, 5, 1, 4, 2};
        double[] xv = x.toDoubleArray();
        double[] ev = new double[xv.length];
        for (int j = 0; j < b; j++) {
            for (int k = 0; k < 8; k++) {
                ev[j * 8 + k] = xv[perm[j] * 8 + k] + 0.01 * rnd.nextGaussian();
            }
        }
        NDArray e = manager.create(ev, shape);
        int[] col = BatchNoiseAligner.l2().assignment(x, e);
        for (int i = 0; i < b; i++) {
            assertEquals(i, perm[col[i]], "video i gets the noise made from video i");
        }
        double[] out = BatchNoiseAligner.l2().couple(x, e).toDoubleArray();
        for (int k = 0; k < xv.length; k++) {
            assertEquals(xv[k], out[k], 0.1);
        }
    }

    @Test
    void l2AndSquaredL2CanPairDifferently() {
        // some random batches are paired differently by the two costs; both are optimal for their own cost
        Random rnd = new Random(21);
        boolean differed = false;
        for (int trial = 0; trial < 200 && !differed; trial++) {
            NDArray x = gaussian(rnd, new Shape(5, 3));
            NDArray e = gaussian(rnd, new Shape(5, 3)).mul(2);
            int[] a = BatchNoiseAligner.l2().assignment(x, e);
            int[] s = BatchNoiseAligner.squaredL2().assignment(x, e);
            differed = !Arrays.equals(a, s);
        }
        assertTrue(differed, "L2 and squared L2 are different costs");
        assertNotEquals(BatchNoiseAligner.l2().cost(), BatchNoiseAligner.squaredL2().cost());
    }

    @Test
    void worksAsTheNoiseCouplingOfTheTrainingPairSampler() {
        // stage 0 of flow matching has A = D, so the EPSILON target is exactly the (aligned) noise
        tpdiff4j.pyramid.TemporalPyramid p = tpdiff4j.pyramid.TemporalPyramid.uniform(
                tpdiff4j.schedule.Schedules.flowMatching(), 2, 4);
        NDArray x0 = gaussian(new Random(8), new Shape(6, 4, 1, 2, 2)).mul(3);
        tpdiff4j.pyramid.TrainingPair pair = tpdiff4j.pyramid.TrainingPairSampler
                .builder(p, tpdiff4j.ode.PredictionType.EPSILON).withCoupling(BatchNoiseAligner.l2()).build()
                .sample(x0, 0, 0.5, 31);
        NDArray eps = tpdiff4j.ode.GaussianNoise.normal(manager, new Shape(6, 2, 1, 2, 2), DataType.FLOAT64, 31);
        NDArray d = tpdiff4j.pyramid.TemporalOps.down(x0, 2);
        assertArrayEquals(BatchNoiseAligner.l2().couple(d, eps).toDoubleArray(), pair.target().toDoubleArray(), 0.0);
    }
}
