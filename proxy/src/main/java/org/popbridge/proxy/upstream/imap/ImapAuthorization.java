package org.popbridge.proxy.upstream.imap;

import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.SaslBearer;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.ReplyQueue;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.LoginResult;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
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

    private static final Logger log = LoggerFactory.getLogger(ImapAuthorization.class);

    private final ImapLink link;
    private final ImapOptions options;
    private final ReplyQueue replies;
    private final Outcome outcome;
    private final String sessionId;
    private final LocalAuthorization credentials;

    ImapAuthorization(ImapLink link, ImapOptions options, ReplyQueue replies, Outcome outcome, String sessionId) {
        this.link = link;
        this.options = options;
        this.replies = replies;
        this.outcome = outcome;
        this.sessionId = sessionId;
        this.credentials = new LocalAuthorization(replies, ByteBufAllocator.DEFAULT, this::logIn);
    }

    void handle(Pop3Command command) {
        credentials.handle(command);
    }

    /** CAPA, in any state: what a client can do through an IMAP upstream. */
    void capabilities() {
        credentials.capabilities();
    }

    /** A client line during AUTH: the next SASL response. */
    void continuation(String line) {
        credentials.continuation(line);
    }

    boolean awaitingContinuation() {
        return credentials.awaitingContinuation();
    }

    /**
     * LOGIN, unless the client gave an authorization identity (which only AUTHENTICATE PLAIN
     * carries) or the server offers AUTHENTICATE PLAIN, which is then used as the client did.
     */
    private void logIn(Credentials given) {
        if (!given.authzid().isEmpty() || given.viaSaslPlain() && link.capabilities().hasAuth("PLAIN")) {
            logIn(link.authenticatePlain(given.authzidOctets(), given.userOctets(), given.passwordOctets()));
        } else {
            logIn(link.login(given.userOctets(), given.passwordOctets()));
        }
    }

    /** AUTHENTICATE with a bearer token (XOAUTH2 or OAUTHBEARER): a refused token is a refused login. */
    void logInWithToken(SaslBearer mechanism, String response) {
        logIn(link.authenticate(mechanism.saslName(), response, mechanism.errorAnswer()));
    }

    private void logIn(CompletableFuture<LoginResult> login) {
        login.whenComplete((result, failure) -> {
            if (failure != null) {
                commandFailed("login", failure);
                return;
            }
            switch (result.outcome()) {
                case OK -> open();
                case REJECTED -> replies.err("[AUTH] Authentication failed");
                case UNAVAILABLE -> replies.err("[SYS/TEMP] The mail server cannot check the login now");
                case FAILED -> {
                    log.warn("[{}] IMAP login impossible: {}", sessionId, LogText.of(result.serverText()));
                    replies.err("[SYS/PERM] The mail server does not accept this kind of login");
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
                    replies.ok("Logged in, " + snapshot.messages().size() + " messages");
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
        log.warn("[{}] IMAP {} failed: {}", sessionId, LogText.of(what), LogText.of(Failures.describe(failure)));
        replies.err("[SYS/TEMP] The mailbox cannot be opened now");
        return true;
    }
}
