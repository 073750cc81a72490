package tpdiff4j.pyramid;

/**
 * How a stage jump turns the end {@code x_e} of a lower-rate stage into the start {@code x_s} of the next stage:
 * {@code x_s = scale * Up_B(x_e) + noiseWeight * n'}, with {@code n'} block noise of unit variance and correlation
 * {@code -1/(B-1)} inside each block of {@code B} repeated frames (antithetic pairs for {@code B = 2}).
 * Here {@code e} is the end of the stage being left and {@code s} the start of the next one.
 */
public enum JumpRule {
    /**
     * The self-consistent rule (docs/derivation.md section 9): {@code scale = gamma_s / gamma_e},
     * {@code noiseWeight = sigma_s sqrt((B-1)/B)}.
     * With {@code rho_e = rho_s / sqrt(B)} the result has exactly the training start distribution
     * {@code N(gamma_s Up(D), sigma_s^2 I)}, for any schedule. The default.
     */
    CORRECTED,
    /**
     * TPDiff v1 Eq. (15)/(23) as printed, generalised from {@code c = -1} to {@code c = -1/(B-1)} through Eq. (21):
     * {@code scale = sqrt(B) gamma_s / (sigma_s + sqrt(B) gamma_s)} (for {@code B = 2}:
     * {@code sqrt2 gamma_s / (sigma_s + sqrt2 gamma_s)}), {@code noiseWeight = sigma_s sqrt((B-1)/B)}. The printed
     * scale is the <em>value</em> of {@code gamma_e} from Eq. (22) for flow matching where Eq. (14) needs the
     * <em>ratio</em> {@code gamma_s / gamma_e}, so it misses the mean and the variance of the stage start. Kept to
     * show that side by side; do not use it to sample.
     */
    PAPER_PRINTED,
    /**
     * No renoise (the ablation of v1 Fig. 6): the mean-matching rescale {@code scale = gamma_s / gamma_e} of
     * Eq. (14) without the noise term, {@code noiseWeight = 0}. Repeated frames keep identical noise.
     */
    NONE
}
