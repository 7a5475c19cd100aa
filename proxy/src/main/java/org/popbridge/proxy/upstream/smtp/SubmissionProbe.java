package org.popbridge.proxy.upstream.smtp;

import io.netty.channel.ChannelPipeline;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProbe;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.popbridge.proxy.smtp.session.ServerExtensions;

/**
 * The opening of a submission session as {@link SubmissionRelay} makes it, without XCLIENT or
 * AUTH: the 220 greeting, EHLO, STARTTLS for {@code smtp+starttls} (RFC 3207) and EHLO again,
 * then QUIT.
 */
public final class SubmissionProbe extends UpstreamProbe {

    private enum Step { GREETING, EHLO, STARTTLS }

    private Step step = Step.GREETING;
    private boolean tlsStarted;
    private SmtpReplyDecoder decoder;

    public SubmissionProbe(UpstreamConnector connector) {
        super(connector);
    }

    @Override
    protected void addCodec(ChannelPipeline pipeline) {
        decoder = new SmtpReplyDecoder();
        pipeline.addLast("smtp-reply-decoder", decoder);
        pipeline.addLast("smtp-client-encoder", new SmtpClientEncoder());
    }

    @Override
    protected void onReply(Object message) {
        if (!(message instanceof SmtpReply reply)) {
            return;
        }
        switch (step) {
            case GREETING -> expect(reply, 220, "the greeting", this::ehlo);
            case EHLO -> expect(reply, 250, "EHLO", () -> ehloAnswered(reply));
            case STARTTLS -> {
                if (reply.code() != 220) {
                    fail(UpstreamProblem.tlsNotOffered(endpoint()));
                    return;
                }
                tlsStarted = true;
                // RFC 3207 section 6: what came before the handshake is not trusted.
                decoder.discardBufferedInput();
                startTls(this::ehlo);
            }
        }
    }

    private void expect(SmtpReply reply, int code, String what, Runnable next) {
        if (reply.code() == code) {
            next.run();
        } else {
            fail(UpstreamProblem.unexpectedReply(endpoint(), what, reply.code() + " " + reply.text()));
        }
    }

    private void ehlo() {
        step = Step.EHLO;
        send(SmtpCommand.of(SmtpVerb.EHLO, SubmissionRelay.ehloName(channel())), "EHLO");
    }

    private void ehloAnswered(SmtpReply reply) {
        boolean upgrade = endpoint().scheme() == UpstreamScheme.SMTP_STARTTLS && !tlsStarted;
        if (!upgrade) {
            succeed(SmtpCommand.of(SmtpVerb.QUIT, null));
        } else if (!ServerExtensions.fromEhlo(reply.lines()).has("STARTTLS")) {
            fail(UpstreamProblem.tlsNotOffered(endpoint()));
        } else {
            step = Step.STARTTLS;
            send(SmtpCommand.of(SmtpVerb.STARTTLS, null), "STARTTLS");
        }
    }
}
