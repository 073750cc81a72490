package tpdiff4j.kernel;

import org.slf4j.LoggerFactory;

/**
 * Started by {@link KernelLogTest} in a JVM of its own (SLF4J binds its back end once per JVM): logs as DJL does, a
 * warning and a note, and names the back end SLF4J bound on standard output.
 */
public final class KernelLogProbe {

    private KernelLogProbe() {
    }

    /** @param args none, or {@code change}: change the level as a cell's {@code %env} does */
    public static void main(String[] args) {
        org.slf4j.Logger log = LoggerFactory.getLogger("ai.djl.engine.Engine");
        log.warn("no engine named {} is on the class path", "OnnxRuntime");
        log.info("an informational note");
        System.out.println("factory=" + LoggerFactory.getILoggerFactory().getClass().getName());
        if (args.length == 1 && args[0].equals("change")) { // as %env TPDIFF4J_LOG=... in a cell does
            KernelLogProvider.set("error");
            log.warn("not shown at error");
            log.error("shown at error");
            try {
                KernelLogProvider.set("loud");
            } catch (IllegalArgumentException e) {
                System.out.println("refused: " + e.getMessage());
            }
            log.warn("still not shown");
        }
    }
}
