package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.core.metrics.LoginFailure;
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
        switch (status.status()) {
            case OK -> {
                session.login().endSaslExchange();
                // The session says +OK: with filters on, only once the maildrop is numbered.
                session.login().authenticated(status);
            }
            case ERR -> {
                Runnable reply = () -> {
                    relay.onStatus(status);
                    session.login().endSaslExchange();
                };
                if (status.text().startsWith("[SYS/TEMP]") || status.text().startsWith("[IN-USE]")) {
                    // The server could not log anyone in just now: not a wrong password.
                    session.metrics().loginFailed(LoginFailure.UNAVAILABLE);
                    reply.run();
                } else {
                    session.login().refused(reply);
                }
            }
            case CONTINUATION -> {
                relay.onStatus(status);
                session.login().awaitSaslResponse();
            }
        }
    }
}
