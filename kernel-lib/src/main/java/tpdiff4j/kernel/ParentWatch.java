package tpdiff4j.kernel;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Ends the kernel when the process that started it is gone. Jupyter (the Notebook server, {@code nbconvert},
 * {@code jupyter console}) names itself in the kernel's environment variable {@code JPY_PARENT_PID}; when that
 * process ends without shutting the kernel down (killed, crashed, its machine session closed), nobody can reach the
 * kernel any more, yet its JVM would keep its heap and PyTorch's native memory until someone kills it by hand. On a
 * server shared by a class, every restart of a crashed Notebook server would leave one such JVM per open notebook.
 * The watch ends the kernel within a second or so of its parent, through the kernel's normal exit (its shutdown hooks
 * run), with one line on the kernel's console. A kernel started without {@code JPY_PARENT_PID} (by hand, from a test)
 * is not watched.
 * <p>
 * A parent that ends on purpose is not always a sign that nobody uses the kernel: a script that starts a kernel with
 * jupyter_client and exits leaves it to clients that connect through its connection file ({@code jupyter console
 * --existing}). The operating system then hands the kernel to a new parent. Where that is the system's first process
 * (pid 1), nothing of the user's session is left to own the kernel, and it ends. Where it is another living process,
 * a session manager that adopts the processes of a desktop or service session (systemd's user manager, a container's
 * init with the subreaper flag), the kernel keeps running, as IPython's kernel does there, with one line on its
 * console; it ends with its session or on a client's shutdown. A kernel that was not the direct child of
 * {@code JPY_PARENT_PID} (a launcher process in between) ends with that process as before.
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
     * {@code console} naming it, unless the kernel, a child of {@code pid}, was adopted by a living process other than
     * the system's first one (see the class comment). Returns at once; the wait happens on a daemon thread of the JDK.
     */
    static void exitWhenGone(long pid, PrintStream console, Runnable exit) {
        exitWhenGone(pid, console, exit, () -> ProcessHandle.current().parent().map(ProcessHandle::pid));
    }

    /** As {@link #exitWhenGone(long, PrintStream, Runnable)}, with the kernel's parent process id from {@code parent}. */
    static void exitWhenGone(long pid, PrintStream console, Runnable exit, Supplier<Optional<Long>> parent) {
        boolean childOfPid = parent.get().filter(p -> p == pid).isPresent();
        CompletableFuture<?> gone = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                .orElseGet(() -> CompletableFuture.completedFuture(null));
        gone.thenRun(() -> {
            Optional<Long> adopter = childOfPid ? parent.get().filter(p -> p != 1 && p != pid) : Optional.empty();
            if (adopter.isPresent()) {
                console.println("tpdiff4j kernel: the process that started it (pid " + pid + ", JPY_PARENT_PID) has"
                        + " ended and process " + adopter.get() + " adopted the kernel; it keeps running for the"
                        + " clients that use its connection file (shut it down from one of them)");
                console.flush();
                return;
            }
            console.println("tpdiff4j kernel: the process that started it (pid " + pid
                    + ", JPY_PARENT_PID) has ended; the kernel exits too");
            console.flush();
            exit.run();
        });
    }
}
