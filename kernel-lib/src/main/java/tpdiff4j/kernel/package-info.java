/**
 * The tpdiff4j Jupyter kernel: Java cells on JShell, run in the kernel's JVM on one thread.
 *
 * <p>{@link tpdiff4j.kernel.KernelMain} serves a Jupyter connection file with jjava-jupyter's wire protocol;
 * {@link tpdiff4j.kernel.TpdiffKernel} supplies the language: cells ({@link tpdiff4j.kernel.CellEvaluator} over an
 * {@link tpdiff4j.kernel.InProcessExecution} engine, all on the {@link tpdiff4j.kernel.CellThread}), magics
 * ({@link tpdiff4j.kernel.Magics}), MIME bundles ({@link tpdiff4j.kernel.MimeBundles}), readable errors
 * ({@link tpdiff4j.kernel.ErrorReport}), interrupt, and the {@code System.exit} guard
 * ({@link tpdiff4j.kernel.CellExit} for a cell's own calls, {@link tpdiff4j.kernel.ExitGuard} for any up to Java 23),
 * and the JVM options that depend on the Java version ({@link tpdiff4j.kernel.KernelJvmOptions}). Cells see {@link tpdiff4j.kernel.Notebook}'s {@code display} and
 * {@code updateDisplay} and the shrink knobs of {@link tpdiff4j.kernel.Knobs}.
 * <p>Every magic, {@code display}/{@code render}, help and completion: {@code docs/kernel.md}; the shrink knobs by
 * example: {@code docs/guide.md} ("The kernel's knobs").
 */
package tpdiff4j.kernel;
