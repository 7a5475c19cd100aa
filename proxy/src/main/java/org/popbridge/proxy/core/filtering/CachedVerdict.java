package org.popbridge.proxy.core.filtering;

import java.util.List;
import org.popbridge.filters.ChainOutcome.Disposition;
import org.popbridge.filters.FilterFinding;

/**
 * A chain outcome kept for the next TOP, RETR or session. The edited header block is kept
 * only when the filters changed it; an unchanged message costs a few dozen octets.
 *
 * @param original the fingerprint of the header block the chain ran on
 * @param edited the header block the client gets, or null if it is the original
 */
record CachedVerdict(HeaderFingerprint original, Disposition disposition, byte[] edited, int sizeDelta,
                     List<FilterFinding> findings) {

    /** Octets this entry holds, for the cache's weight bound. */
    int weight() {
        int findingsWeight = 0;
        for (FilterFinding finding : findings) {
            findingsWeight += finding.filter().length() + finding.text().length();
        }
        return 64 + (edited == null ? 0 : edited.length) + findingsWeight;
    }
}
