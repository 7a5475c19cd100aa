package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files as an operator makes them with the openssl command line load as they are; skipped without openssl. */
class OpensslFilesTest {

    @TempDir
    Path dir;

    @Test
    void pkcs8KeyFromOpensslReqLoads() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.crt",
                "-subj", "/CN=mail.example.test", "-days", "2");

        ServerCredentials credentials = PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key"));

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(credentials.sha256Fingerprint()).isEqualTo(opensslFingerprint("server.crt"));
    }

    @Test
    void traditionalRsaKeyFromOpensslLoads() throws Exception {
        openssl("genrsa", "-traditional", "-out", "server.key", "2048");
        openssl("req", "-new", "-x509", "-key", "server.key", "-out", "server.crt", "-subj", "/CN=rsa1", "-days", "2");

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key")).key().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void ecKeyWithParametersBlockFromOpensslEcparamLoads() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "server.key");
        openssl("req", "-new", "-x509", "-key", "server.key", "-out", "server.crt", "-subj", "/CN=ec", "-days", "2");

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key")).key().getAlgorithm())
                .isEqualTo("EC");
    }

    @Test
    void passwordProtectedKeyFromOpensslAsksForThePasswordWhenNoneIsGiven() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-passout", "pass:secret", "-keyout", "server.key",
                "-out", "server.crt", "-subj", "/CN=enc", "-days", "2");

        assertThatThrownBy(() -> PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key")))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(dir.resolve("server.key").toString())
                .hasMessageContaining("a key password is needed")
                .hasMessageContaining("configure the key password");
    }

    @Test
    void passwordProtectedKeyFromOpensslReqLoadsWithItsPassword() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-passout", "pass:secret", "-keyout", "server.key",
                "-out", "server.crt", "-subj", "/CN=enc", "-days", "2");

        ServerCredentials credentials = PemFiles.loadCredentials(dir.resolve("server.crt"),
                dir.resolve("server.key"), "secret".toCharArray());

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(credentials.sha256Fingerprint()).isEqualTo(opensslFingerprint("server.crt"));
    }

    @Test
    void keyFromPemFilesIsAcceptedByOpenssl() throws Exception {
        SelfSignedCertificate.loadOrCreate(dir, List.of("mail.example.test"));

        String check = openssl("pkey", "-in", SelfSignedCertificate.KEY_FILE, "-check", "-noout");
        String text = openssl("x509", "-in", SelfSignedCertificate.CERT_FILE, "-noout", "-text");

        assertThat(check).contains("valid");
        assertThat(text).contains("DNS:mail.example.test", "DNS:localhost", "IP Address:127.0.0.1",
                "IP Address:0:0:0:0:0:0:0:1", "CA:FALSE", "TLS Web Server Authentication",
                "Digital Signature, Key Encipherment");
    }

    private String opensslFingerprint(String certFile) throws Exception {
        return OpensslCommand.fingerprint(dir, certFile, "sha256");
    }

    private String openssl(String... args) throws Exception {
        return OpensslCommand.run(dir, args);
    }
}
