package tpdiff4j.train;

/** What a {@link Trainer} optimises. */
public enum TrainMode {
    /** Ordinary diffusion at full frame rate: x_t = gamma x0 + sigma eps, target eps (DDIM) or eps - x0 (flow). */
    VANILLA,
    /** TPDiff stage-wise training (docs/derivation.md section 8) with batch data-noise alignment (section 7). */
    TPDIFF_ALIGNED,
    /** TPDiff stage-wise training with plain i.i.d. noise (the "w/o alignment" ablation). */
    TPDIFF_UNALIGNED;

    /** True for the two pyramid modes. */
    public boolean pyramid() {
        return this != VANILLA;
    }
}
