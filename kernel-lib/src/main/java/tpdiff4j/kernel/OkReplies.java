package tpdiff4j.kernel;

import java.util.List;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import com.google.gson.JsonArray;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * Replies that carry the {@code "status": "ok"} field the Jupyter messaging spec (5.x) requires of every reply;
 * jjava-jupyter 1.0-a6 leaves it out of {@code kernel_info_reply} and {@code history_reply}, which Jupyter's
 * conformance suite rejects. Gson serializes the subclass field next to the inherited ones.
 */
final class OkReplies {

    private OkReplies() {
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
     * {@code history_reply} with a status; entries are written as the spec's arrays
     * {@code [session, line, input]} or {@code [session, line, [input, output]]}.
     */
    static final class History implements ContentType<History>, ReplyType<HistoryRequest> {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized by Gson
        private final JsonArray history = new JsonArray();

        History(List<HistoryEntry> entries) {
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

        @Override
        @SuppressWarnings("unchecked") // the message type only names the message ("history_reply")
        public MessageType<History> getType() {
            return (MessageType<History>) (MessageType<?>) HistoryReply.MESSAGE_TYPE;
        }

        @Override
        public MessageType<HistoryRequest> getRequestType() {
            return HistoryReply.REQUEST_MESSAGE_TYPE;
        }
    }
}
