package org.popbridge.proxy.session;

import org.popbridge.proxy.pop3.StatusLine;

/** The reply to PASS, APOP or AUTH: relayed; +OK means the user is logged in. */
final class LoginReply implements ReplyHandler {

    private final SessionContext session;
    private final ReplyHandler relay;

    LoginReply(SessionContext session) {
        this.session = session;
        this.relay = session.relay();
    }

    @Override
    public void onStatus(StatusLine status) {
        if (status.status() == StatusLine.Status.OK) {
            session.endSaslExchange();
            session.authenticated();
        } else if (status.status() == StatusLine.Status.ERR) {
            session.endSaslExchange();
        } else {
            session.awaitSaslResponse();
        }
        relay.onStatus(status);
    }
}
