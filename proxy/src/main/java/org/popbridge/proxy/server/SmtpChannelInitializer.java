package org.popbridge.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpReplyEncoder;
import org.popbridge.proxy.smtp.session.SmtpSession;
import org.popbridge.proxy.smtp.session.SmtpSettings;
import org.popbridge.proxy.smtp.session.SmtpUpstream;

/** Builds an SMTP client connection's pipeline: (TLS) octet count, idle timer, command decoder, reply encoder, session. */
final class SmtpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerSettings settings;
    private final SmtpSettings smtp;
    private final SmtpUpstream.Factory upstreams;
    private final ChannelGroup sessions;

    SmtpChannelInitializer(ListenerSettings settings, SmtpSettings smtp, SmtpUpstream.Factory upstreams,
                           ChannelGroup sessions) {
        this.settings = settings;
        this.smtp = smtp;
        this.upstreams = upstreams;
        this.sessions = sessions;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        sessions.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        if (settings.implicitTls()) {
            pipeline.addLast(SmtpSession.TLS_HANDLER, settings.tls().newHandler(channel.alloc()));
        }
        pipeline.addLast(ClientOctets.NAME, new ClientOctets());
        // observeOutput: a long reply to a slow client is activity, not idleness.
        pipeline.addLast("idle", new IdleStateHandler(
                true, 0, 0, settings.limits().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast(SmtpSession.COMMAND_DECODER, new SmtpCommandDecoder(
                Math.max(SmtpSession.COMMAND_LINE_OCTETS, settings.limits().commandLineOctets())));
        pipeline.addLast("smtp-reply-encoder", new SmtpReplyEncoder());
        pipeline.addLast("session", new SmtpSession(settings, smtp, upstreams));
    }
}
