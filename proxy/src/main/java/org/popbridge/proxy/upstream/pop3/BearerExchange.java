package org.popbridge.proxy.upstream.pop3;

import org.popbridge.proxy.core.upstream.SaslBearer;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.session.ReplyHandler;

/**
 * An RFC 5034 AUTH with a bearer token (XOAUTH2 or OAUTHBEARER): the response goes on the
 * command line if the line stays within 255 octets (RFC 2449 section 4), else after the
 * server's empty challenge; a challenge after the response is the server's JSON error, answered
 * as the mechanism says so that the server ends the exchange with its -ERR. Only the outcome
 * reaches the login's handler, never a challenge.
 */
final class BearerExchange implements ReplyHandler {

    /** RFC 2449 section 4: a command line is at most 255 octets, CRLF included. */
    static final int COMMAND_LINE_OCTETS = 255;

    /** Writes a SASL response line; never logged. */
    interface Responder {
        void respond(String line);
    }

    private final SaslBearer mechanism;
    private final String response;
    private final Responder responder;
    private final ReplyHandler outcome;
    private boolean responseSent;

    private BearerExchange(SaslBearer mechanism, String response, boolean inline, Responder responder,
                           ReplyHandler outcome) {
        this.mechanism = mechanism;
        this.response = response;
        this.responseSent = inline;
        this.responder = responder;
        this.outcome = outcome;
    }

    /** The exchange for {@code response} (base64), and the AUTH command that starts it. */
    static BearerExchange start(SaslBearer mechanism, String response, Responder responder, ReplyHandler outcome) {
        return new BearerExchange(mechanism, response, fitsOnCommandLine(mechanism, response), responder, outcome);
    }

    /** "AUTH mechanism [initial-response]". */
    Pop3Command command() {
        return responseSent ? Pop3Command.of(Pop3Verb.AUTH, mechanism.saslName(), response)
                : Pop3Command.of(Pop3Verb.AUTH, mechanism.saslName());
    }

    static boolean fitsOnCommandLine(SaslBearer mechanism, String response) {
        return "AUTH ".length() + mechanism.saslName().length() + 1 + response.length() + 2 <= COMMAND_LINE_OCTETS;
    }

    @Override
    public void onStatus(StatusLine status) {
        if (status.status() != StatusLine.Status.CONTINUATION) {
            outcome.onStatus(status);
            return;
        }
        if (responseSent) {
            // The server's error, as base64 JSON: answered so that it ends the exchange with -ERR.
            responder.respond(mechanism.errorAnswer());
        } else {
            responseSent = true;
            responder.respond(response);
        }
    }
}
