package tpdiff4j.pyramid;

/**
 * Where the stage windows sit around a nominal boundary {@code t_b} between a lower-rate stage (ending at
 * {@code e}) and the next, higher-rate stage (starting at {@code s}). The stage jump needs
 * {@code rho_e = rho_s / sqrt(B)} (docs/derivation.md section 10, {@code rho = sigma / gamma}, {@code B} the
 * frame-rate factor), so one of
 * {@code e, s} is fixed by the other. Training endpoints and sampling must use the same convention.
 */
public enum WindowConvention {
    /**
     * TPDiff's (App. A.1, Eq. 22), the default: the next stage starts on the boundary, {@code s = t_b}; the
     * previous stage ends cleaner, at {@code e} with {@code rho_e = rho(t_b) / sqrt(B)}.
     */
    A,
    /**
     * Pyramid Flow's code ({@code init_sigmas_for_each_stage}): the previous stage ends on the boundary,
     * {@code e = t_b}; the next stage starts noisier, at {@code s} with {@code rho_s = sqrt(B) rho(t_b)}.
     */
    B
}
