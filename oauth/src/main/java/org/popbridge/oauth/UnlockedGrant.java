package org.popbridge.oauth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's enrolment, decrypted by {@link TokenStore#unlock}: the account to log in upstream with
 * and, for a delegated grant, the refresh token. It also holds the file's key (never exposed), so a
 * rotated refresh token can be written back without the password. toString hides the token.
 */
public final class UnlockedGrant {
    private final String user;
    private final String providerId;
    private final GrantKind kind;
    private final String account;
    private final Optional<String> refreshToken;
    private final Instant created;
    private final Instant updated;
    private final String enrolmentId;
    private final byte[] key;

    UnlockedGrant(String user, String providerId, GrantKind kind, String account, Optional<String> refreshToken,
            Instant created, Instant updated, String enrolmentId, byte[] key) {
        this.user = Objects.requireNonNull(user);
        this.providerId = Objects.requireNonNull(providerId);
        this.kind = Objects.requireNonNull(kind);
        this.account = Objects.requireNonNull(account);
        this.refreshToken = Objects.requireNonNull(refreshToken);
        this.created = Objects.requireNonNull(created);
        this.updated = Objects.requireNonNull(updated);
        this.enrolmentId = Objects.requireNonNull(enrolmentId);
        this.key = key.clone();
    }

    /** The local user name the legacy client logs in with. */
    public String user() {
        return user;
    }

    /** The provider the grant came from ({@link OAuthProvider#id()}). */
    public String providerId() {
        return providerId;
    }

    public GrantKind kind() {
        return kind;
    }

    /** The account name to log in upstream with (the user= of XOAUTH2). */
    public String account() {
        return account;
    }

    /** The refresh token of a delegated grant; empty for client credentials. */
    public Optional<String> refreshToken() {
        return refreshToken;
    }

    public Instant created() {
        return created;
    }

    public Instant updated() {
        return updated;
    }

    /** Tells one enrolment of a user from a later one (the file's salt): a re-enrolment starts afresh. */
    String enrolmentId() {
        return enrolmentId;
    }

    byte[] key() {
        return key.clone();
    }

    UnlockedGrant withRefreshToken(String newRefreshToken, Instant when) {
        return new UnlockedGrant(user, providerId, kind, account, Optional.of(newRefreshToken), created, when,
                enrolmentId, key);
    }

    @Override
    public String toString() {
        return "UnlockedGrant[" + user + ", " + providerId + ", " + kind + ", account " + account + "]";
    }
}
