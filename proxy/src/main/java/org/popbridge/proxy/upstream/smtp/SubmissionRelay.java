package org.popbridge.proxy.upstream.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.SaslBearer;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.core.upstream.SubmissionOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamDiagnosis;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.smtp.EndOfMessage;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.popbridge.proxy.smtp.session.ServerExtensions;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's connection to its submission server: greeting, EHLO, STARTTLS where the URL
 * says (RFC 3207; refused if not offered, never falling back to clear), XCLIENT where
 * configured, AUTH with the client's credentials or an access token (RFC 4954; XOAUTH2 or
 * RFC 7628 OAUTHBEARER), then the client's commands and message data. It never sends the "." of a message it was not given whole: closing it
 * mid-message leaves nothing delivered.
 */
public final class SubmissionRelay implements SmtpUpstream {

    /** Where the login stands; each step waits for one reply. */
    /** RFC 5321 section 4.5.3.1.4: a command line, CRLF included. */
    private static final int SMTP_COMMAND_LINE = 512;

    private enum Step { GREETING, EHLO, STARTTLS, XCLIENT, AUTH, LOGIN_USER, LOGIN_PASSWORD, BEARER, READY, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(SubmissionRelay.class);

    private final UpstreamConnector connector;
    private final SubmissionOptions options;
    private final Listener listener;
    private final String sessionId;
    private final InetSocketAddress client;
    private Channel channel;
    private SmtpReplyDecoder decoder;
    private Step step = Step.GREETING;
    private UpstreamLogin login;
    /** Which mechanism carries a bearer token, from what the server offers. */
    private BearerMechanism mechanism = BearerMechanism.AUTO;
    private SaslBearer bearerSasl;
    /** A response too long for the AUTH line, sent when the server's empty challenge asks for it. */
    private String tokenAfterChallenge;
    private ServerExtensions extensions = ServerExtensions.UNKNOWN;
    private boolean tlsStarted;
    private boolean xclientSent;
    /** Replies owed to the session for commands and message ends sent after login. */
    private int owed;

    private SubmissionRelay(UpstreamConnector connector, SubmissionOptions options, Listener listener,
                            String sessionId, InetSocketAddress client) {
        this.connector = connector;
        this.options = options;
        this.listener = listener;
        this.sessionId = sessionId;
        this.client = client;
    }

    /** Sessions sent to the submission server {@code connector} reaches. */
    public static SmtpUpstream.Factory factory(UpstreamConnector connector, SubmissionOptions options) {
        return new SmtpUpstream.Factory() {
            @Override
            public SmtpUpstream open(Listener listener, String sessionId, InetSocketAddress client) {
                return new SubmissionRelay(connector, options, listener, sessionId, client);
            }

            @Override
            public String describe() {
                return connector.endpoint().url();
            }
        };
    }

    /** The session's server opened by a router, which logs in with what the route's authenticator gave. */
    static SubmissionRelay open(UpstreamConnector connector, SubmissionOptions options, Listener listener,
                                String sessionId, InetSocketAddress client) {
        return new SubmissionRelay(connector, options, listener, sessionId, client);
    }

    @Override
    public void logIn(EventLoop loop, Credentials given) {
        logIn(loop, new UpstreamLogin.Password(given), BearerMechanism.AUTO);
    }

