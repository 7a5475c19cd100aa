package org.popbridge.proxy.pop3.session;

import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.pop3.ClientInput;
import org.popbridge.proxy.pop3.Pop3Command;

/**
 * Where the client stands in a relayed SASL exchange (RFC 5034): sending commands, owing the
 * upstream a response line, or waiting for the upstream's next word. While an exchange lasts,
 * client lines are not commands, nothing is pipelined, and a line may be as long as a SASL
 * response.
 */
final class SaslExchange {

    private enum Phase {
        /** No exchange: client lines are commands. */
        NONE,
        /** The upstream sent "+ ": the next client line is a response. */
        RESPONSE_EXPECTED,
        /** The response went upstream: a challenge, +OK or -ERR comes next. */
        UPSTREAM_TURN
    }

    private final SessionLimits limits;
    private final IntConsumer lineLimit;
    private Phase phase = Phase.NONE;
    private SaslIdentity identity;

    /**
     * @param lineLimit sets the longest client line accepted from now on
     */
    SaslExchange(SessionLimits limits, IntConsumer lineLimit) {
        this.limits = limits;
        this.lineLimit = lineLimit;
    }

    /** Client responses in the coming exchange go past this, so the log can name the user. */
    void watch(SaslIdentity identity) {
        this.identity = identity;
    }

    /** The upstream asked for a response: the next client line is one. */
    void responseExpected() {
        phase = Phase.RESPONSE_EXPECTED;
        lineLimit.accept(limits.saslLineOctets());
    }

    /** The exchange is over: client lines are commands again. */
    void end() {
        identity = null;
        phase = Phase.NONE;
        lineLimit.accept(limits.commandLineOctets());
    }

    boolean inProgress() {
        return phase != Phase.NONE;
    }

    boolean expectsResponse() {
        return phase == Phase.RESPONSE_EXPECTED;
    }

    /**
     * Takes the client's response and returns the line that goes upstream. Never logged: a SASL
     * response carries the credentials. An overlong one, or one with control characters, cancels
     * the exchange (RFC 5034 "*"); the upstream's -ERR reaches the client.
     */
    String respond(ClientInput input, Consumer<String> identified) {
        phase = Phase.UPSTREAM_TURN;
        if (input instanceof Pop3Command response && !CommandCheck.hasControlCharacters(response)) {
            if (identity != null) {
                identity.observe(response.line()).ifPresent(identified);
            }
            return response.line();
        }
        return "*";
    }
}
