package org.popbridge.proxy.core.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which engine serves modern listeners and the connections to mail servers, as {@code tls.engine}
 * (or {@code --tls-engine}) says. Legacy listeners are not concerned: they keep BouncyCastle's JSSE.
 */
public enum TlsEngineChoice {
    /** OpenSSL where netty-tcnative loads (about half the CPU per handshake), else the JDK's TLS. */
    AUTO("auto"),
    /** OpenSSL, and no start where it does not load. */
    OPENSSL("openssl"),
    /** The JDK's TLS, even where OpenSSL would load. */
    JDK("jdk");

    private final String configName;

    TlsEngineChoice(String configName) {
        this.configName = configName;
    }

    /** The choice a config file or flag names ("auto", "openssl", "jdk"), in any case. */
    public static Optional<TlsEngineChoice> of(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(choice -> choice.configName.equals(wanted)).findFirst();
    }

    /** The name written in the config file. */
    public String configName() {
        return configName;
    }

    /** Why this choice cannot be served in this JVM, if it cannot: only {@code openssl} without netty-tcnative. */
    public Optional<String> problem() {
        if (this != OPENSSL || TlsEngine.OPENSSL.loads()) {
            return Optional.empty();
        }
        return Optional.of("OpenSSL (netty-tcnative) does not load here: " + TlsEngine.OPENSSL.whyNotLoaded()
                + "; use auto (then the JDK's TLS serves) or jdk");
    }

    /**
     * The engine this choice gives.
     *
     * @throws IllegalStateException for {@code openssl} where it does not load (see {@link #problem()})
     */
    public TlsEngine engine() {
        return switch (this) {
            case AUTO -> TlsEngine.OPENSSL.loads() ? TlsEngine.OPENSSL : TlsEngine.JDK;
            case OPENSSL -> {
                problem().ifPresent(problem -> {
                    throw new IllegalStateException("tls.engine: openssl: " + problem);
                });
                yield TlsEngine.OPENSSL;
            }
            case JDK -> TlsEngine.JDK;
        };
    }

    /** The choice and what it gives here, for check-config: "auto (here OpenSSL (...))". */
    public String describe() {
        return configName + " (here " + engine().description() + ")";
    }
}
