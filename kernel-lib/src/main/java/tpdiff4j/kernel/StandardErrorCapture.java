package tpdiff4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * Catches what is written to the process's standard error (file descriptor 2) while an action runs, on POSIX systems.
 *
 * <p>The JDK writes some warnings to the standard error the JVM started with, not to {@code System.err}: replacing
 * {@code System.err} does not catch them. This points descriptor 2 at a pipe for the duration of the action (through
 * the C library's {@code dup}, {@code pipe} and {@code dup2}, called with JNA), then points it back; a thread reads the
 * pipe meanwhile, so a writer never waits on a full pipe. Everything any thread of the process writes to descriptor 2
 * in that time is caught and handed to the caller, who decides what to pass on.
 */
final class StandardErrorCapture {

    /** The C library calls used here; {@code size_t}/{@code ssize_t} are a C {@code long} on every POSIX system JNA serves. */
    interface CLibrary extends Library {
        int dup(int fd);

        int dup2(int fd, int fd2);

        int pipe(int[] fds);

        int close(int fd);

        NativeLong read(int fd, byte[] buffer, NativeLong count);
    }

    private static final int STDERR = 2;
    /** {@code errno} of a call interrupted by a signal, on Linux and macOS. */
    private static final int EINTR = 4;
    /**
     * How long the reader may take to see the pipe's end once descriptor 2 is back. Only a process started during the
     * action, which inherited the pipe, keeps it open longer; the reader then passes its text on as it comes.
     */
    private static final long JOIN_MILLIS = 2000;

    private StandardErrorCapture() {
    }

    /** Descriptor 2 cannot be caught here; nothing was run. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    /**
     * Runs {@code action} with descriptor 2 caught.
     *
     * @param action what to run; an exception it throws is rethrown once descriptor 2 is back
     * @return the bytes written to descriptor 2 meanwhile
     * @throws Unavailable before running anything, where descriptor 2 cannot be caught (Windows, no C library through
     *         JNA, a call that failed); the caller then runs the action as it is
     */
    static byte[] capture(Runnable action) throws Unavailable {
        if (Platform.isWindows()) {
            throw new Unavailable("standard error cannot be redirected on Windows");
        }
        CLibrary c;
        try {
            c = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
        } catch (LinkageError e) {
            throw new Unavailable("no C library through JNA: " + e);
        }
        int[] pipe = new int[2];
        if (c.pipe(pipe) != 0) {
            throw new Unavailable("pipe() failed: " + Native.getLastError());
        }
        int saved = c.dup(STDERR);
        if (saved < 0) {
            c.close(pipe[0]);
            c.close(pipe[1]);
            throw new Unavailable("dup(2) failed: " + Native.getLastError());
        }
        ByteArrayOutputStream caught = new ByteArrayOutputStream();
        boolean[] handedOver = {false};
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);
            while (true) {
                long n = c.read(pipe[0], buffer, new NativeLong(buffer.length)).longValue();
                if (n < 0 && Native.getLastError() == EINTR) {
                    continue;
                }
                if (n <= 0) { // 0: every write end is closed
                    return;
                }
                synchronized (caught) {
                    if (handedOver[0]) { // a process started meanwhile still holds the pipe: pass its text on
                        try {
                            stderr.write(buffer, 0, (int) n);
                        } catch (IOException e) {
                            return;
                        }
                    } else {
                        caught.write(buffer, 0, (int) n);
                    }
                }
            }
        }, "tpdiff4j-stderr-capture");
        reader.setDaemon(true);
        reader.start();
        if (c.dup2(pipe[1], STDERR) < 0) {
            int error = Native.getLastError();
            c.close(pipe[1]);
            c.close(saved);
            join(reader, JOIN_MILLIS);
            throw new Unavailable("dup2(pipe, 2) failed: " + error);
        }
        c.close(pipe[1]); // descriptor 2 is now the pipe's only write end
        try {
            action.run();
        } finally {
            System.err.flush();
            c.dup2(saved, STDERR); // closes the pipe's last write end: the reader sees the end of what was written
            c.close(saved);
            join(reader, JOIN_MILLIS);
            if (!reader.isAlive()) {
                c.close(pipe[0]);
            }
        }
        synchronized (caught) {
            handedOver[0] = true;
            return caught.toByteArray();
        }
    }

    private static void join(Thread reader, long millis) {
        boolean interrupted = false;
        long end = System.nanoTime() + millis * 1_000_000;
        while (reader.isAlive() && System.nanoTime() < end) {
            try {
                reader.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
