package org.popbridge.proxy.core.metrics;

/**
 * What the sessions of one listener count, for the metrics endpoint; the listener and its
 * protocol are bound when it is made. Called on session event loops, so every method is quick
 * and never blocks. Nothing passed here names a user or a client address.
 */
public interface ListenerMeters {

    /** Counts nothing: a proxy without {@code metrics:}, and tests. */
    ListenerMeters NONE = new Unmetered();

    /** A connection was admitted and its session starts. */
    void sessionOpened();

    /** A session admitted by {@link #sessionOpened()} is over. */
    void sessionClosed();

    /** A client logged in. */
    void loggedIn();

    void loginFailed(LoginFailure reason);

    /** A client logged in and its server took an OAuth 2.0 access token for it (auth: oauth2). */
    void bearerLoggedIn();

    /** No access token could be had for a client's login (auth: oauth2); the login failed. */
    void tokenFailed(TokenFailure reason);

    /**
     * Reaching or logging in to a mail server failed.
     *
     * @param route the upstream's URL, or the route table's description when no route took the user
     */
    void upstreamFailed(String route, UpstreamStage stage);

    /** Octets read from the client (after TLS: protocol octets). */
    void octetsFromClient(long octets);

    /** Octets written to the client (before TLS: protocol octets). */
    void octetsToClient(long octets);

    /** A message went to the client whole (RETR). */
    void retrieved();

    /** QUIT applied {@code count} deletions upstream. */
    void deleted(int count);

    /** The submission server accepted a message (its 250 after the "."). */
    void sent();

    /** A client's TLS handshake succeeded with this protocol version and cipher suite. */
    void clientTls(String version, String cipher);

    /** A client's TLS handshake failed (an old client the profile refuses, or no TLS at all). */
    void clientTlsFailed();

    /** A client ran into one of the configured limits. */
    void limitHit(Limit limit);
}
