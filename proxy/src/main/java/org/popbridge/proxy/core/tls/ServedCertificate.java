package org.popbridge.proxy.core.tls;

import java.util.List;
import org.popbridge.certs.ServerCredentials;

/**
 * One certificate popbridge serves, with the files it came from.
 *
 * @param serverNames the SNI names it is chosen for; empty for the default certificate
 */
public record ServedCertificate(List<String> serverNames, CertificateFiles files, ServerCredentials credentials) {

    public ServedCertificate {
        serverNames = List.copyOf(serverNames);
    }

    /** How the certificate is named in logs and in the expiry registry: its file. */
    public String label() {
        return files.cert().toString();
    }

    /** The same slot, served with freshly loaded credentials. */
    ServedCertificate with(ServerCredentials replacement) {
        return new ServedCertificate(serverNames, files, replacement);
    }

    /** "default" or the names it serves, for logs. */
    String role() {
        return serverNames.isEmpty() ? "default" : "for " + String.join(", ", serverNames);
    }
}
