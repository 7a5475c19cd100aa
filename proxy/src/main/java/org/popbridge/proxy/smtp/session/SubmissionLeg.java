package org.popbridge.proxy.smtp.session;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * A session's side of its submission server: opened at AUTH, one command in flight at a time,
 * and each reply handed to whoever sent the command. The session hears the login's outcome,
 * the loss of the server, and each step forward (a reply, room to write).
 */
final class SubmissionLeg implements SmtpUpstream.Listener {

    /** What the session hears. */
    interface Events {
        /** The login's outcome, with what the server can do. */
        void loggedIn(SmtpReply reply, ServerExtensions extensions);

        /** The server took an access token for the user (auth: oauth2). */
        void bearerLoggedIn();

        /** No access token could be had for the user's login (auth: oauth2). */
        void upstreamAuthFailed(UpstreamAuthFailure failure);

        /** The server is gone or broke the protocol; the leg is closed. */
        void lost(String why, Throwable cause);

        /** A reply was handled or the server can take more: queued client input may go on. */
        void progressed();
    }

    private final SmtpUpstream.Factory servers;
    private final Events session;
    private SmtpUpstream upstream;
    /** The server of the upstream that failed, for the metrics of the failure reported after it is gone. */
    private String failedUrl;
    /** What to do with the reply to the command in flight; null when none is. */
    private Consumer<SmtpReply> awaiting;

    SubmissionLeg(SmtpUpstream.Factory servers, Events session) {
        this.servers = servers;
        this.session = session;
    }

    /** Connects to the user's server and logs in there as {@code credentials}. */
    void logIn(String sessionId, InetSocketAddress client, EventLoop loop, Credentials credentials) {
        upstream = servers.open(this, sessionId, client);
        upstream.logIn(loop, credentials);
    }

    /** Whether a command's reply is awaited: the next one waits till it comes. */
    boolean busy() {
        return awaiting != null;
    }

    /** Sends a command; its reply goes to {@code onReply}. */
    void relay(SmtpCommand command, Consumer<SmtpReply> onReply) {
        awaiting = onReply;
        upstream.send(command);
    }

    /** Message octets after the server's 354. */
    void sendMessage(MessageChunk chunk) {
        upstream.sendMessage(chunk);
    }

    /** Sends the "."; the server's reply goes to {@code onReply}. */
    void endMessage(Consumer<SmtpReply> onReply) {
        awaiting = onReply;
        upstream.endMessage();
    }

    /** Whether more message data can be written now; a closed leg takes nothing more. */
    boolean isWritable() {
        return upstream != null && upstream.isWritable();
    }

    /** Closes at once: a message not yet ended is not delivered (the server saw no "."). */
    void close() {
        awaiting = null;
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    /** The server's URL, or null before AUTH. */
    String url() {
        return upstream == null ? failedUrl : upstream.url();
    }

    TlsSummary tls() {
        return upstream == null ? TlsSummary.NONE : upstream.tls();
    }

    // ---- SmtpUpstream.Listener

    @Override
    public void loggedIn(SmtpReply reply, ServerExtensions extensions) {
        session.loggedIn(reply, extensions);
    }

    @Override
    public void bearerLoggedIn() {
        session.bearerLoggedIn();
    }

    @Override
    public void upstreamAuthFailed(UpstreamAuthFailure failure) {
        session.upstreamAuthFailed(failure);
    }

    @Override
    public void replied(SmtpReply reply) {
        Consumer<SmtpReply> onReply = awaiting;
        awaiting = null;
        if (onReply != null) {
            onReply.accept(reply);
        }
        session.progressed();
    }

    @Override
    public void writable() {
        session.progressed();
    }

    @Override
    public void failed(String why, Throwable cause) {
        failedUrl = upstream == null ? null : upstream.url();
        awaiting = null;
        upstream = null;
        session.lost(why, cause);
    }
}
