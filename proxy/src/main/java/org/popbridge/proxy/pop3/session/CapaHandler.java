package org.popbridge.proxy.pop3.session;

import java.util.List;
import org.popbridge.proxy.pop3.CapaBody;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * CAPA (RFC 2449 section 5): asks the upstream, then advertises only what both the upstream
 * and the proxy can do on this connection.
 */
final class CapaHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        session.forward(command, new ReplyHandler() {
            private final CapaBody body = new CapaBody();

            @Override
            public void onStatus(StatusLine status) {
                if (!status.isOk()) {
                    // An upstream without CAPA still has RFC 1939's commands.
                    session.replyMultiline(StatusLine.ok("Capability list follows"), advertised(session, List.of()));
                }
            }

            @Override
            public void onContent(ContentChunk chunk) {
                body.append(chunk);
            }

            @Override
            public void onEnd() {
                session.replyMultiline(StatusLine.ok("Capability list follows"), advertised(session, body.lines()));
            }
        });
    }

    private static List<String> advertised(SessionContext session, List<String> upstreamLines) {
        return new CapabilityFilter(
                session.state(), session.login().stlsAvailable(), session.login().plaintextAuthAllowed())
                .advertise(upstreamLines);
    }
}
