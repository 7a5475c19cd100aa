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
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** The subjectAltName entries (RFC 5280 section 4.2.1.6) of the self-signed certificate. */
final class SubjectAltNames {

    /** Clients on the proxy's own machine connect by these names, so the certificate always covers them. */
    static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

    private SubjectAltNames() {
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
        String name = host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (IPAddress.isValid(name)) {
            return new GeneralName(GeneralName.iPAddress, name);
        }
        // dNSName is an IA5String, so internationalised names must be in their ASCII (punycode) form.
        return new GeneralName(GeneralName.dNSName, IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
    }

    private static Set<GeneralName> presentIn(X509Certificate cert) {
        Set<GeneralName> present = new HashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return present;
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                    present.add(entry((String) san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension lists nothing; the caller then reports every name as missing.
        }
        return present;
    }
}
