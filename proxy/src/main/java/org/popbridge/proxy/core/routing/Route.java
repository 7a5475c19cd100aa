package org.popbridge.proxy.core.routing;

import java.util.Objects;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * Where the users a pattern matches are served: the upstream, how their name is rewritten
 * for it, and for an IMAP upstream how its mailbox is read.
 *
 * @param imap the IMAP settings; null exactly when the upstream speaks POP3
 */
public record Route(UserPattern match, UpstreamConnector connector, UserRewrite rewrite, ImapOptions imap) {

    public Route {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(rewrite, "rewrite");
        boolean isImap = connector.endpoint().scheme().protocol() == UpstreamScheme.Protocol.IMAP;
        if (isImap != (imap != null)) {
            throw new IllegalArgumentException("IMAP settings go with an IMAP upstream and only with it");
        }
    }

    public boolean translatesToImap() {
        return imap != null;
    }
}
