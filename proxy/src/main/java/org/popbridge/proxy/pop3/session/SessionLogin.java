package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.core.session.SessionMask;
import org.popbridge.proxy.pop3.ClientInput;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * The login role of one session: who the user is, whether a login may be sent on this
 * connection now (TLS), and the SASL exchange in progress (RFC 5034), whose client lines are
 * responses, not commands. What follows a login is the session's; it is told through {@link Steps}.
 */
final class SessionLogin implements LoginContext {

    /** What the login asks of its session. */
    interface Steps {
        Pop3State state();

        /** Discards what the client sent after STLS and starts the handshake. */
        void startStls();

        /** Handles the client lines waiting, as far as order allows. */
        void drain();

        /** The upstream accepted the login: TRANSACTION, then +OK once the maildrop is ready. */
        void loggedIn(StatusLine ok);

        /** A login was refused: {@code reply} says so to the client, after the failure delay. */
        void loginRefused(Runnable reply);
    }

    private final ClientConnection client;
    private final Steps steps;
    private final SaslExchange sasl;
    /** How client lines are shown: it must hear of every command and every challenge. */
    private final SessionMask lines = new SessionMask(Pop3Command.MASK);
    private String user;
    /** USER was accepted and PASS not yet answered. */
    private boolean passExpected;

    SessionLogin(ClientConnection client, SessionLimits limits, Steps steps) {
        this.client = client;
        this.steps = steps;
        this.sasl = new SaslExchange(limits, client::lineLimit);
    }

    /** The user name as the client gave it, or null before any. */
    String user() {
        return user;
    }

    /** The user name for logs, escaped: "-" before any. */
    LogText userForLog() {
        return LogText.of(user == null ? "-" : user);
    }

    /**
     * A command about to be handled, as logs and session filters may see it: secrets masked, and
     * the whole line if it may be the SASL response to an AUTH just refused.
     */
    MaskedLine shown(Pop3Command command) {
        return lines.command(command.line());
    }

    /** Whether an AUTH exchange is going on: its lines are not commands, nor pipelined. */
    boolean saslInProgress() {
        return sasl.inProgress();
    }

    /** Whether the next client line is the SASL response the upstream waits for. */
    boolean expectsSaslResponse() {
        return sasl.expectsResponse();
    }

    /** The client's SASL response as it goes upstream; the user's name is noted if it shows. */
    String saslResponse(ClientInput input) {
        return sasl.respond(input, this::identified);
    }

    @Override
    public boolean plaintextAuthAllowed() {
        return client.plaintextAuthAllowed();
    }

    @Override
    public boolean apopAllowed() {
        return client.apopAllowed();
    }

    @Override
    public boolean stlsAvailable() {
        return client.stlsPossible() && steps.state() == Pop3State.AUTHORIZATION;
    }

    @Override
    public void startClientTls() {
        steps.startStls();
    }

    @Override
    public void awaitSaslResponse() {
        lines.challenged();
        sasl.responseExpected();
        // The response may already be waiting (a client that did not wait for the "+ ").
        steps.drain();
    }

    @Override
    public void watchSasl(SaslIdentity identity) {
        sasl.watch(identity);
    }

    @Override
    public void endSaslExchange() {
        sasl.end();
    }

    @Override
    public void identified(String name) {
        user = name;
        SessionLog.user(name);
    }

    @Override
    public void authenticated(StatusLine ok) {
        passExpected = false;
        steps.loggedIn(ok);
    }

    @Override
    public void userAccepted(String name) {
        user = name;
        SessionLog.user(name);
        passExpected = true;
    }

    @Override
    public boolean passExpected() {
        return passExpected;
    }

    @Override
    public void refused(Runnable reply) {
        passExpected = false;
        steps.loginRefused(reply);
    }
}
