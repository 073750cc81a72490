package tpdiff4j.metrics;

/**
 * Outcome of a {@link ClassifierTwoSampleTest}: how well a classifier tells generated from real feature vectors on
 * held-out data. Indistinguishable sets give accuracy ~ 0.5 and AUC ~ 0.5; perfectly separable sets give 1 and 1.
 *
 * @param accuracy  test accuracy (Tribuo {@code LabelEvaluation.accuracy()})
 * @param auc       test area under the ROC curve for the label "generated" (Tribuo {@code AUCROC})
 * @param trainSize training examples (both classes together, balanced)
 * @param testSize  test examples (both classes together, balanced)
 * @param pValue    one-sided binomial p-value of the test accuracy under H0 "same distribution"
 *                  (correct answers ~ Binomial(testSize, 1/2)): P(X >= observed correct)
 */
public record TwoSampleResult(double accuracy, double auc, int trainSize, int testSize, double pValue) {
}
