package org.popbridge.proxy.pop3.session;

import io.netty.channel.ChannelHandlerContext;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * Passes a reply to the client as it arrives. When the client cannot take more, reading
 * from the upstream pauses until it can (the session resumes it on writability), so a
 * message is never held whole in memory.
 */
final class ClientRelay implements ReplyHandler {

    private final ChannelHandlerContext client;
    private final Pop3Upstream upstream;
    private final SessionMetrics metrics;

    ClientRelay(ChannelHandlerContext client, Pop3Upstream upstream, SessionMetrics metrics) {
        this.client = client;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    @Override
    public void onStatus(StatusLine status) {
        client.write(status);
    }

    @Override
    public void onContent(ContentChunk chunk) {
        metrics.relayed(chunk.content().readableBytes());
        client.write(chunk);
        if (!client.channel().isWritable()) {
            client.flush();
            if (!client.channel().isWritable()) {
                upstream.pauseReading();
            }
        }
    }

    /** The client gets the body as the server sent it: no need to undo the stuffing and redo it. */
    @Override
    public boolean takesBodyAsSent() {
        return true;
    }

    @Override
    public void onEnd() {
        client.write(EndOfMultiline.INSTANCE);
    }
}
