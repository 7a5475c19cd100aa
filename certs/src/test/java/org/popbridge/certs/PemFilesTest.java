package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

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

    @Test
    void rsaPkcs8KeyWrittenByPemFilesLoadsBack() throws Exception {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        PemFiles.writeCertificates(cert, List.of(rsaCert));
        PemFiles.writePrivateKey(key, rsa.getPrivate());

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        assertThat(loaded.leaf()).isEqualTo(rsaCert);
    }

    @Test
    void rsaPkcs1KeyLoads() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = TestPki.writePem(dir.resolve("server.key"), rsa.getPrivate());

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void ecSec1KeyLoads() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), ecCert);
        Path key = TestPki.writePem(dir.resolve("server.key"), ec.getPrivate());

        ServerCredentials loaded = PemFiles.loadCredentials(cert, key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
        assertThat(loaded.leaf()).isEqualTo(ecCert);
    }

    @Test
    void ecPkcs8KeyWrittenByPemFilesLoadsBack() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), ecCert);
        Path key = dir.resolve("server.key");
        PemFiles.writePrivateKey(key, ec.getPrivate());

        assertThat(PemFiles.loadCredentials(cert, key).leaf()).isEqualTo(ecCert);
    }

    @Test
    void jdkGeneratedEcKeyRoundTripsAsPkcs8() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair jdkEc = generator.generateKeyPair();
        X509Certificate cert = TestPki.selfSigned(jdkEc, "p384.example", Instant.now().plus(Duration.ofDays(9)));
        Path certFile = dir.resolve("server.crt");
        Path keyFile = dir.resolve("server.key");
        PemFiles.writeCertificates(certFile, List.of(cert));
        PemFiles.writePrivateKey(keyFile, jdkEc.getPrivate());

        assertThat(PemFiles.loadCredentials(certFile, keyFile).key().getEncoded())
                .isEqualTo(jdkEc.getPrivate().getEncoded());
    }

    @Test
    void combinedFileWithCertificateAndKeyServesAsBoth() throws Exception {
        Path combined = TestPki.writePem(dir.resolve("server.pem"), rsaCert, rsa.getPrivate());

        assertThat(PemFiles.loadCredentials(combined, combined).leaf()).isEqualTo(rsaCert);
    }

    @Test
    void chainKeepsFileOrderLeafFirst() throws Exception {
        KeyPair caKeys = TestPki.rsaKeys();
        X509Certificate ca = TestPki.ca(caKeys, "Test CA");
        X509Certificate leaf = TestPki.server(rsa, "mail.example", ca, caKeys.getPrivate());
        Path chain = dir.resolve("chain.crt");
        PemFiles.writeCertificates(chain, List.of(leaf, ca));
        Path key = TestPki.writePem(dir.resolve("server.key"), rsa.getPrivate());

        ServerCredentials loaded = PemFiles.loadCredentials(chain, key);

        assertThat(loaded.chain()).containsExactly(leaf, ca);
        assertThat(loaded.chainArray()).containsExactly(leaf, ca);
        assertThat(PemFiles.loadCertificates(chain)).containsExactly(leaf, ca);
    }

    @Test
    void keyOfAnotherCertificateIsRejectedNamingTheKeyFile() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path otherKey = TestPki.writePem(dir.resolve("other.key"), TestPki.rsaKeys().getPrivate());

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, otherKey))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(otherKey.toString())
                .hasMessageContaining("does not match");
    }

    @Test
    void ecKeyForRsaCertificateIsRejected() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path ecKey = TestPki.writePem(dir.resolve("ec.key"), ec.getPrivate());

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, ecKey))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(ecKey.toString())
                .hasMessageContaining("does not match")
                .hasMessageContaining("key type EC")
                .hasMessageContaining("CN=rsa.example key type RSA");
    }

    @Test
    void otherEcKeyOnSameCurveIsRejected() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), ecCert);
        Path otherKey = TestPki.writePem(dir.resolve("other.key"), TestPki.ecKeys().getPrivate());

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, otherKey))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.crt");

        assertThatThrownBy(() -> PemFiles.loadCertificates(missing))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Certificate file " + missing + " does not exist");
    }

    @Test
    void missingKeyFileIsNamed() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path missing = dir.resolve("nope.key");

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, missing))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Private key file " + missing + " does not exist");
    }

    @Test
    void garbageFileHasNoCertificate() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "this is not a certificate\n");

        assertThatThrownBy(() -> PemFiles.loadCertificates(garbage))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("contains no PEM certificate");
    }

    @Test
    void emptyFileHasNoCertificate() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.crt"));

        assertThatThrownBy(() -> PemFiles.loadCertificates(empty))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("contains no PEM certificate");
    }

    @Test
    void corruptPemBlockIsUnreadable() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("corrupt.crt"),
                "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.loadCertificates(corrupt))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("is not readable PEM");
    }

    @Test
    void derCertificateGetsAConversionHint() throws Exception {
        Path der = Files.write(dir.resolve("server.der"), rsaCert.getEncoded());

        assertThatThrownBy(() -> PemFiles.loadCertificates(der))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(der.toString())
                .hasMessageContaining("binary DER");
    }

    @Test
    void certificateInKeyFileIsNotAPrivateKey() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);

        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, cert))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Private key file " + cert + " contains no PEM private key (found: certificate)");
    }

    @Test
    void privateKeyInCertificateFileIsNotACertificate() throws Exception {
        Path key = TestPki.writePem(dir.resolve("server.key"), rsa.getPrivate());

        assertThatThrownBy(() -> PemFiles.loadCertificates(key))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Certificate file " + key + " contains no PEM certificate (found: private key)");
    }

    @Test
    void encryptedPkcs8KeyWithoutPasswordAsksForIt() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider())
                .setPassword("secret".toCharArray())
                .build();
        Path key = TestPki.writePem(dir.resolve("server.key"), new JcaPKCS8Generator(rsa.getPrivate(), encryptor));

        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("a key password is needed, but none is configured")
                .hasMessageContaining("configure the key password");
    }

    @Test
    void encryptedTraditionalKeyWithoutPasswordAsksForIt() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = dir.resolve("server.key");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(key))) {
            writer.writeObject(rsa.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider())
                    .build("secret".toCharArray()));
        }

        assertThat(Files.readString(key)).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> PemFiles.loadCredentials(cert, key))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("a key password is needed, but none is configured")
                .hasMessageContaining("configure the key password");
    }

    @Test
    void errorsAndToStringNeverShowKeyMaterial() throws Exception {
        String keyPem = Files.readString(TestPki.writePem(dir.resolve("full.key"), rsa.getPrivate()));
        List<String> bodyLines = keyPem.lines().filter(line -> !line.startsWith("-----")).toList();
        // A truncated key: real key bytes in a block that cannot be parsed.
        Path truncated = Files.writeString(dir.resolve("truncated.key"),
                "-----BEGIN RSA PRIVATE KEY-----\n" + bodyLines.get(0) + "\n" + bodyLines.get(1)
                        + "\n-----END RSA PRIVATE KEY-----\n");
        Path cert = TestPki.writePem(dir.resolve("server.crt"), rsaCert);
        Path key = TestPki.writePem(dir.resolve("server.key"), rsa.getPrivate());
        RSAPrivateCrtKey rsaKey = (RSAPrivateCrtKey) rsa.getPrivate();
        String exponentHex = rsaKey.getPrivateExponent().toString(16);
        String exponentDecimal = rsaKey.getPrivateExponent().toString();
        String encodedKey = Base64.getEncoder().encodeToString(rsaKey.getEncoded());

        String truncatedMessage = messageOf(() -> PemFiles.loadCredentials(cert, truncated));
        String credentials = PemFiles.loadCredentials(cert, key).toString();

        assertThat(truncatedMessage).contains(truncated.toString());
        for (String text : List.of(truncatedMessage, credentials)) {
            assertThat(text).doesNotContain(bodyLines.get(0).substring(8, 40), bodyLines.get(1).substring(0, 32),
                    exponentHex.substring(0, 32), exponentDecimal.substring(0, 32), encodedKey.substring(40, 72));
        }
        assertThat(credentials).contains("RSA key", "CN=rsa.example");
    }

    @Test
    void privateKeyFileIsOwnerOnlyEvenWhenReplacingAReadableFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path key = Files.writeString(dir.resolve("server.key"), "old", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        PemFiles.writePrivateKey(key, rsa.getPrivate());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(key);
        }
    }

    @Test
    void certificateBundleLoadsEveryCertificate() throws Exception {
        Path bundle = TestPki.writePem(dir.resolve("bundle.pem"), rsaCert, ecCert);

        assertThat(PemFiles.loadCertificates(bundle)).containsExactly(rsaCert, ecCert);
    }

    private static String messageOf(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t).append('\n');
            }
            return all.toString();
        }
        throw new AssertionError("expected an exception");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
