package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;

/**
 * "UID FETCH uid BODY.PEEK[]" (or BODY[], which sets \Seen, RFC 9051 section 6.4.5): the
 * message literal streamed to a {@link MessageSink}. A tagged OK without the literal means
 * another client expunged the message (section 6.4.8 lets UID FETCH skip missing UIDs).
 */
final class BodyRetrieval implements ResponseHandler {

    private final long uid;
    private final MailboxSequence sequence;
    private final MessageSink sink;
    private boolean started;
    private boolean finished;

    BodyRetrieval(long uid, MailboxSequence sequence, MessageSink sink) {
        this.uid = uid;
        this.sequence = sequence;
        this.sink = sink;
    }

    @Override
    public boolean onLiteralStart(ImapResponse soFar, long size) {
        if (started || !FetchedLiteral.isFor(soFar, uid, "BODY[]", false, sequence)) {
            return false;
        }
        started = true;
        sink.onStart(size);
        return true;
    }

    @Override
    public void onLiteralChunk(ByteBuf chunk) {
        sink.onChunk(chunk);
    }

    @Override
    public void onTagged(StatusResponse status) {
        finished = true;
        if (status.isOk()) {
            if (started) {
                sink.onEnd();
            } else {
                sink.onGone();
            }
        } else if (!started && (sequence.isGone(uid) || status.code("EXPUNGEISSUE").isPresent())) {
            sink.onGone();
        } else {
            sink.onFailure(new ImapLinkException(ImapFailure.REFUSED,
                    "UID FETCH answered " + status.condition() + ": " + status.text()));
        }
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        if (!finished) {
            finished = true;
            sink.onFailure(cause);
        }
    }
}
