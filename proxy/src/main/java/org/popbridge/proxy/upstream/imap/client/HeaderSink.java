package org.popbridge.proxy.upstream.imap.client;

/**
 * Receives the header blocks {@link ImapLink#headers} reads in one pass, one message after the
 * other as the server sends them. Called on the link's event loop. Every message asked for is
 * given, once, to exactly one of {@link #header}, {@link #gone} and {@link #refused}, then
 * {@link #finished()} follows. If the link fails, the message under way gets its sink's
 * {@link MessageSink#onFailure}, nothing more comes, and the link tells its listener.
 */
public interface HeaderSink {

    /**
     * The header block of {@code message} arrives next: its octets go to the sink returned, which
     * gets {@link MessageSink#onStart} (size -1), the chunks, then {@link MessageSink#onEnd} once
     * the server's response for it is complete, or {@link MessageSink#onFailure}.
     */
    MessageSink header(MailboxSnapshot.Message message);

    /** The server sent nothing for {@code message}: another client expunged it since the snapshot. */
    void gone(MailboxSnapshot.Message message);

    /** The server refused the command that asked for {@code message} (NO or BAD) before sending it. */
    void refused(MailboxSnapshot.Message message, ImapLinkException cause);

    /** Every message asked for has been handed on, or reported gone or refused. */
    void finished();
}
