package org.popbridge.proxy.upstream.imap;

import io.netty.buffer.ByteBuf;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.session.ReplyQueue;
import org.popbridge.proxy.upstream.imap.client.ImapFailure;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;
import org.popbridge.proxy.upstream.imap.client.MessageSink;

/**
 * A message streamed from an IMAP FETCH literal into the POP3 reply to RETR or TOP: the +OK
 * when the literal starts, then its octets as they arrive, never the whole message at once.
 */
final class MessageStream implements MessageSink {

    /** What the stream does when it cannot finish: the upstream ends the session. */
    interface Breakage {
        void broken(ImapLinkException cause);
    }

    private final ReplyQueue replies;
    private final int number;
    private final boolean top;
    private final Breakage breakage;
    private boolean started;

    MessageStream(ReplyQueue replies, int number, boolean top, Breakage breakage) {
        this.replies = replies;
        this.number = number;
        this.top = top;
        this.breakage = breakage;
    }

    @Override
    public void onStart(long size) {
        started = true;
        replies.ok(top || size < 0 ? "top of message follows" : size + " octets");
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        replies.content(new ContentChunk(chunk));
    }

    @Override
    public void onEnd() {
        if (!started) {
            // TOP of a message with nothing in it: an empty body is still a body.
            replies.ok("top of message follows");
        }
        replies.end();
    }

    @Override
    public void onGone() {
        replies.err("message " + number + " was removed from the mailbox by another client");
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        if (cause.failure() == ImapFailure.REFUSED && !started) {
            // The server said NO to this one message; the session goes on.
            replies.err("[SYS/TEMP] the mail server cannot send message " + number + " now");
            return;
        }
        // A broken link reports itself; a refusal mid-message must cut the client off here.
        if (cause.failure() == ImapFailure.REFUSED) {
            breakage.broken(cause);
        }
    }
}
