package org.popbridge.certs;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A certificate in plain text for operators: names, dates, key, fingerprints to compare with openssl's. */
public final class CertificateDescription {

    private static final String INDENT = "  ";

    private CertificateDescription() {
    }

    /** Subject, issuer, serial, SANs, validity with days left, key, SHA-256 and SHA-1 fingerprints, CA flag. */
    public static String of(X509Certificate cert) {
        return of(cert, Instant.now());
    }

    /** {@link #of(X509Certificate)} with days left counted from {@code now}. */
    static String of(X509Certificate cert, Instant now) {
        CertificateValidity validity = CertificateValidity.of(cert, now);
        StringBuilder text = new StringBuilder();
        line(text, "Subject", cert.getSubjectX500Principal().getName());
        line(text, "Issuer", cert.getIssuerX500Principal().getName());
        line(text, "Serial", cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
        line(text, "DNS names", listOrNone(SubjectAltNames.dnsNames(cert)));
        line(text, "IP addresses", listOrNone(SubjectAltNames.ipAddresses(cert)));
        line(text, "Not before", validity.notBefore() + (validity.notYetValid() ? " (NOT YET VALID)" : ""));
        line(text, "Not after", validity.notAfter() + " (" + remaining(validity) + ")");
        line(text, "Key", key(cert.getPublicKey()));
        line(text, "SHA-256", Fingerprints.sha256(cert));
        line(text, "SHA-1", Fingerprints.sha1(cert));
        line(text, "CA", ca(cert.getBasicConstraints()));
        return text.toString();
    }

    /** Every certificate of a PEM file (a chain or bundle, in file order), numbered. */
    public static String ofFile(Path file) throws CertificateLoadException {
        return ofFile(file, null);
    }

    /** Every certificate of a PEM file, or of a .p12/.pfx file opened with password, numbered. */
    public static String ofFile(Path file, char[] password) throws CertificateLoadException {
        Instant now = Instant.now();
        Map<X509Certificate, String> certs = isPkcs12(file)
                ? pkcs12Certificates(file, password)
                : pemCertificates(file);
        StringBuilder text = new StringBuilder(file + ": " + certs.size()
                + (certs.size() == 1 ? " certificate" : " certificates") + "\n");
        int number = 1;
        for (Map.Entry<X509Certificate, String> cert : certs.entrySet()) {
            text.append('\n').append("Certificate ").append(number++).append(" of ").append(certs.size())
                    .append(cert.getValue()).append('\n');
            of(cert.getKey(), now).lines().forEach(line -> text.append(INDENT).append(line).append('\n'));
        }
        return text.toString();
    }

    private static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static Map<X509Certificate, String> pemCertificates(Path file) throws CertificateLoadException {
        Map<X509Certificate, String> certs = new LinkedHashMap<>();
        for (X509Certificate cert : PemCertificates.load(file)) {
            certs.putIfAbsent(cert, "");
        }
        return certs;
    }

    /** Key entries' chains and certificate entries, each certificate once, labelled with its entry's alias. */
    private static Map<X509Certificate, String> pkcs12Certificates(Path file, char[] password)
            throws CertificateLoadException {
        KeyStore store = Pkcs12FileReader.read(file, password);
        Map<X509Certificate, String> certs = new LinkedHashMap<>();
        try {
            List<String> aliases = new ArrayList<>(Collections.list(store.aliases()));
            Collections.sort(aliases);
            for (String alias : aliases) {
                Certificate[] chain = store.isKeyEntry(alias)
                        ? store.getCertificateChain(alias)
                        : new Certificate[] {store.getCertificate(alias)};
                String label = " (entry '" + alias + "'" + (store.isKeyEntry(alias) ? ", with private key)" : ")");
                for (Certificate cert : chain == null ? new Certificate[0] : chain) {
                    if (cert instanceof X509Certificate x509) {
                        certs.putIfAbsent(x509, label);
                        label = " (entry '" + alias + "', chain)";
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + file + " cannot be listed: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + file + " holds no certificate");
        }
        return certs;
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-14s%s", label + ":", value)).append('\n');
    }

    private static String listOrNone(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }

    private static String remaining(CertificateValidity validity) {
        if (validity.expired()) {
            long daysAgo = Duration.between(validity.notAfter(), validity.checkedAt()).toDays();
            return "EXPIRED " + (daysAgo == 0 ? "less than a day" : days(daysAgo)) + " ago";
        }
        long daysLeft = validity.daysLeft();
        return (daysLeft == 0 ? "less than a day" : days(daysLeft)) + " left";
    }

    private static String days(long count) {
        return count + (count == 1 ? " day" : " days");
    }

    private static String key(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + " bits";
        }
        if (key instanceof ECPublicKey ec) {
            return "EC " + ec.getParams().getOrder().bitLength() + " bits";
        }
        if (key instanceof DSAPublicKey dsa) {
            return "DSA " + dsa.getParams().getP().bitLength() + " bits";
        }
        if (key instanceof EdECPublicKey ed) {
            return ed.getParams().getName();
        }
        return key.getAlgorithm();
    }

    private static String ca(int pathLength) {
        if (pathLength < 0) {
            return "no";
        }
        return pathLength == Integer.MAX_VALUE ? "yes" : "yes (path length " + pathLength + ")";
    }
}
