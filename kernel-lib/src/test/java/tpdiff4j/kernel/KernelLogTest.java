package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The kernel's SLF4J back end. Without one, SLF4J printed three "No SLF4J providers" lines at every kernel start and
 * dropped every message of DJL, its warnings included. SLF4J binds once per JVM, so the binding is checked in JVMs of
 * their own ({@link KernelLogProbe}), started with the kernel's options as the kernelspec passes them.
 */
class KernelLogTest {

    @Test
    void theLevelIsReadInAnyCaseAndDefaultsToWarn() {
        assertEquals(Level.WARN, KernelLogProvider.threshold(null));
        assertEquals(Level.WARN, KernelLogProvider.threshold(" "));
        assertEquals(Level.ERROR, KernelLogProvider.threshold("error"));
        assertEquals(Level.WARN, KernelLogProvider.threshold("WARN"));
        assertEquals(Level.INFO, KernelLogProvider.threshold(" Info "));
        assertEquals(Level.DEBUG, KernelLogProvider.threshold("debug"));
        assertEquals(Level.TRACE, KernelLogProvider.threshold("trace"));
        assertNull(KernelLogProvider.threshold("off"));
    }

    @Test
    void anUnknownLevelIsRefusedNamingTheVariableTheValueAndTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelLogProvider.threshold("verbose"));
        assertTrue(e.getMessage().contains("TPDIFF4J_LOG = 'verbose'"), e.getMessage());
        assertTrue(e.getMessage().contains("off, error, warn, info, debug or trace"), e.getMessage());
    }

    @Test
    void aMessageIsOneLineOnTheStandardErrorOfTheMomentWithItsStackTrace() {
        PrintStream saved = System.err;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try {
            KernelLogger log = new KernelLogger("ai.djl.pytorch.engine.PtEngine", () -> Level.WARN, null);
            System.setErr(new PrintStream(first, true, StandardCharsets.UTF_8));
            log.warn("{} threads, {} asked", 2, 4);
            log.info("not shown at warn");
            log.debug("not shown either");
            // the kernel points System.err at the next cell: the next message goes there
            System.setErr(new PrintStream(second, true, StandardCharsets.UTF_8));
            log.error("loading failed", new IllegalStateException("boom"));
        } finally {
            System.setErr(saved);
        }
        assertEquals("WARN PtEngine: 2 threads, 4 asked" + System.lineSeparator(),
                first.toString(StandardCharsets.UTF_8));
        String[] lines = second.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("ERROR PtEngine: loading failed", lines[0]);
        assertEquals("java.lang.IllegalStateException: boom", lines[1]);
        assertTrue(lines[2].startsWith("\tat tpdiff4j.kernel.KernelLogTest."), lines[2]);
    }

    @Test
    void djlsGpuProbeWarningIsWrittenOnceAndExplained() {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String unique = "CUDA driver version is insufficient for CUDA runtime version (35) " + System.nanoTime();
        try {
            KernelLogger probe = new KernelLogger(KernelLogger.CUDA_PROBE, () -> Level.WARN, null);
            KernelLogger other = new KernelLogger("ai.djl.pytorch.engine.PtEngine", () -> Level.WARN, null);
            System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
            probe.warn("Failed to detect GPU count: {}", unique);
            probe.warn("Failed to detect GPU count: {}", unique);
            probe.warn("Failed to detect GPU count: {}", unique + " again");
            other.warn("same {}", "twice");
            other.warn("same {}", "twice");
        } finally {
            System.setErr(saved);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("WARN CudaUtils: Failed to detect GPU count: " + unique + KernelLogger.CUDA_EXPLAINED, lines[0]);
        assertEquals("WARN CudaUtils: Failed to detect GPU count: " + unique + " again" + KernelLogger.CUDA_EXPLAINED,
                lines[1]);
        // other loggers' repeated warnings are all written
        assertEquals(List.of("WARN PtEngine: same twice", "WARN PtEngine: same twice"), List.of(lines[2], lines[3]));
    }

    @Test
    void offWritesNothingAndTheLevelsBelowTheThresholdAreOff() {
        KernelLogger off = new KernelLogger("x.Y", () -> null, null);
        KernelLogger info = new KernelLogger("x.Y", () -> Level.INFO, null);
        assertEquals(List.of(false, false), List.of(off.isErrorEnabled(), off.isWarnEnabled()));
        assertEquals(List.of(true, true, true, false, false), List.of(info.isErrorEnabled(), info.isWarnEnabled(),
                info.isInfoEnabled(), info.isDebugEnabled(), info.isTraceEnabled()));
    }

    @Test
    void theKernelsOptionsBindItWithoutSlf4jsStartLinesAndShowWarningsOnly() throws Exception {
        Run run = probe(KernelJvmOptions.forThisJvm(), Map.of());
        assertTrue(run.out.contains("factory=tpdiff4j.kernel.KernelLogProvider"), run.out + run.err);
        assertEquals("WARN Engine: no engine named OnnxRuntime is on the class path\n", run.err);
    }

    @Test
    void theLevelComesFromTheEnvironment() throws Exception {
        Run run = probe(KernelJvmOptions.forThisJvm(), Map.of(KernelLogProvider.VARIABLE, "info"));
        assertEquals("WARN Engine: no engine named OnnxRuntime is on the class path\n"
                + "INFO Engine: an informational note\n", run.err);
        assertEquals("", probe(KernelJvmOptions.forThisJvm(), Map.of(KernelLogProvider.VARIABLE, "off")).err);
    }

    @Test
    void anUnknownLevelIsReportedAndWarningsStillShow() throws Exception {
        Run run = probe(KernelJvmOptions.forThisJvm(), Map.of(KernelLogProvider.VARIABLE, "loud"));
        assertEquals("tpdiff4j kernel: TPDIFF4J_LOG = 'loud'; allowed: a log level, off, error, warn, info, debug or "
                + "trace (default warn); logging at warn\n"
                + "WARN Engine: no engine named OnnxRuntime is on the class path\n", run.err);
    }

    @Test
    void withoutTheKernelsOptionsAProgramKeepsItsOwnChoiceOfBackEnd() throws Exception {
        // no META-INF/services entry: a program using the library sees SLF4J as if tpdiff4j brought no back end
        Run run = probe(List.of(), Map.of());
        assertTrue(run.err.contains("No SLF4J providers were found"), run.err);
        assertTrue(run.out.contains("factory=org.slf4j.helpers.NOPLoggerFactory"), run.out + run.err);
    }

    @Test
    void theLevelChangesWhileTheKernelRunsAndABadValueIsRefusedAndLeavesIt() throws Exception {
        Run run = probe(KernelJvmOptions.forThisJvm(), Map.of(), "change");
        assertEquals("WARN Engine: no engine named OnnxRuntime is on the class path\n"
                + "ERROR Engine: shown at error\n", run.err);
        assertTrue(run.out.contains("refused: TPDIFF4J_LOG = 'loud'; allowed: a log level, off, error"), run.out);
    }

    @Test
    void theJupyterProtocolLayerLogsToTheKernelsOwnStandardErrorNeverIntoACell() throws Exception {
        // at trace the socket logs each message it sends: in a cell's output that line would be sent, logged, sent...
        Run run = probe(KernelJvmOptions.forThisJvm(), Map.of(), "cells");
        assertTrue(run.out.contains("cell=WARN Engine: in a cell\n"), run.out);
        assertEquals("WARN Engine: no engine named OnnxRuntime is on the class path\n"
                + "INFO Engine: an informational note\n"
                + "INFO Loop-probe: Loop started.\n"
                + "INFO Loop-probe: Loop stopped.\n", run.err);
    }

    @Test
    void settingTheLevelWhereSlf4jUsesAnotherBackEndIsAnErrorNotIgnored() {
        // this test JVM does not select the kernel's back end
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelLogProvider.set("info"));
        assertTrue(e.getMessage().contains("logs through another one"), e.getMessage());
    }

    private record Run(String out, String err) {
    }

    private static Run probe(List<String> options, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelLogProbe.class.getName()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("tpdiff4j-log", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().remove(KernelLogProvider.VARIABLE);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
            String stderr = Files.readString(err).replace(System.lineSeparator(), "\n");
            assertEquals(0, p.exitValue(), cmd + ":\n" + out + stderr);
            return new Run(out, stderr);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
