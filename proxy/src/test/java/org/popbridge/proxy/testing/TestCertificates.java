package org.popbridge.proxy.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.popbridge.certs.PemFiles;
import org.popbridge.certs.ServerCredentials;

/** A throwaway CA and the server certificates it signs, made fresh by each test that needs them. */
public final class TestCertificates {

    /** Unique serial numbers: two certificates made in the same millisecond must still differ. */
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

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
        return serverContext(issue(names));
    }

    /** A TLS server context serving {@code leaf} (made by {@link #issue}: an expired one, say). */
    public static SSLContext serverContext(ServerCredentials leaf) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.key(), new char[0], leaf.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The same as {@link #serverContext(String...)} from another JSSE provider (BouncyCastle's, to play old servers). */
    public SSLContext serverContext(Provider provider, String... names) throws Exception {
        ServerCredentials leaf = issue(names);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.key(), "test".toCharArray(), leaf.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", provider);
        kmf.init(store, "test".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS", provider);
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /** A client context of {@code provider} that trusts this CA only. */
    public SSLContext clientContext(Provider provider) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", provider);
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS", provider);
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** A server certificate and key signed by this CA, valid for {@code names} from an hour ago for two days. */
    public ServerCredentials issue(String... names) throws Exception {
        Instant now = Instant.now();
        return issue(now.minus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.DAYS), names);
    }

    /** A server certificate and key signed by this CA, valid for {@code names} between the two instants. */
    public ServerCredentials issue(Instant notBefore, Instant notAfter, String... names) throws Exception {
        KeyPair keys = rsa();
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            boolean ip = Character.isDigit(name.charAt(0)) || name.contains(":");
            sans.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, name));
        }
        X509Certificate leaf = sign(new X500Name("CN=" + names[0]), keys, sans, false, notBefore, notAfter);
        return new ServerCredentials(keys.getPrivate(), List.of(leaf, ca));
    }

    /** Writes credentials as {@code name}.crt and {@code name}.key in {@code dir}, each replaced atomically. */
    public static Path[] write(Path dir, String name, ServerCredentials credentials) throws Exception {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        PemFiles.writeCertificates(cert, credentials.chain());
        PemFiles.writePrivateKey(key, credentials.key());
        return new Path[] {cert, key};
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, List<GeneralName> sans, boolean isCa) throws Exception {
        Instant now = Instant.now();
        return sign(subject, keys, sans, isCa, now.minus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.DAYS));
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, List<GeneralName> sans, boolean isCa,
                                 Instant notBefore, Instant notAfter) throws Exception {
        X500Name issuer = isCa ? subject : new X500Name(ca.getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore),
                Date.from(notAfter), subject, keys.getPublic());
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
