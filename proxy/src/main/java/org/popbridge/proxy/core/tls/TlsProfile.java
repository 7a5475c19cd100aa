package org.popbridge.proxy.core.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a listener offers its clients in TLS. A listener picks one; {@code protocols} and
 * {@code ciphers} in its config replace the profile's lists, within what the profile allows.
 */
public enum TlsProfile {

    /**
     * TLS 1.3 and 1.2 with forward-secret AEAD suites only, as Mozilla's "intermediate" profile
     * less DHE: TLS 1.3's suites, and for TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305, in
     * the JDK's order and within what the JVM enables. Served by the engine {@code tls.engine}
     * chooses (OpenSSL where it loads, else the JDK's). TLS 1.0/1.1 are refused, as the JVM refuses them.
     */
    MODERN("modern", List.of("TLSv1.3", "TLSv1.2")) {
        @Override
        public TlsEngine engine(TlsEngine modern) {
            return modern;
        }

        @Override
        List<TlsEngine> candidates() {
            return TlsEngine.modernCandidates();
        }

        @Override
        public List<String> defaultCipherSuites() {
            // The JDK's enabled list, not a list of our own: it already leaves out what the JVM's
            // jdk.tls.disabledAlgorithms disables, and OpenSSL, which does not read that, gets the same.
            return TlsEngine.JDK.defaultCipherSuites().stream().filter(TlsProfile::isForwardSecretAead).toList();
        }

        @Override
        public Optional<String> cipherSuiteProblem(String suite) {
            if (isBroken(suite)) {
                return Optional.of(brokenSuite(suite));
            }
            if (!isForwardSecretAead(suite)) {
                return Optional.of(TlsEngine.JDK.supportedCipherSuites().contains(suite) || LEGACY_CIPHER_SUITES.contains(suite)
                        ? "cipher suite '" + suite + "' is only offered with profile: legacy (see docs/LEGACY-TLS.md): "
                                + "a modern listener offers forward-secret AEAD suites only"
                        : "unknown cipher suite '" + suite + "' (" + MODERN_SUITES + ")");
            }
            if (!TlsEngine.JDK.defaultCipherSuites().contains(suite)) {
                return Optional.of("unknown or disabled cipher suite '" + suite + "' (" + MODERN_SUITES + ")");
            }
            return unsupportedBy(suite, TlsEngine::supportedCipherSuites)
                    .map(engine -> "cipher suite '" + suite + "' is not supported by " + engine.description());
        }
    },

    /**
     * For clients that cannot do better (Windows XP/7 Outlook, old Thunderbird, old fetchmail):
     * TLS 1.0 to 1.3, the JDK's default suites plus the CBC/RSA suites those clients need,
     * including 3DES for Windows XP. Served by BouncyCastle's JSSE with its own constraints
     * ({@link LegacyJsse}), so only listeners with this profile accept TLS 1.0/1.1: weaker
     * protocols for the clients that need them, not for the whole proxy.
     */
    LEGACY("legacy", List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1")) {
        /** Whatever tls.engine says: the JVM-wide constraints of the JDK's TLS, and OpenSSL, are not loosened for it. */
        @Override
        public TlsEngine engine(TlsEngine modern) {
            return TlsEngine.BCJSSE;
        }

        @Override
        List<TlsEngine> candidates() {
            return List.of(TlsEngine.BCJSSE);
        }

        @Override
        public List<String> defaultCipherSuites() {
            Set<String> suites = new LinkedHashSet<>(TlsEngine.JDK.defaultCipherSuites());
            suites.addAll(LEGACY_CIPHER_SUITES);
            suites.retainAll(TlsEngine.BCJSSE.supportedCipherSuites());
            return List.copyOf(suites);
        }

        @Override
        public Optional<String> cipherSuiteProblem(String suite) {
            if (isBroken(suite)) {
                return Optional.of(brokenSuite(suite));
            }
            return TlsEngine.BCJSSE.supportedCipherSuites().contains(suite) ? Optional.empty()
                    : Optional.of("unknown cipher suite '" + suite + "' (not supported by "
                            + TlsEngine.BCJSSE.description() + ")");
        }
    };

    /** CBC suites with SHA-1 MACs, the only kind TLS 1.0/1.1 can use; 3DES last, for Windows XP. */
    static final List<String> LEGACY_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA");

    /** What a modern listener offers, for its error messages. */
    private static final String MODERN_SUITES = "a modern listener offers the JVM's enabled TLS 1.3 suites and ECDHE suites"
            + " with AES-GCM or ChaCha20-Poly1305";

    private static final Set<String> PROTOCOL_NAMES = Set.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello");

