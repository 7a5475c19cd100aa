package org.popbridge.proxy.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.popbridge.certs.PemFiles;

/** A throwaway CA and the server certificates it signs, made fresh by each test that needs them. */
public final class TestCertificates {

    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestCertificates() throws Exception {
        caKeys = rsa();
        ca = sign(new X500Name("CN=popbridge test CA"), caKeys, List.of(), true);
    }

    public static TestCertificates newCa() throws Exception {
        return new TestCertificates();
    }

    public X509Certificate ca() {
        return ca;
    }

    /** Writes the CA certificate as PEM, for --upstream-ca. */
    public Path writeCa(Path file) throws Exception {
        PemFiles.writeCertificates(file, List.of(ca));
        return file;
    }

    /** A TLS server context whose certificate, signed by this CA, is valid for {@code names} only. */
    public SSLContext serverContext(String... names) throws Exception {
        KeyPair keys = rsa();
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            boolean ip = Character.isDigit(name.charAt(0)) || name.contains(":");
            sans.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, name));
        }
        X509Certificate leaf = sign(new X500Name("CN=" + names[0]), keys, sans, false);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), new char[0], new X509Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, List<GeneralName> sans, boolean isCa) throws Exception {
        Instant now = Instant.now();
        X500Name issuer = isCa ? subject : new X500Name(ca.getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(2, ChronoUnit.DAYS)), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!sans.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        KeyPair signer = isCa ? keys : caKeys;
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
