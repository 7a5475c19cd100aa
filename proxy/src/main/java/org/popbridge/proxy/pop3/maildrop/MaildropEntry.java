package org.popbridge.proxy.pop3.maildrop;

/**
 * One message the client can see, as numbered at login.
 *
 * @param upstreamNumber its number in the upstream's maildrop
 * @param uidl the upstream's unique id, or null if the upstream has no UIDL
 * @param upstreamSize its size as the upstream's LIST gave it
 * @param sizeDelta how much the filters change its size, once known
 * @param outcomeKnown whether the filters' outcome for it is known, so its size is exact
 */
public record MaildropEntry(int upstreamNumber, String uidl, long upstreamSize, int sizeDelta, boolean outcomeKnown) {

    /** A message the filters have not seen yet. */
    public static MaildropEntry unfiltered(int upstreamNumber, String uidl, long upstreamSize) {
        return new MaildropEntry(upstreamNumber, uidl, upstreamSize, 0, false);
    }

    /**
     * The size LIST and STAT report: what the client will receive when the filters' outcome is
     * known, the upstream's size until then.
     */
    public long clientSize() {
        return Math.max(0, upstreamSize + sizeDelta);
    }

    public MaildropEntry withOutcome(int newSizeDelta) {
        return new MaildropEntry(upstreamNumber, uidl, upstreamSize, newSizeDelta, true);
    }
}
