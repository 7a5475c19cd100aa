package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/**
 * APOP name digest (RFC 1939 section 7): relayed. It works end to end because the greeting
 * carries the upstream's timestamp; the digest never reveals the password, so it is allowed in clear
 * unless the listener requires TLS for every login ({@code require-tls}).
 */
final class ApopHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (!session.login().apopAllowed()) {
            session.protocolError(PlaintextRefusal.ANY_LOGIN);
            return;
        }
        session.login().identified(command.arguments().get(0));
        session.forward(command, new LoginReply(session));
    }
}
