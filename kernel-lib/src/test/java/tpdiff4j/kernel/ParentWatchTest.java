package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A kernel whose starting process (Jupyter's {@code JPY_PARENT_PID}) is killed exits instead of staying behind as an
 * unreachable JVM; a kernel started without that variable is not watched.
 */
class ParentWatchTest {

    @Test
    void exitRunsOnlyOnceTheWatchedProcessHasEnded() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CountDownLatch exited = new CountDownLatch(1);
        try {
            ParentWatch.exitWhenGone(parent.pid(), new PrintStream(log, true, StandardCharsets.UTF_8),
                    exited::countDown);
            assertFalse(exited.await(500, TimeUnit.MILLISECONDS), "the exit must wait while the parent runs");
            parent.destroyForcibly(); // as a Notebook server killed with SIGKILL
            assertTrue(exited.await(10, TimeUnit.SECONDS), "the exit must follow the parent's end");
        } finally {
            parent.destroyForcibly();
        }
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("pid " + parent.pid()) && line.contains("JPY_PARENT_PID"), line);
    }

    @Test
    void aParentThatIsAlreadyGoneEndsTheKernelAtOnce() throws Exception {
        Process parent = new ProcessBuilder("true").start();
        parent.waitFor();
        CountDownLatch exited = new CountDownLatch(1);
        ParentWatch.exitWhenGone(parent.pid(), new PrintStream(new ByteArrayOutputStream()), exited::countDown);
        assertTrue(exited.await(5, TimeUnit.SECONDS));
    }

    /** The kernel's parent as the operating system would report it: {@code watched} while it runs, then {@code after}. */
    private static java.util.function.Supplier<Optional<Long>> parentSwitching(Process watched, long after) {
        return () -> Optional.of(watched.isAlive() ? watched.pid() : after);
    }

    @Test
    void aKernelAdoptedByALivingSessionProcessKeepsRunningForItsClients() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CountDownLatch exited = new CountDownLatch(1);
        try {
            // a script that started the kernel exits on purpose; a session manager (pid 4321, a subreaper) adopts it
            ParentWatch.exitWhenGone(parent.pid(), new PrintStream(log, true, StandardCharsets.UTF_8),
                    exited::countDown, parentSwitching(parent, 4321L));
            parent.destroyForcibly();
            parent.waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (log.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(exited.await(500, TimeUnit.MILLISECONDS), "a kernel with a living adopter must keep running");
        } finally {
            parent.destroyForcibly();
        }
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("pid " + parent.pid()) && line.contains("process 4321 adopted the kernel")
                && line.contains("keeps running"), line);
    }

    @Test
    void aKernelLeftToTheSystemsFirstProcessExits() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        CountDownLatch exited = new CountDownLatch(1);
        try {
            ParentWatch.exitWhenGone(parent.pid(), new PrintStream(new ByteArrayOutputStream()), exited::countDown,
                    parentSwitching(parent, 1L));
            assertFalse(exited.await(300, TimeUnit.MILLISECONDS));
            parent.destroyForcibly();
            assertTrue(exited.await(10, TimeUnit.SECONDS), "an orphan of pid 1 has no session left: it must exit");
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void theVariableIsReadAsAProcessIdOrIgnoredWithANote() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), ParentWatch.parentPid(null, console));
        assertEquals(Optional.empty(), ParentWatch.parentPid("  ", console));
        assertEquals("", log.toString(StandardCharsets.UTF_8), "no variable: no note");
        assertEquals(Optional.of(4242L), ParentWatch.parentPid(" 4242\n", console));
        assertEquals(Optional.empty(), ParentWatch.parentPid("server", console));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("JPY_PARENT_PID = 'server'"), log.toString());
        assertEquals(Optional.empty(), ParentWatch.parentPid(Long.toString(ProcessHandle.current().pid()), console),
                "the kernel never waits for itself");
    }
}
