package tpdiff4j.kernel;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.List;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;

/**
 * Keeps every request from ending one of the kernel's socket threads.
 *
 * <p>jjava-jupyter 1.0-a6 reads the shell and control sockets on one thread each. A handler that throws an
 * {@link Error} (a {@code StackOverflowError} while JShell analyses a huge expression) or a message that cannot be
 * read (a wrong HMAC signature, JSON that does not parse) ends that thread for good, while the heartbeat keeps
 * answering: the front end then shows an idle kernel that never replies. Two guards close both holes:
 * {@link #wrapHandlers} catches every {@link Throwable} of a handler and sends an error reply, and
 * {@link #keepLoopsAlive} makes the socket loop log a message it cannot read, skip what is left of it and go on.
 */
final class RequestGuard {

    /** Every message type jjava-jupyter's {@code BaseKernel} handles. */
    static final List<MessageType<?>> HANDLED = List.of(MessageType.EXECUTE_REQUEST, MessageType.INSPECT_REQUEST,
            MessageType.COMPLETE_REQUEST, MessageType.HISTORY_REQUEST, MessageType.IS_COMPLETE_REQUEST,
            MessageType.KERNEL_INFO_REQUEST, MessageType.SHUTDOWN_REQUEST, MessageType.INTERRUPT_REQUEST,
            MessageType.COMM_OPEN_COMMAND, MessageType.COMM_MSG_COMMAND, MessageType.COMM_CLOSE_COMMAND,
            MessageType.COMM_INFO_REQUEST);

    private RequestGuard() {
    }

    /** Replaces every handler of {@code connection} by one that answers a failure with an error reply. */
    static void wrapHandlers(JupyterConnection connection, PrintStream log) {
        for (MessageType<?> type : HANDLED) {
            wrap(connection, type, log);
        }
    }

    private static <T> void wrap(JupyterConnection connection, MessageType<T> type, PrintStream log) {
        ShellHandler<T> handler = connection.getHandler(type);
        if (handler != null) {
            connection.setHandler(type, (env, message) -> {
                try {
                    handler.handle(env, message);
                } catch (Throwable t) {
                    failed(env, message, t, log);
                }
            });
        }
    }

    private static void failed(org.dflib.jjava.jupyter.channels.ShellReplyEnvironment env, Message<?> message,
                               Throwable t, PrintStream log) {
        String name = message.getHeader().getType().getName();
        log.println("tpdiff4j kernel: " + name + " failed: " + t);
        if (!name.endsWith("_request")) {
            return; // comm messages have no reply
        }
        MessageType<?> reply = MessageType.getType(name.substring(0, name.length() - "_request".length()) + "_reply");
        try {
            String why = t instanceof StackOverflowError
                    ? "the request is nested too deeply for the kernel's stack (" + t.getClass().getName() + ")"
                    : String.valueOf(t.getMessage());
            env.replyError(reply.error(), new ErrorReply(t.getClass().getSimpleName(), why,
                    ErrorReport.traceback(t)));
        } catch (Throwable second) {
            log.println("tpdiff4j kernel: could not send the error reply of " + name + ": " + second);
        }
    }

    /**
     * Makes the shell and control loops survive a message they cannot read: they log it, skip the rest of its
     * frames and keep serving. Must run after {@code connect()}, which starts the loops.
     */
    static void keepLoopsAlive(JupyterConnection connection, long sleepMillis, PrintStream log) {
        for (String channel : new String[]{"shell", "control"}) {
            try {
                Field socketField = JupyterConnection.class.getDeclaredField(channel);
                socketField.setAccessible(true);
                ShellChannel socket = (ShellChannel) socketField.get(connection);
                Field loopField = ShellChannel.class.getDeclaredField("ioloop");
                loopField.setAccessible(true);
                Loop loop = (Loop) loopField.get(socket);
                loop.onError(t -> {
                    log.println("tpdiff4j kernel: dropped an unreadable message on the " + channel + " socket: " + t);
                    try {
                        while (socket.hasReceiveMore()) {
                            socket.recv(); // the rest of the broken message's frames
                        }
                    } catch (RuntimeException e) {
                        log.println("tpdiff4j kernel: while skipping it: " + e);
                    }
                    return sleepMillis;
                });
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.println("tpdiff4j kernel: cannot guard the " + channel + " loop (" + e + "); a malformed "
                        + "message may stop it");
            }
        }
    }
}
