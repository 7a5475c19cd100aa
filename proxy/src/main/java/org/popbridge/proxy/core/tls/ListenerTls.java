package org.popbridge.proxy.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * The TLS a listener offers its clients, asked once per connection so that a replaced
 * certificate serves the next connection: for implicit TLS when it opens, for STLS (RFC 2595
 * section 4) after the +OK.
 */
public interface ListenerTls {

    /** Pipeline name of the handler, first in a client's pipeline, at connect or after STLS/STARTTLS. */
    String HANDLER_NAME = "tls";

    /**
     * A handler to put first in the pipeline: an SslHandler, or a SniHandler that becomes one
     * once the ClientHello names a server. Either fires SslHandshakeCompletionEvent when done.
     */
    ChannelHandler newHandler(ByteBufAllocator alloc);
}
