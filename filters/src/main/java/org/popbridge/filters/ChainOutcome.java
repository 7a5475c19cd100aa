package org.popbridge.filters;

import java.util.List;

/**
 * What the chain made of one message's headers.
 *
 * @param disposition deliver, hide, or refuse (a filter's verdict, or a failure under {@link FailurePolicy#CLOSED})
 * @param headers the header block the client gets, with every successful filter's edits
 * @param findings what the filters found, in chain order
 * @param failures the filters that failed and were skipped (or that refused the message)
 * @param refusal the finding of the filter that refused the message, or null (not refused, or refused by a failure)
 */
public record ChainOutcome(Disposition disposition, HeaderBlock headers, List<FilterFinding> findings,
                           List<FilterFailure> failures, FilterFinding refusal) {

    /** What becomes of the message. */
    public enum Disposition { DELIVER, HIDE, REFUSE }

    public ChainOutcome {
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
    }

    /** An outcome no filter refused. */
    public ChainOutcome(Disposition disposition, HeaderBlock headers, List<FilterFinding> findings,
                        List<FilterFailure> failures) {
        this(disposition, headers, findings, failures, null);
    }
}
