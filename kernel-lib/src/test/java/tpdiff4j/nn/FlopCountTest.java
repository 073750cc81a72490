package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * The analytic FLOP count against hand-computed values and against the network's own weight shapes. Counts are
 * integers far below 2^53, so the doubles are exact and the comparisons use a zero tolerance.
 */
class FlopCountTest {

    /** 8x8 pixels, patch 4 (S = 4 tokens per frame, P = 16 values per patch), D = 8, one block, 2 heads, M = 16. */
    private static ModelConfig tinyCfg(ModelConfig.Attention a) {
        return new ModelConfig(4, 1, 8, 8, 4, 8, 1, 2, 2, a, ModelConfig.Conditioning.ADALN, 0);
    }

    @Test
    void fullAttentionByHand() {
        // B = 2, F = 4: N = 2 * 4 * 4 = 32 tokens
        FlopCount c = FlopCount.forward(tinyCfg(ModelConfig.Attention.FULL), 2, 4);
        assertEquals(2 * 32 * 16 * 8, c.patchEmbed(), 0);          // 8192
        assertEquals(2 * 2 * 2 * 8 * 8, c.timeEmbed(), 0);          // two 8x8 layers on 2 rows: 512
        assertEquals(2 * 2 * 8 * 72 + 2 * 2 * 8 * 16, c.modulation(), 0); // block adaLN 9D plus final 2D: 2816
        assertEquals(2 * 32 * 8 * 24 + 2 * 32 * 8 * 8, c.projections(), 0); // 16384
        // one sequence of 16 tokens per clip; per head (dim 4): QK^T 16*16*4 and AV 16*16*4 multiply-adds;
        // 2 heads, 2 clips, 2 FLOPs each
        assertEquals(2 * 2 * 2 * (16 * 16 * 4 + 16 * 16 * 4), c.attention(), 0); // 16384
        assertEquals(2 * 32 * 8 * 16 * 2, c.mlp(), 0);               // 16384
        assertEquals(2 * 32 * 8 * 16, c.finalLayer(), 0);            // 8192
        assertEquals(68864, c.total(), 0);
        assertEquals(3 * 68864, c.trainingStep(), 0);                 // backward = 2 forward
    }

    @Test
    void factorizedAttentionByHand() {
        FlopCount c = FlopCount.forward(tinyCfg(ModelConfig.Attention.FACTORIZED), 2, 4);
        assertEquals(2 * (2 * 32 * 8 * 24 + 2 * 32 * 8 * 8), c.projections(), 0); // spatial and temporal layers
        // spatial: B F = 8 sequences of S = 4; temporal: B S = 8 sequences of F = 4; each 2 * (4*4*8 + 4*4*8) FLOPs
        assertEquals(8 * 2 * (4 * 4 * 8 + 4 * 4 * 8) + 8 * 2 * (4 * 4 * 8 + 4 * 4 * 8), c.attention(), 0);
    }

    @Test
    void fullAttentionIsExactlyQuadraticInFramesAndTheRestLinearOrConstant() {
        ModelConfig cfg = ModelConfig.attention(16, 1, 16, 16);
        for (int f : new int[] {4, 8}) {
            FlopCount a = FlopCount.forward(cfg, 8, f), b = FlopCount.forward(cfg, 8, 2 * f);
            assertEquals(4 * a.attention(), b.attention(), 0);
            for (double[] pair : new double[][] {{a.patchEmbed(), b.patchEmbed()}, {a.projections(), b.projections()},
                    {a.mlp(), b.mlp()}, {a.finalLayer(), b.finalLayer()}}) {
                assertEquals(2 * pair[0], pair[1], 0);
            }
            assertEquals(a.timeEmbed() + a.modulation(), b.timeEmbed() + b.modulation(), 0);
        }
        // factorized: attention grows as F (S + F), less than quadratically
        ModelConfig fac = ModelConfig.tiny(16, 1, 16, 16);
        double s = fac.tokensPerFrame();
        assertEquals(2 * (s + 16) / (s + 8), FlopCount.forward(fac, 8, 16).attention()
                / FlopCount.forward(fac, 8, 8).attention(), 1e-12); // a ratio of exact integers, rounded once
    }

    @Test
    void matrixProductsMatchTheNetworksWeightShapes() {
        // every per-token weight matrix [rows, cols] costs 2 rows cols FLOPs per token; every per-clip one (time
        // embedding, modulation) 2 rows cols per clip: the count must agree with the parameters the network allocates
        for (ModelConfig cfg : new ModelConfig[] {ModelConfig.attention(8, 1, 16, 16), ModelConfig.small(8, 1, 16, 16),
                ModelConfig.tiny(8, 1, 16, 16).withConditioning(ModelConfig.Conditioning.ADDITIVE)}) {
            long b = 3, f = 8, n = b * f * cfg.tokensPerFrame();
            double perToken = 0, perClip = 0;
            try (NDManager m = NDManager.newBaseManager()) {
                for (Map.Entry<String, Parameter> e : new SpaceTimeTransformer(cfg, m).namedParameters().entrySet()) {
                    long[] shape = e.getValue().getArray().getShape().getShape();
                    if (shape.length != 2) {
                        continue; // biases are not counted
                    }
                    String name = e.getKey();
                    boolean clip = name.startsWith("time.") || name.contains("mod.") || name.contains("cond.");
                    if (clip) {
                        perClip += 2.0 * shape[0] * shape[1];
                    } else {
                        perToken += 2.0 * shape[0] * shape[1];
                    }
                }
            }
            FlopCount c = FlopCount.forward(cfg, b, f);
            assertEquals(n * perToken, c.patchEmbed() + c.projections() + c.mlp() + c.finalLayer(), 0, cfg.toString());
            assertEquals(b * perClip, c.timeEmbed() + c.modulation(), 0, cfg.toString());
        }
    }

