package org.popbridge.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the local CA's own certificate and the server certificates it signs (RFC 5280 profiles). */
final class LocalCaCertificates {

    /** RSA rather than EC for the CA too: old clients must verify its signature on every server certificate. */
    static final int CA_RSA_BITS = 3072;
    /** 2048 bits: the size every old TLS stack handles, and what public CAs still issue. */
    static final int SERVER_RSA_BITS = 2048;
    /** Ten years: long enough that clients are not re-configured often; the key never leaves the state directory. */
    static final int CA_VALIDITY_YEARS = 10;
    /** ub-common-name in RFC 5280 appendix A.1. */
    static final int MAX_COMMON_NAME_LENGTH = 64;
    /** SHA-256: the strongest digest that Windows XP SP3-era and other old clients verify. */
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalCaCertificates() {
    }

    /** A new CA key and self-signed CA certificate: CA:true with path length 0, keyCertSign and cRLSign only. */
    static ServerCredentials ca(String commonName, Instant now) {
        try {
            KeyPair keys = rsaKeys(CA_RSA_BITS);
            X500Name subject = commonName(commonName);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(CA_VALIDITY_YEARS).toInstant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, CertificateSerials.random(),
                    Date.from(now.minus(SelfSignedIssuer.BACKDATE)), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new ServerCredentials(keys.getPrivate(), List.of(sign(builder, keys.getPrivate())));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("this Java runtime cannot create an RSA CA certificate", e);
        }
    }

    /**
     * A new RSA 2048 key and a TLS server certificate for it, signed by {@code ca}, valid from an hour before
     * {@code now} until {@code notAfter}; the chain is the new certificate, then the CA's.
     */
    static ServerCredentials server(ServerCredentials ca, GeneralNames names, String commonName, Instant now,
            Instant notAfter) {
        try {
            KeyPair keys = rsaKeys(SERVER_RSA_BITS);
            X509Certificate caCert = ca.leaf();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, CertificateSerials.random(),
                    Date.from(now.minus(SelfSignedIssuer.BACKDATE)), Date.from(notAfter), commonName(commonName),
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCert));
            return new ServerCredentials(keys.getPrivate(), List.of(sign(builder, ca.key()), caCert));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("this Java runtime cannot create an RSA server certificate", e);
        }
    }

    private static X500Name commonName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair rsaKeys(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }
}
