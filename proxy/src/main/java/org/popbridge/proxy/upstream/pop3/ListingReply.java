package org.popbridge.proxy.upstream.pop3;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.ScanListing;
import org.popbridge.proxy.pop3.session.ReplyHandler;

/**
 * Reads the proxy's own LIST or UIDL at login (RFC 1939 sections 5 and 7) line by line, however
 * the chunks fall. The answer is the values by message number; null if the upstream said -ERR
 * or sent a line that is not a scan listing.
 */
final class ListingReply implements ReplyHandler {

    /** No scan listing line comes near this; a longer one is an upstream that is not speaking POP3. */
    private static final int LINE_LIMIT = 1024;

    private final Consumer<Map<Integer, String>> answer;
    private final ScanListing listing = new ScanListing();
    private final StringBuilder line = new StringBuilder();
    private boolean broken;

    ListingReply(Consumer<Map<Integer, String>> answer) {
        this.answer = answer;
    }

    @Override
    public void onStatus(StatusLine status) {
        if (!status.isOk()) {
            answer.accept(null);
        }
    }

    @Override
    public void onContent(ContentChunk chunk) {
        try {
            ByteBuf content = chunk.content();
            while (content.isReadable() && !broken) {
                char c = (char) (content.readByte() & 0xff);
                if (c == '\n') {
                    take();
                } else if (c != '\r') {
                    line.append(c);
                    broken = line.length() > LINE_LIMIT;
                }
            }
        } finally {
            chunk.release();
        }
    }

    @Override
    public void onEnd() {
        if (!line.isEmpty()) {
            take();
        }
        answer.accept(broken ? null : listing.values());
    }

    private void take() {
        if (!broken && !line.toString().isBlank()) {
            try {
                listing.add(line.toString());
            } catch (IllegalArgumentException e) {
                broken = true;
            }
        }
        line.setLength(0);
    }
}
