/**
 * Experiments: several training set-ups ({@link tpdiff4j.experiment.Arm}: any temporal pyramid, one stage being
 * vanilla, any noise coupling, stage draw, time draw, stage loss factors, sampling steps and jump rule) trained side
 * by side on the same data, model, seed and budget ({@link tpdiff4j.experiment.SideBySide}, {@link tpdiff4j.experiment.Budget}), evaluated
 * along the way ({@link tpdiff4j.experiment.MotionQuality}, {@link tpdiff4j.experiment.QualityCurve}) and sampled at
 * the end ({@link tpdiff4j.experiment.Experiment}), with curves, a table, GIFs, figures and one JSON document
 * ({@link tpdiff4j.experiment.ExperimentResult}, one {@link tpdiff4j.experiment.ArmResult} per arm). The samplers'
 * times in the table are medians of calls made in turn ({@link tpdiff4j.experiment.TimedInTurn}, which times any work
 * compared that way, such as two samplers in a notebook). It sits below
 * training, sampling, metrics and figures, which it combines, and above the kernel and the benchmarks, which use it.
 *
 * <p>{@code docs/guide.md}, section "Compare", shows an experiment in five lines, saving and loading it, and arms of
 * one's own; notebook {@code 07-your-own-pyramid} runs one. {@code docs/conventions.md} has the package map.
 */
package tpdiff4j.experiment;
