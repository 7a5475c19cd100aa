package org.popbridge.proxy.server;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.ConnectionGuard;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.ProxyProtocolGate;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.proxy.core.session.TrustedProxies;
import org.popbridge.proxy.core.tls.HandshakeMeter;
import org.popbridge.proxy.core.tls.ListenerTls;

/**
 * The front of every client pipeline, whatever the protocol behind it: the PROXY protocol gate
 * where the listener is behind load balancers ({@link #gate}, ahead of all the rest); the
 * connection joins the server's sessions (so shutdown can find it), implicit TLS where the
 * listener has it, the octet count and the idle timer.
 */
final class ListenerPipeline {

    private ListenerPipeline() {
    }

    /**
     * Puts the PROXY protocol gate first, where {@code proxies} is set: the header is the first
     * octets, ahead of TLS, and no handler added after it sees the connection start before it.
     */
    static void gate(SocketChannel channel, TrustedProxies proxies, ListenerSettings settings) {
        if (proxies != null) {
            ProxyProtocolGate.install(channel.pipeline(), proxies, settings.name());
        }
    }

    /**
     * The connection joins the server's sessions, gets TLS where the listener has it, then is
     * counted against the client limits ({@code refusal} says no in the protocol's words), and
     * its octets and TLS handshakes counted.
     */
    static ChannelPipeline front(SocketChannel channel, ListenerSettings settings, ChannelGroup sessions,
                                 Function<String, String> refusal) {
        sessions.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        // First of all, even before the PROXY gate: every line about this connection carries its fields.
        SessionLogScope.front(pipeline, settings.name());
        if (settings.implicitTls()) {
            // Asked per connection: a reloaded certificate serves the next client.
            pipeline.addLast(ListenerTls.HANDLER_NAME, settings.tls().newHandler(channel.alloc()));
        }
        pipeline.addLast(ConnectionGuard.NAME, new ConnectionGuard(settings.clients(), settings.name(), refusal,
                settings.meters()));
        pipeline.addLast(ClientOctets.NAME, new ClientOctets(settings.meters()));
        if (settings.tls() != null) {
            pipeline.addLast(HandshakeMeter.NAME, new HandshakeMeter(settings.meters()));
        }
        return pipeline;
    }

    /**
     * The session, last, with the log scope just before it: events fired from the middle of the
     * pipeline (the idle timer, the login deadline) reach it with the session's log fields too.
     */
    static void session(ChannelPipeline pipeline, io.netty.channel.ChannelHandler session) {
        SessionLogScope.inner(pipeline);
        pipeline.addLast("session", session);
    }

    /**
     * The idle timer, placed after the command decoder: only a complete line is activity, so a
     * client that trickles one byte every few seconds is idle all the same. observeOutput: a
     * long reply to a slow client is activity, not idleness.
     */
    static void idleTimer(ChannelPipeline pipeline, ListenerSettings settings) {
        pipeline.addLast("idle", new IdleStateHandler(
                true, 0, 0, settings.limits().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
}
