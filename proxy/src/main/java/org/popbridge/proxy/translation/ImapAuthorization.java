package org.popbridge.proxy.translation;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.popbridge.proxy.imap.ImapLink;
import org.popbridge.proxy.imap.ImapOptions;
import org.popbridge.proxy.imap.LoginResult;
import org.popbridge.proxy.imap.MailboxSnapshot;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.session.Credentials;
import org.popbridge.proxy.session.ReplyOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POP3 AUTHORIZATION state (RFC 1939 section 4) over IMAP: USER and PASS, AUTH PLAIN and
 * AUTH LOGIN (RFC 5034) become LOGIN or AUTHENTICATE PLAIN; once the server accepts them the
 * folder is selected and its messages are numbered by UID before the client gets +OK.
 */
final class ImapAuthorization {

    /** What the authorization tells its upstream. */
    interface Outcome {
        /** Logged in and the maildrop is numbered: the session enters TRANSACTION. */
        void opened(MailboxSnapshot snapshot);

        /** Logged in, but the folder cannot be read: no further login can help on this connection. */
        void unusable();
    }

    /** Which line of an AUTH exchange comes next from the client. */
    private enum Awaiting { NOTHING, PLAIN_RESPONSE, LOGIN_USER, LOGIN_PASSWORD }

    private static final Logger log = LoggerFactory.getLogger(ImapAuthorization.class);
    private static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    private static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    private final ImapLink link;
    private final ImapOptions options;
    private final ReplyOutbox outbox;
    private final Outcome outcome;
    private final String sessionId;
    /** The name given by USER, or by AUTH LOGIN's first response. */
    private String user;
    private Awaiting awaiting = Awaiting.NOTHING;

    ImapAuthorization(ImapLink link, ImapOptions options, ReplyOutbox outbox, Outcome outcome, String sessionId) {
        this.link = link;
        this.options = options;
        this.outbox = outbox;
        this.outcome = outcome;
        this.sessionId = sessionId;
    }

    void handle(Pop3Command command) {
        List<String> arguments = command.arguments();
        switch (command.keyword()) {
            case "USER" -> {
                user = arguments.get(0);
                outbox.ok("send PASS");
            }
            case "PASS" -> pass(command.argument());
            case "AUTH" -> auth(arguments);
            case "APOP" -> outbox.err("[AUTH] APOP is not available: use USER and PASS, or AUTH PLAIN");
            case "CAPA" -> outbox.multiline("Capability list follows", TranslatedCapabilities.ADVERTISED.lines());
            case "QUIT" -> outbox.ok("popbridge signing off");
            default -> outbox.err("not valid before login");
        }
    }

    private void pass(String password) {
        if (user == null) {
            outbox.err("USER first");
            return;
        }
        String name = user;
        // RFC 1939 section 7: after a failed PASS the client starts again with USER.
        user = null;
        logIn(link.login(name, password));
    }

    private void auth(List<String> arguments) {
        String mechanism = arguments.get(0).toUpperCase(Locale.ROOT);
        String initial = arguments.size() > 1 ? arguments.get(1) : null;
        switch (mechanism) {
            case "PLAIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.PLAIN_RESPONSE;
                    outbox.continuation("");
                } else {
                    plain(initial);
                }
            }
            case "LOGIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.LOGIN_USER;
                    outbox.continuation(USERNAME_PROMPT);
                } else {
                    loginUser(initial);
                }
            }
            default -> outbox.err("Unsupported authentication mechanism " + mechanism);
        }
    }

    /** A client line during AUTH: the next SASL response. */
    void continuation(String line) {
        Awaiting step = awaiting;
        awaiting = Awaiting.NOTHING;
        if (line.equals("*")) {
            // RFC 5034 section 4: the client cancels the exchange.
            outbox.err("AUTH cancelled");
            return;
        }
        switch (step) {
            case PLAIN_RESPONSE -> plain(line);
            case LOGIN_USER -> loginUser(line);
            case LOGIN_PASSWORD -> {
                String name = user;
                user = null;
                Credentials.decode(line).ifPresentOrElse(password -> logIn(link.login(name, password)),
                        () -> outbox.err("[AUTH] invalid SASL response"));
            }
            case NOTHING -> outbox.err("no AUTH exchange in progress");
        }
    }

    boolean awaitingContinuation() {
        return awaiting != Awaiting.NOTHING;
    }

    private void plain(String response) {
        Credentials.plain(response).ifPresentOrElse(credentials -> {
            boolean serverPlain = link.capabilities().hasAuth("PLAIN");
            if (!credentials.authzid().isEmpty() || serverPlain) {
                // LOGIN has no authorization identity; AUTHENTICATE PLAIN carries it as given.
                logIn(link.authenticatePlain(credentials.authzid(), credentials.user(), credentials.password()));
            } else {
                logIn(link.login(credentials.user(), credentials.password()));
            }
        }, () -> outbox.err("[AUTH] invalid SASL PLAIN response"));
    }

    private void loginUser(String response) {
        Credentials.decode(response).filter(name -> !name.isEmpty()).ifPresentOrElse(name -> {
            user = name;
            awaiting = Awaiting.LOGIN_PASSWORD;
            outbox.continuation(PASSWORD_PROMPT);
        }, () -> outbox.err("[AUTH] invalid SASL response"));
    }

    private void logIn(CompletableFuture<LoginResult> login) {
        login.whenComplete((result, failure) -> {
            if (failure != null) {
                commandFailed("login", failure);
                return;
            }
            switch (result.outcome()) {
                case OK -> open();
                case REJECTED -> outbox.err("[AUTH] Authentication failed");
                case UNAVAILABLE -> outbox.err("[SYS/TEMP] The mail server cannot check the login now");
                case FAILED -> {
                    log.warn("[{}] IMAP login impossible: {}", sessionId, result.serverText());
                    outbox.err("[SYS/PERM] The mail server does not accept this kind of login");
                }
            }
        });
    }

    /** SELECT and the UID snapshot: the client's maildrop, numbered before its +OK. */
    private void open() {
        link.select(options.folder())
                .thenCompose(selected -> link.snapshot())
                .whenComplete((snapshot, failure) -> {
                    if (failure != null) {
                        if (commandFailed("SELECT " + options.folder(), failure)) {
                            outcome.unusable();
                        }
                        return;
                    }
                    outcome.opened(snapshot);
                    outbox.ok("Logged in, " + snapshot.messages().size() + " messages");
                });
    }

    /**
     * A command refused or answered strangely: -ERR, and true. A broken link reports itself to
     * the upstream, which ends the session: nothing to answer then, and false.
     */
    private boolean commandFailed(String what, Throwable failure) {
        if (!link.isOpen()) {
            return false;
        }
        log.warn("[{}] IMAP {} failed: {}", sessionId, what, Failures.describe(failure));
        outbox.err("[SYS/TEMP] The mailbox cannot be opened now");
        return true;
    }
}
