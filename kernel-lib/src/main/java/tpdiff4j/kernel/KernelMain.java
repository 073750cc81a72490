package tpdiff4j.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Entry point of the kernel process: {@code java ... tpdiff4j.kernel.KernelMain CONNECTION_FILE}, as written in the
 * kernelspec {@code tpdiff4j} by {@code environment/setup}.
 *
 * <p>Binds the five Jupyter sockets of the connection file, serves them until a {@code shutdown_request} closes the
 * connection, then exits; it exits too when the process that started it (Jupyter's {@code JPY_PARENT_PID}) ends
 * ({@link ParentWatch}). JShell warms up on the cell thread while the sockets already answer.
 */
public final class KernelMain {

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    /**
     * How long the shell and control loops sleep between polls (jjava-jupyter's default is 50 ms; system property
     * {@code tpdiff4j.kernel.pollMillis}). A request waits half of it on average before it is read; an idle kernel
     * pays for each wake-up (an idle kernel's CPU, measured over 20 s on a loaded 2-core machine: 8.2 % of a core at
     * 1 ms, 3.9-5.0 % at 2 ms, 4.6-5.6 % at 5 ms, 3.5 % at 50 ms), hence 2 ms: about 1.5 ms less per request than
     * 5 ms at no idle cost that could be told apart from noise.
     */
    static final long POLL_MILLIS = 2;

    private KernelMain() {
    }

    /**
     * Sets the sleep between two polls of the shell and control sockets, which bounds the latency every request
     * waits before it is read (jjava-jupyter 1.0-a6 fixes it at 50 ms, i.e. 25 ms per request on average and
     * offers no setting, hence reflection on its private field). Must run before {@code connect()}, which starts
     * the loops. On failure the default stays and a note goes to the kernel's log.
     */
    static void pollEvery(JupyterConnection connection, long millis) {
        try {
            for (String channel : new String[]{"shell", "control"}) {
                Field f = JupyterConnection.class.getDeclaredField(channel);
                f.setAccessible(true);
                Object socket = f.get(connection);
                Field sleep = socket.getClass().getDeclaredField("sleep");
                sleep.setAccessible(true);
                sleep.setLong(socket, millis);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("tpdiff4j kernel: keeping jjava's 50 ms poll interval (" + e + ")");
        }
    }

    /**
     * Numbers in cells are written with a decimal point on every machine, as the library writes its own and as
     * Python's kernel does: under a German or Turkish locale {@code String.format("%.2f", x)} in a cell wrote
     * {@code 0,50} beside the library's {@code 0.50} in the same notebook, and a notebook's output changed with the
     * machine it ran on. Only the format category changes (numbers, dates, {@code Scanner}); the language of the
     * locale stays the default for everything else. A cell that wants the locale's notation passes it:
     * {@code String.format(Locale.GERMANY, "%.2f", x)}.
     */
    static void formatNumbersWithAPoint() {
        java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.US);
    }

    /** @param args the path of the Jupyter connection file */
    public static void main(String[] args) throws Exception {
        formatNumbersWithAPoint();
        if (args.length != 1) {
            System.err.println("usage: java " + String.join(" ", KernelJvmOptions.forThisJvm())
                    + " -cp kernel-lib.jar:lib/* " + KernelMain.class.getName() + " CONNECTION_FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isReadable(file)) {
            System.err.println("connection file " + file.toAbsolutePath() + " is not readable");
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        // SLF4J binds its back end now, not at DJL's first message: a TPDIFF4J_LOG it cannot read is named at start
        org.slf4j.LoggerFactory.getILoggerFactory();
        ExitGuard.install();
        // a thread a cell started that dies of an exception: its trace reaches the notebook like a cell's error
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> ErrorReport.uncaught(t, e, System.err));
        TpdiffKernel kernel = new TpdiffKernel();
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        pollEvery(connection, Long.getLong("tpdiff4j.kernel.pollMillis", POLL_MILLIS));
        connection.connect();
        RequestGuard.keepLoopsAlive(connection, Long.getLong("tpdiff4j.kernel.pollMillis", POLL_MILLIS),
                kernel.console());
        kernel.onStartup();
        // the Notebook server (or nbconvert) that started the kernel was killed: nobody can reach the kernel, so it ends
        ParentWatch.parentPid(System.getenv("JPY_PARENT_PID"), kernel.console()).ifPresent(pid ->
                ParentWatch.exitWhenGone(pid, kernel.console(), () -> exit(kernel.console(), HOOK_GRACE_MILLIS)));
        connection.waitUntilClose();
        exit(kernel.console(), HOOK_GRACE_MILLIS);
    }

    /** How long shutdown hooks (a cell may have added some) may run when the kernel ends, in milliseconds. */
    static final long HOOK_GRACE_MILLIS = 2000;

    /**
     * Ends the kernel's process. Threads that cells started, daemon or not, end with it. Shutdown hooks run, with
     * {@code System.out} and {@code System.err} on the kernel's console (the notebook's output is closed by then);
     * hooks still running after {@code graceMillis} (one a cell added that waits for an executor, say) are cut
     * short with a line on the console: a kernel whose client cannot kill it (a shutdown sent by a client of the
     * connection file, or a Notebook server that was killed) would otherwise stay for good. Only the wait for the
     * hooks is cut: what the JVM does after them (writing a class-data archive at exit) runs to its end. A
     * {@code Trainer.train} call's own hook is not cut: it waits for the current step and the checkpoint of the steps
     * since the last one, for at most a minute.
     */
    static void exit(java.io.PrintStream console, long graceMillis) {
        ExitGuard.allowExit();
        System.setOut(console);
        System.setErr(console);
        Thread exiting = Thread.currentThread();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
                while (exiting.isAlive()) {
                    if (inShutdownHooks(exiting) && !trainingStops()) {
                        console.println("tpdiff4j kernel: shutdown hooks still ran " + graceMillis + " ms after the "
                                + "kernel was asked to end (a hook a cell added?); it ends without waiting for them");
                        console.flush();
                        Runtime.getRuntime().halt(0);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // the process ends anyway
            }
        }, "tpdiff4j-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(0);
    }

    /**
     * @return whether a training call's own shutdown hook is still waiting for its step and checkpoint: it bounds its
     *         wait itself (a minute), and cutting it would lose the steps since the last checkpoint
     */
    static boolean trainingStops() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement e : stack) {
                if (e.getClassName().equals(TRAINING_STOP)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The hook a {@code Trainer.train} call adds: it stops the call at a step boundary and waits for its checkpoint. */
    static final String TRAINING_STOP = "tpdiff4j.train.ShutdownStop";

    /** @return whether {@code t}, which called {@code System.exit}, waits for the application's shutdown hooks */
    static boolean inShutdownHooks(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("java.lang.ApplicationShutdownHooks") && e.getMethodName().equals("runHooks")) {
                return true;
            }
        }
        return false;
    }
}
