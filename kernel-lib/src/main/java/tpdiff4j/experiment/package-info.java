/**
 * Experiments: several training set-ups ({@link tpdiff4j.experiment.Arm}: any temporal pyramid, one stage being
 * vanilla, any noise coupling, stage draw, sampling steps and jump rule) trained side by side on the same data,
 * model, seed and budget ({@link tpdiff4j.experiment.SideBySide}), evaluated along the way and sampled at the end
 * ({@link tpdiff4j.experiment.Experiment}), with curves, a table, GIFs, figures and one JSON document
 * ({@link tpdiff4j.experiment.ExperimentResult}). It sits below training, sampling, metrics and figures, which it
 * combines, and above the kernel and the benchmarks, which use it.
 */
package tpdiff4j.experiment;
