package org.popbridge.proxy.core.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where a client really connects from: the peer of its connection, or, behind a trusted
 * proxy that speaks the PROXY protocol, the address that proxy reports. Limits, logs and the
 * address forwarded upstream all ask here, never the channel's peer directly.
 */
public final class ClientAddress {

    /** Set by whatever learns the real address before the session starts (the PROXY protocol decoder). */
    public static final AttributeKey<InetSocketAddress> KEY = AttributeKey.valueOf("popbridge.client-address");

    private ClientAddress() {
    }

    /** The client's address and port. */
    public static InetSocketAddress of(Channel channel) {
        InetSocketAddress told = channel.attr(KEY).get();
        if (told != null) {
            return told;
        }
        SocketAddress peer = channel.remoteAddress();
        return peer instanceof InetSocketAddress inet ? inet : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** The client's IP address alone, as limits count it. */
    public static InetAddress ip(Channel channel) {
        return of(channel).getAddress();
    }

    /** The client as logs write it: ip:port. */
    public static String describe(Channel channel) {
        InetSocketAddress address = of(channel);
        return (address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress())
                + ":" + address.getPort();
    }
}
