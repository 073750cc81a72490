package tpdiff4j.kernel;

import tpdiff4j.nn.Compute;

/**
 * What the kernel does with the compute knobs when it starts, on the cell thread before the first cell: applies
 * {@code TPDIFF4J_THREADS} (default: the machine's physical cores) and resolves {@code TPDIFF4J_DEVICE}, so the
 * first cell already runs with both. A setting that cannot be honoured does not stop the kernel: its one-sentence
 * reason is shown on the first cell's error stream, and library calls that need the device fail with the same
 * sentence.
 */
final class ComputeStartup {

    private ComputeStartup() {
    }

    /** @return null when both knobs were applied, else a one-line note for the first cell */
    static String apply() {
        try {
            Compute.configureFromEnvironment();
            Compute.device();
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "tpdiff4j: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "tpdiff4j: the PyTorch engine did not start (" + firstLine(e) + ")";
        }
    }

    private static String firstLine(Throwable e) {
        String s = String.valueOf(e);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
