package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The JDK's four-line warning about {@code System.setSecurityManager} (Java 17 to 23) goes to the standard error the
 * JVM started with, so it greeted every kernel start in the terminal; replacing {@code System.err} does not catch it.
 * The guard's installation catches descriptor 2 and passes on everything but those lines. The installation itself is
 * checked in a JVM of its own by {@link KernelJvmOptionsTest}.
 */
class ExitGuardWarningTest {

    private static final String WARNING = """
            WARNING: A terminally deprecated method in java.lang.System has been called
            WARNING: System::setSecurityManager has been called by tpdiff4j.kernel.ExitGuard (file:/a b/kernel-lib.jar)
            WARNING: Please consider reporting this to the maintainers of tpdiff4j.kernel.ExitGuard
            WARNING: System::setSecurityManager will be removed in a future release
            """;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheJdkWarningIsLeftOutAndEveryOtherByteStaysInOrder() {
        assertArrayEquals(new byte[0], ExitGuard.withoutJdkWarning(utf8(WARNING)));
        String other = "before: Übung σ\n";
        String after = "WARNING: something else\nno newline at the end";
        assertArrayEquals(utf8(other + after), ExitGuard.withoutJdkWarning(utf8(other + WARNING + after)));
        // a line that only starts like the warning and is not finished is kept
        assertArrayEquals(utf8("WARNING: A terminally deprecated method in java.lang.System has been called"),
                ExitGuard.withoutJdkWarning(utf8(
                        "WARNING: A terminally deprecated method in java.lang.System has been called")));
    }

    @Test
    void whatAnyThreadWritesToDescriptor2WhileCaughtIsHandedBackAndNotPrinted() throws Exception {
        FileOutputStream fd2 = new FileOutputStream(FileDescriptor.err);
        byte[] big = new byte[300_000]; // more than a pipe holds: the writer must not wait for the action's end
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] caught = StandardErrorCapture.capture(() -> {
            Thread other = new Thread(() -> write(fd2, big));
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            write(fd2, utf8("\nfrom the action\n"));
        });
        assertEquals(big.length + "\nfrom the action\n".length(), caught.length);
        assertEquals("\nfrom the action\n", new String(caught, big.length, caught.length - big.length,
                StandardCharsets.UTF_8));
        // descriptor 2 is back: an empty capture afterwards sees nothing of before
        assertEquals(0, StandardErrorCapture.capture(() -> { }).length);
    }

    private static void write(FileOutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
