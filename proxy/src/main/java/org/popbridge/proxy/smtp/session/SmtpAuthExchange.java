package org.popbridge.proxy.smtp.session;

import java.util.Locale;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * An AUTH exchange answered by popbridge (RFC 4954) for PLAIN (RFC 4616) and LOGIN, with or
 * without an initial response: it asks with 334 until it has a user name and a password.
 * The responses it reads are secrets: nothing here logs them.
 */
final class SmtpAuthExchange {

    /** What the session does next. */
    sealed interface Step permits Ask, Refuse, LogIn {
    }

    /** Send this 334 and read the next client line as a response. */
    record Ask(SmtpReply challenge) implements Step {
    }

    /** The exchange is over without credentials. */
    record Refuse(SmtpReply reply) implements Step {
    }

    /** The credentials are complete: log in upstream. */
    record LogIn(Credentials credentials) implements Step {
    }

    private enum Awaiting { NOTHING, PLAIN, LOGIN_USER, LOGIN_PASSWORD }

    private static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    private static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    private Awaiting awaiting = Awaiting.NOTHING;
    private String user;

    /** Whether the next client line is a response of this exchange, not a command. */
    boolean inProgress() {
        return awaiting != Awaiting.NOTHING;
    }

    /** AUTH mechanism [initial-response]. */
    Step start(String argument) {
        String[] words = argument.strip().split(" +");
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (mechanism.isEmpty() || words.length > 2) {
            return new Refuse(SmtpReply.of(501, "5.5.4 Syntax: AUTH mechanism [initial-response]"));
        }
        String initial = words.length == 2 ? words[1] : null;
        return switch (mechanism) {
            case "PLAIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.PLAIN;
                    yield new Ask(SmtpReply.of(334, ""));
                }
                yield plain(initial);
            }
            case "LOGIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.LOGIN_USER;
                    yield new Ask(SmtpReply.of(334, USERNAME_PROMPT));
                }
                yield loginUser(initial);
            }
            default -> new Refuse(SmtpReply.of(504, "5.5.4 Unrecognized authentication type"));
        };
    }

    /** A client line while the exchange is in progress. */
    Step respond(String line) {
        Awaiting step = awaiting;
        awaiting = Awaiting.NOTHING;
        if (line.equals("*")) {
            // RFC 4954 section 4: the client cancels.
            return new Refuse(SmtpReply.of(501, "5.7.0 Authentication cancelled"));
        }
        return switch (step) {
            case PLAIN -> plain(line);
            case LOGIN_USER -> loginUser(line);
            case LOGIN_PASSWORD -> Credentials.decode(line)
                    .<Step>map(password -> new LogIn(Credentials.of(user, password)))
                    .orElseGet(SmtpAuthExchange::invalid);
            case NOTHING -> new Refuse(SmtpReply.of(503, "5.5.1 No authentication in progress"));
        };
    }

    private Step plain(String response) {
        return Credentials.plain(response).<Step>map(LogIn::new).orElseGet(SmtpAuthExchange::invalid);
    }

    private Step loginUser(String response) {
        return Credentials.decode(response).filter(name -> !name.isEmpty()).<Step>map(name -> {
            user = name;
            awaiting = Awaiting.LOGIN_PASSWORD;
            return new Ask(SmtpReply.of(334, PASSWORD_PROMPT));
        }).orElseGet(SmtpAuthExchange::invalid);
    }

    private static Step invalid() {
        return new Refuse(SmtpReply.of(501, "5.5.2 Cannot decode the authentication response"));
    }
}
