package org.popbridge.proxy.core.upstream;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Says once per upstream, at WARN, that it cannot be told the client's address (it offers no
 * XCLIENT or ID, or popbridge is not among its trusted networks); after that at DEBUG, since
 * every session to it would say the same.
 */
public final class ForwardingWarning {

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Logs that the server at {@code url} was not told where the session's client is, and why. */
    public void report(Logger log, String sessionId, String url, String why) {
        if (warned.compareAndSet(false, true)) {
            log.warn("[{}] forward-client-address: {} {}, so it sees popbridge as the client "
                    + "(said once per upstream)", sessionId, url, why);
        } else {
            log.debug("[{}] client address not forwarded to {}: {}", sessionId, url, why);
        }
    }
}
