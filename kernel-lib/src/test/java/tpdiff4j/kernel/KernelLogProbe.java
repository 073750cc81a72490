package tpdiff4j.kernel;

import org.slf4j.LoggerFactory;

/**
 * Started by {@link KernelLogTest} in a JVM of its own (SLF4J binds its back end once per JVM): logs as DJL does, a
 * warning and a note, and names the back end SLF4J bound on standard output.
 */
public final class KernelLogProbe {

    private KernelLogProbe() {
    }

    /**
     * @param args none; {@code change}: change the level as a cell's {@code %env} does; {@code cells}: log after
     *        pointing {@code System.err} elsewhere, as the kernel does for its cells
     */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("cells")) {
            System.setProperty("TPDIFF4J_LOG", "info"); // read when SLF4J binds, just below
        }
        org.slf4j.Logger log = LoggerFactory.getLogger("ai.djl.engine.Engine");
        log.warn("no engine named {} is on the class path", "OnnxRuntime");
        log.info("an informational note");
        System.out.println("factory=" + LoggerFactory.getILoggerFactory().getClass().getName());
        if (args.length == 1 && args[0].equals("cells")) { // as the kernel does once a cell ran
            java.io.ByteArrayOutputStream cell = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(cell, true, java.nio.charset.StandardCharsets.UTF_8));
            log.warn("in a cell");
            // a loop of the Jupyter layer says "Loop started." at info, as the kernel's sockets do
            org.dflib.jjava.jupyter.channels.Loop loop = new org.dflib.jjava.jupyter.channels.Loop("probe", 5, () -> { });
            loop.start();
            try {
                Thread.sleep(200);
                loop.shutdown();
                loop.join(5000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            System.out.println("cell=" + cell.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
        }
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
