package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The optimizer's builder: every setting it takes is one the update applies and is checked when given. The setters
 * inherited from DJL's builder for a per-element clip, a gradient rescale and the first update count used to be
 * accepted and then ignored by the update, so a run configured with them trained without them.
 */
class AdamWBuilderTest {

    private static void refused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void settingsTheUpdateDoesNotApplyAreRefusedInsteadOfIgnored() {
        refused(() -> AdamW.builder().optClipGrad(1f), "clipGrad = 1.0", "TrainConfig.withClipNorm");
        refused(() -> AdamW.builder().setRescaleGrad(0.5f), "rescaleGrad = 0.5");
        refused(() -> AdamW.builder().optBeginNumUpdate(10), "beginNumUpdate = 10", "AdamW.restore");
    }

    @Test
    void valuesThatWouldTurnTheWeightsIntoNaNAreRefusedByName() {
        refused(() -> AdamW.builder().withEpsilon(0f), "epsilon = 0.0", "> 0");
        refused(() -> AdamW.builder().withEpsilon(Float.NaN), "epsilon = NaN");
        refused(() -> AdamW.builder().withLearningRate(Float.POSITIVE_INFINITY), "learning rate = Infinity", "finite");
        refused(() -> AdamW.builder().withLearningRate(0f), "learning rate = 0.0");
        refused(() -> AdamW.builder().withWeightDecay(-0.1f), "weight decay = -0.1", ">= 0");
        refused(() -> AdamW.builder().optWeightDecays(Float.NaN), "weight decay = NaN");
        refused(() -> AdamW.builder().withBetas(1f, 0.999f), "betas = (1.0, 0.999)");
        // what the trainer builds, and the boundary values, are accepted
        assertNotNull(AdamW.builder().withLearningRate(1e-3f).withBetas(0f, 0.999f).withEpsilon(1e-8f)
                .withWeightDecay(0f).build());
    }
}
