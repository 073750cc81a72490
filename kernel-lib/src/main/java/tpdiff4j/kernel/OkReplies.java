package tpdiff4j.kernel;

import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.reply.CommInfoReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.InterruptReply;
import org.dflib.jjava.jupyter.messages.reply.ShutdownReply;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * Replies that carry the {@code "status": "ok"} field the Jupyter messaging spec (5.x) requires of every reply;
 * jjava-jupyter 1.0-a6 leaves it out of {@code kernel_info_reply} and {@code history_reply}, which Jupyter's
 * conformance suite rejects, and out of {@code comm_info_reply}, {@code shutdown_reply} and
 * {@code interrupt_reply}, whose status front ends read (a widget manager asks {@code comm_info} and checks it).
 * Gson serializes the subclass field next to the inherited ones.
 */
final class OkReplies {

    private OkReplies() {
    }

    /**
     * A reply written from its own fields, for messages whose jjava class cannot be extended or writes the wrong
     * form: it names jjava's message types for the reply and its request, in transient fields that Gson leaves out.
     */
    private abstract static class OwnReply<C, R> implements ContentType<C>, ReplyType<R> {
        private final transient MessageType<?> type;
        private final transient MessageType<R> request;

        OwnReply(MessageType<?> type, MessageType<R> request) {
            this.type = type;
            this.request = request;
        }

        @Override
        @SuppressWarnings("unchecked") // the message type only names the message ("execute_reply", ...)
        public MessageType<C> getType() {
            return (MessageType<C>) type;
        }

        @Override
        public MessageType<R> getRequestType() {
            return request;
        }
    }

    /** {@code kernel_info_reply} with a status. */
    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";

        KernelInfo(String implementation, String version, LanguageInfo info, String banner, List<HelpLink> links) {
            super("5.3", implementation, version, info, banner, links);
        }
    }

    /**
     * {@code execute_reply} of a cell that asks the front end to leave ({@code exit}, {@code quit}): status ok and
     * IPython's payload {@code {"source": "ask_exit", "keepkernel": false}}, on which {@code jupyter console} ends and
     * shuts the kernel down. The Notebook and JupyterLab ignore the payload.
     */
    static final class AskExit extends ExecuteReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final List<Map<String, Object>> payload = List.of(Map.of("source", "ask_exit", "keepkernel", false));

        AskExit(int executionCount) {
            super(executionCount, Map.of());
        }
    }

    /**
     * {@code execute_reply} of a cell that ran without error and asked for {@code user_expressions}: the spec's
     * result per name ({@code {"status": "ok", "data": ..., "metadata": ...}} or {@code {"status": "error", "ename":
     * ..., "evalue": ..., "traceback": [...]}}), which jjava-jupyter 1.0-a6 would write wrapped in another object.
     */
    static final class Executed extends OwnReply<Executed, ExecuteRequest> {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized by Gson
        private final int execution_count;
        @SuppressWarnings("unused") // serialized by Gson
        private final JsonObject user_expressions;

        Executed(int executionCount, JsonObject userExpressions) {
            super(ExecuteReply.MESSAGE_TYPE, ExecuteReply.REQUEST_MESSAGE_TYPE);
            this.execution_count = executionCount;
            this.user_expressions = userExpressions;
        }
    }

    /** {@code execute_reply} of a request that was aborted: it waited behind a cell that failed. */
    static final class Aborted extends OwnReply<Aborted, ExecuteRequest> {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "aborted";

        Aborted() {
            super(ExecuteReply.MESSAGE_TYPE, ExecuteReply.REQUEST_MESSAGE_TYPE);
        }
    }

    /** {@code comm_info_reply} with a status. */
    static final class CommInfo extends CommInfoReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";

        CommInfo(Map<String, CommInfoReply.CommInfo> comms) {
            super(comms);
        }
    }

    /** {@code interrupt_reply} with a status. */
    static final class Interrupt extends InterruptReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";
    }

    /** {@code shutdown_reply} with a status (jjava's reply cannot be extended: its constructor is private). */
    static final class Shutdown extends OwnReply<Shutdown, ShutdownRequest> {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized by Gson
        private final boolean restart;

        Shutdown(boolean restart) {
            super(ShutdownReply.MESSAGE_TYPE, ShutdownReply.REQUEST_MESSAGE_TYPE);
            this.restart = restart;
        }
    }

    /**
     * {@code history_reply} with a status; entries are written as the spec's arrays
     * {@code [session, line, input]} or {@code [session, line, [input, output]]}.
     */
    static final class History extends OwnReply<History, HistoryRequest> {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized by Gson
        private final JsonArray history = new JsonArray();

        History(List<HistoryEntry> entries) {
            super(HistoryReply.MESSAGE_TYPE, HistoryReply.REQUEST_MESSAGE_TYPE);
            for (HistoryEntry e : entries) {
                JsonArray row = new JsonArray();
                row.add(e.getSession());
                row.add(e.getCellNumber());
                if (e.hasOutput()) {
                    JsonArray io = new JsonArray();
                    io.add(e.getInput());
                    io.add(e.getOutput());
                    row.add(io);
                } else {
                    row.add(e.getInput());
                }
                history.add(row);
            }
        }
    }
}
