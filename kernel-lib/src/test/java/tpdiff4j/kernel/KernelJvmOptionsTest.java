package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel's JVM options that depend on the Java version. The kernelspec once passed
 * {@code -Djava.security.manager=allow} on every JDK, and Java 24 and newer refuse to start with it, so the kernel
 * never answered there. The launch test runs on the JDK that runs the tests (Java 17 by default; run it with a newer
 * {@code JAVA_HOME} to check that one).
 */
class KernelJvmOptionsTest {

    private static final String ALLOW = "-Djava.security.manager=allow";
    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    private static final String LOG = "-Dslf4j.provider=tpdiff4j.kernel.KernelLogProvider";
    private static final String LOG_QUIET = "-Dslf4j.internal.verbosity=WARN";

    @Test
    void theSecurityManagerOptionIsPassedUpToJava23AndNeverFrom24On() {
        for (int feature = 17; feature <= 23; feature++) {
            assertEquals(List.of(NATIVE, LOG, LOG_QUIET, ALLOW), KernelJvmOptions.forFeature(feature), "Java " + feature);
        }
        for (int feature = 24; feature <= 30; feature++) {
            assertEquals(List.of(NATIVE, LOG, LOG_QUIET), KernelJvmOptions.forFeature(feature), "Java " + feature);
        }
    }

    @Test
    void aJavaOlderThan17IsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelJvmOptions.forFeature(11));
        assertTrue(e.getMessage().equals("feature = 11; allowed: 17 or newer (the kernel needs Java 17 or newer)"),
                e.getMessage());
    }

    @Test
    void thisJvmStartsWithTheOptionsGuardsExitWhereItCanAndLoadsNativeCodeWithoutAWarning() throws Exception {
        int feature = Runtime.version().feature();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(KernelJvmOptions.forThisJvm());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelJvmOptionsProbe.class.getName()));
        Path err = Files.createTempFile("tpdiff4j-jvm-options", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), "Java " + feature + " with " + cmd + ":\n" + out + stderr);
            // the guard needs a security manager, which exists up to Java 23
            assertTrue(out.contains("guard=" + (feature < KernelJvmOptions.NO_SECURITY_MANAGER_FROM)), out + stderr);
            assertTrue(out.contains("native call reached the library lookup"), out + stderr);
            assertFalse(stderr.contains("restricted method"), stderr);
            // the JDK's four lines about setSecurityManager (Java 17 to 23) are left out, the probe's own line stays
            // (from Java 24 on, one line of the kernel's own says what the missing security manager means)
            String own = "the probe's own line on standard error\n";
            String lines = stderr.replace(System.lineSeparator(), "\n");
            if (feature < KernelJvmOptions.NO_SECURITY_MANAGER_FROM) {
                assertEquals(own, lines);
            } else {
                assertEquals("tpdiff4j kernel: Java " + feature + " has no security manager, so only a System.exit "
                        + "written in a cell is blocked; one inside a jar's code ends the kernel\n" + own, lines);
            }
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theLogProviderOptionNamesTheProviderClass() {
        assertEquals("-Dslf4j.provider=" + KernelLogProvider.class.getName(), KernelJvmOptions.LOG_PROVIDER);
    }

    @Test
    void theOptionsPrintWithTheKernelsOwnClassesAloneAsSetupRunsThem() throws Exception {
        // environment/setup puts only kernel-lib.jar on the class path: no SLF4J, DJL or JShell client classes
        Path classes = Path.of(KernelJvmOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes.toString(), KernelJvmOptions.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end");
        assertEquals(0, p.exitValue(), out);
        assertEquals(KernelJvmOptions.forThisJvm(), List.of(out.strip().split("\\R")));
    }

    @Test
    void theKernelspecTemplateLeavesTheVersionDependentOptionsToSetup() throws IOException {
        Path root = tpdiff4j.Checkout.root();
        String template = Files.readString(root.resolve("environment/kernelspec/kernel.json.in"));
        assertFalse(template.contains("java.security.manager"), template);
        String setup = Files.readString(root.resolve("environment/setup"));
        assertTrue(setup.contains("tpdiff4j.kernel.KernelJvmOptions"), "environment/setup must ask KernelJvmOptions");
    }

    @Test
    void compareAndBenchLogThroughTheKernelsBackEnd() throws IOException {
        // without it, each of their JVMs printed SLF4J's three "No SLF4J providers" lines and dropped DJL's warnings
        Path root = tpdiff4j.Checkout.root();
        for (String script : List.of("environment/compare", "environment/bench")) {
            String text = Files.readString(root.resolve(script));
            assertTrue(text.contains(KernelJvmOptions.LOG_PROVIDER) && text.contains(KernelJvmOptions.LOG_QUIET),
                    script + " must start Java with " + KernelJvmOptions.LOG_PROVIDER + " and " + KernelJvmOptions.LOG_QUIET);
        }
    }
}
