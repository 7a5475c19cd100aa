package org.popbridge.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.TrustedProxies;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpReplyEncoder;
import org.popbridge.proxy.smtp.session.SmtpSession;
import org.popbridge.proxy.smtp.session.SmtpSettings;
import org.popbridge.proxy.smtp.session.SmtpUpstream;

/** Builds an SMTP client connection's pipeline: (PROXY gate) (TLS) octet count, idle timer, command decoder, reply encoder, session. */
final class SmtpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerSettings settings;
    private final TrustedProxies proxies;
    private final SmtpSettings smtp;
    private final SmtpUpstream.Factory upstreams;
    private final ChannelGroup sessions;

    SmtpChannelInitializer(ListenerSettings settings, TrustedProxies proxies, SmtpSettings smtp,
                           SmtpUpstream.Factory upstreams, ChannelGroup sessions) {
        this.settings = settings;
        this.proxies = proxies;
        this.smtp = smtp;
        this.upstreams = upstreams;
        this.sessions = sessions;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ListenerPipeline.gate(channel, proxies, settings);
        ChannelPipeline pipeline = ListenerPipeline.front(channel, settings, sessions, reason -> "421 4.7.0 " + reason);
        pipeline.addLast(SmtpSession.COMMAND_DECODER, new SmtpCommandDecoder(
                Math.max(SmtpSession.COMMAND_LINE_OCTETS, settings.limits().commandLineOctets())));
        ListenerPipeline.idleTimer(pipeline, settings);
        pipeline.addLast("smtp-reply-encoder", new SmtpReplyEncoder());
        ListenerPipeline.session(pipeline, new SmtpSession(settings, smtp, upstreams));
    }
}
