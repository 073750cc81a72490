package tpdiff4j.kernel;

import java.util.function.IntConsumer;

/** Calls {@code System.exit} as a cell would; {@link CellExitTest} loads only a redirected copy of it and runs that. */
final class ExitCaller {

    /** Long and double constants take two constant-pool slots each: the redirect must step over them. */
    static final long BIG = 1_234_567_890_123L;
    static final double HALF = 0.5;

    private ExitCaller() {
    }

    static void quit(int status) {
        System.exit(status);
    }

    static void quitThroughAReference(int status) {
        IntConsumer exit = System::exit;
        exit.accept(status);
    }

    static String otherSystemCalls() {
        return System.getProperty("java.home") + "|" + System.lineSeparator().length() + "|" + (BIG + HALF);
    }
}
