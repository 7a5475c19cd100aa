package org.popbridge.oauth;

/** How an enrolled user's access tokens are obtained. */
public enum GrantKind {
    /** With the user's refresh token (enrolled by the device or authorization-code flow). */
    DELEGATED,
    /** With the client-credentials grant: app-only access to the account's mailbox, no refresh token. */
    CLIENT_CREDENTIALS
}
