package tpdiff4j.bench;

import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.train.TrainConfig;

/** The three arms the benchmarks compare: flow matching, velocity prediction, vanilla or uniform K = 3 TPDiff. */
enum BenchArm {
    /** One stage at full rate, noise as drawn. */
    VANILLA,
    /** Uniform K = 3 pyramid (convention A, rate 2) with the batch aligner (L2). */
    TPDIFF_ALIGNED,
    /** The same pyramid with noise as drawn (the "w/o alignment" ablation). */
    TPDIFF_UNALIGNED;

    /** True for the two pyramid arms. */
    boolean pyramid() {
        return this != VANILLA;
    }

    /** The training configuration of this arm for clips of {@code frames} frames, with the race's time draw. */
    TrainConfig config(int frames, long seed, RaceTimes times) {
        return times.apply(config(frames, seed));
    }

    /** The training configuration of this arm for clips of {@code frames} frames (the paper's uniform draw). */
    TrainConfig config(int frames, long seed) {
        TrainConfig c = TrainConfig.flowMatching(pyramid() ? 3 : 1, frames, seed);
        return this == TPDIFF_ALIGNED ? c.withCoupling(BatchNoiseAligner.l2()) : c;
    }
}
