package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated identity works in a real TLS handshake with host name verification. */
class SelfSignedTlsTest {

    private static final char[] NO_PASSWORD = new char[0];

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void clientThatTrustsTheCertificateVerifiesTheServer(String host) throws Exception {
        ServerCredentials credentials = SelfSignedCertificate.loadOrCreate(dir, List.of()).credentials();
        X509Certificate trusted = PemFiles.loadCertificates(dir.resolve(SelfSignedCertificate.CERT_FILE)).get(0);

        X509Certificate presented = handshake(credentials, host, TrustStores.systemPlus(List.of(trusted)));

        assertThat(Fingerprints.sha256(presented)).isEqualTo(credentials.sha256Fingerprint());
    }

    @Test
    void clientThatDoesNotTrustTheCertificateRefusesIt() throws Exception {
        ServerCredentials credentials = SelfSignedCertificate.loadOrCreate(dir, List.of()).credentials();

        assertThatThrownBy(() -> handshake(credentials, "localhost", TrustStores.systemPlus(List.of())))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static X509Certificate handshake(ServerCredentials credentials, String host, TrustManagerFactory trust)
            throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverContext(credentials).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName(host))) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getOutputStream().write('+');
                    accepted.getOutputStream().flush();
                } catch (Exception e) {
                    // The failing-client test makes the server's handshake fail too; the client side is asserted.
                }
            });
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(host, server.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo('+');
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            } finally {
                served.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static SSLContext serverContext(ServerCredentials credentials) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", credentials.key(), NO_PASSWORD, credentials.chainArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, NO_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
