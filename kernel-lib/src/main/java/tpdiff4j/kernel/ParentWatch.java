package tpdiff4j.kernel;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Ends the kernel when the process that started it is gone. Jupyter (the Notebook server, {@code nbconvert},
 * {@code jupyter console}) names itself in the kernel's environment variable {@code JPY_PARENT_PID}; when that
 * process ends without shutting the kernel down (killed, crashed, its machine session closed), nobody can reach the
 * kernel any more, yet its JVM would keep its heap and PyTorch's native memory until someone kills it by hand. On a
 * server shared by a class, every restart of a crashed Notebook server would leave one such JVM per open notebook.
 * The watch ends the kernel within a second or so of its parent, through the kernel's normal exit (its shutdown hooks
 * run), with one line on the kernel's console. A kernel started without {@code JPY_PARENT_PID} (by hand, from a test)
 * is not watched.
 */
final class ParentWatch {

    private ParentWatch() {
    }

    /**
     * The process id in {@code JPY_PARENT_PID}; empty for a missing or blank value, and for one that is not a process
     * id (reported on {@code console}: the kernel then runs unwatched).
     */
    static Optional<Long> parentPid(String jpyParentPid, PrintStream console) {
        if (jpyParentPid == null || jpyParentPid.isBlank()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(jpyParentPid.strip());
            if (pid > 0 && pid != ProcessHandle.current().pid()) {
                return Optional.of(pid);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        console.println("tpdiff4j kernel: JPY_PARENT_PID = '" + jpyParentPid + "' is not the id of another process;"
                + " the kernel does not end with the process that started it");
        return Optional.empty();
    }

    /**
     * Runs {@code exit} once process {@code pid} has ended (at once when it already has), after a line on
     * {@code console} naming it. Returns at once; the wait happens on a daemon thread of the JDK.
     */
    static void exitWhenGone(long pid, PrintStream console, Runnable exit) {
        java.util.concurrent.CompletableFuture<?> gone = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                .orElseGet(() -> java.util.concurrent.CompletableFuture.completedFuture(null));
        gone.thenRun(() -> {
            console.println("tpdiff4j kernel: the process that started it (pid " + pid
                    + ", JPY_PARENT_PID) has ended; the kernel exits too");
            console.flush();
            exit.run();
        });
    }
}
