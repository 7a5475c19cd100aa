package org.popbridge.proxy.upstream.imap;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.SaslBearer;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamDiagnosis;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.Mailbox;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.pop3.session.UpstreamAdapter;
import org.popbridge.proxy.upstream.imap.client.ImapFailure;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IMAP server seen by the session as a POP3 server: the AUTHORIZATION state is answered
 * here and the login made over IMAP; after it the session numbers the maildrop from the UID
 * snapshot and asks for messages through the {@link ImapMailbox}. Commands are answered one at
 * a time and in order, so pipelined commands work. Closing it aborts the IMAP connection
 * without STORE, EXPUNGE or LOGOUT: nothing changes there.
 */
public final class ImapUpstream extends UpstreamAdapter implements ImapLink.Listener {

    /** Where the login stands; the connection itself is the adapter's. */
    private enum Stage { AUTHORIZATION, TRANSACTION, UNUSABLE }

    private static final Logger log = LoggerFactory.getLogger(ImapUpstream.class);

    private final UpstreamConnector connector;
    private final ImapOptions options;
    private final ImapLink link;
    private Stage stage = Stage.AUTHORIZATION;
    private ImapAuthorization authorization;
    private ImapMailbox mailbox;

    private ImapUpstream(UpstreamConnector connector, ImapOptions options, Listener listener, String sessionId,
                         InetSocketAddress client) {
        super(listener, sessionId);
        this.connector = connector;
        this.options = options;
        this.link = new ImapLink(connector, this, sessionId, client);
    }

    /** Sessions served from the IMAP mailbox {@code connector} reaches, read as {@code options} say. */
    public static Pop3Upstream.Factory factory(UpstreamConnector connector, ImapOptions options) {
        return Pop3Upstream.Factory.of(connector.endpoint().url(),
                (listener, sessionId, client) -> new ImapUpstream(connector, options, listener, sessionId, client));
    }

    @Override
    protected void open(EventLoop eventLoop) {
        link.connect(eventLoop).whenComplete((capabilities, failure) -> {
            if (failure != null) {
                fail(Failures.of(ImapFailure.UNAVAILABLE), Failures.unwrap(failure));
                return;
            }
            if (closed()) {
                return;
            }
            authorization = new ImapAuthorization(link, options, replies, new ImapAuthorization.Outcome() {
                @Override
                public void opened(MailboxSnapshot snapshot) {
                    stage = Stage.TRANSACTION;
                    mailbox = new ImapMailbox(link, options, snapshot, replies, ImapUpstream.this::answerInTurn,
                            ImapUpstream.this::broken, sessionId);
                    log.debug("[{}] {} opened: {} messages", sessionId, options.folder(), snapshot.messages().size());
                }

                @Override
                public void unusable() {
                    stage = Stage.UNUSABLE;
                }
            }, sessionId);
            log.debug("[{}] IMAP upstream ready, capabilities {}", sessionId, LogText.of(capabilities.names()));
            // No APOP: the greeting has no timestamp of the IMAP server's to offer.
            handshakeDone(null, LocalAuthorization.CAPABILITIES);
        });
    }

    @Override
    public void send(Pop3Command command, PendingCommand pending) {
        answerInTurn(pending, () -> answer(command));
    }

    /** AUTHENTICATE XOAUTH2 or OAUTHBEARER, as the server's AUTH= capabilities and {@code mechanism} choose. */
    @Override
    public void sendBearerLogin(UpstreamLogin.Bearer login, BearerMechanism mechanism, PendingCommand pending) {
        answerInTurn(pending, () -> {
            if (stage != Stage.AUTHORIZATION) {
                replies.err("already logged in");
                return;
            }
            SaslBearer chosen = mechanism.choose(link.capabilities()::hasAuth);
            log.debug("[{}] logging in with an access token, AUTHENTICATE {}", sessionId, chosen.saslName());
            authorization.logInWithToken(chosen, chosen.initialResponse(login.user(), login.accessToken(),
                    connector.endpoint().host(), connector.endpoint().port()));
        });
    }

    private void answer(Pop3Command command) {
        Pop3Verb verb = command.verb().orElse(null);
        log.debug("[{}] answering {}", sessionId, LogText.of(command.keyword()));
        switch (stage) {
            case AUTHORIZATION -> authorization.handle(command);
            case TRANSACTION -> {
                // The session answers the maildrop's commands and asks the mailbox for messages.
                if (verb == Pop3Verb.CAPA) {
                    authorization.capabilities();
                } else {
                    replies.err("command not supported by an IMAP mailbox");
                }
            }
            case UNUSABLE -> {
                if (verb == Pop3Verb.QUIT) {
                    replies.ok("popbridge signing off");
                } else {
                    replies.err("[SYS/TEMP] The mailbox cannot be opened now");
                }
            }
        }
    }

    @Override
    public void sendContinuation(String line) {
        if (stage == Stage.AUTHORIZATION && authorization.awaitingContinuation()) {
            authorization.continuation(line);
        }
    }

    @Override
    public void flush() {
        // The link writes each IMAP command as it goes.
    }

    @Override
    public void pauseReading() {
        link.pauseReading();
    }

    @Override
    public void resumeReading() {
        link.resumeReading();
    }

    @Override
    protected void closeConnection() {
        link.abort();
    }

    @Override
    protected Throwable explained(Throwable cause) {
        return UpstreamDiagnosis.explain(connector.endpoint(), cause);
    }

    @Override
    public String url() {
        return connector.endpoint().url();
    }

    @Override
    public TlsSummary tls() {
        return link.tls();
    }

    /** An IMAP folder has no POP3 numbers of its own: the session always numbers the maildrop. */
    @Override
    public boolean needsMaildrop() {
        return true;
    }

    @Override
    public Mailbox mailbox() {
        if (mailbox == null) {
            throw new IllegalStateException("no mailbox before login");
        }
        return mailbox;
    }

    // ---- ImapLink.Listener

    @Override
    public void readComplete() {
        readsDone();
    }

    @Override
    public void failed(ImapLinkException cause) {
        fail(Failures.of(cause.failure()), cause);
    }

    /** A message stream broke after its +OK: the client must see the cut (invariant 2). */
    private void broken(ImapLinkException cause) {
        fail(Failures.of(ImapFailure.PROTOCOL), cause);
    }
}
