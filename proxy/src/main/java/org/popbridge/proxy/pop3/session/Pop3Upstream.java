package org.popbridge.proxy.pop3.session;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.pop3.Pop3Command;

/**
 * The POP3 server a session talks to, as the session sees it: typed commands go in and their
 * replies come back, in order, to each command's handler. A POP3 upstream relays them; an IMAP
 * upstream answers them itself and serves the messages through its {@link Mailbox}; a router
 * answers the login, then hands over to the upstream of the user's route. Most of this is
 * {@link UpstreamAdapter}'s; called only on the session's event loop.
 */
public interface Pop3Upstream {

    /** Opens the upstream of each new session. */
    interface Factory {
        /** @param client where the session's client is (behind a trusted proxy, what its PROXY header said) */
        Pop3Upstream open(Listener listener, String sessionId, InetSocketAddress client);

        /** The upstream as the logs name it when a session starts: its URL, or the routes it chooses from. */
        String describe();

        /** A factory described as {@code description} that opens upstreams with {@code opener}. */
        static Factory of(String description, Opener opener) {
            return new Factory() {
                @Override
                public Pop3Upstream open(Listener listener, String sessionId, InetSocketAddress client) {
                    return opener.open(listener, sessionId, client);
                }

                @Override
                public String describe() {
                    return description;
                }
            };
        }
    }

    /** Opens one session's upstream, as {@link Factory#open} does. */
    @FunctionalInterface
    interface Opener {
        Pop3Upstream open(Listener listener, String sessionId, InetSocketAddress client);
    }

    /** What the upstream tells its session. */
    interface Listener {
        /** The upstream can take commands; the client may be greeted. */
        void upstreamReady(String apopTimestamp, UpstreamCapabilities capabilities);

        /** After login the server answering may be another, which can do other things (routes by user). */
        default void upstreamCapabilitiesChanged(UpstreamCapabilities capabilities) {
        }

        /** The server took an access token for the user: a bearer login (auth: oauth2) succeeded. */
        default void bearerLoggedIn() {
        }

        /** No access token could be had for the user's login (auth: oauth2); the client is refused as {@code failure} says. */
        default void upstreamAuthFailed(UpstreamAuthFailure failure) {
        }

        /** The head command has been answered completely. */
        void replyFinished();

        /** A burst of reads is over: time to flush what was written to the client. */
        void upstreamReadComplete();

        /** The upstream is gone; {@code midReply} if a reply had started but not ended. */
        void upstreamFailed(UpstreamFailure failure, boolean midReply, Throwable cause);
    }

    void connect(EventLoop loop);

    /** Whether the opening handshake is over and commands may be sent. */
    boolean ready();

    /** Whether a command sent is not yet answered completely. */
    boolean awaitingReplies();

    /** Whether a command that may change the session state is not yet answered. */
    boolean barrierPending();

    /** Queues a command; its reply goes to {@code pending}'s handler. Flushed by {@link #flush()}. */
    void send(Pop3Command command, PendingCommand pending);

    /**
     * Logs in with an access token, in the protocol's SASL (POP3 AUTH, IMAP AUTHENTICATE) with
     * XOAUTH2 or OAUTHBEARER as {@code mechanism} chooses from what the server offers. Only the
     * outcome reaches {@code pending}'s handler: +OK, or -ERR (a refused token, after its error
     * challenge was answered). Flushed by {@link #flush()}.
     */
    void sendBearerLogin(UpstreamLogin.Bearer login, BearerMechanism mechanism, PendingCommand pending);

    /** Sends a line that belongs to the command at the head (an RFC 5034 SASL response). */
    void sendContinuation(String line);

    void flush();

    /** Stops reading replies while the client cannot take more (backpressure). */
    void pauseReading();

    void resumeReading();

    /**
     * Holds back reply pieces, and stops reading, until {@link #resumeReplies()}: while a filter
     * decides on a message, nothing after it may reach the client.
     */
    void suspendReplies();

    /** Hands on the pieces held back; returns whether reading may resume (no new suspension). */
    boolean resumeReplies();

    /** Closes without QUIT or its IMAP equivalent: the maildrop is left unchanged (invariant 1). */
    void close();

    /** The URL of the server answering, for logs and the verdict cache; with routes by user, known after login. */
    String url();

    /** The TLS the upstream connection got, once ready; none for a plain upstream. */
    TlsSummary tls();

    /**
     * Whether the session must number the maildrop itself even without filters: the upstream
     * serves messages only through its {@link #mailbox()} (IMAP). Asked after login.
     */
    boolean needsMaildrop();

    /** The upstream's messages by identity, for a session that numbers the maildrop; asked after login. */
    Mailbox mailbox();
}
