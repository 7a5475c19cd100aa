package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The selected mailbox's message numbers mapped to UIDs, kept current from EXISTS, EXPUNGE
 * and VANISHED (RFC 9051 sections 7.4.1, 7.5.1; RFC 7162 section 3.2.10), and the UIDs that
 * went away meanwhile, so a POP3 message expunged by another client can be told apart from
 * a failure. A number whose UID was never seen (a message that arrived later) maps to 0.
 */
final class MailboxSequence {

    private final List<Long> uids = new ArrayList<>();
    private final Set<Long> gone = new HashSet<>();

    /** "* n EXISTS": numbers up to {@code count} exist. */
    void exists(long count) {
        while (uids.size() < count) {
            uids.add(0L);
        }
    }

    /** A FETCH response named both the number and the UID. */
    void learn(long number, long uid) {
        exists(number);
        uids.set((int) (number - 1), uid);
    }

    /** "* n EXPUNGE": number n is gone and the higher ones move down. */
    void expunged(long number) {
        if (number >= 1 && number <= uids.size()) {
            long uid = uids.remove((int) (number - 1));
            if (uid != 0) {
                gone.add(uid);
            }
        }
    }

    /** "* VANISHED uids": checked against the known UIDs, never expanded (it may be 1:4294967295). */
    void vanished(UidSet set) {
        for (int i = uids.size() - 1; i >= 0; i--) {
            long uid = uids.get(i);
            if (uid != 0 && set.contains(uid)) {
                uids.remove(i);
                gone.add(uid);
            }
        }
    }

    /** The UID at message number {@code number}, 0 when not known. */
    long uidAt(long number) {
        return number >= 1 && number <= uids.size() ? uids.get((int) (number - 1)) : 0;
    }

    boolean isGone(long uid) {
        return gone.contains(uid);
    }

    Set<Long> goneUids() {
        return Set.copyOf(gone);
    }
}
