package org.popbridge.proxy.smtp.session;

import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.core.session.SessionMask;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * The login role of an SMTP session: whether AUTH may be used on the connection now (over TLS,
 * or in clear where the listener allows it), the exchange that collects the credentials
 * (RFC 4954) with the longer line limit its responses need, and who the user is, for logs.
 * What a complete login does is the session's, told through {@link Steps}.
 */
final class SmtpLogin {

    /** What the login asks of its session. */
    interface Steps {
        /** A 334 challenge: the next client line is a response. */
        void challenge(SmtpReply reply);

        /** The exchange ended without credentials; counts as an error. */
        void refused(SmtpReply reply);

        /** The longest client line accepted from now on. */
        void lineLimit(int octets);

        /** The credentials are complete: log in upstream. */
        void logIn(Credentials credentials);
    }

    private final SmtpAuthExchange exchange = new SmtpAuthExchange();
    /** How client lines are shown: it must hear of every command and every challenge. */
    private final SessionMask lines = new SessionMask(SmtpCommand.MASK);
    private final ListenerSettings listener;
    private final int commandLineOctets;
    private final Steps steps;
    private boolean tls;
    private String user;

    SmtpLogin(ListenerSettings listener, int commandLineOctets, Steps steps) {
        this.listener = listener;
        this.commandLineOctets = commandLineOctets;
        this.steps = steps;
    }

    /** The connection is encrypted now (implicit TLS, or after STARTTLS). */
    void tlsEstablished() {
        tls = true;
    }

    boolean tls() {
        return tls;
    }

    /** Whether AUTH may be used now: over TLS, or in clear where the listener allows it. */
    boolean allowed() {
        return tls || listener.plaintextAuthInClear();
    }

    /** Whether the next client line is a response of an AUTH exchange, not a command. */
    boolean inProgress() {
        return exchange.inProgress();
    }

    /** AUTH mechanism [initial-response], in a phase where AUTH is allowed. */
    void start(String argument) {
        step(exchange.start(argument));
    }

    /** A client line during the exchange. */
    void respond(String line) {
        step(exchange.respond(line));
    }

    private void step(SmtpAuthExchange.Step step) {
        if (step instanceof SmtpAuthExchange.Ask ask) {
            lines.challenged();
            steps.lineLimit(listener.limits().saslLineOctets());
            steps.challenge(ask.challenge());
            return;
        }
        steps.lineLimit(commandLineOctets);
        if (step instanceof SmtpAuthExchange.Refuse refuse) {
            steps.refused(refuse.reply());
        } else if (step instanceof SmtpAuthExchange.LogIn login) {
            user = login.credentials().user();
            SessionLog.user(user);
            steps.logIn(login.credentials());
        }
    }

    /** The user name of the latest login tried, or null before one. */
    String user() {
        return user;
    }

    /** The user name for logs, escaped: "-" before a login was tried. */
    LogText userForLog() {
        return LogText.of(user == null ? "-" : user);
    }

    /**
     * A command about to be handled, as logs and session filters may see it: secrets masked, and
     * the whole line if it may be the SASL response to an AUTH just refused (538, 503, 504).
     */
    MaskedLine shown(SmtpCommand command) {
        return lines.command(command.line());
    }
}
