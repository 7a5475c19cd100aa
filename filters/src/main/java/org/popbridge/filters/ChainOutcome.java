package org.popbridge.filters;

import java.util.List;

/**
 * What the chain made of one message's headers.
 *
 * @param disposition deliver, hide, or refuse (a failure under {@link FailurePolicy#CLOSED})
 * @param headers the header block the client gets, with every successful filter's edits
 * @param findings what the filters found, in chain order
 * @param failures the filters that failed and were skipped (or that refused the message)
 */
public record ChainOutcome(Disposition disposition, HeaderBlock headers, List<FilterFinding> findings,
                           List<FilterFailure> failures) {

    /** What becomes of the message. */
    public enum Disposition { DELIVER, HIDE, REFUSE }

    public ChainOutcome {
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
    }
}
