package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.core.tls.TlsOffer;
import org.popbridge.proxy.core.tls.TlsProfile;

/**
 * A listener's TLS settings, under {@code tls:} in its object form. {@code profile: legacy}
 * adds TLS 1.0/1.1 and old CBC suites for this listener only (docs/LEGACY-TLS.md).
 *
 * @param protocols the protocols to offer instead of the profile's; empty means the profile's
 * @param ciphers the cipher suites to offer instead of the profile's; empty means the profile's
 */
public record ListenerTlsConfig(TlsProfile profile, List<String> protocols, List<String> ciphers) {

    public ListenerTlsConfig {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /** Every name is checked against what the profile's TLS implementation supports. */
    @JsonCreator
    public static ListenerTlsConfig of(
            @JsonProperty("profile") String profile,
            @JsonProperty("protocols") List<String> protocols,
            @JsonProperty("ciphers") List<String> ciphers) {
        TlsProfile chosen = profile == null ? TlsProfile.MODERN : TlsProfile.of(profile).orElseThrow(() ->
                new SettingException("profile", "unknown TLS profile '" + profile + "' (use modern or legacy)"));
        List<String> checkedProtocols = names(protocols, "protocols", chosen::protocolProblem);
        List<String> checkedCiphers = names(ciphers, "ciphers", chosen::cipherSuiteProblem);
        ListenerTlsConfig config = new ListenerTlsConfig(chosen, checkedProtocols, checkedCiphers);
        if (!checkedProtocols.isEmpty() || !checkedCiphers.isEmpty()) {
            chosen.combinationProblem(config.effectiveProtocols(), config.effectiveCipherSuites()).ifPresent(problem -> {
                throw new SettingException(!checkedCiphers.isEmpty() ? "ciphers" : "protocols", problem);
            });
        }
        return config;
    }

    /** The JDK's modern defaults. */
    public static ListenerTlsConfig defaults() {
        return new ListenerTlsConfig(TlsProfile.MODERN, List.of(), List.of());
    }

    /** What the listener offers, as the TLS layer takes it, where {@code modern} serves modern listeners. */
    public TlsOffer offer(TlsEngine modern) {
        return new TlsOffer(profile, profile.engine(modern), effectiveProtocols(), effectiveCipherSuites());
    }

    /** The protocols this listener offers. */
    public List<String> effectiveProtocols() {
        return protocols.isEmpty() ? profile.defaultProtocols() : protocols;
    }

    /** The cipher suites this listener offers, in order of preference. */
    public List<String> effectiveCipherSuites() {
        return ciphers.isEmpty() ? profile.defaultCipherSuites() : ciphers;
    }

    private interface Check {
        Optional<String> problem(String name);
    }

    private static List<String> names(List<String> given, String key, Check check) {
        if (given == null) {
            return List.of();
        }
        if (given.isEmpty()) {
            throw new SettingException(key, "an empty list offers nothing; leave " + key + " out to use the profile's");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String name = given.get(i) == null ? "" : given.get(i).strip();
            int index = i;
            check.problem(name).ifPresent(problem -> {
                throw new SettingException(key, index, problem);
            });
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
