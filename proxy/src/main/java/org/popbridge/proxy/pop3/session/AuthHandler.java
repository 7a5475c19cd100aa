package org.popbridge.proxy.pop3.session;

import java.util.List;
import java.util.Locale;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * AUTH mechanism [initial-response] (RFC 5034): PLAIN and LOGIN are relayed upstream,
 * continuation lines included. A bare AUTH lists the mechanisms, as older clients expect.
 */
final class AuthHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (!session.login().plaintextAuthAllowed()) {
            PlaintextRefusal.refuseLogin(session);
            return;
        }
        List<String> mechanisms = session.upstreamCapabilities().relayableSaslMechanisms();
        List<String> arguments = command.arguments();
        if (arguments.isEmpty()) {
            session.replyMultiline(StatusLine.ok("SASL mechanisms follow"), mechanisms);
            return;
        }
        if (arguments.size() > 2) {
            session.protocolError("Syntax: AUTH mechanism [initial-response]");
            return;
        }
        String mechanism = arguments.get(0).toUpperCase(Locale.ROOT);
        if (!mechanisms.contains(mechanism)) {
            session.protocolError("Unsupported authentication mechanism " + mechanism);
            return;
        }
        SaslIdentity identity = new SaslIdentity(mechanism);
        if (arguments.size() == 2 && !arguments.get(1).equals("=")) {
            identity.observe(arguments.get(1)).ifPresent(session.login()::identified);
        }
        session.login().watchSasl(identity);
        session.forward(command, new LoginReply(session));
    }
}
