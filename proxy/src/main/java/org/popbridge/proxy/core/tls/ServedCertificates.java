package org.popbridge.proxy.core.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * Every certificate served at one moment: the default (no SNI, or a name no entry lists) and
 * the SNI entries, in config order. Replaced as a whole when a file is reloaded.
 */
public record ServedCertificates(List<ServedCertificate> all) {

    public ServedCertificates {
        all = List.copyOf(all);
        if (all.isEmpty() || !all.get(0).serverNames().isEmpty()) {
            throw new IllegalArgumentException("the default certificate comes first");
        }
    }

    public ServedCertificate defaultCertificate() {
        return all.get(0);
    }

    public List<ServedCertificate> byServerName() {
        return all.subList(1, all.size());
    }

    /** The same set with the certificate at {@code index} replaced. */
    ServedCertificates with(int index, ServedCertificate replacement) {
        List<ServedCertificate> next = new ArrayList<>(all);
        next.set(index, replacement);
        return new ServedCertificates(next);
    }
}
