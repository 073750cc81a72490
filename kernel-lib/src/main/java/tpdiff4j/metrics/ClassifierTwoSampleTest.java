package tpdiff4j.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import tpdiff4j.Refusals;

/**
 * Classifier two-sample test (Lopez-Paz and Oquab, "Revisiting Classifier Two-Sample Tests", ICLR 2017): train a
 * classifier to tell real from generated feature vectors and measure it on held-out vectors. If the two sets come
 * from the same distribution no classifier beats chance, so accuracy and AUC stay near 0.5.
 *
 * <p>Procedure, every random choice drawn from {@code seed}:
 * <ol>
 *   <li>Order: sort each set's vectors lexicographically, so that the result depends on the two sets and the seed,
 *       not on the order in which the clips were generated or loaded.</li>
 *   <li>Balance: keep m = min(n_real, n_generated) vectors of each set, a random subset of the larger one (in sorted
 *       order), so chance is exactly 1/2.</li>
 *   <li>Split: one random permutation of 0..m-1 is applied to both classes; the vectors at its first
 *       round(trainFraction * m) positions train, the rest test (stratified). For two identical sets (a real-versus-
 *       real check) sorting and the shared permutation put every vector on one side of the split with both labels,
 *       so accuracy and AUC are exactly 1/2; separate shuffles would train on a test vector under the other label,
 *       and the classifier, wrong about it more often than not, would fall below chance. Sets that share only some
 *       vectors can still be pulled below chance that way.</li>
 *   <li>Standardise every feature with the training mean and standard deviation (a constant feature keeps scale 1).</li>
 *   <li>Train Tribuo logistic regression ({@link LinearSGDTrainer} with the {@link LogMulticlass} loss, AdaGrad,
 *       {@code epochs} passes, the given seed) on labels "real" / "generated".</li>
 *   <li>Evaluate on the test set with Tribuo's {@link LabelEvaluator}: accuracy and AUC of "generated".</li>
 * </ol>
 * Under H0 the test AUC has standard error about sqrt((2m' + 1) / (12 m'^2)) for m' test vectors per class.
 *
 * @param trainFraction fraction of each class used for training, in (0, 1)
 * @param epochs        SGD passes over the training set, >= 1
 * @param seed          seed of the balancing, the split and the SGD order
 */
public record ClassifierTwoSampleTest(double trainFraction, int epochs, long seed) {

    /** Half train, half test, 20 epochs, seed 42. */
    public static final ClassifierTwoSampleTest DEFAULT = new ClassifierTwoSampleTest(0.5, 20, 42L);

    static final String REAL = "real";
    static final String GENERATED = "generated";

    /** Validates the configuration. */
    public ClassifierTwoSampleTest {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw Refusals.refuse("trainFraction", trainFraction, "a number in (0, 1)");
        }
        if (epochs < 1) {
            throw Refusals.refuse("epochs", epochs, "at least 1");
        }
    }

    /** @return a copy with another seed */
    public ClassifierTwoSampleTest withSeed(long newSeed) {
        return new ClassifierTwoSampleTest(trainFraction, epochs, newSeed);
    }

    /**
     * Runs the test.
     *
     * @param real      n_real x d feature vectors of real clips
     * @param generated n_generated x d feature vectors of generated clips
     */
    public TwoSampleResult run(double[][] real, double[][] generated) {
        int d = GaussianFit.checkSamples("real", real);
        if (GaussianFit.checkSamples("generated", generated) != d) {
            throw new IllegalArgumentException("generated has " + generated[0].length
                    + " features per row; allowed: " + d + ", the number of features per row of real");
        }
        int m = Math.min(real.length, generated.length);
        int nTrain = (int) Math.round(trainFraction * m);
        if (nTrain < 1 || nTrain >= m) {
            throw new IllegalArgumentException("trainFraction = " + trainFraction + " of " + m
                    + " vectors per class, which leaves no training or no test vector; allowed: more vectors, or a"
                    + " fraction that keeps at least one of each");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] r = sortedSubset(real, m, rng);
        double[][] g = sortedSubset(generated, m, rng);
        int[] split = permutation(m, rng);
        double[][] scale = standardisation(r, g, split, nTrain, d);

        TribuoLogging.quiet();
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("c2st-train", factory),
                factory);
        MutableDataset<Label> test = new MutableDataset<>(new SimpleDataSourceProvenance("c2st-test", factory),
                factory);
        String[] names = featureNames(d);
        for (int i = 0; i < m; i++) {
            MutableDataset<Label> target = i < nTrain ? train : test;
            target.add(new ArrayExample<>(new Label(REAL), names, standardised(r[split[i]], scale)));
            target.add(new ArrayExample<>(new Label(GENERATED), names, standardised(g[split[i]], scale)));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 1e-6), epochs, seed);
        Model<Label> model = trainer.train(train);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
        int testSize = test.size();
        long correct = Math.round(eval.accuracy() * testSize);
        double p = upperTail(testSize, (int) correct);
        return new TwoSampleResult(eval.accuracy(), eval.AUCROC(new Label(GENERATED)), train.size(), testSize, p);
    }

    /**
     * {@code P(X >= k)} for {@code X ~ Binomial(n, 1/2)}, summed from the probabilities of {@code k .. n}: also where
     * it is far below the double spacing near 1 ({@code 1 - P(X <= k - 1)} would give 0 there, e.g. for all of 64
     * test examples right, where the value is {@code 2^-64}).
     */
    static double upperTail(int n, int k) {
        if (k <= 0) {
            return 1.0;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        double sum = 0;
        for (int i = n; i >= k; i--) {   // smallest terms first
            sum += b.probability(i);
        }
        return Math.min(1.0, sum);
    }

    /** @return m of the rows in lexicographic order: all of them if m = n, else a random subset of m */
    private static double[][] sortedSubset(double[][] rows, int m, SplittableRandom rng) {
        double[][] sorted = rows.clone();
        Arrays.sort(sorted, Arrays::compare);
        if (m == sorted.length) {
            return sorted;
        }
        int[] keep = Arrays.copyOf(permutation(sorted.length, rng), m);
        Arrays.sort(keep);
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            out[i] = sorted[keep[i]];
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** @return {mean, sd} per feature over the training vectors of both classes */
    private static double[][] standardisation(double[][] real, double[][] gen, int[] split, int nTrain, int d) {
        List<double[]> rows = new ArrayList<>(2 * nTrain);
        for (int i = 0; i < nTrain; i++) {
            rows.add(real[split[i]]);
            rows.add(gen[split[i]]);
        }
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.size();
            }
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / rows.size();
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j]);
            if (!(sd[j] > 1e-12 * (1 + Math.abs(mean[j])))) {
                sd[j] = 1;
            }
        }
        return new double[][] {mean, sd};
    }

    private static double[] standardised(double[] v, double[][] scale) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (v[j] - scale[0][j]) / scale[1][j];
        }
        return out;
    }

    private static String[] featureNames(int d) {
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format(Locale.ROOT, "f%04d", j);
        }
        return names;
    }
}
