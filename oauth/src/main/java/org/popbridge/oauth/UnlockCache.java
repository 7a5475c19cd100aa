package org.popbridge.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful unlocks kept in memory for a while, so a scanner that logs in every minute pays Argon2
 * once per period, not per login. An entry is found by the user and a tag of (user, secret): an
 * HMAC-SHA256 under a random key made at start, rather than a plain SHA-256, so the tags in a heap
 * dump cannot be checked against guesses without that key as well. An entry is used only while
 * the file still holds the same ciphertext (its nonce), so a revoke or re-enrolment through the
 * command line takes effect at the next login.
 */
final class UnlockCache {

    private record Entry(byte[] tag, String nonce, UnlockedGrant grant) {
        @Override
        public String toString() {
            return "Entry[hidden]";
        }
    }

    private final Cache<String, Entry> entries;
    private final byte[] tagKey = new byte[32];

    UnlockCache(Duration ttl, long maxUsers, Clock clock, SecureRandom random) {
        random.nextBytes(tagKey);
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxUsers)
                .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
                .build();
    }

    Optional<UnlockedGrant> find(String user, byte[] tag, String nonce) {
        Entry entry = entries.getIfPresent(user);
        if (entry != null && MessageDigest.isEqual(entry.tag, tag) && entry.nonce.equals(nonce)) {
            return Optional.of(entry.grant);
        }
        return Optional.empty();
    }

    void put(String user, byte[] tag, String nonce, UnlockedGrant grant) {
        entries.put(user, new Entry(tag, nonce, grant));
    }

    /** After a rotation written by this process: the same password now opens the new ciphertext. */
    void replaced(UnlockedGrant grant, String newNonce) {
        entries.asMap().computeIfPresent(grant.user(), (user, entry) ->
                entry.grant.enrolmentId().equals(grant.enrolmentId()) ? new Entry(entry.tag, newNonce, grant) : entry);
    }

    void forget(String user) {
        entries.invalidate(user);
    }

    byte[] tag(String user, StoreKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tagKey, "HmacSHA256"));
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] secret = key instanceof StoreKey.LocalPassword p
                    ? KeyDerivation.utf8(p.password()) : ((StoreKey.MasterKey) key).key();
            mac.update(key instanceof StoreKey.LocalPassword ? (byte) 'p' : (byte) 'k');
            byte[] tag = mac.doFinal(secret);
            Arrays.fill(secret, (byte) 0);
            return tag;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
