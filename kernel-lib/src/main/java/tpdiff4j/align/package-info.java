/**
 * Data-noise alignment: pair each clip of a training batch with one of the batch's noises so that the total
 * distance is minimal, which makes the noise-to-data paths straighter and the stage-wise target closer to constant.
 *
 * <ul>
 *   <li>{@link tpdiff4j.align.LinearAssignment}: an exact minimum-cost assignment over doubles (Jonker-Volgenant
 *       shortest augmenting paths), the problem {@code scipy.optimize.linear_sum_assignment} solves.</li>
 *   <li>{@link tpdiff4j.align.BatchNoiseAligner}: the cost matrix {@code ||x_i - e_j||} (or its square) of a batch
 *       {@code [B, ...]} and the reordered noise; it is the {@link tpdiff4j.pyramid.NoiseCoupling} that TPDiff
 *       training uses.</li>
 *   <li>{@link tpdiff4j.align.CouplingStatistics}: what a pairing does to flow matching, measured on points: the mean
 *       pair distance, the target variance no network can remove, and the paths of the marginal flow.</li>
 * </ul>
 * Why alignment matters for the stage-wise target is explained in {@code docs/derivation.md} (section 7); the
 * direction of the pairing (row = data, column = noise) in {@code docs/conventions.md}; examples in
 * {@code docs/guide.md}.
 */
package tpdiff4j.align;
