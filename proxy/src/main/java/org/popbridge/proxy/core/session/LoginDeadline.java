package org.popbridge.proxy.core.session;

/**
 * The user event a session gets when {@code login-timeout} has passed since the client
 * connected: a session not logged in by then is closed, however busily the client trickles.
 */
public enum LoginDeadline {
    INSTANCE
}
