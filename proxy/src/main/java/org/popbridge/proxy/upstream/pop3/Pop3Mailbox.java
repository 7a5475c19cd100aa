package org.popbridge.proxy.upstream.pop3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.pop3.maildrop.ScanListing;
import org.popbridge.proxy.pop3.session.Mailbox;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.ReplyHandler;

/**
 * A POP3 server's maildrop behind the session's numbering: each message is asked for under
 * the server's own number, and the server marks and deletes as RFC 1939 says, deleting only
 * at QUIT.
 */
final class Pop3Mailbox implements Mailbox {

    /** TOP commands in flight at once on a pipelining upstream; enough to hide the round trips. */
    static final int WINDOW = 16;

    private final Pop3Relay relay;
    private final boolean pipelining;

    Pop3Mailbox(Pop3Relay relay, boolean pipelining) {
        this.relay = relay;
        this.pipelining = pipelining;
    }

    @Override
    public void list(Consumer<Listing> listed, Consumer<String> failed) {
        sendNow(Pop3Command.of(Pop3Verb.UIDL), new ListingReply(uids ->
                sendNow(Pop3Command.of(Pop3Verb.LIST), new ListingReply(sizes -> {
                    if (sizes == null) {
                        failed.accept("the upstream's LIST could not be read");
                        return;
                    }
                    try {
                        listed.accept(new Listing(entries(uids, sizes), uids != null));
                    } catch (IllegalArgumentException e) {
                        failed.accept("the upstream's LIST could not be read: " + e.getMessage());
                    }
                }))));
    }

    private static List<MaildropEntry> entries(Map<Integer, String> uids, Map<Integer, String> sizes) {
        List<MaildropEntry> entries = new ArrayList<>();
        for (Map.Entry<Integer, String> listed : sizes.entrySet()) {
            int number = listed.getKey();
            entries.add(MaildropEntry.unfiltered(number, uids == null ? null : uids.get(number),
                    ScanListing.size(listed.getValue())));
        }
        return entries;
    }

    @Override
    public int headerReadsInFlight() {
        return pipelining ? WINDOW : 1;
    }

    @Override
    public void headers(MaildropEntry entry, ReplyHandler reply) {
        sendNow(Pop3Command.of(Pop3Verb.TOP, entry.upstreamNumber(), 0), reply);
    }

    @Override
    public void retrieve(MaildropEntry entry, ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.RETR, entry.upstreamNumber()), reply);
    }

    @Override
    public void top(MaildropEntry entry, String lines, ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.TOP, entry.upstreamNumber(), lines), reply);
    }

    @Override
    public void mark(MaildropEntry entry, ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.DELE, entry.upstreamNumber()), reply);
    }

    @Override
    public void reset(ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.RSET), reply);
    }

    @Override
    public void noop(ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.NOOP), reply);
    }

    /** The server applies its own marks at QUIT: they are the session's, sent one DELE at a time. */
    @Override
    public void commit(List<MaildropEntry> deleted, ReplyHandler reply) {
        send(Pop3Command.of(Pop3Verb.QUIT), reply);
    }

    /** Sent with the client's commands, flushed when the session has handled what it read. */
    private void send(Pop3Command command, ReplyHandler reply) {
        relay.send(command, PendingCommand.of(command, reply));
    }

    /** The proxy's own commands at login, when no client command will flush them. */
    private void sendNow(Pop3Command command, ReplyHandler reply) {
        send(command, reply);
        relay.flush();
    }
}
