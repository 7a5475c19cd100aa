package org.popbridge.proxy.core.filtering;

import java.util.List;
import org.popbridge.filters.ChainOutcome.Disposition;
import org.popbridge.filters.FilterFailure;
import org.popbridge.filters.FilterFinding;

/**
 * What the chain made of one message's header block, as the session uses it.
 *
 * @param disposition deliver, hide, or refuse (a failure under fail-closed)
 * @param headers the header block octets the client gets
 * @param sizeDelta how many octets longer (or shorter, if negative) the message becomes
 * @param findings what the filters found
 * @param failures the filters that failed on it
 * @param cached whether this came from the verdict cache rather than a run of the chain
 */
public record FilterResult(Disposition disposition, byte[] headers, int sizeDelta, List<FilterFinding> findings,
                           List<FilterFailure> failures, boolean cached) {

    public FilterResult {
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
    }

    /** The header block passes as it came: the filters were not run on it. */
    public static FilterResult unfiltered(byte[] headers) {
        return new FilterResult(Disposition.DELIVER, headers, 0, List.of(), List.of(), false);
    }

    public boolean hidden() {
        return disposition == Disposition.HIDE;
    }

    public boolean refused() {
        return disposition == Disposition.REFUSE;
    }
}