    private final String configName;
    private final List<String> defaultProtocols;

    TlsProfile(String configName, List<String> defaultProtocols) {
        this.configName = configName;
        this.defaultProtocols = defaultProtocols;
    }

    /** The profile a config file names ("modern", "legacy"), in any case. */
    public static Optional<TlsProfile> of(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The name written in the config file. */
    public String configName() {
        return configName;
    }

    /** The TLS implementation that serves listeners with this profile, where {@code modern} serves modern ones. */
    public abstract TlsEngine engine(TlsEngine modern);

    /** Every engine that may serve this profile in this JVM: what a listener lists must suit each of them. */
    abstract List<TlsEngine> candidates();

    /** The first candidate engine that lacks {@code name} among {@code supported}, if any does. */
    Optional<TlsEngine> unsupportedBy(String name, java.util.function.Function<TlsEngine, Set<String>> supported) {
        return candidates().stream().filter(engine -> !supported.apply(engine).contains(name)).findFirst();
    }

    /** The protocols offered when the listener does not list its own, newest first. */
    public List<String> defaultProtocols() {
        return defaultProtocols;
    }

    /** The cipher suites offered when the listener does not list its own, in order of preference. */
    public abstract List<String> defaultCipherSuites();

    /** Why the cipher suite {@code suite} cannot be offered with this profile, if it cannot. */
    public abstract Optional<String> cipherSuiteProblem(String suite);

    /** Why {@code protocol} cannot be offered with this profile, if it cannot. */
    public Optional<String> protocolProblem(String protocol) {
        if (!PROTOCOL_NAMES.contains(protocol)) {
            return Optional.of("unknown protocol '" + protocol + "' (use " + String.join(", ", defaultProtocols) + ")");
        }
        if (protocol.startsWith("SSL")) {
            return Optional.of("protocol '" + protocol + "' is never offered: SSL 3.0 is broken (POODLE); "
                    + "the oldest popbridge speaks is TLSv1, with profile: legacy");
        }
        if (!defaultProtocols.contains(protocol)) {
            return Optional.of("protocol '" + protocol + "' is only offered with profile: legacy (see docs/LEGACY-TLS.md)");
        }
        return unsupportedBy(protocol, TlsEngine::supportedProtocols)
                .map(engine -> "protocol '" + protocol + "' is not supported by " + engine.description());
    }

    /** Why these lists cannot work together, if they cannot: each protocol needs a suite it can use. */
    public Optional<String> combinationProblem(List<String> protocols, List<String> suites) {
        List<String> unusable = new ArrayList<>();
        for (String protocol : protocols) {
            if (suites.stream().noneMatch(suite -> usableWith(protocol, suite))) {
                unusable.add(protocol);
            }
        }
        if (unusable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("no cipher suite listed works with " + String.join(", ", unusable)
                + " (TLSv1.3 needs a TLS_AES_* or TLS_CHACHA20_* suite; TLSv1.2 any other;"
                + " TLSv1 and TLSv1.1 a *_CBC_SHA suite)");
    }

    /** TLS 1.3 suites name no key exchange; TLS 1.0/1.1 can only use CBC suites with a SHA-1 MAC. */
    static boolean usableWith(String protocol, String suite) {
        boolean tls13Suite = !suite.contains("_WITH_");
        return switch (protocol) {
            case "TLSv1.3" -> tls13Suite;
            case "TLSv1.2" -> !tls13Suite;
            default -> !tls13Suite && suite.endsWith("_CBC_SHA");
        };
    }

    /**
     * Forward secret and authenticated encryption: every TLS 1.3 suite (RFC 8446 appendix B.4
     * names these), and for TLS 1.2 ephemeral ECDH with AES-GCM or ChaCha20-Poly1305. Static RSA
     * key exchange ({@code TLS_RSA_*}) has no forward secrecy; CBC suites are open to padding oracles.
     */
    static boolean isForwardSecretAead(String suite) {
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        return aead && (tls13 || suite.startsWith("TLS_ECDHE_"));
    }

    private static String brokenSuite(String suite) {
        return "cipher suite '" + suite + "' is never offered: NULL, anonymous, export, RC4, DES, MD5 and static (EC)DH"
                + " suites are broken";
    }

    static boolean isBroken(String suite) {
        return suite.contains("_NULL_") || suite.endsWith("_NULL") || suite.contains("_anon_") || suite.contains("EXPORT")
                || suite.contains("_RC4_") || suite.contains("_WITH_DES_") || suite.endsWith("_MD5")
                || suite.startsWith("TLS_ECDH_") || suite.startsWith("TLS_DH_") || suite.startsWith("SSL_");
    }
}
