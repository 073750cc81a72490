package tpdiff4j.metrics;

/**
 * Regression quality of a model's target prediction at one pyramid stage, computed by Tribuo's
 * {@code RegressionEvaluator} over every element of the held-out predictions.
 * <pre>
 *   RMSE = sqrt(mean (yhat - y)^2),  MAE = mean |yhat - y|,  R2 = 1 - sum (yhat - y)^2 / sum (y - ybar)^2
 * </pre>
 *
 * @param stage the stage index (0 = noisiest, sampling order)
 * @param count number of scalar elements compared
 * @param rmse  root mean squared error
 * @param mae   mean absolute error
 * @param r2    coefficient of determination (1 perfect, 0 = predicting the mean target, negative is worse)
 */
public record StageFit(int stage, long count, double rmse, double mae, double r2) {
}
