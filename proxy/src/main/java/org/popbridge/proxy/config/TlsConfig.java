package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.proxy.core.tls.KeyPassword;
import org.popbridge.proxy.core.tls.TlsEngineChoice;

/**
 * The certificates popbridge serves to clients: {@code cert}/{@code key} (PEM; or {@code cert}
 * alone naming a PKCS#12 file; {@code key-password}/{@code key-password-env} if encrypted) for clients that send
 * no server name or one no {@code sni} entry lists (both null: a generated self-signed one),
 * and per-name certificates under {@code sni}. A replaced pair is served within
 * {@code reloadInterval} (the files are polled at half of it). {@code engine} chooses the TLS
 * implementation of modern listeners and of the connections to mail servers.
 */
public record TlsConfig(
        Path cert, Path key, KeyPassword keyPassword, List<SniCertificateConfig> sni, Duration reloadInterval,
        TlsEngineChoice engine) {

    static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public TlsConfig {
        if (key == null && cert != null && !isPkcs12(cert)) {
            throw new SettingException("cert",
                    "tls needs both cert and key, or neither (then a self-signed certificate is generated); "
                            + "a PKCS#12 file (.p12, .pfx) holds both and needs no key");
        }
        if (cert == null && key != null) {
            throw new SettingException("key",
                    "tls needs both cert and key, or neither (then a self-signed certificate is generated)");
        }
        keyPassword = keyPassword == null ? KeyPassword.none() : keyPassword;
        sni = List.copyOf(sni);
        engine = engine == null ? TlsEngineChoice.AUTO : engine;
    }

    /** Only the default certificate, as --cert/--key give it. */
    public TlsConfig(Path cert, Path key) {
        this(cert, key, KeyPassword.none(), List.of(), DEFAULT_RELOAD_INTERVAL, TlsEngineChoice.AUTO);
    }

    /** These certificates, served by the engine {@code auto} gives. */
    public TlsConfig(Path cert, Path key, KeyPassword keyPassword, List<SniCertificateConfig> sni,
                     Duration reloadInterval) {
        this(cert, key, keyPassword, sni, reloadInterval, TlsEngineChoice.AUTO);
    }

    public TlsConfig(Path cert, Path key, List<SniCertificateConfig> sni, Duration reloadInterval) {
        this(cert, key, KeyPassword.none(), sni, reloadInterval, TlsEngineChoice.AUTO);
    }

    /** Whether a file is read as PKCS#12 (key and chain in one file) rather than PEM. */
    public static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    /** Binds {@code tls:}; a server name may appear in one sni entry only. */
    @JsonCreator
    public static TlsConfig of(
            @JsonProperty("cert") Path cert,
            @JsonProperty("key") Path key,
            @JsonProperty("key-password") String keyPassword,
            @JsonProperty("key-password-env") String keyPasswordEnv,
            @JsonProperty("sni") List<SniCertificateConfig> sni,
            @JsonProperty("reload-interval") Duration reloadInterval,
            @JsonProperty("engine") String engine) {
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
        return new TlsConfig(cert, key, KeyPasswordKeys.bind(keyPassword, keyPasswordEnv), entries,
                UpstreamConfig.positive(reloadInterval, DEFAULT_RELOAD_INTERVAL, "reload-interval"),
                engine == null ? TlsEngineChoice.AUTO : engine(engine));
    }

    /** {@code engine:} as a choice this JVM can serve: {@code openssl} needs netty-tcnative to load. */
    public static TlsEngineChoice engine(String name) {
        TlsEngineChoice choice = TlsEngineChoice.of(name).orElseThrow(() ->
                new SettingException("engine", "unknown TLS engine '" + name + "' (use auto, openssl or jdk)"));
        choice.problem().ifPresent(problem -> {
            throw new SettingException("engine", problem);
        });
        return choice;
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
        return new TlsConfig(newCert, newKey, keyPassword, sni, reloadInterval, engine);
    }

    /** The same settings with another password for the default certificate's key. */
    public TlsConfig withKeyPassword(KeyPassword newPassword) {
        return new TlsConfig(cert, key, newPassword, sni, reloadInterval, engine);
    }

    /** The same settings, checking the files every {@code newInterval}. */
    public TlsConfig withReloadInterval(Duration newInterval) {
        return new TlsConfig(cert, key, keyPassword, sni, newInterval, engine);
    }

    /** The same settings with other per-name certificates. */
    public TlsConfig withSni(List<SniCertificateConfig> newSni) {
        return new TlsConfig(cert, key, keyPassword, newSni, reloadInterval, engine);
    }

    /** The same settings with another TLS engine choice (--tls-engine over the file's). */
    public TlsConfig withEngine(TlsEngineChoice newEngine) {
        return new TlsConfig(cert, key, keyPassword, sni, reloadInterval, newEngine);
    }
}
