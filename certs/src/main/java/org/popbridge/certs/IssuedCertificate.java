package org.popbridge.certs;

import java.nio.file.Path;

/** What {@link LocalCa#issue} wrote: the chain file (server certificate, then CA), the key file, and both loaded. */
public record IssuedCertificate(Path certFile, Path keyFile, ServerCredentials credentials) {
}
