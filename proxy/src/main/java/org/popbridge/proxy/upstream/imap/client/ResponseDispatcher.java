package org.popbridge.proxy.upstream.imap.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each piece the decoder produces where it belongs (RFC 9051 section 2.2.2): the
 * greeting to the {@link OpeningHandshake}; a tagged status, a continuation request and
 * literal octets to the command in flight; an untagged response first to the link's own
 * tracking (capabilities, BYE, EXISTS, EXPUNGE, VANISHED, UIDs seen), then to that command.
 * Connection loss, timeouts and protocol errors fail the link.
 */
final class ResponseDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ResponseDispatcher.class);

    private final ImapLink link;
    private final OpeningHandshake handshake;
    private final CommandQueue commands;
    private final MailboxSequence sequence;
    private final ImapLink.Listener listener;
    private final String sessionId;
    /** The response read so far, up to the literal that interrupts it. */
    private final StringBuilder responseText = new StringBuilder();
    /** Whether the literal now arriving goes to the command in flight; if not it is dropped. */
    private boolean literalAccepted;
    private boolean byeReceived;
    private long literalOctets;

    ResponseDispatcher(ImapLink link, OpeningHandshake handshake, CommandQueue commands, MailboxSequence sequence,
                       ImapLink.Listener listener, String sessionId) {
        this.link = link;
        this.handshake = handshake;
        this.commands = commands;
        this.sequence = sequence;
        this.listener = listener;
        this.sessionId = sessionId;
    }

    /** True once the server said BYE (RFC 9051 section 7.1.5), so that its closing was announced. */
    boolean byeReceived() {
        return byeReceived;
    }

    /** Literal octets read from the server so far, whoever took them. */
    long literalOctets() {
        return literalOctets;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!link.isOpen() || handshake.discardingUntilTls()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (msg instanceof ResponseLine line) {
                onLine(line);
            } else if (msg instanceof LiteralChunk chunk) {
                onChunk(chunk);
            } else if (msg == LiteralEnd.INSTANCE) {
                ResponseHandler handler = commands.inFlight();
                if (literalAccepted && handler != null) {
                    handler.onLiteralEnd();
                }
                literalAccepted = false;
            } else {
                ReferenceCountUtil.release(msg);
            }
        } catch (ImapSyntaxException e) {
            link.fail(ImapFailure.PROTOCOL, "malformed response: " + e.getMessage(), e);
        }
    }

    private void onChunk(LiteralChunk chunk) {
        literalOctets += chunk.content().readableBytes();
        ResponseHandler handler = commands.inFlight();
        if (literalAccepted && handler != null) {
            handler.onLiteralChunk(chunk.content());
        } else {
            chunk.release();
        }
    }

    private void onLine(ResponseLine line) {
        if (line.startsResponse()) {
            responseText.setLength(0);
        }
        responseText.append(line.text());
        if (line.endsWithLiteral()) {
            ImapResponse soFar = ImapResponseParser.parse(FetchTextRepair.repair(responseText.toString()));
            ResponseHandler handler = commands.inFlight();
            literalAccepted = handler != null && handler.onLiteralStart(soFar, line.literalSize());
            return;
        }
        ImapResponse response = ImapResponseParser.parse(FetchTextRepair.repair(responseText.toString()));
        responseText.setLength(0);
        route(response);
    }

    private void route(ImapResponse response) {
        if (response instanceof StatusResponse status && status.isTagged()) {
            onTagged(status);
            return;
        }
        if (response instanceof ContinuationRequest request) {
            onContinuation(request);
            return;
        }
        if (link.phase().awaitsGreeting() && response instanceof StatusResponse greeting) {
            handshake.onGreeting(greeting);
            return;
        }
        track(response);
        ResponseHandler handler = commands.inFlight();
        if (handler != null) {
            handler.onUntagged(response);
        }
    }

    /** What the link keeps for the whole session, whichever command is in flight. */
    private void track(ImapResponse response) {
        if (response instanceof Capabilities announced) {
            link.announced(announced);
        } else if (response instanceof StatusResponse status) {
            status.code("CAPABILITY").ifPresent(code -> link.announced(code.capabilities()));
            if (status.condition() == StatusResponse.Condition.BYE) {
                byeReceived = true;
                log.debug("[{}] upstream says BYE: {}", sessionId, LogText.of(status.text()));
            }
        } else if (response instanceof ExistsResponse exists) {
            sequence.exists(exists.count());
        } else if (response instanceof ExpungeResponse expunge) {
            sequence.expunged(expunge.messageNumber());
        } else if (response instanceof VanishedResponse vanished) {
            sequence.vanished(vanished.uids());
        } else if (response instanceof FetchResponse fetch && fetch.uid().isPresent()) {
            sequence.learn(fetch.messageNumber(), fetch.uid().getAsLong());
        }
    }

    private void onTagged(StatusResponse status) {
        ResponseHandler handler = commands.complete(status);
        if (handler == null) {
            link.fail(ImapFailure.PROTOCOL, "tagged response for no command in flight", null);
            return;
        }
        status.code("CAPABILITY").ifPresent(code -> link.announced(code.capabilities()));
        if (log.isDebugEnabled()) {
            log.debug("[{}] < {} {}{}", sessionId, LogText.of(status.tag()), status.condition(),
                    LogText.of(status.code().map(code -> " [" + code.name() + "]").orElse("")));
        }
        handler.onTagged(status);
        link.sendNext();
    }

    private void onContinuation(ContinuationRequest request) {
        ResponseHandler handler = commands.inFlight();
        if (handler == null) {
            link.fail(ImapFailure.PROTOCOL, "continuation request for no command in flight", null);
        } else if (!commands.continueCommand()) {
            handler.onContinuation(request);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (link.isOpen()) {
            listener.readComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        boolean awaiting = commands.inFlight() != null || link.phase() == ImapLink.Phase.GREETING;
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            // The handshake failed or timed out: the connection closes next, but this says why.
            link.fail(ImapFailure.UNAVAILABLE, "TLS handshake with the upstream failed", handshake.cause());
        } else if (event instanceof IdleStateEvent && awaiting && ctx.channel().config().isAutoRead()) {
            link.fail(ImapFailure.TIMED_OUT, "no response within the reply timeout",
                    link.phase() == ImapLink.Phase.GREETING ? greetingMissing() : null);
        }
        ctx.fireUserEventTriggered(event);
    }

    /** No greeting: on a plain connection most likely a TLS port, which waits for the ClientHello. */
    private UpstreamProblemException greetingMissing() {
        UpstreamEndpoint route = link.endpoint();
        return new UpstreamProblemException(route.scheme().implicitTls()
                ? UpstreamProblem.noReply(route, "the greeting") : UpstreamProblem.plainOnTlsPort(route));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.fail(ImapFailure.LOST, byeReceived ? "upstream said BYE and closed" : "upstream closed the connection",
                null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean protocol = cause instanceof DecoderException
                && !(cause.getCause() instanceof javax.net.ssl.SSLException);
        link.fail(protocol ? ImapFailure.PROTOCOL : ImapFailure.LOST, "upstream link error", cause);
    }
}
