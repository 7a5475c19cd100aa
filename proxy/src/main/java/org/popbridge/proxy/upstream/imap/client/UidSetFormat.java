package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes UIDs as sequence-sets (RFC 9051 section 9), "3:5,8", split so that no command line
 * grows past what servers accept (RFC 7162 section 4 asks clients to stay under 8192 octets).
 */
final class UidSetFormat {

    /** Longest set text per command, leaving room for "A12 UID STORE ... +FLAGS.SILENT (\Deleted)". */
    static final int MAX_SET_LENGTH = 4000;

    private UidSetFormat() {
    }

    /** The UIDs, sorted and merged into ranges, as one or more set texts each at most {@code maxLength} long. */
    static List<String> sets(Collection<Long> uids, int maxLength) {
        List<String> sets = new ArrayList<>();
        StringBuilder set = new StringBuilder();
        TreeSet<Long> sorted = new TreeSet<>(uids);
        Long first = null;
        long last = 0;
        for (long uid : sorted) {
            if (uid < 1) {
                throw new IllegalArgumentException("UID " + uid);
            }
            if (first != null && uid == last + 1) {
                last = uid;
                continue;
            }
            if (first != null) {
                append(sets, set, range(first, last), maxLength);
            }
            first = uid;
            last = uid;
        }
        if (first != null) {
            append(sets, set, range(first, last), maxLength);
        }
        if (set.length() > 0) {
            sets.add(set.toString());
        }
        return sets;
    }

    private static String range(long first, long last) {
        return first == last ? Long.toString(first) : first + ":" + last;
    }

    private static void append(List<String> sets, StringBuilder set, String range, int maxLength) {
        if (set.length() > 0 && set.length() + 1 + range.length() > maxLength) {
            sets.add(set.toString());
            set.setLength(0);
        }
        if (set.length() > 0) {
            set.append(',');
        }
        set.append(range);
    }
}
