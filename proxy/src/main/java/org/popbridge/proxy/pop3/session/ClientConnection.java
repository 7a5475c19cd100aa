package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.tls.ListenerTls;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3CommandDecoder;
import org.popbridge.proxy.pop3.StatusLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's end of a session as the session uses it: replies written, reading paused and
 * resumed, the command decoder's line limit, TLS from the first byte or after STLS (RFC 2595
 * section 4), and closing. While an implicit handshake runs nothing may be written, so a line
 * meant for the client then is held until it completes (see {@link ClientTlsState}).
 */
final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final ChannelHandlerContext ctx;
    private final ListenerSettings listener;
    private final String sessionId;
    private final ClientTlsState tls;

    ClientConnection(ChannelHandlerContext ctx, ListenerSettings listener, String sessionId) {
        this.ctx = ctx;
        this.listener = listener;
        this.sessionId = sessionId;
        this.tls = new ClientTlsState(listener.implicitTls());
    }

    void write(StatusLine status) {
        ctx.write(status);
    }

    void writeAndFlush(StatusLine status) {
        ctx.writeAndFlush(status);
    }

    /** A multi-line reply the proxy makes itself: the lines are written as they are, then the ".". */
    void writeMultiline(StatusLine status, List<String> lines) {
        ctx.write(status);
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(line).append("\r\n");
        }
        if (body.length() > 0) {
            ByteBuf content = ctx.alloc().buffer(body.length());
            content.writeCharSequence(body, StandardCharsets.ISO_8859_1);
            ctx.write(new ContentChunk(content));
        }
        ctx.write(EndOfMultiline.INSTANCE);
    }

    /**
     * Writes and flushes the line now, or holds it while the implicit handshake runs.
     *
     * @return whether it was written
     */
    boolean writeOrHold(StatusLine line) {
        if (tls.holdingWrites()) {
            tls.hold(line);
            return false;
        }
        ctx.writeAndFlush(line);
        return true;
    }

    void flush() {
        ctx.flush();
    }

    boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /** Reads on if the session wants more and TLS allows: between reading STLS and its handshake, nothing is read. */
    void readMore(boolean wanted) {
        // During the STLS handshake the bytes go to the TLS handler, which must be able to read them.
        ctx.channel().config().setAutoRead(wanted && tls.readable());
    }

    /** The longest line the command decoder accepts from now on (SASL responses may be longer than commands). */
    void lineLimit(int octets) {
        decoder().ifPresent(decoder -> decoder.lineLimit(octets));
    }

    /** A handler that passes an upstream reply to this client as it comes. */
    ReplyHandler relay(Pop3Upstream upstream, SessionMetrics metrics) {
        return new ClientRelay(ctx, upstream, metrics);
    }

    /** The client's event loop, which the upstream link shares. */
    Executor executor() {
        return ctx.channel().eventLoop();
    }

    /** The client's event loop, for what must happen later on it. */
    io.netty.channel.EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    // ---- TLS

    /** Whether USER, PASS and AUTH may be used now: over TLS, or in clear where the listener allows it. */
    boolean plaintextAuthAllowed() {
        return tls.encrypted() || listener.plaintextAuthInClear();
    }

    /** Whether APOP may be used now: over TLS, or in clear unless the listener requires TLS for every login. */
    boolean apopAllowed() {
        return tls.encrypted() || listener.clearLogins().apop();
    }

    /** Whether STLS can be accepted: still in clear, not already upgrading, and a certificate to offer. */
    boolean stlsPossible() {
        return !tls.encrypted() && !tls.stlsHandshaking() && listener.tls() != null;
    }

    /** An STLS was read: nothing more is read until it is answered. */
    void stlsRequested() {
        tls.stlsRequested();
    }

    /** The STLS was refused: the connection stays in clear and is read again. */
    void stlsRefused() {
        tls.stlsRefused();
    }

    /** Answers +OK to STLS and puts TLS in front of everything; what the client sent before it is discarded. */
    void startStls() {
        tls.stlsAccepted();
        decoder().ifPresent(Pop3CommandDecoder::discardBufferedInput);
        // The +OK leaves in clear before TLS is in the pipeline; being on the event loop, no read
        // can come in between, and whatever arrives from now on goes through TLS.
        ctx.writeAndFlush(StatusLine.ok("Begin TLS negotiation"));
        SessionLogScope.addFirst(ctx.pipeline(), ListenerTls.HANDLER_NAME, listener.tls().newHandler(ctx.alloc()));
    }

    void serverName(String name) {
        tls.serverName(name);
    }

    /**
     * The handshake succeeded: logs what TLS the client got and writes the line held meanwhile,
     * closing after it if the session is closing.
     *
     * @return whether the session goes on (it reads commands again)
     */
    boolean tlsEstablished(boolean closing) {
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        ClientTlsState.Phase completed = tls.established(handler);
        if (handler != null) {
            log.info("[{}] {}: {} {}{}", sessionId, completed == ClientTlsState.Phase.STLS_HANDSHAKE ? "STLS" : "TLS",
                    handler.engine().getSession().getProtocol(), handler.engine().getSession().getCipherSuite(),
                    tls.serverName() == null ? "" : ", server name " + LogText.of(tls.serverName()));
        }
        StatusLine held = tls.takeHeld();
        if (held == null) {
            return true;
        }
        ChannelFuture sent = ctx.writeAndFlush(held);
        if (closing) {
            sent.addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        return true;
    }

    /** The TLS the client got, for the audit log; none while in clear. */
    TlsSummary tlsSummary() {
        return tls.summary();
    }

    // ---- closing

    /**
     * Says -ERR and closes. During the implicit handshake the line is held and said once TLS is
     * up; the handshake timeout closes a client that never gets there.
     */
    void closeWith(StatusLine err) {
        if (tls.holdingWrites()) {
            tls.hold(err);
        } else {
            ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes once what was written so far has gone out. */
    void closeAfterFlush() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes at once, dropping what is not yet written. */
    void close() {
        ctx.close();
    }

    private Optional<Pop3CommandDecoder> decoder() {
        return Optional.ofNullable((Pop3CommandDecoder) ctx.pipeline().get(Pop3Session.COMMAND_DECODER));
    }
}
