/**
 * The benchmark programs behind {@code environment/bench} and {@code environment/compare}, and the report they write.
 *
 * <ul>
 *   <li>Entry points: {@link tpdiff4j.bench.BenchMain} (the DJL benchmarks: step cost against frame count
 *       {@code ScalingBench}, alignment cost {@code AlignBench}, sampling latency
 *       {@code SampleBench}, time to quality {@code TrainBench}),
 *       {@link tpdiff4j.bench.AssignmentBench} (linear assignment against scipy's timings),
 *       {@link tpdiff4j.bench.Comparison} (vanilla against TPDiff on one data set, model and seed: the table of
 *       {@code environment/compare}) and {@link tpdiff4j.bench.ReportMain} (assembles the report).</li>
 *   <li>The report: {@link tpdiff4j.bench.Report} ({@code report.json}), {@link tpdiff4j.bench.Markdown}
 *       ({@code BENCHMARKS.md}), {@link tpdiff4j.bench.HtmlPage} and the charts; {@link tpdiff4j.bench.Preset} sizes a
 *       run (quick or full).</li>
 *   <li>Helpers: {@link tpdiff4j.bench.ExponentFit} (the cost exponent {@code p} of {@code time ~ F^p}),
 *       {@link tpdiff4j.bench.Stats} and {@code Timing} (medians of repeated runs).</li>
 * </ul>
 * What the measured exponent means for the expected speed-up (the cost model {@code (1/K) sum_k (F_k/F)^p}) is in
 * {@code docs/derivation.md} (section 12); how to run a comparison yourself is in {@code docs/guide.md}.
 */
package tpdiff4j.bench;
