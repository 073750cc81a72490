package tpdiff4j.bench;

/**
 * The paper's efficiency numbers that the benchmark compares against (TPDiff, arXiv 2503.09566: v1 Fig. 5 and
 * Table 1, the ICLR 2026 version's Table 2; the cost-model bounds of docs/derivation.md section 12). Ratios are
 * written as the benchmark writes them.
 */
final class References {

    /** Training wall-clock to equal quality, TPDiff / vanilla: 1 / 2.13 (v1 Fig. 5, flow matching). */
    static final double TRAIN_TIME_RATIO_FM = 1 / 2.13;
    /** Inference speed-up at 30 steps, MiniFlux-vid (v1 Table 1), equal to the linear-cost bound for K = 3. */
    static final double SAMPLE_SPEEDUP_MINIFLUX = 1.71;
    /** Inference speed-up at 30 steps, AnimateDiff (v1 Table 1). */
    static final double SAMPLE_SPEEDUP_ANIMATEDIFF = 1.49;
    /** 4 stages 1-1-1-1 inference speed-up (ICLR Table 2). */
    static final double SAMPLE_SPEEDUP_K4 = 1.65;
    /** steps 2-1-1 inference speed-up (ICLR Table 2). */
    static final double SAMPLE_SPEEDUP_211 = 1.62;
    /** steps 1-1-2 inference speed-up (ICLR Table 2). */
    static final double SAMPLE_SPEEDUP_112 = 1.36;

    private References() {
    }
}