    /** Connects and logs in with {@code upstreamLogin}; a bearer token goes in the mechanism {@code bearer} chooses. */
    void logIn(EventLoop loop, UpstreamLogin upstreamLogin, BearerMechanism bearer) {
        login = upstreamLogin;
        mechanism = bearer;
        ChannelFuture connected = connector.connect(loop, client, this::addProtocolHandlers);
        channel = connected.channel();
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                fail("unavailable", future.cause());
            }
        });
    }

    private void addProtocolHandlers(ChannelPipeline pipeline) {
        decoder = new SmtpReplyDecoder();
        pipeline.addLast("reply-timeout", new IdleStateHandler(
                connector.endpoint().replyTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("smtp-reply-decoder", decoder);
        pipeline.addLast("smtp-client-encoder", new SmtpClientEncoder());
        pipeline.addLast("replies", new RepliesIn());
    }

    // ---- after login

    @Override
    public void send(SmtpCommand command) {
        owed++;
        channel.writeAndFlush(command, channel.voidPromise());
    }

    @Override
    public void sendMessage(MessageChunk chunk) {
        channel.write(chunk, channel.voidPromise());
        if (!channel.isWritable()) {
            channel.flush();
        }
    }

    @Override
    public void endMessage() {
        owed++;
        channel.writeAndFlush(EndOfMessage.INSTANCE, channel.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    @Override
    public void close() {
        step = Step.CLOSED;
        if (channel != null) {
            UpstreamConnector.close(channel);
        }
    }

    @Override
    public String url() {
        return connector.endpoint().url();
    }

    @Override
    public TlsSummary tls() {
        return channel == null ? TlsSummary.NONE : NegotiatedTls.of(channel.pipeline().get(SslHandler.class));
    }

    // ---- the login, one reply at a time

    private void onReply(SmtpReply reply) {
        switch (step) {
            case GREETING -> expect(reply, 220, "greeted with", this::ehlo);
            case EHLO -> expect(reply, 250, "refused EHLO:", () -> ehloAnswered(reply));
            case STARTTLS -> expect(reply, 220, "refused STARTTLS:", this::startTls);
            case XCLIENT -> expect(reply, 220, "refused XCLIENT:", this::ehlo);
            case AUTH, LOGIN_USER, LOGIN_PASSWORD, BEARER -> authAnswered(reply);
            case READY -> ready(reply);
            case CLOSED -> { }
        }
    }

    private void expect(SmtpReply reply, int code, String what, Runnable next) {
        if (reply.code() == code) {
            next.run();
        } else {
            fail(what + " " + reply.code() + " " + reply.text(), null);
        }
    }

    private void ehlo() {
        step = Step.EHLO;
        channel.writeAndFlush(SmtpCommand.of(SmtpVerb.EHLO, ehloName(channel)), channel.voidPromise());
    }

    /** popbridge's own address as an address literal (RFC 5321 section 4.1.3): it has no name of its own here. */
    static String ehloName(Channel channel) {
        if (channel.localAddress() instanceof InetSocketAddress local) {
            return local.getAddress() instanceof Inet6Address ? "[IPv6:" + local.getAddress().getHostAddress() + "]"
                    : "[" + local.getAddress().getHostAddress() + "]";
        }
        return "[127.0.0.1]";
    }

    private void ehloAnswered(SmtpReply reply) {
        extensions = ServerExtensions.fromEhlo(reply.lines());
        if (connector.endpoint().scheme() == UpstreamScheme.SMTP_STARTTLS && !tlsStarted) {
            if (!extensions.has("STARTTLS")) {
                fail("offers no STARTTLS", new UpstreamProblemException(UpstreamProblem.tlsNotOffered(connector.endpoint())));
                return;
            }
            step = Step.STARTTLS;
            channel.writeAndFlush(SmtpCommand.of(SmtpVerb.STARTTLS, null), channel.voidPromise());
            return;
        }
        if (options.xclient() && !xclientSent) {
            xclientSent = true;
            if (extensions.has("XCLIENT")) {
                step = Step.XCLIENT;
                channel.writeAndFlush(new SmtpCommand(xclient()), channel.voidPromise());
                return;
            }
            connector.forwardingWarning().report(log, sessionId, url(), "offers no XCLIENT (Postfix: "
                    + "smtpd_authorized_xclient_hosts)");
        }
        authenticate();
    }

    /**
     * Postfix's XCLIENT: ADDR with an IPv6 address tagged (its XCLIENT_README), and PORT where
     * the server lists it among the attributes it takes.
     */
    private String xclient() {
        InetAddress address = client.getAddress();
        String written = (address instanceof Inet6Address ? "IPV6:" : "") + NetUtil.toAddressString(address);
        String attributes = extensions.byKeyword().get("XCLIENT").toUpperCase(Locale.ROOT);
        boolean port = List.of(attributes.split(" +")).contains("PORT");
        return "XCLIENT ADDR=" + written + (port ? " PORT=" + client.getPort() : "");
    }

    private void startTls() {
        tlsStarted = true;
        // Whatever the server sent after its 220 and before the handshake is not trusted (RFC 3207 section 6).
        decoder.discardBufferedInput();
        SslHandler handler = connector.endpoint().newTlsHandler(channel.alloc());
        SessionLogScope.addFirst(channel.pipeline(), UpstreamConnector.TLS_HANDLER, handler);
        handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                // RFC 3207 section 4.2: what the server said before TLS is forgotten.
                ehlo();
            }
        });
    }

    /** The configured mechanism if offered, else the other one the server has; a token as XOAUTH2 or OAUTHBEARER. */
    private void authenticate() {
        if (login instanceof UpstreamLogin.Bearer bearer) {
            step = Step.BEARER;
            bearerSasl = mechanism.choose(extensions.authMechanisms()::contains);
            String response = bearerSasl.initialResponse(bearer.user(), bearer.accessToken(),
                    connector.endpoint().host(), connector.endpoint().port());
            String withResponse = bearerSasl.saslName() + " " + response;
            if ("AUTH ".length() + withResponse.length() + 2 <= SMTP_COMMAND_LINE) {
                channel.writeAndFlush(SmtpCommand.of(SmtpVerb.AUTH, withResponse), channel.voidPromise());
            } else {
                // RFC 4954 section 4: an initial response that would make the line longer than
                // RFC 5321's 512 octets goes after the server's empty challenge. Tokens of
                // Microsoft's are some 2,000 characters; Dovecot answers a longer line 500.
                tokenAfterChallenge = response;
                channel.writeAndFlush(SmtpCommand.of(SmtpVerb.AUTH, bearerSasl.saslName()), channel.voidPromise());
            }
            return;
        }
        Credentials credentials = ((UpstreamLogin.Password) login).credentials();
        boolean plain = extensions.authMechanisms().contains("PLAIN");
        boolean login = extensions.authMechanisms().contains("LOGIN");
        boolean usePlain = options.loginMechanism() ? !login && plain : plain || !login;
        step = Step.AUTH;
        if (usePlain) {
            channel.writeAndFlush(SmtpCommand.of(SmtpVerb.AUTH, "PLAIN " + credentials.plainResponse()),
                    channel.voidPromise());
        } else {
            channel.writeAndFlush(SmtpCommand.of(SmtpVerb.AUTH, "LOGIN"), channel.voidPromise());
        }
    }

    private void authAnswered(SmtpReply reply) {
        if (reply.code() == 334 && step == Step.BEARER) {
            if (tokenAfterChallenge != null) {
                String response = tokenAfterChallenge;
                tokenAfterChallenge = null;
                writeSecret(response);
                return;
            }
            // The server's error, as base64 JSON: answered so that it ends the exchange with its 535.
            writeSecret(bearerSasl.errorAnswer());
            return;
        }
        Credentials credentials = login instanceof UpstreamLogin.Password password ? password.credentials() : null;
        if (reply.code() == 334 && step == Step.AUTH) {
            step = Step.LOGIN_USER;
            writeSecret(Credentials.encode(credentials.user()));
        } else if (reply.code() == 334 && step == Step.LOGIN_USER) {
            step = Step.LOGIN_PASSWORD;
            writeSecret(Credentials.encode(credentials.password()));
        } else if (reply.code() == 334) {
            // A server asking for more than a password is not one popbridge can log in to.
            fail("asked for more than a user name and password", null);
        } else {
            boolean bearer = login instanceof UpstreamLogin.Bearer;
            login = null;
            if (reply.isPositive()) {
                step = Step.READY;
                log.debug("[{}] logged in at {}{}", sessionId, url(), bearer ? " with an access token" : "");
                if (bearer) {
                    listener.bearerLoggedIn();
                }
            }
            listener.loggedIn(reply, extensions);
        }
    }

    /** A SASL response: a raw line, so no command logging or masking rule ever sees it. */
    private void writeSecret(String line) {
        ByteBuf buf = channel.alloc().buffer(line.length() + 2);
        buf.writeCharSequence(line, StandardCharsets.US_ASCII);
        buf.writeByte('\r').writeByte('\n');
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    private void ready(SmtpReply reply) {
        if (owed == 0) {
            // An unsolicited reply (a 421 before closing): the server is ending the session.
            fail("ended the session: " + reply.code() + " " + reply.text(), null);
            return;
        }
        owed--;
        listener.replied(reply);
    }

    private void fail(String why, Throwable cause) {
        if (step == Step.CLOSED) {
            return;
        }
        // Before the login a failure may be one of reaching or securing the server: said in words then.
        Throwable told = step == Step.READY ? cause : UpstreamDiagnosis.explain(connector.endpoint(), cause);
        step = Step.CLOSED;
        login = null;
        if (channel != null) {
            UpstreamConnector.close(channel);
        }
        listener.failed(why, told == null ? new IllegalStateException(why) : told);
    }

    /** Hands each reply to the login or the session, and every end of the connection to {@link #fail}. */
    private final class RepliesIn extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SmtpReply reply) {
                onReply(reply);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && step == Step.READY) {
                listener.writable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            boolean waiting = step != Step.READY || owed > 0;
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                // A failed or timed-out handshake closes the connection next; this says why.
                fail("TLS handshake failed", handshake.cause());
            } else if (event instanceof IdleStateEvent && waiting && ctx.channel().config().isAutoRead()) {
                boolean silent = step == Step.GREETING && !connector.endpoint().scheme().implicitTls();
                // Silence from the first byte on a plain connection: most likely a TLS port.
                fail("did not answer in time", silent
                        ? new UpstreamProblemException(UpstreamProblem.plainOnTlsPort(connector.endpoint())) : null);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("closed the connection", null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail("connection failed", cause);
        }
    }
}
