package org.popbridge.proxy.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.SelfSignedCertificate;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.SniCertificateConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.core.tls.CertificateFiles;
import org.popbridge.proxy.core.tls.ServedCertificate;
import org.popbridge.proxy.core.tls.ServedCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the certificates served to clients: the configured default or a generated self-signed one, and the SNI ones. */
final class ServedCertificatesLoader {

    private static final Logger log = LoggerFactory.getLogger(ServedCertificatesLoader.class);

    private ServedCertificatesLoader() {
    }

    static ServedCertificates load(TlsConfig tls, Path stateDir, List<ListenerConfig> listeners)
            throws CertificateLoadException {
        List<ServedCertificate> served = new ArrayList<>();
        if (tls.configured()) {
            CertificateFiles files = new CertificateFiles(tls.cert(), tls.key(), tls.keyPassword(), true);
            ServerCredentials credentials = files.load();
            log.info("serving certificate {} (SHA-256 {}) by default", tls.cert(), credentials.sha256Fingerprint());
            served.add(new ServedCertificate(List.of(), files, credentials));
        } else {
            SelfSignedCertificate.Generated generated = SelfSignedCertificate.loadOrCreate(stateDir, hostNames(listeners));
            ServerCredentials credentials = generated.credentials();
            log.info("serving {} self-signed certificate {} (SHA-256 {}); clients must trust this file",
                    generated.created() ? "newly generated" : "stored", generated.certFile(),
                    credentials.sha256Fingerprint());
            // Not watched: popbridge itself writes these files, and only at start.
            served.add(new ServedCertificate(List.of(), new CertificateFiles(generated.certFile(),
                    stateDir.resolve(SelfSignedCertificate.KEY_FILE), false), credentials));
        }
        for (SniCertificateConfig entry : tls.sni()) {
            CertificateFiles files = new CertificateFiles(entry.cert(), entry.key(), entry.keyPassword(), true);
            ServerCredentials credentials = files.load();
            log.info("serving certificate {} (SHA-256 {}) to clients asking for {}", entry.cert(),
                    credentials.sha256Fingerprint(), String.join(", ", entry.names()));
            served.add(new ServedCertificate(entry.names(), files, credentials));
        }
        return new ServedCertificates(served);
    }

    /** Names the self-signed certificate is valid for: the listen addresses and this host's name. */
    private static Set<String> hostNames(List<ListenerConfig> listeners) {
        Set<String> names = new LinkedHashSet<>();
        for (ListenerConfig listener : listeners) {
            if (!listener.host().equals("0.0.0.0") && !listener.host().equals("::")) {
                names.add(listener.host());
            }
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            log.debug("no local host name for the self-signed certificate", e);
        }
        return names;
    }
}
