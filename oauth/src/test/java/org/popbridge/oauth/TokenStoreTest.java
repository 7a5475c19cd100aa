package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.oauth.testing.MutableClock;

class TokenStoreTest {
    /** Cheap parameters for tests; the file records them, so unlocking uses the same. */
    static final KdfParameters CHEAP = new KdfParameters(1024, 1, 1);
    private static final String REFRESH = "rt-0123456789abcdefSECRET";
    private static final StoreKey.LocalPassword PASSWORD = new StoreKey.LocalPassword("scanner-pass-1");

    @TempDir
    Path state;
    private final MutableClock clock = MutableClock.startingAt("2025-03-01T08:00:00Z");
    private Path dir;
    private TokenStore store;

    @BeforeEach
    void open() throws IOException {
        dir = state.resolve("oauth");
        store = new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock);
    }

    private void enrolAlice() throws IOException {
        store.enrol("alice", PASSWORD, Enrolment.delegated("microsoft", "alice@contoso.com", REFRESH));
    }

    @Test
    void theRightPasswordOpensTheGrant() throws IOException {
        enrolAlice();

        UnlockedGrant grant = store.unlock("alice", PASSWORD).orElseThrow();

        assertThat(grant.refreshToken()).contains(REFRESH);
        assertThat(grant.account()).isEqualTo("alice@contoso.com");
        assertThat(grant.providerId()).isEqualTo("microsoft");
        assertThat(grant.created()).isEqualTo(clock.instant());
    }

    @Test
    void aWrongPasswordOpensNothingAndLooksLikeNoUser() throws IOException {
        enrolAlice();

        assertThat(store.unlock("alice", new StoreKey.LocalPassword("scanner-pass-2"))).isEmpty();
        assertThat(store.unlock("nobody", PASSWORD)).isEmpty();
        // A fresh store (no unlock cache) still opens it with the right one.
        assertThat(new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock).unlock("alice", PASSWORD)).isPresent();
    }

    @Test
    void theDefaultArgon2ParametersWork() throws IOException {
        TokenStore real = new TokenStore(state.resolve("real"), KdfParameters.DEFAULT, Duration.ofMinutes(10), clock);
        real.enrol("alice", PASSWORD, Enrolment.delegated("google", "alice@gmail.com", REFRESH));

        assertThat(Files.readString(real.pathOf("alice"))).contains("\"memoryKib\":65536", "\"iterations\":1");
        assertThat(new TokenStore(state.resolve("real"), CHEAP, Duration.ofMinutes(10), clock)
                .unlock("alice", PASSWORD)).isPresent();
    }

    @Test
    void theFileIsOwnerOnlyAndHoldsNoSecretInClear() throws IOException {
        enrolAlice();
        Path file = store.pathOf("alice");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        String content = Files.readString(file);
        assertThat(content).contains("\"user\":\"alice\"", "argon2id", "AES-256-GCM")
                .doesNotContain(REFRESH, "alice@contoso.com", PASSWORD.password(),
                        Base64.getEncoder().encodeToString(REFRESH.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRewriteKeepsTheModeAndLeavesNoTemporaryFile() throws IOException {
        enrolAlice();
        UnlockedGrant grant = store.unlock("alice", PASSWORD).orElseThrow();

        store.replaceRefreshToken(grant, "rt-rotated");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.pathOf("alice")))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(store.pathOf("alice"));
        }
    }

    @Test
    void fileNamesAreHashesWhateverTheUserName() throws IOException {
        store.enrol("../../etc/passwd", PASSWORD, Enrolment.delegated("generic", "x", REFRESH));

        assertThat(store.pathOf("../../etc/passwd").getParent()).isEqualTo(dir);
        assertThat(store.pathOf("../../etc/passwd").getFileName().toString()).matches("[0-9a-f]{64}\\.json");
        assertThat(store.unlock("../../etc/passwd", PASSWORD)).isPresent();
        assertThatThrownBy(() -> store.unlock("bad\nname", PASSWORD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileCopiedUnderAnotherUsersNameDoesNotOpen() throws IOException {
        enrolAlice();
        Files.copy(store.pathOf("alice"), store.pathOf("mallory"));

        assertThatThrownBy(() -> store.unlock("mallory", PASSWORD)).isInstanceOf(IOException.class)
                .hasMessageNotContaining(REFRESH);
    }

    @Test
    void aFileEditedInClearDoesNotOpen() throws IOException {
        enrolAlice();
        Path file = store.pathOf("alice");
        Files.writeString(file, Files.readString(file).replace("\"provider\":\"microsoft\"", "\"provider\":\"google\""));

        assertThat(new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock).unlock("alice", PASSWORD)).isEmpty();
    }

    @Test
    void aFailedRenameLeavesTheOldFileWhole() throws IOException {
        enrolAlice();
        UnlockedGrant grant = store.unlock("alice", PASSWORD).orElseThrow();
        TokenStore crashing = new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock, (from, to) -> {
            throw new IOException("disk gone at the rename");
        });

        assertThatThrownBy(() -> crashing.replaceRefreshToken(grant, "rt-new")).isInstanceOf(IOException.class);

        assertThat(crashing.unlock("alice", PASSWORD).orElseThrow().refreshToken()).contains(REFRESH);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(store.pathOf("alice"));
        }
    }

    @Test
    void aTemporaryFileLeftByACrashIsIgnored() throws IOException {
        enrolAlice();
        // A crash after the temporary file was written, before the rename: a half-written newer file.
        Path left = Files.createTempFile(dir, AtomicFile.TEMP_PREFIX, ".part", AtomicFile.OWNER_ONLY);
        Files.write(left, "{\"version\":1,\"user\":\"alice\",\"provi".getBytes(StandardCharsets.US_ASCII));
        TokenStore restarted = new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock);

        assertThat(restarted.unlock("alice", PASSWORD).orElseThrow().refreshToken()).contains(REFRESH);
        assertThat(restarted.list()).extracting(StoredUser::user).containsExactly("alice");
        UnlockedGrant grant = restarted.unlock("alice", PASSWORD).orElseThrow();
        assertThat(restarted.replaceRefreshToken(grant, "rt-after-crash")).isPresent();
    }

    @Test
    void aRotatedTokenIsStoredAndOpensWithTheSamePassword() throws IOException {
        enrolAlice();
        UnlockedGrant grant = store.unlock("alice", PASSWORD).orElseThrow();
        clock.advance(Duration.ofHours(1));

        UnlockedGrant rotated = store.replaceRefreshToken(grant, "rt-rotated").orElseThrow();

        assertThat(rotated.refreshToken()).contains("rt-rotated");
        assertThat(store.unlock("alice", PASSWORD).orElseThrow().refreshToken()).contains("rt-rotated");
        TokenStore restarted = new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock);
        UnlockedGrant fromDisk = restarted.unlock("alice", PASSWORD).orElseThrow();
        assertThat(fromDisk.refreshToken()).contains("rt-rotated");
        assertThat(fromDisk.updated()).isEqualTo(clock.instant());
    }

    @Test
    void aRotationNeverOverwritesANewerEnrolment() throws IOException {
        enrolAlice();
        UnlockedGrant old = store.unlock("alice", PASSWORD).orElseThrow();
        StoreKey.LocalPassword changed = new StoreKey.LocalPassword("new-password");
        store.enrol("alice", changed, Enrolment.delegated("microsoft", "alice@contoso.com", "rt-fresh"));

        assertThat(store.replaceRefreshToken(old, "rt-late")).isEmpty();

        assertThat(store.unlock("alice", changed).orElseThrow().refreshToken()).contains("rt-fresh");
        assertThat(store.unlock("alice", PASSWORD)).isEmpty();
    }

    @Test
    void repeatedLoginsPayTheKdfOncePerCachePeriod() throws IOException {
        enrolAlice();
        long before = store.passwordDerivations();

        for (int i = 0; i < 5; i++) {
            assertThat(store.unlock("alice", PASSWORD)).isPresent();
        }
        assertThat(store.passwordDerivations() - before).isEqualTo(1);
        // A wrong password is never answered from the cache.
        assertThat(store.unlock("alice", new StoreKey.LocalPassword("guess"))).isEmpty();
        assertThat(store.passwordDerivations() - before).isEqualTo(2);
        clock.advance(Duration.ofMinutes(11));
        assertThat(store.unlock("alice", PASSWORD)).isPresent();
        assertThat(store.passwordDerivations() - before).isEqualTo(3);
    }

    @Test
    void aRevokeByAnotherProcessEndsCachedUnlocks() throws IOException {
        enrolAlice();
        assertThat(store.unlock("alice", PASSWORD)).isPresent();

        assertThat(new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock).revoke("alice")).isTrue();

        assertThat(store.unlock("alice", PASSWORD)).isEmpty();
        assertThat(Files.exists(store.pathOf("alice"))).isFalse();
    }

    @Test
    void aReEnrolmentByAnotherProcessEndsCachedUnlocks() throws IOException {
        enrolAlice();
        assertThat(store.unlock("alice", PASSWORD)).isPresent();

        new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock)
                .enrol("alice", new StoreKey.LocalPassword("other"), Enrolment.delegated("microsoft", "a", "rt-2"));

        assertThat(store.unlock("alice", PASSWORD)).isEmpty();
    }

    @Test
    void aMasterKeyOpensAServiceAccountAndNothingElseDoes() throws IOException {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        StoreKey.MasterKey master = StoreKey.MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw));
        store.enrol("scanner", master, Enrolment.serviceAccount("microsoft", "scans@contoso.com"));

        UnlockedGrant grant = store.unlock("scanner", master).orElseThrow();
        assertThat(grant.kind()).isEqualTo(GrantKind.CLIENT_CREDENTIALS);
        assertThat(grant.account()).isEqualTo("scans@contoso.com");
        assertThat(grant.refreshToken()).isEmpty();
        byte[] other = raw.clone();
        other[0] ^= 1;
        assertThat(store.unlock("scanner", new StoreKey.MasterKey(other))).isEmpty();
        assertThat(store.unlock("scanner", PASSWORD)).isEmpty();
        assertThat(Files.readString(store.pathOf("scanner"))).contains("hkdf-sha256").doesNotContain("scans@contoso.com");
        assertThatThrownBy(() -> StoreKey.MasterKey.fromBase64("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listShowsUsersProvidersAndDatesOnly() throws IOException {
        enrolAlice();
        clock.advance(Duration.ofMinutes(1));
        store.enrol("bob", PASSWORD, Enrolment.delegated("google", "bob@gmail.com", REFRESH));
        Files.writeString(dir.resolve("0".repeat(64) + ".json"), "garbage");

        assertThat(store.list()).containsExactly(
                new StoredUser("alice", "microsoft", GrantKind.DELEGATED, Instant("2025-03-01T08:00:00Z"), Instant("2025-03-01T08:00:00Z")),
                new StoredUser("bob", "google", GrantKind.DELEGATED, Instant("2025-03-01T08:01:00Z"), Instant("2025-03-01T08:01:00Z")));
    }

    @Test
    void revokeDeletesTheFile() throws IOException {
        enrolAlice();

        assertThat(store.revoke("alice")).isTrue();
        assertThat(store.revoke("alice")).isFalse();
        assertThat(store.unlock("alice", PASSWORD)).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aHostileFileCannotAskForGiantKdfCosts() throws IOException {
        enrolAlice();
        Path file = store.pathOf("alice");
        Files.writeString(file, Files.readString(file).replace("\"memoryKib\":1024", "\"memoryKib\":99999999"));

        assertThatThrownBy(() -> new TokenStore(dir, CHEAP, Duration.ofMinutes(10), clock).unlock("alice", PASSWORD))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged key parameters");
    }

    @Test
    void noValueShowsASecret() throws IOException {
        enrolAlice();
        UnlockedGrant grant = store.unlock("alice", PASSWORD).orElseThrow();
        byte[] raw = new byte[32];
        raw[0] = 42;
        StoreKey.MasterKey master = new StoreKey.MasterKey(raw);

        assertThat(grant.toString()).doesNotContain(REFRESH);
        assertThat(PASSWORD.toString()).doesNotContain(PASSWORD.password());
        assertThat(master.toString()).doesNotContain(Base64.getEncoder().encodeToString(raw));
        assertThat(Enrolment.delegated("p", "a", REFRESH).toString()).doesNotContain(REFRESH);
    }

    private static java.time.Instant Instant(String text) {
        return java.time.Instant.parse(text);
    }
}
