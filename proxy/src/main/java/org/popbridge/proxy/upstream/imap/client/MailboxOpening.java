package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Opening the folder a POP3 maildrop is read from: SELECT, then the UID and size of every message. */
final class MailboxOpening {

    private MailboxOpening() {
    }

    /** "SELECT folder" (RFC 9051 section 6.3.2): UIDVALIDITY, EXISTS and whether it is read-only. */
    static CompletableFuture<SelectedMailbox> select(ImapLink link, String folder) {
        long[] uidValidity = {-1};
        long[] exists = {0};
        StatusExchange exchange = new StatusExchange(response -> {
            if (response instanceof StatusResponse status && status.code("UIDVALIDITY").isPresent()) {
                uidValidity[0] = status.code("UIDVALIDITY").get().number();
            } else if (response instanceof ExistsResponse count) {
                exists[0] = count.count();
            }
        });
        link.enqueue((tag, syntax) -> ImapCommand.builder(tag, "SELECT", syntax).astring(folder).build(), exchange, false);
        return exchange.result().thenApply(status -> {
            if (!status.isOk()) {
                throw new ImapLinkException(ImapFailure.REFUSED, "SELECT answered " + status.condition() + ": "
                        + status.text());
            }
            if (uidValidity[0] < 0) {
                throw new ImapLinkException(ImapFailure.PROTOCOL, "SELECT without UIDVALIDITY: no stable UIDL");
            }
            return new SelectedMailbox(folder, uidValidity[0], exists[0], status.code("READ-ONLY").isPresent());
        });
    }

    /**
     * The messages of the selected mailbox in UID order, by "FETCH 1:* (UID RFC822.SIZE)".
     * A plain FETCH, not UID FETCH: during it the server may not send EXPUNGE (RFC 9051
     * section 7.5.1), so message numbers and UIDs stay paired. An empty mailbox costs nothing.
     */
    static CompletableFuture<MailboxSnapshot> snapshot(ImapLink link, SelectedMailbox selected) {
        long uidValidity = selected.uidValidity();
        if (selected.exists() == 0) {
            return CompletableFuture.completedFuture(new MailboxSnapshot(uidValidity, List.of()));
        }
        List<MailboxSnapshot.Message> messages = new ArrayList<>();
        StatusExchange exchange = new StatusExchange(response -> {
            if (response instanceof FetchResponse fetch && fetch.uid().isPresent() && fetch.rfc822Size().isPresent()) {
                messages.add(new MailboxSnapshot.Message(fetch.uid().getAsLong(), fetch.rfc822Size().getAsLong()));
            }
        });
        link.enqueue((tag, syntax) -> ImapCommand.builder(tag, "FETCH", syntax).token("1:*").token("(UID RFC822.SIZE)")
                .build(), exchange, false);
        return exchange.result().thenApply(status -> {
            if (!status.isOk() && !messages.isEmpty()) {
                throw new ImapLinkException(ImapFailure.REFUSED, "FETCH answered " + status.condition());
            }
            // A NO or BAD with nothing fetched: the mailbox emptied after SELECT, as "1:*" is then invalid.
            messages.sort((a, b) -> Long.compare(a.uid(), b.uid()));
            return new MailboxSnapshot(uidValidity, messages);
        });
    }
}
