package org.popbridge.proxy.core.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.PemFiles;
import org.popbridge.certs.ServerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll for replaced certificate files, run on the TLS scheduler every {@link #pollPeriod}.
 * A pair whose files changed is loaded once they look the same on two polls in a row (so a cert
 * and key written one after the other are taken together); a pair that does not load or whose key does not match is
 * refused and logged at ERROR, the old certificate stays in service, and it is tried again on
 * the next poll. Files are polled rather than watched: a WatchService misses atomic renames
 * into place in some setups (symlinked directories, network file systems).
 */
final class CertificateReload implements Runnable {

    /** Builds the contexts of every listener for these certificates and puts them in service. */
    interface Installer {
        void install(ServedCertificates next) throws SSLException;
    }

    private static final Logger log = LoggerFactory.getLogger(CertificateReload.class);

    private final Supplier<ServedCertificates> inService;
    private final Installer installer;
    private final CertificateExpiryCheck expiry;
    private final List<Watch> watches = new ArrayList<>();

    CertificateReload(ServedCertificates initial, Supplier<ServedCertificates> inService, Installer installer,
                      CertificateExpiryCheck expiry) {
        this.inService = inService;
        this.installer = installer;
        this.expiry = expiry;
        for (int i = 0; i < initial.all().size(); i++) {
            if (initial.all().get(i).files().watched()) {
                watches.add(new Watch(i, initial.all().get(i).files()));
            }
        }
    }

    /**
     * How often to poll so that a replaced pair is served within {@code reloadInterval}: the
     * change is seen at the first poll after it and loaded at the second, when it looks the same
     * again, so polls come at half the interval (polling at the interval itself took two).
     */
    static Duration pollPeriod(Duration reloadInterval) {
        return Duration.ofMillis(Math.max(1, reloadInterval.toMillis() / 2));
    }

    /** Whether there is anything to watch (the generated self-signed certificate is not). */
    boolean watchesAnything() {
        return !watches.isEmpty();
    }

    @Override
    public void run() {
        ServedCertificates next = inService.get();
        List<Watch> loaded = new ArrayList<>();
        for (Watch watch : watches) {
            List<CertificateFiles.FileStamp> now = watch.files.stamp();
            if (now.equals(watch.inService)) {
                watch.seen = now;
                continue;
            }
            if (!now.equals(watch.seen)) {
                // Changed since the last poll: wait until it stops changing.
                watch.seen = now;
                continue;
            }
            ServedCertificate current = next.all().get(watch.index);
            ServerCredentials credentials;
            try {
                credentials = watch.files.load();
            } catch (CertificateLoadException e) {
                refuse(watch, current, e.getMessage());
                continue;
            }
            if (credentials.chain().equals(current.credentials().chain())) {
                // Touched or rewritten with the same content (or our first look after start): nothing to do.
                watch.inService = now;
                watch.lastFailure = null;
                continue;
            }
            next = next.with(watch.index, current.with(credentials));
            loaded.add(watch);
        }
        if (!loaded.isEmpty()) {
            putInService(next, loaded);
        }
    }

    private void putInService(ServedCertificates next, List<Watch> loaded) {
        ServedCertificates before = inService.get();
        try {
            installer.install(next);
        } catch (SSLException | RuntimeException e) {
            for (Watch watch : loaded) {
                refuse(watch, before.all().get(watch.index), "TLS cannot use it: " + e.getMessage());
            }
            return;
        }
        for (Watch watch : loaded) {
            ServedCertificate now = next.all().get(watch.index);
            log.info("reloaded certificate {} ({}): SHA-256 {}, was {}; new connections get it", now.label(),
                    now.role(), now.credentials().sha256Fingerprint(),
                    before.all().get(watch.index).credentials().sha256Fingerprint());
            watch.inService = watch.seen;
            watch.lastFailure = null;
            expiry.check(now);
        }
    }

    /** Logged once per distinct reason, not on every poll while the files stay broken. */
    private void refuse(Watch watch, ServedCertificate kept, String reason) {
        if (!Objects.equals(reason, watch.lastFailure)) {
            log.error("certificate {} ({}) NOT reloaded: {}; still serving SHA-256 {}; trying again at the next poll",
                    kept.label(), kept.role(), reason, kept.credentials().sha256Fingerprint());
            watch.lastFailure = reason;
        }
    }

    /** The poll state of one certificate/key pair. */
    private static final class Watch {
        final int index;
        final CertificateFiles files;
        /** The files' state when what is in service was loaded; null until the first poll confirms it. */
        List<CertificateFiles.FileStamp> inService;
        List<CertificateFiles.FileStamp> seen;
        String lastFailure;

        Watch(int index, CertificateFiles files) {
            this.index = index;
            this.files = files;
        }
    }
}
