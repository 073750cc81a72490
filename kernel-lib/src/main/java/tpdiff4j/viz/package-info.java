/**
 * Figures and video views for notebooks, each a {@link tpdiff4j.viz.Displayable} the kernel shows as a MIME bundle.
 *
 * <ul>
 *   <li>{@link tpdiff4j.viz.Figure} and {@link tpdiff4j.viz.Trace}: line, scatter, bar, heatmap and histogram
 *       traces on one panel or a grid, with legends, axis titles, log axes and ranges; written as Plotly JSON and
 *       drawn offline by plotly.js (inlined once per notebook, see {@link tpdiff4j.viz.Plotly}), with an XChart PNG
 *       for viewers that run no scripts.</li>
 *   <li>{@link tpdiff4j.viz.Plots}: ready-made figures: schedules (gamma, sigma, log-SNR), particle trajectories of
 *       a solver ({@link tpdiff4j.viz.TrajectoryRecorder}), data-noise matching, renoise moments, the cost model,
 *       pyramid stage windows and jump coefficients.</li>
 *   <li>{@link tpdiff4j.viz.Video}: clips [F, C, H, W] in [-1, 1] as looping GIFs or frame strips, in grids, and
 *       stage by stage on the full-rate time axis.</li>
 * </ul>
 * Nothing here loads anything from the internet: figures and images are inline. {@code environment/render-check}
 * checks in headless Chromium that an HTML page (a saved figure or an executed notebook) draws its figures.
 * <p>Examples: {@code docs/guide.md} ("Plots and videos").
 */
package tpdiff4j.viz;
