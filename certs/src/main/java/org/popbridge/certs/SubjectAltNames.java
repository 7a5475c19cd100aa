package org.popbridge.certs;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** The subjectAltName entries (RFC 5280 section 4.2.1.6) of the certificates popbridge issues and describes. */
final class SubjectAltNames {

    /** Clients on the proxy's own machine connect by these names, so the certificate always covers them. */
    static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

    /** RFC 1123 host name labels in ASCII form, optionally behind one leading "*." wildcard label (RFC 6125 6.4.3). */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** RFC 1035 section 2.3.4: at most 253 characters without the root dot. */
    private static final int MAX_DNS_NAME_LENGTH = 253;

    private SubjectAltNames() {
    }

    /**
     * Exactly the given names, validated: DNS names become dNSName entries (punycoded), addresses iPAddress entries.
     *
     * @throws IllegalArgumentException naming the first invalid name, or if both lists are empty
     */
    static GeneralNames forServer(List<String> dnsNames, List<String> ipAddresses) {
        Set<GeneralName> names = new LinkedHashSet<>();
        for (String name : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, validDnsName(name)));
        }
        for (String address : ipAddresses) {
            names.add(new GeneralName(GeneralName.iPAddress, validIpAddress(address)));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address");
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** The ASCII (punycode), lower-case form of a DNS name fit for a dNSName entry. */
    static String validDnsName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException("empty DNS name");
        }
        if (IPAddress.isValid(unbracketed(stripped))) {
            throw new IllegalArgumentException("'" + stripped + "' is an IP address, not a DNS name;"
                    + " give it as an IP address");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(stripped, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + stripped + "' is not a valid DNS name: " + e.getMessage(), e);
        }
        if (ascii.length() > MAX_DNS_NAME_LENGTH || !DNS_NAME.matcher(ascii).matches()) {
            throw new IllegalArgumentException("'" + stripped + "' is not a valid DNS name (letters, digits and"
                    + " hyphens in dot-separated labels of at most 63 characters; '*.' only as the first label)");
        }
        return ascii;
    }

    /** An IPv4 or IPv6 literal (brackets allowed) fit for an iPAddress entry. */
    static String validIpAddress(String address) {
        String stripped = address == null ? "" : unbracketed(address.strip());
        if (!IPAddress.isValid(stripped)) {
            throw new IllegalArgumentException("'" + address + "' is not a valid IPv4 or IPv6 address");
        }
        return stripped;
    }

    /** The dNSName entries of {@code cert}, in certificate order. */
    static List<String> dnsNames(X509Certificate cert) {
        return entriesOfType(cert, GeneralName.dNSName);
    }

    /** The iPAddress entries of {@code cert} as the JDK prints them (IPv6 uncompressed), in certificate order. */
    static List<String> ipAddresses(X509Certificate cert) {
        return entriesOfType(cert, GeneralName.iPAddress);
    }

    /** The requested host names plus {@link #LOOPBACK}, without duplicates, in that order. */
    static GeneralNames forHosts(Collection<String> hostNames) {
        Set<GeneralName> names = new LinkedHashSet<>();
        for (String host : hostNames) {
            if (!host.isBlank()) {
                names.add(entry(host));
            }
        }
        LOOPBACK.forEach(host -> names.add(entry(host)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** The requested host names that {@code cert} does not list as a dNSName or iPAddress entry. */
    static List<String> missingFrom(X509Certificate cert, Collection<String> hostNames) {
        Set<GeneralName> present = presentIn(cert);
        List<String> missing = new ArrayList<>();
        for (String host : hostNames) {
            if (!host.isBlank() && !present.contains(entry(host))) {
                missing.add(host);
            }
        }
        return missing;
    }

    /** An IP literal becomes an iPAddress entry, anything else a (punycoded, lower-case) dNSName entry. */
    static GeneralName entry(String host) {
        String name = unbracketed(host.strip());
        if (IPAddress.isValid(name)) {
            return new GeneralName(GeneralName.iPAddress, name);
        }
        // dNSName is an IA5String, so internationalised names must be in their ASCII (punycode) form.
        return new GeneralName(GeneralName.dNSName, IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
    }

    private static String unbracketed(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

    private static List<String> entriesOfType(X509Certificate cert, int type) {
        List<String> values = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == type) {
                        values.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension lists nothing; callers then report every name as missing.
        }
        return values;
    }

    private static Set<GeneralName> presentIn(X509Certificate cert) {
        Set<GeneralName> present = new HashSet<>();
        dnsNames(cert).forEach(name -> present.add(entry(name)));
        ipAddresses(cert).forEach(address -> present.add(entry(address)));
        return present;
    }
}
