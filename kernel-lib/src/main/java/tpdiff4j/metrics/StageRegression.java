package tpdiff4j.metrics;

import java.util.ArrayList;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/**
 * Tribuo regression evaluation (RMSE, MAE, R2) of a model's target predictions against the true targets on held-out
 * pairs, stage by stage. The arrays are flattened tensors (for example the predicted and true velocity targets
 * {@code [B, F_k, C, H, W]} of stage k); every element is one Tribuo example whose output is the true target and whose
 * prediction is replayed from the array (see {@link ReplayRegressionModel}). That costs about 200 bytes per element:
 * pass a subset beyond a few million elements.
 */
public final class StageRegression {

    private StageRegression() {
    }

    /** @return the fit of one stage; {@code predictions} and {@code targets} have equal length >= 2 */
    public static StageFit evaluate(int stage, double[] predictions, double[] targets) {
        if (predictions.length != targets.length) {
            throw new IllegalArgumentException("stage " + stage + ": targets.length = " + targets.length
                    + "; allowed: " + predictions.length + ", the length of predictions (one target per prediction)");
        }
        if (predictions.length < 2) {
            throw new IllegalArgumentException("stage " + stage + ": predictions.length = "
                    + predictions.length + "; allowed: at least 2");
        }
        TribuoLogging.quiet();
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("stage-" + stage + "-held-out", factory), factory);
        String[] names = {ReplayRegressionModel.PREDICTION};
        for (int i = 0; i < predictions.length; i++) {
            if (!Double.isFinite(predictions[i]) || !Double.isFinite(targets[i])) {
                throw new IllegalArgumentException("stage " + stage + ": element " + i + " = (prediction "
                        + predictions[i] + ", target " + targets[i] + "); allowed: finite numbers");
            }
            data.add(new ArrayExample<>(new Regressor(ReplayRegressionModel.TARGET, targets[i]), names,
                    new double[] {predictions[i]}));
        }
        ReplayRegressionModel model = ReplayRegressionModel.over(data.getProvenance(), data.getFeatureIDMap(),
                data.getOutputIDInfo());
        RegressionEvaluation eval = new RegressionEvaluator().evaluate(model, data);
        return new StageFit(stage, predictions.length, eval.averageRMSE(), eval.averageMAE(), eval.averageR2());
    }

    /** Float overload for arrays that come from {@code NDArray.toFloatArray()}. */
    public static StageFit evaluate(int stage, float[] predictions, float[] targets) {
        return evaluate(stage, toDouble(predictions), toDouble(targets));
    }

    /** @return one fit per stage; element k of both lists holds stage k's flattened predictions and targets */
    public static List<StageFit> perStage(List<double[]> predictions, List<double[]> targets) {
        if (predictions.size() != targets.size()) {
            throw new IllegalArgumentException("targets = " + targets.size() + " stages; allowed: "
                    + predictions.size() + ", the stages of predictions");
        }
        List<StageFit> out = new ArrayList<>();
        for (int k = 0; k < predictions.size(); k++) {
            out.add(evaluate(k, predictions.get(k), targets.get(k)));
        }
        return List.copyOf(out);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
