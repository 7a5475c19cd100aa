package org.popbridge.oauth;

import java.time.Instant;

/** One entry of {@link TokenStore#list()}: who is enrolled, with which provider, and when; no secret. */
public record StoredUser(String user, String providerId, GrantKind kind, Instant created, Instant updated) {
}
