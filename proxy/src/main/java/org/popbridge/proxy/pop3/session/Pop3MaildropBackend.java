package org.popbridge.proxy.pop3.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.pop3.maildrop.ScanListing;

/**
 * A POP3 upstream behind a numbered maildrop: each command goes up under the upstream's
 * message number, and the upstream marks and deletes as RFC 1939 says, deleting only at QUIT.
 */
final class Pop3MaildropBackend implements MaildropBackend {

    /** TOP commands in flight at once on a pipelining upstream; enough to hide the round trips. */
    static final int WINDOW = 16;

    private final SessionContext session;
    private final boolean pipelining;

    Pop3MaildropBackend(SessionContext session, boolean pipelining) {
        this.session = session;
        this.pipelining = pipelining;
    }

    @Override
    public void list(Consumer<Listing> listed, Consumer<String> failed) {
        session.send("UIDL", true, new ListingReply(uids ->
                session.send("LIST", true, new ListingReply(sizes -> {
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
        session.send("TOP " + entry.upstreamNumber() + " 0", true, reply);
    }

    @Override
    public void retrieve(MaildropEntry entry, ReplyHandler reply) {
        forward(Pop3Verb.RETR, "RETR " + entry.upstreamNumber(), reply);
    }

    @Override
    public void top(MaildropEntry entry, String lines, ReplyHandler reply) {
        forward(Pop3Verb.TOP, "TOP " + entry.upstreamNumber() + " " + lines, reply);
    }

    @Override
    public void mark(MaildropEntry entry, ReplyHandler reply) {
        forward(Pop3Verb.DELE, "DELE " + entry.upstreamNumber(), reply);
    }

    @Override
    public void reset(ReplyHandler reply) {
        forward(Pop3Verb.RSET, "RSET", reply);
    }

    @Override
    public void noop(ReplyHandler reply) {
        forward(Pop3Verb.NOOP, "NOOP", reply);
    }

    @Override
    public void commit(ReplyHandler reply) {
        forward(Pop3Verb.QUIT, "QUIT", reply);
    }

    private void forward(Pop3Verb verb, String line, ReplyHandler reply) {
        session.forward(new Pop3Command(line), verb, reply);
    }
}
