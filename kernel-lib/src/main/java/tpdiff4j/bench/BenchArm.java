package tpdiff4j.bench;

import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.train.TrainConfig;

/** The three arms the benchmarks compare: flow matching, velocity prediction, vanilla or uniform TPDiff (K = 3 unless asked). */
enum BenchArm {
    /** One stage at full rate, noise as drawn. */
    VANILLA,
    /** Uniform pyramid (convention A, rate 2; K = 3 unless asked) with the batch aligner (L2). */
    TPDIFF_ALIGNED,
    /** The same pyramid with noise as drawn (the "w/o alignment" ablation). */
    TPDIFF_UNALIGNED;

    /** True for the two pyramid arms. */
    boolean pyramid() {
        return this != VANILLA;
    }

    /**
     * The training configuration of this arm for clips of {@code frames} frames, with the race's time draw and, for a
     * pyramid arm, {@code stages} uniform stages (vanilla has one whatever is asked).
     */
    TrainConfig config(int frames, long seed, RaceTimes times, int stages) {
        TrainConfig c = TrainConfig.flowMatching(pyramid() ? stages : 1, frames, seed);
        return times.apply(this == TPDIFF_ALIGNED ? c.withCoupling(BatchNoiseAligner.l2()) : c);
    }

    /** The training configuration of this arm for clips of {@code frames} frames: the paper's uniform draw, K = 3. */
    TrainConfig config(int frames, long seed) {
        return config(frames, seed, RaceTimes.UNIFORM, 3);
    }
}
