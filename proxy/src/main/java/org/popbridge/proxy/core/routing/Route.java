package org.popbridge.proxy.core.routing;

import java.util.Objects;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamAuth;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * Where the users a pattern matches are served: the upstream, how their name is rewritten
 * for it, how they log in there, and for an IMAP upstream how its mailbox is read.
 *
 * @param imap the IMAP settings; null exactly when the upstream speaks POP3
 * @param auth how the client's login becomes the server's: its own password, or an access token
 */
public record Route(UserPattern match, UpstreamConnector connector, UserRewrite rewrite, ImapOptions imap,
                    UpstreamAuth auth) {

    public Route {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(auth, "auth");
        boolean isImap = connector.endpoint().scheme().protocol() == UpstreamScheme.Protocol.IMAP;
        if (isImap != (imap != null)) {
            throw new IllegalArgumentException("IMAP settings go with an IMAP upstream and only with it");
        }
    }

    /** A route whose users log in upstream with their own password ({@code auth: password}). */
    public Route(UserPattern match, UpstreamConnector connector, UserRewrite rewrite, ImapOptions imap) {
        this(match, connector, rewrite, imap, UpstreamAuth.PASSWORD);
    }

    public boolean translatesToImap() {
        return imap != null;
    }
}
