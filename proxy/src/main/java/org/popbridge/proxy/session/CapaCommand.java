package org.popbridge.proxy.session;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * CAPA (RFC 2449 section 5): asks the upstream, then advertises only what both the upstream
 * and the proxy can do on this connection.
 */
final class CapaCommand implements CommandHandler {

    /** A CAPA reply is a few hundred octets; anything far larger is not a capability list. */
    static final int MAX_CAPA_OCTETS = 16 * 1024;

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        session.forward(command, verb, new ReplyHandler() {
            private final StringBuilder body = new StringBuilder();
            private boolean ok;

            @Override
            public void onStatus(StatusLine status) {
                ok = status.isOk();
                if (!ok) {
                    // An upstream without CAPA still has RFC 1939's commands.
                    session.replyMultiline(StatusLine.ok("Capability list follows"), advertised(session, List.of()));
                }
            }

            @Override
            public void onContent(ContentChunk chunk) {
                try {
                    ByteBuf content = chunk.content();
                    if (body.length() + content.readableBytes() <= MAX_CAPA_OCTETS) {
                        body.append(content.toString(StandardCharsets.ISO_8859_1));
                    }
                } finally {
                    chunk.release();
                }
            }

            @Override
            public void onEnd() {
                List<String> upstream = UpstreamCapabilities.parseLines(body.toString());
                session.replyMultiline(StatusLine.ok("Capability list follows"), advertised(session, upstream));
            }
        });
    }

    private static List<String> advertised(SessionContext session, List<String> upstreamLines) {
        return new CapabilityFilter(
                session.state(), session.stlsAvailable(), session.plaintextAuthAllowed())
                .advertise(upstreamLines);
    }
}
