package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/** STLS (RFC 2595 section 4): the proxy ends TLS itself; the upstream link is not involved. */
final class StlsHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (!session.login().stlsAvailable()) {
            session.protocolError("STLS not available on this connection");
            return;
        }
        session.login().startClientTls();
    }
}
