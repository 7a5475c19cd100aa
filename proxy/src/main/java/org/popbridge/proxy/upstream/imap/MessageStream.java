package org.popbridge.proxy.upstream.imap;

import io.netty.buffer.ByteBuf;
import org.popbridge.proxy.pop3.session.ReplyOutbox;
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

    private final ReplyOutbox outbox;
    private final int number;
    private final boolean top;
    private final Breakage breakage;
    private boolean started;

    MessageStream(ReplyOutbox outbox, int number, boolean top, Breakage breakage) {
        this.outbox = outbox;
        this.number = number;
        this.top = top;
        this.breakage = breakage;
    }

    @Override
    public void onStart(long size) {
        started = true;
        outbox.startBody(top || size < 0 ? "top of message follows" : size + " octets");
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        outbox.bodyChunk(chunk);
    }

    @Override
    public void onEnd() {
        if (!started) {
            // TOP of a message with nothing in it: an empty body is still a body.
            outbox.startBody("top of message follows");
        }
        outbox.endBody();
    }

    @Override
    public void onGone() {
        outbox.err("message " + number + " was removed from the mailbox by another client");
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        if (cause.failure() == ImapFailure.REFUSED && !started) {
            // The server said NO to this one message; the session goes on.
            outbox.err("[SYS/TEMP] the mail server cannot send message " + number + " now");
            return;
        }
        // A broken link reports itself; a refusal mid-message must cut the client off here.
        if (cause.failure() == ImapFailure.REFUSED) {
            breakage.broken(cause);
        }
    }
}
