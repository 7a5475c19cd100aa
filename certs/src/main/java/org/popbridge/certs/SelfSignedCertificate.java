package org.popbridge.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The certificate popbridge serves when the operator configured none. */
public final class SelfSignedCertificate {

    /** File name of the stored certificate inside the state directory. */
    public static final String CERT_FILE = "self-signed.crt";
    /** File name of the stored private key inside the state directory. */
    public static final String KEY_FILE = "self-signed.key";
    /** A certificate closer than this to expiry is replaced, so clients never see an expired one. */
    static final Duration MINIMUM_REMAINING = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);

    private SelfSignedCertificate() {
    }

    /** Loads state-dir/self-signed.{crt,key} if both exist and are valid for at least 30 more days, else generates and stores a new pair. */
    public static Generated loadOrCreate(Path stateDir, Collection<String> hostNames) throws CertificateLoadException {
        Path certFile = stateDir.resolve(CERT_FILE);
        Path keyFile = stateDir.resolve(KEY_FILE);
        Instant now = Instant.now();
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            // A stored pair that fails to load is reported, not replaced: clients may have pinned it.
            ServerCredentials stored = PemFiles.loadCredentials(certFile, keyFile);
            Instant notAfter = stored.leaf().getNotAfter().toInstant();
            if (notAfter.isAfter(now.plus(MINIMUM_REMAINING))) {
                warnAboutMissingNames(stored, hostNames, certFile, keyFile);
                return new Generated(stored, false, certFile);
            }
            LOG.info("Self-signed certificate {} expires {}; replacing it", certFile, notAfter);
        }
        ServerCredentials fresh = SelfSignedIssuer.issue(hostNames, now);
        store(fresh, stateDir, certFile, keyFile);
        LOG.info("Generated self-signed certificate {} (SHA-256 fingerprint {}), valid until {}; clients must be told"
                + " to trust it", certFile, fresh.sha256Fingerprint(), fresh.leaf().getNotAfter().toInstant());
        return new Generated(fresh, true, certFile);
    }

    /** What {@link #loadOrCreate} returns: the identity, whether it was just generated, where its certificate is. */
    public record Generated(ServerCredentials credentials, boolean created, Path certFile) {
    }

    private static void store(ServerCredentials credentials, Path stateDir, Path certFile, Path keyFile)
            throws CertificateLoadException {
        try {
            Files.createDirectories(stateDir);
            PemFiles.writePrivateKey(keyFile, credentials.key());
            PemFiles.writeCertificates(certFile, credentials.chain());
        } catch (IOException e) {
            throw new CertificateLoadException("Cannot store the self-signed certificate in " + stateDir + ": " + e, e);
        }
    }

    /** The stored certificate is kept even when names were added, since replacing it breaks clients that trust it. */
    private static void warnAboutMissingNames(ServerCredentials stored, Collection<String> hostNames, Path certFile,
            Path keyFile) {
        List<String> missing = SubjectAltNames.missingFrom(stored.leaf(), hostNames);
        if (!missing.isEmpty()) {
            LOG.warn("Self-signed certificate {} does not name {}; clients connecting by those names will reject it."
                    + " Delete {} and {} to generate a new one", certFile, missing, certFile, keyFile);
        }
    }
}
