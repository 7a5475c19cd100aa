package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.popbridge.proxy.core.upstream.UidlFormat;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * The selected mailbox's messages at login, in UID order: the POP3 maildrop of the session
 * (message n is {@code messages().get(n - 1)}, fixed for the session, RFC 1939 section 4).
 */
public record MailboxSnapshot(long uidValidity, List<Message> messages) {

    /** A message by UID, with its RFC822.SIZE, which counts CRLF line ends as POP3 sizes do. */
    public record Message(long uid, long size) {
    }

    public MailboxSnapshot {
        messages = List.copyOf(messages);
    }

    /** The POP3 unique-id of a UID, written as {@code format} says: stable across sessions and unique in the mailbox. */
    public String uidl(UidlFormat format, long uid) {
        return format.uidl(uidValidity, uid);
    }

    /** The message numbered {@code number} (1-based), if there is one. */
    public Optional<Message> message(int number) {
        return number >= 1 && number <= messages.size() ? Optional.of(messages.get(number - 1)) : Optional.empty();
    }

    /** Maildrop entries numbered 1..n with popbridge's own UIDLs ({@code UIDVALIDITY.UID}). */
    public List<MaildropEntry> entries() {
        return entries(UidlFormat.DEFAULT);
    }

    /** Maildrop entries numbered 1..n, their UIDLs written as {@code format} says, for {@link org.popbridge.proxy.pop3.maildrop.Maildrop}. */
    public List<MaildropEntry> entries(UidlFormat format) {
        List<MaildropEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            entries.add(MaildropEntry.unfiltered(i + 1, uidl(format, message.uid()), message.size()));
        }
        return entries;
    }
}
