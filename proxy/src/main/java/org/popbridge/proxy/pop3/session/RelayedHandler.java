package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * A TRANSACTION command of a plain relay (RFC 1939 section 5): sent as the client sent it, the
 * reply passed on as it comes; retrievals and marks are counted for the session's log line.
 */
final class RelayedHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        session.forward(command, counting(verb, session));
    }

    /** The client relay, counting what the session's log line and audit report. */
    static ReplyHandler counting(Pop3Verb verb, SessionContext session) {
        ReplyHandler relay = session.relay();
        return switch (verb) {
            case RETR -> new ReplyHandler() {
                @Override
                public void onStatus(StatusLine status) {
                    relay.onStatus(status);
                }

                @Override
                public void onContent(ContentChunk chunk) {
                    relay.onContent(chunk);
                }

                @Override
                public void onEnd() {
                    relay.onEnd();
                    session.metrics().retrieved();
                }

                @Override
                public boolean takesBodyAsSent() {
                    return relay.takesBodyAsSent();
                }
            };
            case DELE -> status -> {
                relay.onStatus(status);
                if (status.isOk()) {
                    session.metrics().marked();
                }
            };
            case RSET -> status -> {
                if (status.isOk()) {
                    session.metrics().unmarked();
                }
                relay.onStatus(status);
            };
            default -> relay;
        };
    }
}
