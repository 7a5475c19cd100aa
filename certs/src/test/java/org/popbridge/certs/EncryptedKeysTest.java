package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.openssl.PKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Password-protected keys, written by BouncyCastle (always run) and by the openssl command line (skipped without
 * openssl), load with their password and fail clearly without it.
 */
class EncryptedKeysTest {

    private static final char[] PASSWORD = "correct horse".toCharArray();

    private static KeyPair rsa;
    private static X509Certificate rsaCert;
    private static KeyPair ec;
    private static X509Certificate ecCert;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() throws Exception {
        rsa = TestPki.rsaKeys();
        rsaCert = TestPki.selfSigned(rsa, "rsa.example", Instant.now().plus(Duration.ofDays(90)));
        ec = TestPki.ecKeys();
        ecCert = TestPki.selfSigned(ec, "ec.example", Instant.now().plus(Duration.ofDays(90)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES_256_CBC", "AES_128_CBC", "DES3_CBC", "PBE_SHA1_3DES", "PBE_SHA1_RC2_128"})
    void pkcs8KeyEncryptedByBouncyCastleLoadsWithItsPassword(String algorithm) throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = TestPki.writeEncryptedPkcs8(dir.resolve("server.key"), rsa.getPrivate(), pkcs8(algorithm),
                PASSWORD);

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key, PASSWORD);

        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        assertThat(loaded.leaf()).isEqualTo(rsaCert);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-CBC", "AES-128-CBC", "DES-EDE3-CBC"})
    void traditionalRsaKeyEncryptedByBouncyCastleLoadsWithItsPassword(String cipher) throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = TestPki.writeEncryptedTraditional(dir.resolve("server.key"), rsa.getPrivate(), cipher, PASSWORD);

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key, PASSWORD);

        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----")
                .contains("Proc-Type: 4,ENCRYPTED", "DEK-Info: " + cipher);
        assertThat(loaded.key().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void traditionalEcKeyEncryptedByBouncyCastleLoadsWithItsPassword() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), ecCert);
        Path key = TestPki.writeEncryptedTraditional(dir.resolve("server.key"), ec.getPrivate(), "AES-256-CBC",
                PASSWORD);

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key, PASSWORD);

        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
        assertThat(loaded.leaf()).isEqualTo(ecCert);
    }

    @Test
    void nonAsciiPasswordWorksForKeysEncryptedByBouncyCastle() throws Exception {
        char[] password = "pässwörd-€".toCharArray();
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path pkcs8 = TestPki.writeEncryptedPkcs8(dir.resolve("pkcs8.key"), rsa.getPrivate(),
                PKCS8Generator.AES_256_CBC, password);
        Path traditional = TestPki.writeEncryptedTraditional(dir.resolve("traditional.key"), rsa.getPrivate(),
                "AES-256-CBC", password);

        assertThat(PemFiles.loadCredentials(cert, pkcs8, password).leaf()).isEqualTo(rsaCert);
        assertThat(PemFiles.loadCredentials(cert, traditional, password).leaf()).isEqualTo(rsaCert);
    }

    @Test
    void combinedFileWithCertificateAndEncryptedKeyServesAsBoth() throws Exception {
        Path combined = TestPki.writeEncryptedPkcs8(dir.resolve("server.key"), rsa.getPrivate(),
                PKCS8Generator.AES_256_CBC, PASSWORD);
        Files.writeString(combined, Files.readString(TestPki.writePem(dir.resolve("server.crt"), rsaCert))
                + Files.readString(combined));

        assertThat(PemFiles.loadCredentials(combined, combined, PASSWORD).leaf()).isEqualTo(rsaCert);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "traditional"})
    void wrongPasswordIsReportedNamingTheFileButNotThePassword(String form) throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = encryptedRsaKey(form);
        String wrong = "Tr0ub4dor&3";

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key, wrong.toCharArray()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageStartingWith("wrong key password for " + key)
                .satisfies(e -> assertThat(wholeChain(e)).doesNotContain(wrong, new String(PASSWORD)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "traditional"})
    void missingPasswordSaysThatOneIsNeeded(String form) throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = encryptedRsaKey(form);

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("holds an encrypted private key, so a key password is needed, but none is"
                        + " configured")
                .hasMessageContaining("key-password");
    }

    @Test
    void emptyPasswordSaysThatOneIsNeeded() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = encryptedRsaKey("pkcs8");

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key, new char[0]))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("a key password is needed, but the configured one is empty");
    }

    @Test
    void twoArgumentLoadStillRefusesEncryptedKeysAndPointsToThePasswordSetting() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = encryptedRsaKey("traditional");

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("configure the key password");
    }

    @Test
    void passwordGivenForAnUnencryptedKeyIsNotNeededAndTheKeyLoads() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = dir.resolve("server.key");
        PemFiles.writePrivateKey(key, rsa.getPrivate());

        assertThat(PemFiles.loadCredentials(cert, key, PASSWORD).key().getEncoded())
                .isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void encryptedKeyOfAnotherCertificateIsStillRejectedAsNotMatching() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), ecCert);
        Path key = encryptedRsaKey("pkcs8");

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void legacyCipherBouncyCastleCannotDecryptIsNamed() throws Exception {
        Path key = encryptedRsaKey("traditional");
        Files.writeString(key, Files.readString(key).replace("DEK-Info: AES-256-CBC", "DEK-Info: CAMELLIA-256-CBC"));
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("is encrypted with CAMELLIA-256-CBC, which popbridge cannot decrypt");
    }

    // Keys as openssl 3 writes them; these are skipped where openssl is not installed.

    @Test
    void opensslGenrsaAes256WritesPkcs8ThatLoads() throws Exception {
        openssl("genrsa", "-aes256", "-passout", "pass:secret", "-out", "server.key", "2048");

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(opensslCredentials("server.key", "secret").key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void opensslGenrsaAes256TraditionalLoads() throws Exception {
        openssl("genrsa", "-aes256", "-traditional", "-passout", "pass:secret", "-out", "server.key", "2048");

        assertThat(Files.readString(dir.resolve("server.key"))).contains("Proc-Type: 4,ENCRYPTED",
                "DEK-Info: AES-256-CBC");
        assertThat(opensslCredentials("server.key", "secret").key().getAlgorithm()).isEqualTo("RSA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-aes256", "-aes128", "-des3"})
    void opensslRsaTraditionalEncryptionLoads(String cipher) throws Exception {
        openssl("genrsa", "-traditional", "-out", "plain.key", "2048");
        openssl("rsa", "-in", "plain.key", cipher, "-traditional", "-passout", "pass:secret", "-out", "server.key");

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----")
                .contains("Proc-Type: 4,ENCRYPTED");
        assertThat(opensslCredentials("server.key", "secret").key().getEncoded())
                .isEqualTo(PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("plain.key")).key()
                        .getEncoded());
    }

    @Test
    void opensslEcTraditionalEncryptionLoads() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "plain.key");
        openssl("ec", "-in", "plain.key", "-aes256", "-passout", "pass:secret", "-out", "server.key");

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----")
                .contains("Proc-Type: 4,ENCRYPTED");
        assertThat(opensslCredentials("server.key", "secret").key().getAlgorithm()).isEqualTo("EC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v2 aes-256-cbc -v2prf hmacWithSHA256", "-v2 aes-128-cbc -v2prf hmacWithSHA1",
            "-v2 des3", "-v1 PBE-SHA1-3DES", "-scrypt"})
    void opensslPkcs8EncryptionSchemesLoad(String scheme) throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "plain.key");
        List<String> args = new ArrayList<>(List.of("pkcs8", "-topk8", "-in", "plain.key",
                "-passout", "pass:secret", "-out", "server.key"));
        args.addAll(List.of(scheme.split(" ")));
        openssl(args.toArray(String[]::new));

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(opensslCredentials("server.key", "secret").key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void opensslPbes1Md5DesFromTheLegacyProviderLoads() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "plain.key");
        assumeTrue(OpensslCommand.succeeds(dir, "pkcs8", "-topk8", "-in", "plain.key", "-v1", "PBE-MD5-DES",
                "-provider", "legacy", "-provider", "default", "-passout", "pass:secret", "-out", "server.key"),
                "this openssl has no legacy provider for DES");
        // The certificate comes from the plain key: without the legacy provider openssl cannot read its own output.
        openssl("req", "-new", "-x509", "-key", "plain.key", "-out", "server.crt", "-subj", "/CN=md5des", "-days", "2");

        ServerCredentials loaded = PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key"),
                "secret".toCharArray());

        assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(PemFiles.loadCredentials(dir.resolve("server.crt"),
                dir.resolve("plain.key")).key().getEncoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "traditional"})
    void nonAsciiPasswordFromOpensslWorks(String form) throws Exception {
        String password = "pässwörd-€";
        Files.writeString(dir.resolve("password.txt"), password + "\n", StandardCharsets.UTF_8);
        openssl("genrsa", "-traditional", "-out", "plain.key", "2048");
        if (form.equals("pkcs8")) {
            openssl("pkcs8", "-topk8", "-in", "plain.key", "-v2", "aes-256-cbc", "-passout", "file:password.txt",
                    "-out", "server.key");
        } else {
            openssl("rsa", "-in", "plain.key", "-aes256", "-traditional", "-passout", "file:password.txt",
                    "-out", "server.key");
        }

        assertThat(opensslCredentials("server.key", password).key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void wrongPasswordForAnOpensslKeyIsReported() throws Exception {
        openssl("genrsa", "-aes256", "-passout", "pass:secret", "-out", "server.key", "2048");
        opensslCredentials("server.key", "secret");

        assertThatThrownBy(() -> PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve("server.key"),
                "not-the-secret".toCharArray()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageStartingWith("wrong key password for " + dir.resolve("server.key"))
                .satisfies(e -> assertThat(wholeChain(e)).doesNotContain("not-the-secret", "secret"));
    }

    /** Makes a certificate for the key with openssl (which takes the password too) and loads both. */
    private ServerCredentials opensslCredentials(String keyFile, String password) throws Exception {
        Files.writeString(dir.resolve("pass.txt"), password + "\n", StandardCharsets.UTF_8);
        openssl("req", "-new", "-x509", "-key", keyFile, "-passin", "file:pass.txt", "-out", "server.crt",
                "-subj", "/CN=openssl.example", "-days", "2");
        Files.delete(dir.resolve("pass.txt"));
        return PemFiles.loadCredentials(dir.resolve("server.crt"), dir.resolve(keyFile), password.toCharArray());
    }

    private Path encryptedRsaKey(String form) throws Exception {
        Path key = dir.resolve("server.key");
        return form.equals("pkcs8")
                ? TestPki.writeEncryptedPkcs8(key, rsa.getPrivate(), PKCS8Generator.AES_256_CBC, PASSWORD)
                : TestPki.writeEncryptedTraditional(key, rsa.getPrivate(), "AES-256-CBC", PASSWORD);
    }

    private String openssl(String... args) throws Exception {
        return OpensslCommand.run(dir, args);
    }

    private static ASN1ObjectIdentifier pkcs8(String algorithm) throws Exception {
        return (ASN1ObjectIdentifier) PKCS8Generator.class.getField(algorithm).get(null);
    }

    /** Every message and toString in the cause chain: where a leaked password would show. */
    static String wholeChain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
