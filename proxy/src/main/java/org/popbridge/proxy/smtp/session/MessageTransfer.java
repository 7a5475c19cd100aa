package org.popbridge.proxy.smtp.session;

import io.netty.channel.Channel;
import org.popbridge.proxy.smtp.MessageChunk;

/**
 * One message's data on its way to the submission server, between the server's 354 and the
 * client's final "." (RFC 5321 section 4.1.1.4): streamed as it comes, and reading from the
 * client paused while the server's connection cannot take more. A message that grows over the
 * size limit is dropped from there on; the session cuts the server off before it sees a ".",
 * so nothing of it is delivered (RFC 1870 section 6.3).
 */
final class MessageTransfer {

    private final SmtpUpstream upstream;
    private final long limit;
    private final Channel client;
    private long octets;
    private boolean tooBig;

    MessageTransfer(SmtpUpstream upstream, long limit, Channel client) {
        this.upstream = upstream;
        this.limit = limit;
        this.client = client;
    }

    /**
     * Passes a chunk on, or drops it once the message is too big.
     *
     * @param octetsSoFar the message's size with this chunk, as the decoder counted it
     * @return whether this chunk took the message over the limit (the session cuts the server off)
     */
    boolean take(MessageChunk chunk, long octetsSoFar) {
        octets = octetsSoFar;
        if (tooBig || octets > limit) {
            chunk.release();
            boolean justNow = !tooBig;
            tooBig = true;
            return justNow;
        }
        upstream.sendMessage(chunk);
        if (!upstream.isWritable()) {
            client.config().setAutoRead(false);
        }
        return false;
    }

    boolean tooBig() {
        return tooBig;
    }

    long octets() {
        return octets;
    }
}
