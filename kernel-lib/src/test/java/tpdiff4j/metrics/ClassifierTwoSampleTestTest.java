package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierTwoSampleTestTest {

    private static double[][] gaussian(int n, int d, double shift, SplittableRandom rng) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (j == 0 ? shift : 0) + rng.nextGaussian();
            }
        }
        return out;
    }

    /** Perfectly separable sets (feature 0 in [-2, -1] versus [1, 2]): accuracy 1 and AUC 1. */
    @Test
    void separableSetsGiveAccuracyAndAucOne() {
        SplittableRandom rng = new SplittableRandom(1);
        double[][] real = new double[200][4];
        double[][] gen = new double[200][4];
        for (int i = 0; i < 200; i++) {
            for (int j = 1; j < 4; j++) {
                real[i][j] = rng.nextGaussian();
                gen[i][j] = rng.nextGaussian();
            }
            real[i][0] = -1 - rng.nextDouble();
            gen[i][0] = 1 + rng.nextDouble();
        }
        TwoSampleResult r = ClassifierTwoSampleTest.DEFAULT.run(real, gen);
        assertEquals(1.0, r.accuracy(), 0.0);
        assertEquals(1.0, r.auc(), 0.0);
        assertEquals(200, r.trainSize());
        assertEquals(200, r.testSize());
        assertEquals(Math.pow(2, -200), r.pValue(), 1e-9 * Math.pow(2, -200), "all 200 right: p = 2^-200, not 0");
    }

    /** The binomial tail is exact where 1 - CDF cancels to 0 and agrees with it where it does not. */
    @Test
    void pValueKeepsTinyTails() {
        assertEquals(Math.pow(2, -64), ClassifierTwoSampleTest.upperTail(64, 64), 1e-12 * Math.pow(2, -64));
        assertEquals(65 * Math.pow(2, -64), ClassifierTwoSampleTest.upperTail(64, 63), 1e-12 * 65 * Math.pow(2, -64));
        assertEquals(1.0, ClassifierTwoSampleTest.upperTail(20, 0), 0.0);
        // P(X >= 15) for n = 20: (C(20,15) + C(20,16) + ... + C(20,20)) / 2^20 = 21700 / 1048576
        assertEquals(21700.0 / 1048576, ClassifierTwoSampleTest.upperTail(20, 15), 1e-12);
        assertEquals(0.5 + 184756.0 / 2 / 1048576, ClassifierTwoSampleTest.upperTail(20, 10), 1e-12);
    }

    /**
     * Same distribution, 1000 vectors per class, 500 per class tested: accuracy has sd 0.5 / sqrt(1000) = 0.016 and
     * AUC sd sqrt(1001 / (12 * 500^2)) = 0.018 under H0; tolerance 0.07 (4 sd) around 0.5, over three seeds.
     */
    @Test
    void sameDistributionGivesChance() {
        for (long seed = 10; seed < 13; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            TwoSampleResult r = ClassifierTwoSampleTest.DEFAULT.withSeed(seed)
                    .run(gaussian(1000, 6, 0, rng), gaussian(1000, 6, 0, rng));
            assertEquals(0.5, r.accuracy(), 0.07, "accuracy, seed " + seed);
            assertEquals(0.5, r.auc(), 0.07, "AUC, seed " + seed);
        }
    }

    /**
     * A mean shift of 1 sd in one feature: the Bayes accuracy is Phi(1/2) = 0.691 and the AUC Phi(1/sqrt 2) = 0.760;
     * a trained logistic regression is at most that and close to it (tolerance 0.07 as above).
     */
    @Test
    void shiftedDistributionIsDetectedAtBayesRate() {
        SplittableRandom rng = new SplittableRandom(20);
        TwoSampleResult r = ClassifierTwoSampleTest.DEFAULT.run(gaussian(1000, 4, 0, rng), gaussian(1000, 4, 1, rng));
        assertEquals(0.691, r.accuracy(), 0.07);
        assertEquals(0.760, r.auc(), 0.07);
        assertTrue(r.pValue() < 1e-6, "p " + r.pValue());
    }

    /** Same inputs and seed: same result; unequal sizes are balanced to the smaller set. */
    @Test
    void deterministicAndBalanced() {
        SplittableRandom rng = new SplittableRandom(30);
        double[][] a = gaussian(300, 3, 0, rng);
        double[][] b = gaussian(100, 3, 0.5, rng);
        TwoSampleResult r1 = ClassifierTwoSampleTest.DEFAULT.run(a, b);
        TwoSampleResult r2 = ClassifierTwoSampleTest.DEFAULT.run(a, b);
        assertEquals(r1, r2);
        assertEquals(100, r1.trainSize());
        assertEquals(100, r1.testSize());
    }

    /**
     * The same set passed as real and as generated (a real-versus-real sanity check): every vector is on one side of
     * the split with both labels, so whatever the classifier learns it is right about exactly one of each test pair:
     * accuracy and AUC are 1/2 exactly (AUC by ties), for every seed. Shuffling the two copies separately put a test
     * vector labelled "real" into training as "generated", and the C2ST fell below chance (AUC 0.28 to 0.47 here).
     */
    @Test
    void identicalSetsGiveExactlyChance() {
        double[][] x = gaussian(64, 9, 0, new SplittableRandom(40));
        for (long seed = 0; seed < 5; seed++) {
            TwoSampleResult r = ClassifierTwoSampleTest.DEFAULT.withSeed(seed).run(x, x.clone());
            assertEquals(0.5, r.accuracy(), 1e-12, "accuracy, seed " + seed);
            assertEquals(0.5, r.auc(), 1e-12, "AUC, seed " + seed);
        }
    }

    /** The result is a function of the two sets and the seed: reordering the clips of either set changes nothing. */
    @Test
    void orderOfTheVectorsDoesNotMatter() {
        SplittableRandom rng = new SplittableRandom(41);
        double[][] a = gaussian(80, 4, 0, rng);
        double[][] b = gaussian(60, 4, 0.3, rng);
        double[][] aReversed = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            aReversed[i] = a[a.length - 1 - i];
        }
        double[][] bRotated = new double[b.length][];
        for (int i = 0; i < b.length; i++) {
            bRotated[i] = b[(i + 17) % b.length];
        }
        ClassifierTwoSampleTest c2st = ClassifierTwoSampleTest.DEFAULT.withSeed(3);
        assertEquals(c2st.run(a, b), c2st.run(aReversed, bRotated));
        assertEquals(c2st.run(b, a), c2st.run(bRotated, aReversed));
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassifierTwoSampleTest(1.0, 5, 1));
        assertEquals("trainFraction = 1.0; allowed: a number in (0, 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClassifierTwoSampleTest(0.5, 0, 1));
        assertEquals("epochs = 0; allowed: at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierTwoSampleTest.DEFAULT.run(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().startsWith("generated has 1 features per row; allowed: 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClassifierTwoSampleTest(0.9, 5, 1)
                .run(new double[][] {{1}, {2}, {3}}, new double[][] {{1}, {2}, {3}}));
        assertTrue(e.getMessage().startsWith("trainFraction = 0.9 of 3") && e.getMessage().contains("no training or no test")
                && e.getMessage().contains("allowed: "), e.getMessage());
    }
}
