package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of UIDs as IMAP writes it (RFC 9051 section 9, sequence-set without "*"):
 * "41,43:116,118". Kept as ranges, since "1:4294967295" is a valid set.
 */
public record UidSet(List<Range> ranges) {

    /** first..last inclusive, first &lt;= last. */
    public record Range(long first, long last) {
        public Range {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("UID range " + first + ":" + last);
            }
        }
    }

    public UidSet {
        ranges = List.copyOf(ranges);
    }

    /** Parses "n", "n:m" (either order) and comma-separated lists of them. */
    public static UidSet parse(String text) {
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            long a = parseUid(colon < 0 ? part : part.substring(0, colon));
            long b = colon < 0 ? a : parseUid(part.substring(colon + 1));
            ranges.add(new Range(Math.min(a, b), Math.max(a, b)));
        }
        return new UidSet(ranges);
    }

    private static long parseUid(String digits) {
        ImapTextReader reader = new ImapTextReader(digits);
        long uid = reader.number();
        if (!reader.atEnd() || uid == 0) {
            throw new ImapSyntaxException("malformed UID set");
        }
        return uid;
    }

    public boolean contains(long uid) {
        for (Range range : ranges) {
            if (uid >= range.first() && uid <= range.last()) {
                return true;
            }
        }
        return false;
    }
}
