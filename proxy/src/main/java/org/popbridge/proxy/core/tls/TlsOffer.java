package org.popbridge.proxy.core.tls;

import java.util.List;

/** What one listener offers in TLS: its profile and the protocols and cipher suites it enables. */
public record TlsOffer(TlsProfile profile, List<String> protocols, List<String> cipherSuites) {

    public TlsOffer {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
