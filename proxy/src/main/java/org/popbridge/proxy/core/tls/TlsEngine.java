package org.popbridge.proxy.core.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.popbridge.certs.ServerCredentials;

/** A TLS implementation popbridge can serve or connect with, and what it supports. */
public enum TlsEngine {
    /** The JDK's own TLS (SunJSSE); bound by the JVM's {@code jdk.tls.disabledAlgorithms}. */
    JDK("the JDK's TLS (SunJSSE)") {
        @Override
        SslContextBuilder configure(SslContextBuilder builder) {
            return builder.sslProvider(SslProvider.JDK);
        }

        @Override
        Capabilities load() {
            return Capabilities.of(jdkContext());
        }
    },
    /**
     * BoringSSL through netty-tcnative, whose natives the jar carries for Linux on x86_64 and
     * aarch64 (every platform with mvn -Popenssl-all-platforms); it loads where those fit.
     */
    OPENSSL("OpenSSL (netty-tcnative)") {
        @Override
        SslContextBuilder configure(SslContextBuilder builder) {
            return builder.sslProvider(SslProvider.OPENSSL);
        }

        @Override
        Capabilities load() {
            return new Capabilities(Set.of("TLSv1.2", "TLSv1.3"), OpenSsl.availableJavaCipherSuites(), List.of());
        }

        @Override
        public String description() {
            return "OpenSSL (" + OpenSsl.versionString() + " through netty-tcnative)";
        }

        @Override
        public boolean loads() {
            return OpenSsl.isAvailable();
        }

        @Override
        public String whyNotLoaded() {
            Throwable cause = OpenSsl.unavailabilityCause();
            return cause == null ? "" : String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
        }
    },
    /** BouncyCastle's JSSE with its own, wider constraints: only legacy listeners use it (docs/LEGACY-TLS.md). */
    BCJSSE("BouncyCastle JSSE (TLS 1.0/1.1 allowed for legacy listeners only)") {
        @Override
        SslContextBuilder forServer(ServerCredentials credentials) throws SSLException {
            // The JDK's key managers do not know the key types BCJSSE asks for before TLS 1.2
            // ("ECDHE_RSA"), so it gets one of its own.
            return SslContextBuilder.forServer(LegacyJsse.keyManagers(credentials));
        }

        @Override
        SslContextBuilder configure(SslContextBuilder builder) {
            // Randomness from the JDK's SecureRandom, as everywhere else in popbridge.
            return builder.sslProvider(SslProvider.JDK).sslContextProvider(LegacyJsse.provider())
                    .secureRandom(new SecureRandom());
        }

        @Override
        Capabilities load() {
            return Capabilities.of(LegacyJsse.context());
        }
    };

    private final String description;
    private volatile Capabilities capabilities;

    TlsEngine(String description) {
        this.description = description;
    }

    /** The engines that may serve a modern listener or the upstream side here: the JDK's, and OpenSSL where it loads. */
    static List<TlsEngine> modernCandidates() {
        return OPENSSL.loads() ? List.of(JDK, OPENSSL) : List.of(JDK);
    }

    /** Names this engine in the start-up log. */
    public String description() {
        return description;
    }

    /** Whether this engine works in this JVM: OpenSSL only where netty-tcnative's native library loads. */
    public boolean loads() {
        return true;
    }

    /** Why {@link #loads()} is false, in netty's words; empty when it loads. */
    public String whyNotLoaded() {
        return "";
    }

    /** A server context builder serving {@code credentials}; {@link #configure} sets the provider. */
    SslContextBuilder forServer(ServerCredentials credentials) throws SSLException {
        return SslContextBuilder.forServer(credentials.key(), credentials.chainArray());
    }

    /** Sets the provider on a netty context builder. */
    abstract SslContextBuilder configure(SslContextBuilder builder);

    abstract Capabilities load();

    /** Protocol names this engine can speak, before any profile narrows them. */
    public Set<String> supportedProtocols() {
        return capabilities().protocols();
    }

    /** Cipher suite names (IANA/JSSE spelling) this engine implements. */
    public Set<String> supportedCipherSuites() {
        return capabilities().cipherSuites();
    }

    /** The suites this engine enables when nobody says otherwise, in its order of preference. */
    List<String> defaultCipherSuites() {
        return capabilities().defaults();
    }

    private Capabilities capabilities() {
        Capabilities known = capabilities;
        if (known == null) {
            known = load();
            capabilities = known;
        }
        return known;
    }

    static SSLContext jdkContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
            context.init(null, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS provider SunJSSE is missing", e);
        }
    }

    /** What an engine supports, read once. */
    record Capabilities(Set<String> protocols, Set<String> cipherSuites, List<String> defaults) {

        Capabilities {
            protocols = Set.copyOf(protocols);
            cipherSuites = Set.copyOf(cipherSuites);
            defaults = List.copyOf(defaults);
        }

        static Capabilities of(SSLContext context) {
            SSLParameters supported = context.getSupportedSSLParameters();
            return new Capabilities(Set.of(supported.getProtocols()), Set.of(supported.getCipherSuites()),
                    List.of(context.getDefaultSSLParameters().getCipherSuites()));
        }
    }
}
