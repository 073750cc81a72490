package tpdiff4j.kernel;

import org.slf4j.LoggerFactory;

/**
 * Started by {@link KernelLogTest} in a JVM of its own (SLF4J binds its back end once per JVM): logs as DJL does, a
 * warning and a note, and names the back end SLF4J bound on standard output.
 */
public final class KernelLogProbe {

    private KernelLogProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        org.slf4j.Logger log = LoggerFactory.getLogger("ai.djl.engine.Engine");
        log.warn("no engine named {} is on the class path", "OnnxRuntime");
        log.info("an informational note");
        System.out.println("factory=" + LoggerFactory.getILoggerFactory().getClass().getName());
    }
}
