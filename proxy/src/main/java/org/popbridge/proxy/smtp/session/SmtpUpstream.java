package org.popbridge.proxy.smtp.session;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * The submission server a session relays to, once the client has logged in: it connects,
 * says EHLO, starts TLS as its URL says, logs in with the client's credentials, then takes
 * commands and message data. Each command gets exactly one reply, in order. Called only on
 * the session's event loop.
 */
public interface SmtpUpstream {

    /** Opens the upstream of a session whose user is known. */
    interface Factory {
        /** @param client where the session's client is, for XCLIENT or a PROXY header where configured */
        SmtpUpstream open(Listener listener, String sessionId, InetSocketAddress client);

        /** The submission server as the logs name it. */
        String describe();
    }

    /** What the upstream tells its session. */
    interface Listener {
        /** The login's outcome (235, or the server's refusal), with what the server can do. */
        void loggedIn(SmtpReply reply, ServerExtensions extensions);

        /** The server took an access token for the user: a bearer login (auth: oauth2) succeeded, before {@link #loggedIn}. */
        default void bearerLoggedIn() {
        }

        /** No access token could be had for the user's login (auth: oauth2), before {@link #loggedIn} refuses it. */
        default void upstreamAuthFailed(UpstreamAuthFailure failure) {
        }

        /** The reply to the oldest command sent and not yet answered. */
        void replied(SmtpReply reply);

        /** The upstream can take more message data again (backpressure). */
        void writable();

        /** The upstream is gone or broke the protocol; nothing more comes from it. */
        void failed(String why, Throwable cause);
    }

    /** Connects and logs in as {@code credentials}; the outcome goes to {@link Listener#loggedIn}. */
    void logIn(EventLoop loop, Credentials credentials);

    /** Sends a command; its reply goes to {@link Listener#replied}. */
    void send(SmtpCommand command);

    /**
     * Message octets after the server's 354: a {@link MessageChunk} unstuffed, which the upstream
     * stuffs again, or one {@link MessageChunk#asSent as sent}, sent as it is; a message comes in one form.
     */
    void sendMessage(MessageChunk chunk);

    /** The end of the message; the server's reply to it goes to {@link Listener#replied}. */
    void endMessage();

    /** Whether more message data can be written without buffering (write-buffer watermarks). */
    boolean isWritable();

    /** Closes at once: a message not yet ended is not delivered (the server saw no "."). */
    void close();

    String url();

    /** The TLS the connection got; none for a plain upstream or before it is up. */
    TlsSummary tls();
}
