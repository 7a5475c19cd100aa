package org.popbridge.proxy.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.PemFiles;
import org.popbridge.certs.SelfSignedCertificate;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TLS context served to clients: the configured certificate, or a generated self-signed one. */
final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ServerTls() {
    }

    static SslContext context(TlsConfig tls, Path stateDir, List<ListenerConfig> listeners)
            throws CertificateLoadException, SSLException {
        ServerCredentials credentials;
        if (tls.configured()) {
            credentials = PemFiles.loadCredentials(tls.cert(), tls.key());
            log.info("serving certificate {} (SHA-256 {})", tls.cert(), credentials.sha256Fingerprint());
        } else {
            SelfSignedCertificate.Generated generated = SelfSignedCertificate.loadOrCreate(stateDir, hostNames(listeners));
            credentials = generated.credentials();
            log.info("serving {} self-signed certificate {} (SHA-256 {}); clients must trust this file",
                    generated.created() ? "newly generated" : "stored", generated.certFile(),
                    credentials.sha256Fingerprint());
        }
        return SslContextBuilder.forServer(credentials.key(), credentials.chainArray())
                .protocols(PROTOCOLS)
                .build();
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
