package org.popbridge.proxy.core.tls;

import java.util.List;

/**
 * What one listener offers in TLS: its profile, the engine that serves it (the profile's, given
 * the modern engine {@code tls.engine} chose), and the protocols and cipher suites it enables.
 */
public record TlsOffer(TlsProfile profile, TlsEngine engine, List<String> protocols, List<String> cipherSuites) {

    public TlsOffer {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
