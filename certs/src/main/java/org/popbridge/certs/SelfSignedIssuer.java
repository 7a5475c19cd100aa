package org.popbridge.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Issues a fresh self-signed TLS server certificate with a new key. */
final class SelfSignedIssuer {

    static final X500Name SUBJECT = new X500Name("CN=popbridge self-signed");
    /** 825 days: the longest lifetime Apple and browser root programs accept for a server certificate. */
    static final Duration VALIDITY = Duration.ofDays(825);
    /** Backdating tolerates clients whose clock is a little behind the proxy's. */
    static final Duration BACKDATE = Duration.ofHours(1);
    /** RSA rather than EC: old clients (Windows XP-era Outlook, embedded TLS stacks) may not speak ECDSA. */
    private static final int RSA_BITS = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedIssuer() {
    }

    /** A new RSA key and a certificate for it that names {@code hostNames} and the loopback names. */
    static ServerCredentials issue(Collection<String> hostNames, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(SUBJECT, CertificateSerials.random(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), SUBJECT, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, SubjectAltNames.forHosts(hostNames));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new ServerCredentials(keys.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("this Java runtime cannot create an RSA certificate", e);
        }
    }
}
