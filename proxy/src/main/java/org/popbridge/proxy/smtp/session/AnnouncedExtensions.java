package org.popbridge.proxy.smtp.session;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What a submission server announced at its latest login, shared by every session that sends
 * there: a client's EHLO is answered from it before the client has logged in, so no server is
 * contacted for a client that has not (invariant 8). Until a first login, nothing is known.
 */
public final class AnnouncedExtensions {

    private final AtomicReference<ServerExtensions> latest = new AtomicReference<>(ServerExtensions.UNKNOWN);

    public ServerExtensions latest() {
        return latest.get();
    }

    /** The server said EHLO again at a login: it may have changed. */
    void learn(ServerExtensions extensions) {
        if (extensions.known()) {
            latest.set(extensions);
        }
    }
}
