package org.popbridge.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.TrustedProxies;
import org.popbridge.proxy.pop3.Pop3CommandDecoder;
import org.popbridge.proxy.pop3.Pop3ReplyEncoder;
import org.popbridge.proxy.pop3.session.Pop3Session;
import org.popbridge.proxy.pop3.session.Pop3Upstream;

/** Builds a client connection's pipeline: (PROXY gate) (TLS) idle timer, command decoder, reply encoder, session. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerSettings settings;
    private final TrustedProxies proxies;
    private final Pop3Upstream.Factory upstreams;
    private final ChannelGroup sessions;
    private final MessageFiltering filtering;

    ClientChannelInitializer(ListenerSettings settings, TrustedProxies proxies, Pop3Upstream.Factory upstreams,
                             ChannelGroup sessions, MessageFiltering filtering) {
        this.settings = settings;
        this.proxies = proxies;
        this.upstreams = upstreams;
        this.sessions = sessions;
        this.filtering = filtering;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ListenerPipeline.gate(channel, proxies, settings);
        ChannelPipeline pipeline = ListenerPipeline.front(channel, settings, sessions,
                reason -> "-ERR [SYS/TEMP] " + reason);
        pipeline.addLast(Pop3Session.COMMAND_DECODER, new Pop3CommandDecoder(settings.limits().commandLineOctets()));
        ListenerPipeline.idleTimer(pipeline, settings);
        pipeline.addLast("pop3-reply-encoder", new Pop3ReplyEncoder());
        ListenerPipeline.session(pipeline, new Pop3Session(settings, upstreams, filtering));
    }
}
