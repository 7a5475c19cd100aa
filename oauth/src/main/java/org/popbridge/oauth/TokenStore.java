package org.popbridge.oauth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolled users' grants on disk, one file per user under one directory (the caller passes
 * STATE_DIR/oauth). A file is named by the hex SHA-256 of the user name, so any name a client sends
 * is a safe file name; it is created with mode 0600 in a 0700 directory and replaced atomically.
 * The refresh token and account are sealed with AES-256-GCM under a key derived from the legacy
 * client's password (Argon2id) or from an admin master key (HKDF): a stolen disk alone reveals no
 * token, and a wrong password fails the GCM tag, which is how a client is authenticated locally.
 *
 * <p>{@link #unlock} and {@link #enrol} are blocking (disk and, on a cache miss, tens of ms of
 * Argon2id with 64 MiB): call them off the event loop. At most {@value #KDF_CONCURRENCY} derivations
 * run at once, so a burst of logins cannot take more than that many times the KDF's memory.
 * One process owns a store: two proxies sharing a directory would both rotate tokens.
 */
public final class TokenStore {
    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

    /** The longest user or account name kept. */
    public static final int MAX_NAME_LENGTH = 320;
    /** A successful unlock is remembered this long by default (see {@link UnlockCache}). */
    public static final Duration DEFAULT_UNLOCK_TTL = Duration.ofMinutes(10);
    static final int KDF_CONCURRENCY = 2;
    private static final int MAX_FILE_BYTES = 64 * 1024;
    private static final long MAX_CACHED_USERS = 10_000;
    private static final String SUFFIX = ".json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final Path dir;
    private final KdfParameters cost;
    private final Clock clock;
    private final SecureRandom random;
    private final AtomicFile files;
    private final UnlockCache unlocks;
    private final Semaphore derivations = new Semaphore(KDF_CONCURRENCY, true);
    private final Object[] locks = new Object[64];
    private final java.util.concurrent.atomic.AtomicLong passwordDerivations = new java.util.concurrent.atomic.AtomicLong();

    /** A store with the default Argon2id cost and unlock cache. */
    public static TokenStore open(Path dir) throws IOException {
        return new TokenStore(dir, KdfParameters.DEFAULT, DEFAULT_UNLOCK_TTL, Clock.systemUTC());
    }

    /** Creates the directory (mode 0700) if it is missing; the clock dates the files and ages the unlock cache. */
    public TokenStore(Path dir, KdfParameters cost, Duration unlockTtl, Clock clock) throws IOException {
        this(dir, cost, unlockTtl, clock, AtomicFile.Rename.ATOMIC);
    }

    TokenStore(Path dir, KdfParameters cost, Duration unlockTtl, Clock clock, AtomicFile.Rename rename) throws IOException {
        this.dir = dir;
        this.cost = cost;
        this.clock = clock;
        this.random = new SecureRandom();
        this.files = new AtomicFile(rename);
        this.unlocks = new UnlockCache(unlockTtl, MAX_CACHED_USERS, clock, random);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            log.warn("token store directory {} is open to other users ({}); it should be 0700",
                    dir, PosixFilePermissions.toString(mode));
        }
    }

    /**
     * Stores a user's grant, replacing any earlier one, sealed under the key from the given secret
     * (a password for a delegated grant, or either for a service account).
     */
    public void enrol(String user, StoreKey secret, Enrolment enrolment) throws IOException {
        checkName(user);
        byte[] salt = new byte[KeyDerivation.SALT_BYTES];
        random.nextBytes(salt);
        TokenFile.Kdf kdf = KeyDerivation.newSection(secret, cost, salt);
        String now = clock.instant().toString();
        TokenFile unsealed = new TokenFile(TokenFile.VERSION, user, enrolment.providerId(), enrolment.kind(), kdf,
                null, now, now);
        byte[] key = derive(secret, kdf).orElseThrow();
        byte[] plaintext = secretPart(enrolment.account(), enrolment.refreshToken());
        try {
            TokenFile file = unsealed.withSealed(
                    GrantCipher.seal(key, plaintext, GrantCipher.associatedData(unsealed), random), now);
            synchronized (lockOf(user)) {
                files.write(pathOf(user), JSON.writeValueAsBytes(file));
                unlocks.forget(user);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
        log.info("enrolled user {} with provider {} ({})", user, enrolment.providerId(), enrolment.kind());
    }

    /**
     * The user's grant if the secret opens it; empty if the user is not enrolled or the secret is
     * wrong (the two look the same to a client). Throws IOException only for a file that cannot be
     * read or is damaged, with a message that names the user and nothing of the file.
     */
    public Optional<UnlockedGrant> unlock(String user, StoreKey secret) throws IOException {
        checkName(user);
        Optional<TokenFile> found = read(user);
        if (found.isEmpty()) {
            unlocks.forget(user);
            return Optional.empty();
        }
        TokenFile file = found.get();
        byte[] tag = unlocks.tag(user, secret);
        Optional<UnlockedGrant> cached = unlocks.find(user, tag, file.sealed().nonce());
        if (cached.isPresent()) {
            log.trace("unlocked user {} from the unlock cache", user);
            return cached;
        }
        boolean costly = secret instanceof StoreKey.LocalPassword;
        if (costly) {
            acquireDerivation();
        }
        try {
            // Logins of one user that queued behind the first find its result here instead of deriving again.
            cached = unlocks.find(user, tag, file.sealed().nonce());
            if (cached.isPresent()) {
                return cached;
            }
            Optional<byte[]> key = derivation(secret, file.kdf());
            if (key.isEmpty()) {
                log.debug("user {} is enrolled with another kind of key", user);
                return Optional.empty();
            }
            try {
                Optional<UnlockedGrant> grant = open(file, key.get());
                if (grant.isEmpty()) {
                    log.debug("the secret given for user {} does not open its token file", user);
                    return grant;
                }
                unlocks.put(user, tag, file.sealed().nonce(), grant.get());
                return grant;
            } finally {
                Arrays.fill(key.get(), (byte) 0);
            }
        } finally {
            if (costly) {
                derivations.release();
            }
        }
    }

    /**
     * Writes a rotated refresh token into the user's file with the same key, atomically. Empty when
     * the file no longer holds this enrolment (revoked or enrolled again meanwhile): then nothing is
     * written, so a newer enrolment is never overwritten.
     */
    public Optional<UnlockedGrant> replaceRefreshToken(UnlockedGrant grant, String newRefreshToken) throws IOException {
        synchronized (lockOf(grant.user())) {
            Optional<TokenFile> found = read(grant.user());
            if (found.isEmpty() || !found.get().kdf().salt().equals(grant.enrolmentId())
                    || grant.kind() != GrantKind.DELEGATED) {
                return Optional.empty();
            }
            TokenFile file = found.get();
            Instant now = clock.instant();
            byte[] key = grant.key();
            byte[] plaintext = secretPart(grant.account(), Optional.of(newRefreshToken));
            try {
                TokenFile.Sealed sealed = GrantCipher.seal(key, plaintext, GrantCipher.associatedData(file), random);
                files.write(pathOf(grant.user()), JSON.writeValueAsBytes(file.withSealed(sealed, now.toString())));
                UnlockedGrant updated = grant.withRefreshToken(newRefreshToken, now);
                unlocks.replaced(updated, sealed.nonce());
                log.debug("stored the rotated refresh token of user {}", grant.user());
                return Optional.of(updated);
            } finally {
                Arrays.fill(key, (byte) 0);
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** Every enrolled user, by name; damaged files are skipped with a warning naming the file. */
    public List<StoredUser> list() throws IOException {
        List<StoredUser> users = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path path : entries) {
                if (path.getFileName().toString().startsWith(AtomicFile.TEMP_PREFIX)) {
                    continue;
                }
                try {
                    TokenFile file = parse(path);
                    if (!path.getFileName().toString().equals(fileNameOf(file.user()))) {
                        throw new IOException("the user in the file is not the one its name is made from");
                    }
                    users.add(new StoredUser(file.user(), file.provider(), file.kind(), Instant.parse(file.created()),
                            Instant.parse(file.updated())));
                } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
                    log.warn("skipping damaged token file {}", path.getFileName());
                }
            }
        }
        users.sort(Comparator.comparing(StoredUser::user));
        return users;
    }

    /** Deletes the user's file (local revocation); true if there was one. */
    public boolean revoke(String user) throws IOException {
        checkName(user);
        synchronized (lockOf(user)) {
            Path path = pathOf(user);
            boolean existed = Files.exists(path);
            files.delete(path);
            unlocks.forget(user);
            if (existed) {
                log.info("removed the token file of user {}", user);
            }
            return existed;
        }
    }

    /** The file a user's grant lives in (for the operator and tests); it may not exist. */
    public Path pathOf(String user) {
        return dir.resolve(fileNameOf(user));
    }

    private Optional<byte[]> derive(StoreKey secret, TokenFile.Kdf kdf) throws IOException {
        if (secret instanceof StoreKey.MasterKey) {
            return KeyDerivation.derive(secret, kdf);
        }
        acquireDerivation();
        try {
            return derivation(secret, kdf);
        } finally {
            derivations.release();
        }
    }

    private Optional<byte[]> derivation(StoreKey secret, TokenFile.Kdf kdf) throws IOException {
        if (secret instanceof StoreKey.LocalPassword) {
            passwordDerivations.incrementAndGet();
        }
        try {
            return KeyDerivation.derive(secret, kdf);
        } catch (IllegalArgumentException e) {
            throw new IOException("a token file has damaged key parameters");
        }
    }

    /** How many Argon2id derivations ran: what the unlock cache saves shows here. */
    long passwordDerivations() {
        return passwordDerivations.get();
    }

    private void acquireDerivation() throws IOException {
        try {
            derivations.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to derive a key");
        }
    }

    private Optional<UnlockedGrant> open(TokenFile file, byte[] key) throws IOException {
        Optional<byte[]> plaintext = GrantCipher.open(key, file.sealed(), GrantCipher.associatedData(file));
        if (plaintext.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode secret = JSON.readTree(plaintext.get());
            String account = secret.path("account").asText("");
            Optional<String> refresh = secret.path("refresh_token").isTextual()
                    ? Optional.of(secret.path("refresh_token").asText()) : Optional.empty();
            if (account.isEmpty() || (file.kind() == GrantKind.DELEGATED) != refresh.isPresent()) {
                throw new IOException("the token file of user " + file.user() + " has a damaged secret part");
            }
            return Optional.of(new UnlockedGrant(file.user(), file.provider(), file.kind(), account, refresh,
                    Instant.parse(file.created()), Instant.parse(file.updated()), file.kdf().salt(), key));
        } catch (DateTimeParseException e) {
            throw new IOException("the token file of user " + file.user() + " has damaged dates");
        } finally {
            Arrays.fill(plaintext.get(), (byte) 0);
        }
    }

    private Optional<TokenFile> read(String user) throws IOException {
        Path path = pathOf(user);
        TokenFile file;
        try {
            file = parse(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!file.user().equals(user)) {
            throw new IOException("the token file of user " + user + " names another user");
        }
        return Optional.of(file);
    }

    /** Reads and checks one file; the parser's messages quote the file, so they are not passed on. */
    private static TokenFile parse(Path path) throws IOException {
        byte[] content;
        try (InputStream in = Files.newInputStream(path)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new IOException("token file " + path.getFileName() + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        TokenFile file;
        try {
            file = JSON.readValue(content, TokenFile.class);
        } catch (IOException e) {
            throw new IOException("token file " + path.getFileName() + " is not a token file");
        }
        if (file.version() != TokenFile.VERSION || file.user() == null || file.provider() == null || file.kind() == null
                || file.kdf() == null || file.kdf().salt() == null || file.sealed() == null
                || file.sealed().nonce() == null || file.sealed().ciphertext() == null
                || file.created() == null || file.updated() == null) {
            throw new IOException("token file " + path.getFileName() + " has an unknown version or missing fields");
        }
        try {
            Base64.getDecoder().decode(file.kdf().salt());
            Base64.getDecoder().decode(file.sealed().nonce());
            Base64.getDecoder().decode(file.sealed().ciphertext());
            if (TokenFile.Kdf.ARGON2ID.equals(file.kdf().algorithm())) {
                new KdfParameters(orZero(file.kdf().memoryKib()), orZero(file.kdf().iterations()), orZero(file.kdf().parallelism()));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("token file " + path.getFileName() + " has damaged key parameters");
        }
        return file;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static byte[] secretPart(String account, Optional<String> refreshToken) throws IOException {
        ObjectNode secret = JSON.createObjectNode();
        secret.put("account", account);
        refreshToken.ifPresent(token -> secret.put("refresh_token", token));
        return JSON.writeValueAsBytes(secret);
    }

    private Object lockOf(String user) {
        return locks[Math.floorMod(user.hashCode(), locks.length)];
    }

    static String fileNameOf(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** User names come from clients: printable, bounded; the file name is a hash, so no path tricks. */
    private static void checkName(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_NAME_LENGTH
                || user.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("a user name must be 1 to " + MAX_NAME_LENGTH
                    + " printable characters");
        }
    }
}
