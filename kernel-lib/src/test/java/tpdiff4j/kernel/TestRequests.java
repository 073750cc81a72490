package tpdiff4j.kernel;

import java.util.List;

import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.MessageContext;

/** Requests of the front end for tests of a cell's System.in, which only tells one request from another. */
final class TestRequests {

    private TestRequests() {
    }

    /** A request of its own: an object that no other request equals, with no identities and no header. */
    static MessageContext request() {
        return new MessageContext() {
            @Override
            public List<byte[]> getIdentities() {
                return List.of();
            }

            @Override
            public Header getHeader() {
                return null;
            }
        };
    }
}
