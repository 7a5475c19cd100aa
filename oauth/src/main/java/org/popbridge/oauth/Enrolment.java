package org.popbridge.oauth;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TokenStore#enrol} keeps for a user: the provider it was granted by, the account name
 * to log in upstream with, and for a delegated grant the refresh token. toString hides the token.
 */
public record Enrolment(String providerId, GrantKind kind, String account, Optional<String> refreshToken) {

    public Enrolment {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(refreshToken, "refreshToken");
        if (account.isEmpty() || account.length() > TokenStore.MAX_NAME_LENGTH || account.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("the account must be a printable name of at most "
                    + TokenStore.MAX_NAME_LENGTH + " characters");
        }
        if ((kind == GrantKind.DELEGATED) != refreshToken.isPresent()) {
            throw new IllegalArgumentException("a delegated enrolment has a refresh token, a client-credentials one has none");
        }
    }

    /** A user's own grant, from the device or authorization-code flow. */
    public static Enrolment delegated(String providerId, String account, String refreshToken) {
        return new Enrolment(providerId, GrantKind.DELEGATED, account, Optional.of(refreshToken));
    }

    /** A service account: the mailbox reached with the client-credentials grant. */
    public static Enrolment serviceAccount(String providerId, String account) {
        return new Enrolment(providerId, GrantKind.CLIENT_CREDENTIALS, account, Optional.empty());
    }

    @Override
    public String toString() {
        return "Enrolment[" + providerId + ", " + kind + ", account " + account + "]";
    }
}
