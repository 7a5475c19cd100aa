package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.Socket;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A certificate from the local CA works in a real TLS handshake for a client that trusts nothing but ca.crt and
 * checks the host name as HTTPS does.
 */
class LocalCaTlsTest {

    private static final char[] NO_PASSWORD = new char[0];

    @TempDir
    static Path state;
    private static IssuedCertificate issued;
    private static TrustManagerFactory onlyTheLocalCa;

    @BeforeAll
    static void issueCertificate() throws Exception {
        LocalCa.init(state);
        issued = LocalCa.load(state).issue(List.of("mail.example.test", "pop.example.test"), List.of("127.0.0.1"),
                LocalCa.DEFAULT_VALIDITY, state.resolve("issued"));
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("local-ca", PemFiles.loadCertificates(state.resolve("ca/ca.crt")).get(0));
        onlyTheLocalCa = TrustManagerFactory.getInstance("PKIX");
        onlyTheLocalCa.init(anchors);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.test", "pop.example.test", "127.0.0.1"})
    void clientTrustingOnlyTheCaAcceptsEachIssuedName(String host) throws Exception {
        ServerCredentials fromFiles = PemFiles.loadCredentials(issued.certFile(), issued.keyFile());

        X509Certificate presented = handshake(fromFiles, host);

        assertThat(presented).isEqualTo(issued.credentials().leaf());
    }

    @ParameterizedTest
    @ValueSource(strings = {"other.example.test", "example.test", "127.0.0.2"})
    void nameOutsideTheCertificateIsRefused(String host) {
        assertThatThrownBy(() -> handshake(issued.credentials(), host))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining(host);
    }

    @Test
    void clientThatDoesNotTrustTheLocalCaRefusesTheServer() throws Exception {
        TrustManagerFactory systemOnly = TrustStores.systemPlus(List.of());

        assertThatThrownBy(() -> handshake(issued.credentials(), "mail.example.test", systemOnly))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static X509Certificate handshake(ServerCredentials credentials, String host) throws Exception {
        return handshake(credentials, host, onlyTheLocalCa);
    }

    /** Connects over loopback but names {@code host} for SNI and host name checks, as a client with DNS would. */
    private static X509Certificate handshake(ServerCredentials credentials, String host, TrustManagerFactory trust)
            throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverContext(credentials).getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getOutputStream().write('+');
                    accepted.getOutputStream().flush();
                } catch (Exception e) {
                    // When the client refuses the server, the server's handshake fails too; the client is asserted.
                }
            });
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            Socket plain = new Socket(loopback, server.getLocalPort());
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, host,
                    server.getLocalPort(), true)) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo('+');
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            } finally {
                plain.close();
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
