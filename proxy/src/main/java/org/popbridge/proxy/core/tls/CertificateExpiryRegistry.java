package org.popbridge.proxy.core.tls;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Days left before each served certificate expires, by its label (the certificate file);
 * negative once expired. Updated at start, once a day and on reload; read by the metrics endpoint.
 */
public final class CertificateExpiryRegistry {

    private final Map<String, Long> daysLeft = new ConcurrentHashMap<>();

    void record(String label, long days) {
        daysLeft.put(label, days);
    }

    /** Days left for one certificate, if it is served. */
    public OptionalLong daysLeft(String label) {
        Long days = daysLeft.get(label);
        return days == null ? OptionalLong.empty() : OptionalLong.of(days);
    }

    /** Every served certificate's days left, sorted by label. */
    public Map<String, Long> snapshot() {
        return new TreeMap<>(daysLeft);
    }
}
