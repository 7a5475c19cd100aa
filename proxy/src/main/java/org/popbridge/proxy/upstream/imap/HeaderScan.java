package org.popbridge.proxy.upstream.imap;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.pop3.session.HeaderPass;
import org.popbridge.proxy.pop3.session.ReplyHandler;
import org.popbridge.proxy.upstream.imap.client.HeaderSink;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
import org.popbridge.proxy.upstream.imap.client.MessageSink;

/**
 * The login scan's header blocks read in one pass ({@code ImapLink.headers}) and handed to the
 * session's {@link HeaderPass} entry by entry, each as the reply to {@code TOP n 0} would be.
 */
final class HeaderScan implements HeaderSink {

    private final HeaderPass pass;
    private final Runnable answered;
    private final Map<Long, MaildropEntry> entries;
    private final List<MailboxSnapshot.Message> messages;

    /**
     * @param wanted the entries whose header blocks the scan wants, in maildrop order
     * @param answered runs when the pass is over, before the scan hears it: the request's own reply
     */
    HeaderScan(MailboxSnapshot snapshot, List<MaildropEntry> wanted, HeaderPass pass, Runnable answered) {
        this.pass = pass;
        this.answered = answered;
        this.entries = new HashMap<>(wanted.size() * 2);
        this.messages = new ArrayList<>(wanted.size());
        for (MaildropEntry entry : wanted) {
            MailboxSnapshot.Message message = snapshot.message(entry.upstreamNumber()).orElseThrow();
            messages.add(message);
            entries.put(message.uid(), entry);
        }
    }

    /** The messages to ask the link for, in UID order as the maildrop's. */
    List<MailboxSnapshot.Message> messages() {
        return messages;
    }

    @Override
    public MessageSink header(MailboxSnapshot.Message message) {
        return new HeaderReply(pass.reader(entries.get(message.uid())));
    }

    @Override
    public void gone(MailboxSnapshot.Message message) {
        pass.gone(entries.get(message.uid()));
    }

    @Override
    public void refused(MailboxSnapshot.Message message, ImapLinkException cause) {
        MaildropEntry entry = entries.get(message.uid());
        pass.reader(entry).onStatus(StatusLine.err("[SYS/TEMP] the mail server cannot send message "
                + entry.upstreamNumber() + " now"));
    }

    @Override
    public void finished() {
        answered.run();
        pass.finished();
    }

    /** One header block as a TOP reply; a broken link reports itself, so a failure adds nothing here. */
    private record HeaderReply(ReplyHandler reader) implements MessageSink {
        @Override
        public void onStart(long size) {
            reader.onStatus(StatusLine.ok("top of message follows"));
        }

        @Override
        public void onChunk(ByteBuf chunk) {
            reader.onContent(new ContentChunk(chunk));
        }

        @Override
        public void onEnd() {
            reader.onEnd();
        }

        @Override
        public void onGone() {
            // Not for a header block of a pass: HeaderSink.gone says it.
        }

        @Override
        public void onFailure(ImapLinkException cause) {
            // The link ends the session, which sees the cut.
        }
    }
}