    @Test
    void expectedStepUnderAStageDraw() {
        ModelConfig cfg = ModelConfig.attention(16, 1, 16, 16);
        TemporalPyramid k3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        double uniform = FlopCount.expectedTrainingStep(cfg, 8, k3, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
        double byHand = (FlopCount.forward(cfg, 8, 4).trainingStep() + FlopCount.forward(cfg, 8, 8).trainingStep()
                + FlopCount.forward(cfg, 8, 16).trainingStep()) / 3;
        assertEquals(byHand, uniform, 1e-12 * byHand); // thirds are not exact in binary: relative rounding only
        double full = FlopCount.expectedTrainingStep(cfg, 8, TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16),
                new double[] {1});
        assertEquals(FlopCount.forward(cfg, 8, 16).trainingStep(), full, 0);
        // between the bounds for all-attention (21/48) and all-linear (7/12) work: the figure the preset's Javadoc and
        // notebook 05 quote (0.51), from the counts of the by-hand tests above
        assertEquals(0.5128, uniform / full, 5e-5);
        assertThrows(IllegalArgumentException.class, () -> FlopCount.expectedTrainingStep(cfg, 8, k3, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> FlopCount.forward(cfg, 0, 16));
    }

    /** The attention shares the attention preset's Javadoc quotes: about half at 16x16, 80 % at 32x32 (16 frames). */
    @Test
    void attentionShareOfTheAttentionPreset() {
        FlopCount small = FlopCount.forward(ModelConfig.attention(16, 1, 16, 16), 8, 16);
        FlopCount large = FlopCount.forward(ModelConfig.attention(16, 1, 32, 32), 8, 16);
        assertEquals(0.4910, small.attention() / small.total(), 5e-5);
        assertEquals(0.7948, large.attention() / large.total(), 5e-5);
        TemporalPyramid k3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        ModelConfig cfg = ModelConfig.attention(16, 1, 32, 32);
        double ratio = FlopCount.expectedTrainingStep(cfg, 8, k3, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0})
                / large.trainingStep();
        assertEquals(0.4675, ratio, 5e-5);
    }
    /**
     * A sampling run counts each stage's calls at that stage's frame count. Vanilla's 30 calls against 10/10/10: the
     * ratios the benchmark page quotes as the FLOP bound of the sampling speed-up (1.950 at 16x16, 2.139 at 32x32),
     * between the cost-model bounds for work linear (12/7) and quadratic (48/21) in the frame count.
     */
    @Test
    void samplingRunCountsEachStagesCalls() {
        TemporalPyramid k3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        TemporalPyramid one = TemporalPyramid.uniform(Schedules.flowMatching(), 1, 16);
        double[] expected = {1.9500, 2.1389};
        int[] sizes = {16, 32};
        for (int i = 0; i < sizes.length; i++) {
            ModelConfig cfg = ModelConfig.attention(16, 1, sizes[i], sizes[i]);
            double vanilla = FlopCount.sampling(cfg, 1, one, 30);
            assertEquals(30 * FlopCount.forward(cfg, 1, 16).total(), vanilla, 0);
            double pyramid = FlopCount.sampling(cfg, 1, k3, 10, 10, 10);
            double byHand = 10 * (FlopCount.forward(cfg, 1, 4).total() + FlopCount.forward(cfg, 1, 8).total()
                    + FlopCount.forward(cfg, 1, 16).total());
            assertEquals(byHand, pyramid, 1e-12 * byHand);
            double ratio = vanilla / pyramid;
            assertEquals(expected[i], ratio, 5e-5, "size " + sizes[i]);
            assertTrue(ratio > 12.0 / 7 && ratio < 48.0 / 21, "ratio " + ratio);
            assertEquals(vanilla, FlopCount.sampling(cfg, 1, k3, 0, 0, 30), 0); // all steps at full rate: vanilla
        }
        ModelConfig cfg = ModelConfig.attention(16, 1, 16, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlopCount.sampling(cfg, 1, k3, 10, 10));
        assertTrue(e.getMessage().contains("stepsPerStage = [10, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FlopCount.sampling(cfg, 1, k3, 10, -1, 10));
        assertTrue(e.getMessage().contains("stepsPerStage[1] = -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FlopCount.sampling(cfg, 1, k3, 0, 0, 0));
        assertTrue(e.getMessage().contains("at least one stage with a step"), e.getMessage());
    }
}
