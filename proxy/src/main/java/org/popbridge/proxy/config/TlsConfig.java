package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificates popbridge serves to clients: {@code cert}/{@code key} for clients that send
 * no server name or one no {@code sni} entry lists (both null: a generated self-signed one),
 * and per-name certificates under {@code sni}. Files are checked for replacement every
 * {@code reloadInterval}.
 */
public record TlsConfig(Path cert, Path key, List<SniCertificateConfig> sni, Duration reloadInterval) {

    static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public TlsConfig {
        if ((cert == null) != (key == null)) {
            // Blame the one that is there: that is the line the operator has to look at.
            throw new SettingException(cert != null ? "cert" : "key",
                    "tls needs both cert and key, or neither (then a self-signed certificate is generated)");
        }
        sni = List.copyOf(sni);
    }

    /** Only the default certificate, as --cert/--key give it. */
    public TlsConfig(Path cert, Path key) {
        this(cert, key, List.of(), DEFAULT_RELOAD_INTERVAL);
    }

    /** Binds {@code tls:}; a server name may appear in one sni entry only. */
    @JsonCreator
    public static TlsConfig of(
            @JsonProperty("cert") Path cert,
            @JsonProperty("key") Path key,
            @JsonProperty("sni") List<SniCertificateConfig> sni,
            @JsonProperty("reload-interval") Duration reloadInterval) {
        List<SniCertificateConfig> entries = sni == null ? List.of() : sni;
        Map<String, Integer> firstEntry = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            for (String name : entries.get(i).names()) {
                Integer first = firstEntry.putIfAbsent(name, i);
                if (first != null && first != i) {
                    throw new SettingException("sni", i,
                            "server name '" + name + "' is already listed in sni[" + first + "]");
                }
            }
        }
        return new TlsConfig(cert, key, entries,
                UpstreamConfig.positive(reloadInterval, DEFAULT_RELOAD_INTERVAL, "reload-interval"));
    }

    /** No certificate configured: a self-signed one is generated. */
    public static TlsConfig none() {
        return new TlsConfig(null, null);
    }

    /** Whether the default certificate comes from files (else it is generated). */
    public boolean configured() {
        return cert != null;
    }

    /** The same settings with another default certificate (a command-line --cert/--key over the file's). */
    public TlsConfig withDefaultCertificate(Path newCert, Path newKey) {
        return new TlsConfig(newCert, newKey, sni, reloadInterval);
    }

    /** The same settings, checking the files every {@code newInterval}. */
    public TlsConfig withReloadInterval(Duration newInterval) {
        return new TlsConfig(cert, key, sni, newInterval);
    }

    /** The same settings with other per-name certificates. */
    public TlsConfig withSni(List<SniCertificateConfig> newSni) {
        return new TlsConfig(cert, key, newSni, reloadInterval);
    }
}
