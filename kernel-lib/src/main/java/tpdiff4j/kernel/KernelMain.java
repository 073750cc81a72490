package tpdiff4j.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Entry point of the kernel process: {@code java ... tpdiff4j.kernel.KernelMain CONNECTION_FILE}, as written in the
 * kernelspec {@code tpdiff4j} by {@code environment/setup}.
 *
 * <p>Binds the five Jupyter sockets of the connection file, serves them until a {@code shutdown_request} closes the
 * connection, then exits. JShell warms up on the cell thread while the sockets already answer.
 */
public final class KernelMain {

    private KernelMain() {
    }

    /** @param args the path of the Jupyter connection file */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -Djava.security.manager=allow -cp kernel-lib.jar:lib/* "
                    + KernelMain.class.getName() + " CONNECTION_FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isReadable(file)) {
            System.err.println("connection file " + file.toAbsolutePath() + " is not readable");
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        ExitGuard.install();
        TpdiffKernel kernel = new TpdiffKernel();
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.onStartup();
        connection.waitUntilClose();
        ExitGuard.allowExit();
        System.exit(0);
    }
}
