package org.popbridge.certs;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and certificates made on the fly for tests; nothing is committed. */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {
    }

    static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /**
     * A P-256 key pair from BouncyCastle's provider: its keys carry the curve inside the SEC1 structure, so
     * {@link #writePem} produces the "EC PRIVATE KEY" form openssl writes (the JDK's keys would lose the curve).
     */
    static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed CA certificate valid for a year. */
    static X509Certificate ca(KeyPair keys, String commonName) throws Exception {
        X500Name name = new X500Name("CN=" + commonName);
        X509v3CertificateBuilder builder = builder(name, name, keys, Instant.now().plus(Duration.ofDays(365)))
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(builder, keys.getPrivate());
    }

    /** A server certificate for {@code dnsName}, signed by {@code issuer}. */
    static X509Certificate server(KeyPair keys, String dnsName, X509Certificate issuer, PrivateKey issuerKey)
            throws Exception {
        X509v3CertificateBuilder builder = builder(
                X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), new X500Name("CN=" + dnsName),
                keys, Instant.now().plus(Duration.ofDays(90)))
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return sign(builder, issuerKey);
    }

    /** A self-signed certificate for {@code keys} that expires at {@code notAfter}. */
    static X509Certificate selfSigned(KeyPair keys, String commonName, Instant notAfter) throws Exception {
        return selfSigned(keys, commonName, Instant.now().minus(Duration.ofDays(1)), notAfter);
    }

    /** A self-signed certificate for {@code keys} valid from {@code notBefore} to {@code notAfter}. */
    static X509Certificate selfSigned(KeyPair keys, String commonName, Instant notBefore, Instant notAfter)
            throws Exception {
        X500Name name = new X500Name("CN=" + commonName);
        return sign(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic()), keys.getPrivate());
    }

    /** Writes {@code key} as "ENCRYPTED PRIVATE KEY" (PKCS#8) with BouncyCastle, as Java tools do. */
    static Path writeEncryptedPkcs8(Path file, PrivateKey key, ASN1ObjectIdentifier algorithm, char[] password)
            throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(algorithm)
                .setProvider(new BouncyCastleProvider())
                .setPassword(password)
                .build();
        return writePem(file, new JcaPKCS8Generator(key, encryptor));
    }

    /** Writes {@code key} in the legacy OpenSSL form with "Proc-Type: 4,ENCRYPTED" and DEK-Info {@code cipher}. */
    static Path writeEncryptedTraditional(Path file, PrivateKey key, String cipher, char[] password)
            throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key, new JcePEMEncryptorBuilder(cipher)
                    .setProvider(new BouncyCastleProvider())
                    .build(password));
        }
        return file;
    }

    /** Writes objects with BouncyCastle's PEM writer: a raw key becomes PKCS#1 ("RSA PRIVATE KEY") or SEC1. */
    static Path writePem(Path file, Object... objects) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return file;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant notAfter) {
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signerKey) throws Exception {
        String algorithm = signerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        // Built-in JDK providers sign, as in production code; BouncyCastle keys are accepted by them.
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signerKey)));
    }
}
