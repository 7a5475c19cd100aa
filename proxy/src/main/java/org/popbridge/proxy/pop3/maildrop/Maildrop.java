package org.popbridge.proxy.pop3.maildrop;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The maildrop as the client sees it when filters are on: the messages it may see, numbered
 * 1..n at login and fixed for the session (RFC 1939 section 4), with the deletions marked so
 * far. Messages a filter hides are not in it; they are never numbered, listed or deleted.
 */
public final class Maildrop {

    private final List<MaildropEntry> messages;
    private final BitSet deleted = new BitSet();
    private final boolean uidsKnown;

    /**
     * @param messages the visible messages in upstream order
     * @param uidsKnown whether the upstream gave a UIDL listing
     */
    public Maildrop(List<MaildropEntry> messages, boolean uidsKnown) {
        this.messages = new ArrayList<>(messages);
        this.uidsKnown = uidsKnown;
    }

    /** The message numbered {@code number} if it exists and is not marked deleted. */
    public Optional<MaildropEntry> message(int number) {
        if (!exists(number) || deleted.get(number)) {
            return Optional.empty();
        }
        return Optional.of(messages.get(number - 1));
    }

    public boolean exists(int number) {
        return number >= 1 && number <= messages.size();
    }

    public boolean isDeleted(int number) {
        return exists(number) && deleted.get(number);
    }

    /** DELE was accepted upstream: the message leaves STAT, LIST and UIDL until RSET (RFC 1939 section 5). */
    public void markDeleted(int number) {
        if (exists(number)) {
            deleted.set(number);
        }
    }

    /** The upstream refused a DELE the maildrop had marked: the message is back. */
    public void unmarkDeleted(int number) {
        deleted.clear(number);
    }

    /** RSET: every mark is gone; the marks as they were are returned, should the upstream refuse. */
    public BitSet clearDeletions() {
        BitSet before = (BitSet) deleted.clone();
        deleted.clear();
        return before;
    }

    /** The upstream refused an RSET: the marks it would have cleared are back, beside any made since. */
    public void restoreDeletions(BitSet marks) {
        deleted.or(marks);
    }

    /** The messages marked deleted, in maildrop order: what QUIT removes. */
    public List<MaildropEntry> deleted() {
        List<MaildropEntry> marked = new ArrayList<>();
        deleted.stream().forEach(number -> marked.add(messages.get(number - 1)));
        return marked;
    }

    public int deletedCount() {
        return deleted.cardinality();
    }

    /** The filters' outcome became known on RETR or TOP: LIST reports the size the client receives. */
    public void outcomeKnown(int number, int sizeDelta) {
        if (exists(number)) {
            messages.set(number - 1, messages.get(number - 1).withOutcome(sizeDelta));
        }
    }

    public boolean uidsKnown() {
        return uidsKnown;
    }

    /** STAT's figures: messages not marked deleted and their total size (RFC 1939 section 5). */
    public Stat stat() {
        int count = 0;
        long octets = 0;
        for (int number = 1; number <= messages.size(); number++) {
            if (!deleted.get(number)) {
                count++;
                octets += messages.get(number - 1).clientSize();
            }
        }
        return new Stat(count, octets);
    }

    /** The scan listing lines of LIST or UIDL: "n size" or "n uid" for every message not marked deleted. */
    public List<String> listing(Column column) {
        List<String> lines = new ArrayList<>();
        for (int number = 1; number <= messages.size(); number++) {
            if (!deleted.get(number)) {
                lines.add(line(number, column));
            }
        }
        return lines;
    }

    /** One scan listing line for a message not marked deleted. */
    public String line(int number, Column column) {
        MaildropEntry entry = messages.get(number - 1);
        return number + " " + (column == Column.SIZE ? Long.toString(entry.clientSize()) : entry.uidl());
    }

    /** The client's number for an upstream message number, for LAST; 0 if none of the visible ones is at or below it. */
    public int clientNumberAtOrBelow(int upstreamNumber) {
        int number = 0;
        for (int i = 0; i < messages.size() && messages.get(i).upstreamNumber() <= upstreamNumber; i++) {
            number = i + 1;
        }
        return number;
    }

    public int size() {
        return messages.size();
    }

    /** What a scan listing line carries after the message number. */
    public enum Column { SIZE, UID }

    /** The figures of a STAT reply. */
    public record Stat(int messages, long octets) {}
}
