package tpdiff4j.metrics;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.regression.Regressor;

/**
 * A Tribuo regression model that replays predictions computed elsewhere (by a DJL network): each example carries
 * the network's prediction as its single feature {@value #PREDICTION}, and this model predicts exactly that value for
 * the output dimension {@value #TARGET}. It lets Tribuo's {@code RegressionEvaluator} score predictions that were not
 * made by a Tribuo model.
 */
final class ReplayRegressionModel extends Model<Regressor> {

    private static final long serialVersionUID = 1L;

    /** The feature that carries the external prediction. */
    static final String PREDICTION = "prediction";
    /** The name of the regression output dimension. */
    static final String TARGET = "target";

    private ReplayRegressionModel(String name, ModelProvenance provenance, ImmutableFeatureMap features,
            ImmutableOutputInfo<Regressor> outputs) {
        super(name, provenance, features, outputs, false);
    }

    /** @return a replay model over the feature and output domains of a dataset of replay examples */
    static ReplayRegressionModel over(DatasetProvenance data, ImmutableFeatureMap features,
            ImmutableOutputInfo<Regressor> outputs) {
        ModelProvenance provenance = new ModelProvenance(ReplayRegressionModel.class.getName(),
                OffsetDateTime.now(), data, new EmptyTrainerProvenance());
        return new ReplayRegressionModel("replay", provenance, features, outputs);
    }

    @Override
    public Prediction<Regressor> predict(Example<Regressor> example) {
        for (Feature f : example) {
            if (PREDICTION.equals(f.getName())) {
                return new Prediction<>(new Regressor(TARGET, f.getValue()), 1, example);
            }
        }
        // Tribuo drops zero-valued features from sparse examples: a missing feature means a prediction of 0.
        return new Prediction<>(new Regressor(TARGET, 0.0), 0, example);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Regressor>> getExcuse(Example<Regressor> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Regressor> copy(String newName, ModelProvenance newProvenance) {
        return new ReplayRegressionModel(newName, newProvenance, featureIDMap, outputIDInfo);
    }
}
