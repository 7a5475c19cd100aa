package org.popbridge.proxy.upstream.pop3;

import io.netty.channel.ChannelPipeline;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProbe;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3CommandEncoder;
import org.popbridge.proxy.pop3.Pop3ReplyDecoder;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.ReplyFraming;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * The opening of a POP3 session as {@link Pop3Relay} makes it, without the login: the
 * greeting, STLS for {@code pop3+stls} (RFC 2595), CAPA (RFC 2449), then QUIT, which in the
 * AUTHORIZATION state changes nothing.
 */
public final class Pop3Probe extends UpstreamProbe {

    private enum Step { GREETING, STLS, CAPA }

    private Step step = Step.GREETING;
    private Pop3ReplyDecoder decoder;

    public Pop3Probe(UpstreamConnector connector) {
        super(connector);
    }

    @Override
    protected void addCodec(ChannelPipeline pipeline) {
        decoder = new Pop3ReplyDecoder(new ReplyFraming() {
            @Override
            public boolean awaitingReply() {
                return true;
            }

            @Override
            public boolean isMultiline(StatusLine.Status status) {
                return status == StatusLine.Status.OK && step == Step.CAPA;
            }
        });
        pipeline.addLast("pop3-reply-decoder", decoder);
        pipeline.addLast("pop3-command-encoder", Pop3CommandEncoder.INSTANCE);
    }

    @Override
    protected void onReply(Object reply) {
        switch (step) {
            case GREETING -> greeted((StatusLine) reply);
            case STLS -> stlsAnswered((StatusLine) reply);
            case CAPA -> {
                // An RFC 1939 server without CAPA says -ERR: still a working server.
                if (reply == EndOfMultiline.INSTANCE || reply instanceof StatusLine status && !status.isOk()) {
                    succeed(Pop3Command.of(Pop3Verb.QUIT));
                }
            }
        }
    }

    private void greeted(StatusLine greeting) {
        if (!greeting.isOk()) {
            fail(UpstreamProblem.unexpectedReply(endpoint(), "the greeting", greeting.line()));
        } else if (endpoint().scheme() == UpstreamScheme.POP3_STLS) {
            step = Step.STLS;
            send(Pop3Command.of(Pop3Verb.STLS), "STLS");
        } else {
            capabilities();
        }
    }

    private void stlsAnswered(StatusLine reply) {
        if (!reply.isOk()) {
            fail(UpstreamProblem.tlsNotOffered(endpoint()));
            return;
        }
        // What came after +OK and before the handshake is not the server's: drop it, as Pop3Relay does.
        decoder.discardBufferedInput();
        startTls(this::capabilities);
    }

    private void capabilities() {
        step = Step.CAPA;
        send(Pop3Command.of(Pop3Verb.CAPA), "CAPA");
    }
}
