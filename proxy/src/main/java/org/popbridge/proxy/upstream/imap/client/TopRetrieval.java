package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * POP3 TOP n k from IMAP (RFC 1939 section 7): "BODY.PEEK[HEADER]", which ends with the
 * blank line (RFC 9051 section 6.4.5), then the first k lines of "BODY.PEEK[TEXT]" by
 * partial fetches "&lt;offset.length&gt;" of growing length, stopping as soon as k lines are
 * complete or the text ends. A 50 MB message costs its header and a few kilobytes.
 * The steps run back to back, before any other queued command.
 */
final class TopRetrieval {

    /** The first partial fetch: enough for a few dozen ordinary lines. */
    static final long FIRST_PARTIAL = 4096;
    /** Partial fetches double up to this length. */
    static final long MAX_PARTIAL = 1024 * 1024;

    private final ImapLink link;
    private final long uid;
    /** RFC822.SIZE: a header block this long is the whole message, which has no blank line to complete. */
    private final long messageSize;
    private final long lines;
    private final MailboxSequence sequence;
    private final MessageSink sink;
    private long linesLeft;
    private boolean finished;

    TopRetrieval(ImapLink link, MailboxSnapshot.Message message, long lines, MailboxSequence sequence,
                 MessageSink sink) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines " + lines);
        }
        this.link = link;
        this.uid = message.uid();
        this.messageSize = message.size();
        this.lines = lines;
        this.linesLeft = lines;
        this.sequence = sequence;
        this.sink = sink;
    }

    void start(boolean first) {
        link.enqueue((tag, syntax) -> fetch(tag, syntax, "BODY.PEEK[HEADER]"), new HeaderStep(), first);
    }

    private ImapCommand fetch(String tag, StringSyntax syntax, String item) {
        return ImapCommand.builder(tag, "UID", syntax).token("FETCH").token(Long.toString(uid))
                .token("(" + item + ")").build();
    }

    private void fail(ImapLinkException cause) {
        if (!finished) {
            finished = true;
            sink.onFailure(cause);
        }
    }

    private void end() {
        finished = true;
        sink.onEnd();
    }

    private void nextText(long offset, long length) {
        link.enqueue((tag, syntax) -> fetch(tag, syntax, "BODY.PEEK[TEXT]<" + offset + "." + length + ">"),
                new TextStep(offset, length), true);
    }

    private static ImapLinkException refused(StatusResponse status) {
        return new ImapLinkException(ImapFailure.REFUSED,
                "UID FETCH answered " + status.condition() + ": " + status.text());
    }

    /** The header block, passed on whole, with the blank line {@link HeaderBlockEnd} finds missing. */
    private final class HeaderStep implements ResponseHandler {
        private final HeaderBlockEnd blockEnd = new HeaderBlockEnd();
        private boolean started;

        @Override
        public boolean onLiteralStart(ImapResponse soFar, long size) {
            if (started || !FetchedLiteral.isFor(soFar, uid, "BODY[HEADER]", false, sequence)) {
                return false;
            }
            started = true;
            sink.onStart(-1);
            return true;
        }

        @Override
        public void onLiteralChunk(ByteBuf chunk) {
            blockEnd.saw(chunk);
            sink.onChunk(chunk);
        }

        private void completeBlankLine() {
            ByteBuf crlf = blockEnd.missingBlankLine(messageSize);
            if (crlf != null) {
                sink.onChunk(crlf);
            }
        }

        @Override
        public void onTagged(StatusResponse status) {
            if (started && status.isOk()) {
                completeBlankLine();
            }
            if (!started) {
                boolean gone = status.isOk() || sequence.isGone(uid) || status.code("EXPUNGEISSUE").isPresent();
                finished = true;
                if (gone) {
                    sink.onGone();
                } else {
                    sink.onFailure(refused(status));
                }
            } else if (!status.isOk()) {
                fail(refused(status));
            } else if (lines == 0) {
                end();
            } else {
                nextText(0, Math.min(MAX_PARTIAL, Math.max(FIRST_PARTIAL, lines * 128)));
            }
        }

        @Override
        public void onFailure(ImapLinkException cause) {
            fail(cause);
        }
    }

    /** One partial range of the text: passes on octets up to the LF that completes the k-th line. */
    private final class TextStep implements ResponseHandler {
        private final long offset;
        private final long length;
        private boolean started;
        private long received;

        TextStep(long offset, long length) {
            this.offset = offset;
            this.length = length;
        }

        @Override
        public boolean onLiteralStart(ImapResponse soFar, long size) {
            if (started || !FetchedLiteral.isFor(soFar, uid, "BODY[TEXT]", true, sequence)) {
                return false;
            }
            started = true;
            return true;
        }

        @Override
        public void onLiteralChunk(ByteBuf chunk) {
            received += chunk.readableBytes();
            if (linesLeft == 0) {
                chunk.release();
                return;
            }
            int lastLf = chunk.forEachByte(new ByteProcessor() {
                @Override
                public boolean process(byte value) {
                    return value != '\n' || --linesLeft > 0;
                }
            });
            if (lastLf < 0) {
                sink.onChunk(chunk);
                return;
            }
            try {
                sink.onChunk(chunk.retainedSlice(chunk.readerIndex(), lastLf + 1 - chunk.readerIndex()));
            } finally {
                chunk.release();
            }
        }

        @Override
        public void onTagged(StatusResponse status) {
            if (!status.isOk()) {
                fail(refused(status));
            } else if (linesLeft == 0 || received < length) {
                // No literal at all (NIL or "" for a range past the end) is a text that ended too.
                end();
            } else {
                nextText(offset + received, Math.min(MAX_PARTIAL, length * 2));
            }
        }

        @Override
        public void onFailure(ImapLinkException cause) {
            fail(cause);
        }
    }
}
