package org.popbridge.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
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
        ChannelPipeline pipeline = ListenerPipeline.front(channel, settings, sessions);
        pipeline.addLast(SmtpSession.COMMAND_DECODER, new SmtpCommandDecoder(
                Math.max(SmtpSession.COMMAND_LINE_OCTETS, settings.limits().commandLineOctets())));
        pipeline.addLast("smtp-reply-encoder", new SmtpReplyEncoder());
        pipeline.addLast("session", new SmtpSession(settings, smtp, upstreams));
    }
}
