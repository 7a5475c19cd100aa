package org.popbridge.proxy.core.filtering;

import org.popbridge.filters.ChainOutcome.Disposition;

/** A cached outcome as LIST and the login scan need it: whether the message is hidden, and its size change. */
public record KnownOutcome(Disposition disposition, int sizeDelta) {

    public boolean hidden() {
        return disposition == Disposition.HIDE;
    }
}
