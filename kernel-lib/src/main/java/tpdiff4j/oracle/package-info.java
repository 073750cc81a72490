/**
 * Data whose optimal denoiser is known in closed form, so that solvers and the whole TPDiff pipeline can be checked
 * exactly, with no training and no network.
 *
 * <ul>
 *   <li>{@link tpdiff4j.oracle.GaussianPoints}: points {@code x0 ~ N(mu, diag(s^2))}; their posterior-mean
 *       denoiser for every prediction type and the exact probability-flow solution between two times.</li>
 *   <li>{@link tpdiff4j.oracle.GaussianVideo}: videos whose frames are jointly Gaussian with a frame covariance
 *       {@code Sigma} (for example AR(1)), and the empirical covariance of samples.</li>
 *   <li>{@link tpdiff4j.oracle.GaussianOracle}: the exact stage-wise predictor {@code E[target | x_t]} for such
 *       videos in every stage of a pyramid, as a {@link tpdiff4j.ode.Denoiser}.</li>
 *   <li>{@link tpdiff4j.oracle.PyramidCovarianceCheck}: samples with the pyramid sampler and exact predictors under
 *       each jump rule and compares the frame covariance of the samples with {@code Sigma} (also a command line
 *       program).</li>
 * </ul>
 * How the oracle verifies the derivation is described in {@code docs/derivation.md} (section 13) and
 * {@code docs/guide.md} ("Check the derivation with the oracle").
 */
package tpdiff4j.oracle;
